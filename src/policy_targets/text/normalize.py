"""Raw notice text to clean simplified text, with an offset map back to the raw file.

Steps, in order: line endings; OpenCC t2s; ASCII folding of full-width forms; zero-width
characters; sub/superscripts; pronunciation glosses (``glosses.py``); conversion and
mirror-page debris (Word bookmarks, page numbers, site footers, bullets, anti-scraping runs,
@@ injections, a full stop for a decimal point); indentation; PDF hard wraps joined into
paragraphs; spaces next to Chinese dropped.
The result has one paragraph per line, which is what every later step calls a paragraph.
"""

from __future__ import annotations

import functools
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from operator import ne

import opencc
import regex

from .. import rules
from .alternation import character_list, compiled_quicker, holds_any
from .glosses import gloss_spans
from .textmap import MappedText, keep_groups

CJK = r"\p{Han}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026"
#: Line breaks other than the newline: each, or a carriage return before a newline, becomes a newline.
_LINE_BREAKS = "\r\u2028\u2029\f\v\x85"
_NEWLINES = regex.compile(rf"\r\n?|[{_LINE_BREAKS[1:]}]")
_LINE_EDGE_SPACE = regex.compile(r"(?m)^[ \t]+|[ \t]+$")
#: Spaces next to Chinese (dropped) and runs of two or more elsewhere (all but the first
#: dropped), in one pass of deletions: a run is dropped whole, between characters that are no
#: spaces, so dropping one never makes a run of another; a run away from Chinese is matched
#: from its second character (the lookbehind), so that its first stays without a replacement
#: asked of each match (a plan has hundreds).
_SPACES = regex.compile(rf"(?<=[{CJK}])[ \t]+|[ \t]+(?=[{CJK}])|(?<=[ \t])[ \t]+")
_HAN = regex.compile(r"\p{Han}+")
#: The Chinese characters of the CJK block as encoded since Unicode 1.1 (all of them Han, and
#: nearly every one a plan writes): a plain class, which the standard library's ``re`` counts
#: about 1.7 times as fast as ``regex`` counts ``\p{Han}``; and the Han characters besides.
_BASIC_HAN = re.compile("[\u4e00-\u9fa5]+")
_OTHER_HAN = regex.compile(r"[^\P{Han}\u4e00-\u9fa5]+")
_BLANK_LINES = regex.compile(r"(?<=\n)\n+|^\n+|\n+$")


@dataclass(frozen=True)
class NormalizedText:
    """Normalised text plus the raw text it came from and the offset map between them."""

    raw: str
    mapped: MappedText
    script: str  # "traditional" or "simplified": what the raw file was written in

    @property
    def text(self) -> str:
        return self.mapped.text

    @property
    def offsets(self) -> array:
        return self.mapped.offsets

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.mapped.raw_span(start, end)


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def t2s(text: str) -> str:
    """OpenCC traditional-to-simplified conversion."""
    return _converter().convert(text) if text else text


@functools.cache
def _fold_table() -> dict[int, str]:
    book = rules.load("normalization")
    table: dict[int, str] = {}
    for r in book["fold"]["ranges"]:
        first, last, target = ord(r["first"]), ord(r["last"]), ord(r["target"])
        for cp in range(first, last + 1):
            table[cp] = chr(target + cp - first)
    for src, dst in book["fold"]["chars"].items():
        table[ord(src)] = dst
    for src, dst in book["scripts"]["chars"].items():
        table[ord(src)] = dst
    return table


@functools.cache
def _foldable() -> re.Pattern[str]:
    """A run of characters that the fold table changes: a plain class of characters, which
    the standard library's ``re`` scans several times faster than ``regex``."""
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_fold_table())) + "]+")


def fold_text(text: str) -> str:
    """``text.translate(_fold_table())``, translating only the runs of characters the table
    changes: ``str.translate`` looks every character up in the dictionary, and the table
    leaves most characters of a plan alone."""
    table = _fold_table()
    return _foldable().sub(lambda m: m.group().translate(table), text)


