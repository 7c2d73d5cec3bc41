"""The target year of a number, in one home: the readings a number can have and the one the
contract picks.

``timescope`` finds the year phrases of a paragraph (到2025年, 2024—2026年, “十四五”期间, a
phrase of the past); this module decides which of them, if any, dates a number. A number can
be read as due in the year of

- ``paragraph``: the nearest year phrase before it in its paragraph (ANNOTATION.md: a later
  phrase takes over, also across sentences; a phrase after the number does not reach back);
- ``heading``: the last year phrase of the innermost section heading above it;
- ``title``: the year phrase of the plan's title (an annual plan's 2024年工作要点);
- ``continued``: the year in force at the end of the paragraph before, when this paragraph goes
  on with that paragraph (``carry_continued``: the same measures, no year or heading of its
  own) — a mirror page breaks a sentence or a list across lines, and the year that opened it
  still dates its entries (到2030年,…取得显著成效。⏎单位GDP二氧化碳排放比2005年下降65%以上);
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
from dataclasses import dataclass, replace
from typing import NamedTuple

from ..text.spans import clause_bounds
from .records import Draft
from .timescope import YearPhrase

#: Readings a number can have, as ``year_choice`` names them.
SOURCES = ("paragraph", "continued", "heading", "title", "none")


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


def _reading(source: str, phrases: Sequence[YearPhrase], ends: Sequence[int], pos: int, context: YearContext) -> YearReading | None:
    """The reading of the number at ``pos`` from one source, None when it has none (the
    ``continued`` reading is made by :func:`carry_continued`, not here)."""
    if source == "paragraph":
        near = nearest_phrase(phrases, ends, pos)
        return None if near is None else YearReading("paragraph", near)
    if source == "heading":
        heading = context.heading_phrase(pos)
        return None if heading is None else YearReading("heading", heading)
    if source == "title":
        return None if context.title_phrase is None else YearReading("title", context.title_phrase)
    return NO_YEAR if source == "none" else None


def readings(phrases: Sequence[YearPhrase], ends: Sequence[int], pos: int, context: YearContext) -> list[YearReading]:
    """Every reading of the number at ``pos``, in the order of ``SOURCES``; ``none`` always."""
    return [r for source in SOURCES if (r := _reading(source, phrases, ends, pos, context)) is not None]


def reading_at(phrases: Sequence[YearPhrase], ends: Sequence[int], pos: int, context: YearContext, order: Sequence[str]) -> YearReading:
    """The reading ``choose(readings(phrases, ends, pos, context), order)`` gives, each source
    read in the order's turn and none after the first that has a reading: a number its
    paragraph dates (nearly every one) asks nothing of its heading or the title, and no list
    of readings is built and thrown away for each number."""
    for source in order:
        found = _reading(source, phrases, ends, pos, context)
        if found is not None:
            return found
    return NO_YEAR


def choose(candidates: Sequence[YearReading], order: Sequence[str]) -> YearReading:
    """The reading of the first source in ``order`` that has one (``none`` when none has)."""
    by_source = {r.source: r for r in candidates}
    for source in order:
        if source in by_source:
            return by_source[source]
    return NO_YEAR


class ParagraphYears(NamedTuple):
    """What the continuation reading needs of one paragraph: its text, year phrases and
    targets, and whether it opens a heading, an item or a table (which no list runs on into).
    A named tuple, not a frozen dataclass: one is built for every paragraph of a plan, and a
    frozen dataclass sets each field through ``object.__setattr__`` (twice the time)."""

    text: str  # the whole document text
    start: int
    end: int
    phrases: Sequence[YearPhrase]
    drafts: Sequence[Draft]
    opens_section: bool

    def in_force_at_end(self) -> YearPhrase | None:
        """The year phrase that would date a number at the paragraph's very end (none in a
        paragraph without one, most of a plan's: no list of ends is built for them)."""
        if not self.phrases:
            return None
        return nearest_phrase(self.phrases, [y.end for y in self.phrases], self.end)

    def broke_off(self, phrase: YearPhrase, due_words: Sequence[str]) -> bool:
        """Whether ``phrase`` opens its clause and no target of the paragraph follows it: the
        year of a sentence whose targets are on the next line (到2030年,…取得显著成效。⏎…)."""
        if phrase.start < self.start:  # carried from further back: it broke off there
            return False
        clause_start, _ = clause_bounds(self.text, phrase.start, self.start, self.end)
        lead = self.text[clause_start : phrase.start].strip()
        return (not lead or lead in due_words) and all(d.anchor < phrase.start for d in self.drafts)

    def opens_with_a_target(self) -> bool:
        """Whether its first target stands at its very start, with no clause before it: an
        entry of a list (乙区优良天数280天,…), not a paragraph of its own (据了解,…)."""
        first = min((d.evidence_start for d in self.drafts), default=self.end)
        return clause_bounds(self.text, first, self.start, self.end)[0] == self.start


