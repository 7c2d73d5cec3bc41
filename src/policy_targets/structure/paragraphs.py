"""Paragraphs of a plan: lines broken mid-sentence by PDF export joined again.

A line break is a paragraph break after the end of a sentence (。！？, or a colon that opens
what follows), before or after a heading or a line that stands alone (a 责任单位 block, a
signature), and after a bare heading line; anything else is a hard wrap. A semicolon ends a
clause, not the sentence: the items of a list written one a line (甲县…;⏎乙县…。) are one
paragraph, and a year phrase before the list dates every item (ANNOTATION.md: a paragraph is
the text between line breaks once wrapped lines are joined). The heading and block forms come from ``rules/structure.yaml``.
The rows of an indicator table (``structure.tables``) are each a paragraph of their own, and
the column gaps of a table laid out with spaces become ``|`` here, before the spaces next to
Chinese are dropped.
"""

from __future__ import annotations

import functools
import re

import regex

from .. import rules
from ..text.alternation import quicker_engine
from ..text.normalize import PARAGRAPH_BREAK
from ..text.textmap import MappedText
from .outline import is_heading
from .responsible import find_block
from .tables import CELL_SEPARATOR, cell_gaps, one_cell_rows, split_cells, table_blocks

#: Characters after which a line may end a paragraph (not ；;, which end a clause of a list).
_TERMINAL = set("。！？：:!?")
_CLOSERS = set(")）〕】]")
_SENTENCE_END = regex.compile("[。；;！？!?]")
_OPENERS = "(（〔【["
_CLOSING = ")）〕】]"
#: A plain class of characters, which the standard library's ``re`` finds in a line twice as
#: fast as ``regex`` (asked of nearly every line).
_BRACKET = re.compile("[" + re.escape(_OPENERS + _CLOSING) + "]")
_NEWLINES = regex.compile(r"\n+")


def _unclosed(line: str) -> bool:
    """Whether ``line`` ends inside a bracket it opened."""
    depth = 0
    for ch in _BRACKET.findall(line):  # the brackets alone, not every character
        if ch in _OPENERS:
            depth += 1
        elif depth:
            depth -= 1
    return depth > 0


@functools.cache
def _standalone_forms() -> tuple[regex.Pattern[str] | re.Pattern[str], ...]:
    """The standalone-line forms of ``rules/structure.yaml``, each for the engine that
    searches it faster (``text.alternation.quicker_engine``: the title form, the costliest,
    takes ``re`` a third of the time), those ``re`` searches first. Tried one by one in a
    plain loop: an alternation of the anchored forms (``text.alternation.any_of``) took longer
    than the forms it stood for once the forms of Han characters went to ``re`` (measured on
    the bench plans' lines: 7.0 against 4.9 ms)."""
    forms = [quicker_engine(rules.compile_pattern(s["pattern"])) for s in rules.load("structure")["standalone_lines"]]
    return tuple(sorted(forms, key=lambda p: not isinstance(p, re.Pattern)))


def join_wrapped_lines(mt: MappedText) -> MappedText:
    """Join lines broken mid-sentence by PDF export, across blank lines and removed page
    numbers; keep one newline between real paragraphs and drop blank lines. Table rows stay
    one paragraph each."""
    mt, lines, texts, rows = _separate_columns(mt)
    if not lines:
        return mt.delete(_NEWLINES)
    flattened, row_ends = one_cell_rows(texts)
    kinds = [_LineKind(line) for line in texts]
    pieces: list[tuple[int, int]] = []
    for i, ((a_start, a_end), (b_start, _b_end)) in enumerate(zip(lines, lines[1:])):
        pieces.append((a_start, a_end))
        if i in flattened:  # a table flattened one cell a line: its rows regrouped
            if i in row_ends or i + 1 not in flattened:
                pieces.append((a_end, a_end + 1))
        elif i in rows or i + 1 in rows or _breaks_between(kinds[i], kinds[i + 1]):
            pieces.append((a_end, a_end + 1))  # keep the first newline of the gap
    pieces.append(lines[-1])
    return mt.keep(pieces)


def _lines(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Spans of the non-empty lines of ``text``, and the lines themselves."""
    spans, lines = [], []
    pos = 0
    for line in text.split("\n"):
        if line:
            spans.append((pos, pos + len(line)))
            lines.append(line)
        pos += len(line) + 1
    return spans, lines


def _table_rows(lines: list[str]) -> set[int]:
    """Indices of the lines that are rows of an indicator table."""
    return {i for first, last in table_blocks(lines) for i in range(first, last)}


def _separate_columns(mt: MappedText) -> tuple[MappedText, list[tuple[int, int]], list[str], set[int]]:
    """Each gap between the cells of a table row becomes one ``|`` (mapped to the gap's first
    raw character): the column gaps of a table laid out with spaces survive the dropping of
    spaces next to Chinese, and every table reads alike (``a|b|c``) whatever its layout.
    Also returns the spans of the non-empty lines of the new text, the lines, and the indices
    of those that are table rows: read once, and again only where a gap became a bar."""
    text = mt.text
    spans, lines = _lines(text)
    rows = _table_rows(lines)
    gaps = [g for i in sorted(rows) for g in cell_gaps(split_cells(lines[i], spans[i][0]) or ())]
    mt = mt.replace_spans(gaps, CELL_SEPARATOR)
    if mt.text == text:
        return mt, spans, lines, rows
    spans, lines = _lines(mt.text)  # column gaps became |: the rows are read again in the new text
    return mt, spans, lines, _table_rows(lines)


def is_paragraph_break(line: str, next_line: str) -> bool:
    """Whether the break between two non-empty lines is a real paragraph break."""
    return _breaks_between(_LineKind(line), _LineKind(next_line))


class _LineKind:
    """What the joiner asks of a line, each answered at most once: a line is asked as the
    line after a break and again as the line before the next one."""

    def __init__(self, line: str) -> None:
        self.line = line
        self._heading: bool | None = None
        self._standalone: bool | None = None

    @property
    def heading(self) -> bool:
        if self._heading is None:
            self._heading = is_heading(self.line)
        return self._heading

    @property
    def standalone(self) -> bool:
        if self._standalone is None:
            self._standalone = _is_standalone(self.line)
        return self._standalone


def _is_standalone(line: str) -> bool:
    """Whether ``line`` is one of the standalone-line forms: a plain loop, which costs less
    than ``any`` over a generator for the many lines that are none of them."""
    for form in _standalone_forms():
        if form.search(line):
            return True
    return False


def _breaks_between(this: _LineKind, after: _LineKind) -> bool:
    line = this.line
    if PARAGRAPH_BREAK in (line, after.line):
        return True  # where a web page's line was removed
    unclosed = _unclosed(line)
    last = line[-1]
    if last in _TERMINAL and not unclosed:
        return True  # the end of a sentence (most lines): the line after need not be read
    if after.heading or after.standalone:
        return True
    if unclosed:
        return False  # a bracket left open runs on: (责任单位:⏎区发展改革委、…)
    if this.standalone:
        return True
    if this.heading and len(line) <= 40 and not _SENTENCE_END.search(line):
        return True  # a bare heading line such as "(二)加快制造业高质量发展"
    if last in _CLOSERS and find_block(line) is not None:
        return True
    return False

