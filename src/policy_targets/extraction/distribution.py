"""Distribution: how the values of a frame are shared out among indicators and years.

ANNOTATION.md asks for one record per (indicator, year, value). Each strategy below reads one
distributive construction and returns the records' (indicator, quantity, year) triples, or
None when the construction is not there; ``STRATEGIES`` tries them in order and the first
that applies wins. The strategy's name goes into each record's ``rule`` field, so a wrong
record says which construction made it. Adding a construction is a new function and a line
in ``STRATEGIES``, with specs of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import indicators
from .frames import Frame
from .lexicon import Lexicon
from .quantities import Quantity


@dataclass(frozen=True)
class Share:
    indicator: str
    quantity: Quantity
    year: int | None


@dataclass(frozen=True)
class Distribution:
    strategy: str
    shares: list[Share]
    note: str = ""


@dataclass(frozen=True)
class Context:
    """What a strategy reads besides the frame: the frame's indicator and subjects."""

    frame: Frame
    indicator: str
    head: str  # the cleaned head
    lex: Lexicon

    @property
    def n(self) -> int:
        return len(self.frame.group)

    @property
    def year(self) -> int | None:
        return self.frame.phrase.target_year if self.frame.phrase else None

    def subjects(self, separators: str = "、") -> list[str]:
        return indicators.split_subjects(self.indicator, separators) if self.frame.construction == "predicate" else [self.indicator]

    def tokens_of_last(self, subject: str) -> list[str]:
        f = self.frame
        i = f.text.rfind(subject, f.pre_start, f.head_end)
        p = f.paragraph
        return p.tokens_of(i, i + len(subject), subject) if i >= 0 else p.tokens_of(-1, -1, subject)


Strategy = Callable[[Context], "Distribution | None"]


def pair_with_subjects(ctx: Context) -> Distribution | None:
    """A、B分别达到x、y (also A和B, A、B和C): the i-th value goes to the i-th subject, each
    completed with the shared measure."""
    if ctx.n < 2:
        return None
    subjects = ctx.subjects()
    if len(subjects) != ctx.n and _distributive(ctx) and ctx.frame.construction == "predicate":
        if not (_listed_years(ctx) and len(subjects) == 1):
            joined = ctx.subjects(ctx.lex.subject_joiners)
            if len(joined) == ctx.n and all(len(j) >= 2 for j in joined):
                subjects = joined
    if len(subjects) != ctx.n:
        return None
    names = indicators.distribute(subjects, ctx.tokens_of_last, ctx.lex, total=False, forced=True) or subjects
    return Distribution("pair_subjects", [Share(name, q, ctx.year) for name, q in zip(names, ctx.frame.group)])


def pair_with_years(ctx: Context) -> Distribution | None:
    """到2025年和2030年,…分别达到x和y: the i-th value is due in the i-th year; with fewer
    values than years they pair from the first year, with a note."""
    if ctx.n < 2 or not _listed_years(ctx):
        return None
    years = ctx.frame.phrase.years
    shares = [Share(ctx.indicator, q, years[min(i, len(years) - 1)]) for i, q in enumerate(ctx.frame.group)]
    note = f"{ctx.n} values for {len(years)} years: paired from the first year" if ctx.n != len(years) else ""
    return Distribution("pair_years", shares, note)


def coordinated_subjects(ctx: Context) -> Distribution | None:
    """重点河流、城市集中式饮用水水源地水质达标率达到100%: subjects sharing one measure and
    one value give one record each; a total over a list (…等30家) stays one."""
    if ctx.n != 1:
        return None
    subjects = ctx.subjects()
    if len(subjects) < 2:
        return None
    split = indicators.distribute(subjects, ctx.tokens_of_last, ctx.lex, total="等" in ctx.head)
    if not split:
        return None
    q = ctx.frame.group[0]
    return Distribution("coordinated", [Share(name, q, ctx.year) for name in split])


def single(ctx: Context) -> Distribution:
    """One indicator for every value of the group (one number, or the ends of a range)."""
    return Distribution("single", [Share(ctx.indicator, q, ctx.year) for q in ctx.frame.group])


STRATEGIES: tuple[Strategy, ...] = (pair_with_subjects, pair_with_years, coordinated_subjects)


def distribute(frame: Frame, indicator: str, head: str, lex: Lexicon) -> Distribution:
    ctx = Context(frame, indicator, head, lex)
    for strategy in STRATEGIES:
        found = strategy(ctx)
        if found is not None:
            return found
    return single(ctx)


def _distributive(ctx: Context) -> bool:
    return any(w in ctx.frame.clause_before for w in ctx.lex.distributive_words)


def _listed_years(ctx: Context) -> bool:
    return ctx.frame.phrase is not None and ctx.frame.phrase.kind == "list"
