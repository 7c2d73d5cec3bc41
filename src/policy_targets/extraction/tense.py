"""Past versus committed: numbers that report what was reached are not targets
(ANNOTATION.md v2, "achievements and the state of things when the plan was written").

A plan states its starting point in the same words as its aims (森林覆盖率达到23.04%). What
tells them apart is time: the year phrase that governs a number (the same one that gives a
target its ``target_year``) names a year before the plan was written (截至2020年底 in a plan of
the 十四五 period), or a phrase that only reports the past governs it (去年, 今年以来). The
year the plan was written comes from the structure stage (``DocumentStructure.written_year``:
issue date, title); failing that, from the plan's nearest due year (``written_year_by_horizon``).
Review sections and achievement verbs are excluded earlier, by the structure and context rules.
"""

from __future__ import annotations

from dataclasses import replace

from .lexicon import Lexicon
from .quantities import Quantity
from .timescope import YearPhrase
from .years import nearest_phrase

#: Exclusion reasons set here.
PAST_YEAR = "past_year"
ACHIEVED = "achieved"


def written_year_by_horizon(text: str, phrases: list[YearPhrase], lex: Lexicon) -> int | None:
    """The earliest year a plan can have been written, read from its nearest due year
    (到2025年 -> 2021 with a horizon of five years); None when no phrase says 到/至."""
    due = [
        p.target_year
        for p in phrases
        if p.kind in ("single", "list", "period_end") and p.target_year is not None and text.startswith(lex.due_words, p.start)
    ]
    return min(due) - lex.horizon_years + 1 if due else None


def past_reason(phrase: YearPhrase | None, written_year: int | None) -> str | None:
    """Why the numbers governed by ``phrase`` report the past, or None if they may be aims."""
    if phrase is None:
        return None
    if phrase.kind == "past":
        return ACHIEVED
    if written_year is not None and phrase.target_year is not None and phrase.target_year < written_year:
        return PAST_YEAR
    return None


def exclude_past(quantities: list[Quantity], phrases: list[YearPhrase], written_year: int | None) -> list[Quantity]:
    """The quantities of one paragraph, those governed by a past phrase marked excluded.
    ``phrases`` are the paragraph's year phrases, sorted and not overlapping."""
    if not phrases:
        return quantities
    ends = [p.end for p in phrases]
    out = []
    for q in quantities:
        if q.excluded is None:
            reason = past_reason(nearest_phrase(phrases, ends, q.prefix_start), written_year)
            if reason:
                q = replace(q, excluded=reason)
        out.append(q)
    return out