@functools.cache
def _zero_width_chars() -> str:
    return "".join(rules.load("normalization")["zero_width"]["chars"])


@functools.cache
def _zero_width() -> regex.Pattern[str]:
    return regex.compile("[" + "".join(regex.escape(c) for c in _zero_width_chars()) + "]")


@functools.cache
def _script_markup() -> tuple[regex.Pattern[str], ...]:
    return tuple(regex.compile(p) for p in rules.load("normalization")["scripts"]["markup"])


#: Left where a debris rule with ``paragraph_break`` removed a web page's line (a timestamp,
#: a breadcrumb): the line joiner never joins across it, so a headline stays a paragraph of
#: its own; removed once the lines are joined.
PARAGRAPH_BREAK = "\x1e"
_BREAK_LINES = regex.compile(r"\n*\x1e[\x1e\n]*")


@dataclass(frozen=True)
class _DebrisRule:
    pattern: regex.Pattern[str] | re.Pattern[str]
    prefilter: Callable[[str], bool] | None  # true of every text that holds a match of pattern
    breaks: bool  # a removed line ends the paragraph before it
    replacement: str | None  # the text that replaces a match (None: removed)


@functools.cache
def _debris() -> tuple[_DebrisRule, ...]:
    """The debris rules of ``rules/normalization.yaml``, compiled once, each for the engine
    that scans a plan for it faster (``text.alternation.quicker_engine``: the rules of a line
    of its own, ``(?m)^…$``, take ``re`` a quarter to two thirds of the time)."""
    return tuple(
        _DebrisRule(
            compiled_quicker(r["pattern"]),
            prefilter(r["prefilter"]) if "prefilter" in r else None,
            bool(r.get("paragraph_break")),
            r.get("replace"),
        )
        for r in rules.load("normalization")["debris"]
    )


def prefilter(source: str) -> Callable[[str], bool]:
    """Whether a text holds a match of the prefilter ``source``: a list of single characters
    looked for by ``str``'s own search for each (``text.alternation.character_list``), any
    other prefilter searched by the engine that searches it faster (``quicker_engine``)."""
    chars = character_list(source)
    if chars is not None:
        return lambda text: holds_any(text, chars)
    pattern = compiled_quicker(source)
    return lambda text: pattern.search(text) is not None


def remove_debris(mt: MappedText, raw: str | None = None) -> MappedText:
    """Pronunciation glosses, then the debris rules of ``rules/normalization.yaml``, removed
    with the offsets of every kept character (``raw``: the text the offsets point into, whose
    characters are tried as the glossed ones too)."""
    source = None if raw is None else (lambda i: raw[mt.offsets[i]])
    mt = mt.replace_spans(gloss_spans(mt.text, source), "")
    for rule in _debris():
        if rule.prefilter is not None and not rule.prefilter(mt.text):
            continue  # no match possible: spares trying the pattern at every character
        if rule.breaks:
            mt = mt.sub(rule.pattern, lambda m: ["\n" + PARAGRAPH_BREAK + "\n"])
        elif rule.replacement is not None:
            mt = mt.sub(rule.pattern, lambda m, r=rule.replacement: [r])
        else:
            mt = mt.delete(rule.pattern)
    return mt


def fold_chars(text: str) -> str:
    """ASCII folding and plain sub/superscripts of a string (no offsets): the per-character
    part of normalisation, also used for matching rule examples."""
    out = text.translate(_fold_table())
    out = _zero_width().sub("", out)
    for pat in _script_markup():
        out = pat.sub(r"\1", out)
    return out


#: Joins the lines of a text broken mid-sentence (PDF hard wraps) into paragraphs. Knowing a
#: heading or a 责任单位 block is the structure stage's business, so the joiner is passed in
#: (``structure.paragraphs.join_wrapped_lines``) rather than imported.
LineJoiner = Callable[[MappedText], MappedText]


