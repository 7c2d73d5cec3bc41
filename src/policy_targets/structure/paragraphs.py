"""Paragraphs of a plan: lines broken mid-sentence by PDF export joined again.

A line break is a paragraph break after terminal punctuation, before or after a heading or
a line that stands alone (a 责任单位 block, a signature), and after a bare heading line;
anything else is a hard wrap. The heading and block forms come from ``rules/structure.yaml``.
"""

from __future__ import annotations

import functools

import regex

from .. import rules
from ..text.normalize import PARAGRAPH_BREAK
from ..text.textmap import MappedText
from .responsible import find_block

#: Characters after which a line may end a paragraph.
_TERMINAL = set("。！？；;：:!?")
_CLOSERS = set(")）〕】]")
_SENTENCE_END = regex.compile("[。；;！？!?]")


@functools.cache
def _line_patterns() -> tuple[tuple[regex.Pattern[str], ...], tuple[regex.Pattern[str], ...]]:
    book = rules.load("structure")
    headings = tuple(rules.compile_pattern(h["pattern"]) for h in book["headings"])
    standalone = tuple(rules.compile_pattern(s["pattern"]) for s in book["standalone_lines"])
    return headings, standalone


def join_wrapped_lines(mt: MappedText) -> MappedText:
    """Join lines broken mid-sentence by PDF export, across blank lines and removed page
    numbers; keep one newline between real paragraphs and drop blank lines."""
    text = mt.text
    lines: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line:
            lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    if not lines:
        return mt.delete(regex.compile(r"\n+"))
    pieces: list[tuple[int, int] | str] = []
    for (a_start, a_end), (b_start, _b_end) in zip(lines, lines[1:]):
        pieces.append((a_start, a_end))
        if is_paragraph_break(text[a_start:a_end], text[b_start:_b_end]):
            pieces.append((a_end, a_end + 1))  # keep the first newline of the gap
    pieces.append(lines[-1])
    whole = regex.compile(r"(?s)\A.*\Z")
    return mt.sub(whole, lambda m: pieces) if text else mt


def is_paragraph_break(line: str, next_line: str) -> bool:
    """Whether the break between two non-empty lines is a real paragraph break."""
    if PARAGRAPH_BREAK in (line, next_line):
        return True  # where a web page's line was removed
    headings, standalone = _line_patterns()
    if any(p.search(next_line) for p in headings) or any(p.search(next_line) for p in standalone):
        return True
    last = line[-1]
    if last in _TERMINAL:
        return True
    if any(p.search(line) for p in standalone):
        return True
    if any(p.search(line) for p in headings) and len(line) <= 40 and not _SENTENCE_END.search(line):
        return True  # a bare heading line such as "(二)加快制造业高质量发展"
    if last in _CLOSERS and find_block(line) is not None:
        return True
    return False