def continues(previous: Sequence[Draft], current: Sequence[Draft], min_tail: int, same_subject: bool) -> bool:
    """Whether ``current`` measures again what ``previous`` measured: a target of the same unit
    with a name that ends in the same ``min_tail`` characters or more — for another subject
    (甲市优良天数300天 … ⏎ 乙区优良天数280天), or for the same one too when ``same_subject``."""
    for d in current:
        for e in previous:
            if d.unit != e.unit or (d.indicator == e.indicator and not same_subject):
                continue
            if _shared_tail(d.indicator, e.indicator) >= min(min_tail, len(d.indicator), len(e.indicator)):
                return True
    return False


def _shared_tail(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def adds_to_carry(paragraphs: Sequence[ParagraphYears], drafts: Sequence[Draft], phrases: Sequence[YearPhrase]) -> bool:
    """Whether a paragraph with these targets and year phrases, after ``paragraphs``, changes
    what ``carry_continued`` gives. One with neither gives no targets and ends the year in
    force, and nothing else of it is read: after another such paragraph, where no year is in
    force, it changes nothing, so a run of them (most of a plan's paragraphs) stands as its
    first."""
    return bool(drafts or phrases or not paragraphs or paragraphs[-1].drafts or paragraphs[-1].phrases)


def carry_continued(paragraphs: Sequence[ParagraphYears], min_tail: int, due_words: Sequence[str]) -> list[list[Draft]]:
    """Each paragraph's targets; those of a paragraph with no year phrase, heading or item of its
    own dated by the year in force at the end of the paragraph before (``continued``) when it
    goes on with that paragraph: the year broke off there before any target (``broke_off``) and
    this paragraph measures what that one measured, or opens with a target when that one held
    none (a year's lead sentence on a line of its own); or it opens with a target that measures
    what that one measured for another subject (a list of places written one entry a line). A
    chain of continuations carries the same year on; only a year to come carries, not the past
    or 今年. ``year_choice.continued_tail`` of ``rules/periods.yaml`` sets ``min_tail``."""
    out: list[list[Draft]] = []
    before: ParagraphYears | None = None
    carried: YearPhrase | None = None  # the year in force at the end of the paragraph before
    for p in paragraphs:
        if not p.drafts and not p.phrases:  # most paragraphs: nothing to date, and no year goes on past them
            out.append([])
            before, carried = p, None
            continue
        drafts = list(p.drafts)
        own = p.in_force_at_end()
        undated = [i for i, d in enumerate(drafts) if d.year_source == "none"]
        goes_on = False
        if before is not None and carried is not None and undated and not p.phrases and not p.opens_section:
            broke = before.broke_off(carried, due_words)
            if broke and not before.drafts:  # a sentence of its own, 到2030年,…取得显著成效。
                goes_on = p.opens_with_a_target()
            else:
                goes_on = continues(before.drafts, drafts, min_tail, broke) and (broke or p.opens_with_a_target())
        if goes_on:
            for i in undated:
                drafts[i] = replace(drafts[i], target_year=carried.target_year, period_start=carried.period_start, year_source="continued")
        in_force = own if own is not None else (carried if goes_on else None)
        out.append(drafts)
        before = p._replace(drafts=drafts) if goes_on else p
        carried = in_force if in_force is not None and in_force.kind not in ("past", "current") else None
    return out