def normalize(raw: str, join_lines: LineJoiner | None = None) -> NormalizedText:
    """Normalise a decoded notice. Pure: the same raw text gives the same result. Without a
    ``join_lines`` every line stays a paragraph (blank lines dropped)."""
    mt = MappedText.identity(raw)
    mt = mt.delete(_BREAK_LINES) if PARAGRAPH_BREAK in raw else mt  # the marker is ours alone
    mt = mt.sub(_NEWLINES, lambda m: ["\n"]) if holds_any(mt.text, _LINE_BREAKS) else mt
    simplified = t2s(mt.text)
    script = _script(mt.text, simplified)
    mt = mt.replace_aligned(simplified)
    mt = mt.translate(_fold_table(), fold_text)
    mt = mt.delete(_zero_width()) if holds_any(mt.text, _zero_width_chars()) else mt
    for pat in _script_markup():
        mt = mt.sub(pat, keep_groups(1))
    mt = remove_debris(mt, raw)
    mt = mt.delete(_LINE_EDGE_SPACE)
    mt = join_lines(mt) if join_lines else mt
    mt = mt.sub(_BREAK_LINES, lambda m: ["\n"]) if PARAGRAPH_BREAK in mt.text else mt
    mt = mt.delete(_BLANK_LINES)
    mt = mt.delete(_SPACES)
    return NormalizedText(raw=raw, mapped=mt, script=script)


#: How much of a text is read to tell its script.
_SCRIPT_SAMPLE = 200000
#: The share of the Chinese characters that OpenCC must change for a text to be traditional.
_TRADITIONAL_SHARE = 0.05
#: Characters whose Chinese ones are counted at once, before the count is compared.
_HAN_CHUNK = 4096


def _script(before: str, after: str) -> str:
    """Traditional when OpenCC changed more than 5 % of the Chinese characters. Both counts
    stop once the answer is sure: the changes once they pass 5 % of all the characters, the
    Chinese characters once 5 % of them reach the changes (a simplified text, which OpenCC
    changes in a few places, is read no further than its first lines); the characters of the
    basic CJK block are counted first, the rarer Han characters only when those fall short."""
    before, after = before[:_SCRIPT_SAMPLE], after[:_SCRIPT_SAMPLE]
    ceiling = _TRADITIONAL_SHARE * len(before)  # 5 % of the most Chinese characters there can be
    changed = _changed(before, after, ceiling)
    if not changed:
        return "simplified"  # whatever the count of Chinese characters
    if changed > ceiling:
        return "traditional" if _HAN.search(before) else "simplified"
    han = 0
    for start in range(0, len(before), _HAN_CHUNK):  # the common characters first: enough for a simplified text
        han += sum(map(len, _BASIC_HAN.findall(before, start, start + _HAN_CHUNK)))
        if changed <= _TRADITIONAL_SHARE * han:
            return "simplified"
    han += sum(map(len, _OTHER_HAN.findall(before)))
    return "traditional" if han and changed > _TRADITIONAL_SHARE * han else "simplified"


#: Stretches up to this long are compared a character at a time by ``_changed``.
_SHORT = 64


def _changed(before: str, after: str, enough: float) -> int:
    """How many characters differ between the two texts, position by position over the
    shorter one's length, counted until the count passes ``enough``. Equal halves are passed
    over by one comparison in C, so a simplified text, which OpenCC changes in a few places,
    costs a few comparisons."""
    count = 0
    pending = [(0, min(len(before), len(after)))]
    while pending:
        a, b = pending.pop()
        if before[a:b] == after[a:b]:
            continue
        if b - a <= _SHORT:
            count += sum(map(ne, before[a:b], after[a:b]))
            if count > enough:
                break
        else:
            middle = (a + b) // 2
            pending += [(middle, b), (a, middle)]
    return count
