"""The target year of a number, in one home: the readings a number can have and the one the
contract picks.

``timescope`` finds the year phrases of a paragraph (到2025年, 2024—2026年, “十四五”期间, a
phrase of the past); this module decides which of them, if any, dates a number. A number can
be read as due in the year of

- ``paragraph``: the nearest year phrase before it in its paragraph (ANNOTATION.md: a later
  phrase takes over, also across sentences; a phrase after the number does not reach back);
- ``heading``: the last year phrase of the innermost section heading above it;
- ``title``: the year phrase of the plan's title (an annual plan's 2024年工作要点);
- ``none``: no year (``target_year`` null).

Every reading is proposed with its evidence (the phrase, or None); ``choose`` takes the first
source of ``rules/periods.yaml`` ``year_choice`` that has a reading. The contract's order is
paragraph, then none — headings and titles do not lend their years to the body — so the other
readings are offered, not taken; a project with another convention changes the order in the
rulebook and nothing else. The source that decided is each record's ``year_source``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .timescope import YearPhrase

#: Readings a number can have, as ``year_choice`` names them.
SOURCES = ("paragraph", "heading", "title", "none")


@dataclass(frozen=True)
class YearReading:
    source: str  # one of SOURCES
    phrase: YearPhrase | None  # the evidence; None for ``none``

    @property
    def target_year(self) -> int | None:
        return self.phrase.target_year if self.phrase else None

    @property
    def period_start(self) -> int | None:
        return self.phrase.period_start if self.phrase else None


NO_YEAR = YearReading("none", None)


@dataclass(frozen=True)
class YearContext:
    """What lies outside a paragraph that could date its numbers: the year phrases of the
    heading above an offset, and of the plan's title."""

    heading_phrase: Callable[[int], YearPhrase | None] = lambda offset: None
    title_phrase: YearPhrase | None = None


def nearest_phrase(phrases: Sequence[YearPhrase], ends: Sequence[int], pos: int) -> YearPhrase | None:
    """The last of a paragraph's year phrases (sorted, not overlapping; ``ends`` their ends)
    ending at or before ``pos``. Past phrases count: they govern the numbers after them as
    achievements (``tense``). A phrase of the present that names no year (今年, 年内) ends the
    scope of a phrase of the past, but not of a year: the year phrase before it still dates
    what follows (2021年…;今年…不低于352天 → 2021), and with none the number has no year."""
    i = bisect_right(ends, pos) - 1
    if i < 0:
        return None
    if phrases[i].kind == "current":
        for p in reversed(phrases[:i]):  # back over phrases of the present, stopping at the past
            if p.kind == "past":
                break
            if p.kind != "current":
                return p
    return phrases[i]


def readings(phrases: Sequence[YearPhrase], ends: Sequence[int], pos: int, context: YearContext) -> list[YearReading]:
    """Every reading of the number at ``pos``, in the order of ``SOURCES``; ``none`` always."""
    out = []
    near = nearest_phrase(phrases, ends, pos)
    if near is not None:
        out.append(YearReading("paragraph", near))
    heading = context.heading_phrase(pos)
    if heading is not None:
        out.append(YearReading("heading", heading))
    if context.title_phrase is not None:
        out.append(YearReading("title", context.title_phrase))
    out.append(NO_YEAR)
    return out


def choose(candidates: Sequence[YearReading], order: Sequence[str]) -> YearReading:
    """The reading of the first source in ``order`` that has one (``none`` when none has)."""
    by_source = {r.source: r for r in candidates}
    for source in order:
        if source in by_source:
            return by_source[source]
    return NO_YEAR
