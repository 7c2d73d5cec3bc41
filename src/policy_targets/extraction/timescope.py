"""Year phrases and baselines in a paragraph (ANNOTATION.md `target_year`, `period_start`,
`baseline_year`).

A year phrase names when targets after it are due: one year (到2025年), a range (2024—2026年),
a list (到2025年和2030年) or a plan period (“十四五”期间). Baselines (比2020年,
以2020年…为基数) and years in conditions or edition marks are not year phrases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex

from .lexicon import Lexicon
from .numbers import year_value


#: A year in Arabic or Chinese digits (2025, 二〇二五), as the year phrases of rules/periods.yaml write it.


@dataclass(slots=True)
class YearPhrase:
    """A year phrase. Not frozen, like ``Quantity``: one is made for each year a paragraph
    names, and nothing changes one once made."""

    start: int
    end: int
    years: tuple[int, ...]  # the years a 分别 construction pairs with values, in order
    target_year: int | None  # the due year when not paired: the last one; None for a past phrase
    period_start: int | None
    kind: str  # single, range, list, period, period_end, past (去年, 今年以来), current (今年, 年内)


@dataclass(slots=True)
class Baseline:
    start: int
    end: int
    year: int
    basis: bool  # 以…为基数: applies to the whole sentence, not just its clause


def find_time_scopes(text: str, start: int, end: int, lex: Lexicon, quotes: list[tuple[int, int]]) -> tuple[list[YearPhrase], list[Baseline]]:
    # period names are written in quotes (“十四五”期间): quotes rule out years inside other
    # quoted names, not the period phrase itself, nor the years of a plan's title (《…》)
    standing = years_standing(text, start, end, lex)
    if not standing and not may_hold_yearless(text, start, end, lex):
        return [], []  # no year and no phrase that needs none: most paragraphs of a plan

    def matches(pattern: regex.Pattern[str]) -> Iterable[regex.Match[str]]:
        """The matches of ``pattern`` in the paragraph; none tried for a pattern that holds
        more years (``Lexicon.years_held``) than stand in the paragraph, nor for one of the
        past or present where none of its words stands (``Lexicon.words_of_yearless``)."""
        if lex.years_held.get(pattern, 0) > standing:
            return ()
        words = lex.words_of_yearless.get(pattern)
        return pattern.finditer(text, start, end) if words is None or words.search(text, start, end) else ()

    periods = [m for m in matches(lex.period_pattern)]
    taken = _Taken(start, end)
    for q in quotes:
        if text.startswith(lex.title_quotes, q[0]):
            continue
        if not any(m.start() <= q[0] and q[1] <= m.end() for m in periods):
            taken.add(q)
    baselines: list[Baseline] = []
    if may_hold_not_due(text, start, end, lex):
        for pattern in lex.baselines:
            for m in matches(pattern):
                if not taken.overlaps(m.span()):
                    baselines.append(Baseline(m.start(), m.end(), year_value(m.group("y")), basis=m.group(0).startswith("以")))
        for b in baselines:
            taken.add((b.start, b.end))
        for pattern in lex.not_target_years:
            for m in matches(pattern):
                taken.add(m.span("y"))
    phrases: list[YearPhrase] = []

    def add(span, phrase: YearPhrase) -> None:
        if not taken.overlaps(span):
            phrases.append(phrase)
            taken.add(span)

    for m in periods:
        first, last = lex.period_names[m.group("name")]
        if m.group("span") is not None:
            add(m.span(), YearPhrase(m.start(), m.end(), (last,), last, first, "period"))
        else:
            add(m.span(), YearPhrase(m.start(), m.end(), (last,), last, None, "period_end"))
    for m in matches(lex.year_range):
        y1, y2 = year_value(m.group("y1")), year_value(m.group("y2"))
        if y1 < y2:
            add(m.span(), YearPhrase(m.start(), m.end(), (y2,), y2, y1, "range"))
    for m in matches(lex.year_list):
        years = tuple(year_value(y) for y in lex.listed_year.findall(m.group(0)))
        add(m.span(), YearPhrase(m.start(), m.end(), years, years[-1], None, "list"))
    for m in matches(lex.year_single):
        y = year_value(m.group("y"))
        add(m.span(), YearPhrase(m.start(), m.end(), (y,), y, None, "single"))
    for m in matches(lex.past_phrases):
        add(m.span(), YearPhrase(m.start(), m.end(), (), None, None, "past"))
    for m in matches(lex.current_phrases):
        add(m.span(), YearPhrase(m.start(), m.end(), (), None, None, "current"))
    phrases.sort(key=lambda p: p.start)
    baselines.sort(key=lambda b: b.start)
    return phrases, baselines


def years_standing(text: str, start: int, end: int, lex: Lexicon) -> int:
    """How many years stand in ``text[start:end]``, counted up to the most a pattern holds
    (``Lexicon.most_years_held``). Each is sought from just after the start of the one before:
    years that do not overlap are all counted so, whatever their lengths."""
    count, pos = 0, start
    while count < lex.most_years_held:
        found = lex.year_mark.search(text, pos, end)
        if found is None:
            break
        count, pos = count + 1, found.start() + 1
    return count


def may_hold_yearless(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether a pattern of ``find_time_scopes`` that needs no year may match in
    ``text[start:end]``: false when none of the words one of which each of its matches holds
    stands there (``Lexicon.yearless_words``), or when their alternation finds nothing."""
    words, gate = lex.yearless_words, lex.yearless_any
    if words is not None and words.search(text, start, end) is None:
        return False
    return gate is None or gate.search(text, start, end) is not None


def may_hold_not_due(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether a baseline or a year that is no due year may stand in ``text[start:end]``:
    false when their alternation (``Lexicon.not_due_any``) finds nothing there, so that their
    patterns are not searched one by one."""
    gate = lex.not_due_any
    return gate is None or gate.search(text, start, end) is not None


class _Taken:
    """Characters of a paragraph already claimed by a quote, baseline or year phrase."""

    def __init__(self, start: int, end: int) -> None:
        self.start = start
        self.mask = bytearray(max(0, end - start))

    def add(self, span: tuple[int, int]) -> None:
        a, b = max(span[0] - self.start, 0), max(span[1] - self.start, 0)
        self.mask[a:b] = b"\x01" * len(self.mask[a:b])

    def overlaps(self, span: tuple[int, int]) -> bool:
        a, b = max(span[0] - self.start, 0), max(span[1] - self.start, 0)
        return any(self.mask[a:b])
