"""Distribution: how the values of a frame are shared out among indicators and years.

ANNOTATION.md asks for one record per (indicator, year, value). Each strategy below reads one
distributive construction and returns the records' (indicator, quantity, year) triples, or
None when the construction is not there; ``STRATEGIES`` tries them in order and the first
that applies wins. The strategy's name goes into each record's ``rule`` field, so a wrong
record says which construction made it. Adding a construction is a new function and a line
in ``STRATEGIES``, with specs of its own.
"""

from __future__ import annotations

import functools

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from . import indicators
from .frames import Frame
from .lexicon import Lexicon
from .quantities import Quantity


class Share(NamedTuple):
    """One record's indicator, value and year. Named tuples here and below, not frozen
    dataclasses: several are made for every number, and a frozen dataclass sets each field
    through ``object.__setattr__``."""

    indicator: str
    quantity: Quantity
    year: int | None


@dataclass
class Distribution:
    """How a frame's values are shared out. Not frozen, though nothing changes one once made:
    one is made for every number, and a frozen dataclass sets each field through
    ``object.__setattr__`` (``single`` 1.32 -> 0.82 ms a round)."""

    strategy: str
    shares: list[Share]
    note: str = ""
    measure: str = ""  # the measure the subjects share, for a next clause that elides it
    baseline: int | None = None  # a baseline taken over from the clause before
    # the measure when it is worked out only if asked for: finding it cuts words, and a plan
    # whose clauses never ask pays nothing for jieba's dictionary
    measure_of: Callable[[], str] | None = None

    @functools.cached_property
    def shared_measure(self) -> str:
        return self.measure_of() if self.measure_of is not None else self.measure


class Previous(NamedTuple):
    """The frame before in the same paragraph and how it was distributed."""

    frame: Frame
    distribution: Distribution
    baseline: int | None  # as resolved for its records
    aspirational: bool = False


class Context(NamedTuple):
    """What a strategy reads besides the frame: the frame's indicator and subjects, and how
    many values it has and the year they are due (read by every strategy: set once, by
    :meth:`of`)."""

    frame: Frame
    indicator: str
    head: str  # the cleaned head
    lex: Lexicon
    previous: Previous | None
    n: int  # the number of values
    year: int | None  # the target year of the frame

    @classmethod
    def of(cls, frame: Frame, indicator: str, head: str, lex: Lexicon, previous: Previous | None = None) -> Context:
        return cls(frame, indicator, head, lex, previous, len(frame.group), frame.year.target_year)

    def subjects(self, separators: str = "、") -> list[str]:
        return indicators.split_subjects(self.indicator, separators) if self.frame.construction == "predicate" else [self.indicator]

    def measure(self, subject: str) -> str:
        """The run of measure words ending ``subject`` (装机容量, 水质达标率), "" if none."""
        return indicators.measure_tail(self.tokens_of(subject), self.lex) if subject else ""

    def tokens_of(self, subject: str) -> list[str]:
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
    if len(subjects) != ctx.n and _distributive(ctx) and ctx.frame.construction == "predicate":
        listed = indicators.examples_as_subjects(ctx.frame.head, ctx.n, ctx.lex)
        if listed is not None:  # A、B等主要污染物排放总量分别下降x、y
            shares = [Share(name, q, ctx.year) for name, q in zip(listed[0], ctx.frame.group)]
            return Distribution("pair_subjects", shares, measure=listed[1])
    if len(subjects) != ctx.n:
        return None
    names, measure = indicators.distribute(subjects, ctx.tokens_of, ctx.lex, total=False, forced=True) or (subjects, "")
    shares = [Share(name, q, ctx.year) for name, q in zip(names, ctx.frame.group)]
    return Distribution("pair_subjects", shares, measure=measure)


def pair_with_years(ctx: Context) -> Distribution | None:
    """到2025年和2030年,…分别达到x和y: the i-th value is due in the i-th year; with fewer
    values than years they pair from the first year, with a note."""
    if ctx.n < 2 or not _listed_years(ctx):
        return None
    years = ctx.frame.phrase.years
    shares = [Share(ctx.indicator, q, years[min(i, len(years) - 1)]) for i, q in enumerate(ctx.frame.group)]
    note = f"{ctx.n} values for {len(years)} years: paired from the first year" if ctx.n != len(years) else ""
    return Distribution("pair_years", shares, note)


def each_subject(ctx: Context) -> Distribution | None:
    """光伏、风电装机容量各1000万千瓦; 化肥、农药利用率均达到43%; A和B排放总量分别下降10%:
    a word of distribution before one value gives that value to each coordinated subject,
    whatever its unit."""
    if ctx.n != 1 or not (_distributive(ctx) or _each(ctx)):
        return None
    subjects = ctx.subjects(ctx.lex.subject_joiners)
    if len(subjects) < 2 or not all(len(s) >= 2 for s in subjects):
        return None
    names, measure = indicators.distribute(subjects, ctx.tokens_of, ctx.lex, total=False, forced=True) or (subjects, "")
    q = ctx.frame.group[0]
    return Distribution("each_subject", [Share(name, q, ctx.year) for name in names], measure=measure)


def coordinated_subjects(ctx: Context) -> Distribution | None:
    """重点河流、城市集中式饮用水水源地水质达标率达到100%: subjects sharing one measure and
    one rate give one record each. An amount or a count over a list is a total and stays one
    record (风电、太阳能发电总装机容量达到…万千瓦, …等30家): only a rate, share, concentration
    or intensity holds for each subject (rules/indicators.yaml per_subject_kinds)."""
    if ctx.n != 1 or ctx.frame.group[0].kind not in ctx.lex.per_subject_kinds:
        return None
    subjects = ctx.subjects(ctx.lex.subject_joiners)
    if len(subjects) < 2:
        return None
    split = indicators.distribute(subjects, ctx.tokens_of, ctx.lex, total=any(w in ctx.head for w in ctx.lex.total_words))
    if not split:
        return None
    q = ctx.frame.group[0]
    return Distribution("coordinated", [Share(name, q, ctx.year) for name in split[0]], measure=split[1])


def elided_measure(ctx: Context) -> Distribution | None:
    """…A、B细颗粒物浓度下降33%,C、D下降30%: a clause that names only new subjects (no measure
    of their own) before its verb takes the measure, and the baseline, of the clause before it
    in the same sentence."""
    prev = ctx.previous
    if prev is None or ctx.frame.construction != "predicate" or not ctx.frame.has_verb:
        return None
    if prev.frame.sentence_start != ctx.frame.sentence_start or not ctx.head:
        return None
    # the lengths first: the measures cut the sentence into words
    subjects = indicators.split_subjects(ctx.head, ctx.lex.subject_joiners)
    if not all(2 <= len(s) <= ctx.lex.max_elided_subject for s in subjects):
        return None
    if len(subjects) == 1 and len(subjects[0]) > ctx.lex.max_elided_single:
        return None
    if not all(indicators.repaired(s, ctx.lex) for s in subjects):  # 三年累计…: a span, no subject
        return None
    if not prev.distribution.shared_measure or any(ctx.measure(s) for s in subjects):
        return None
    measure = prev.distribution.shared_measure
    baseline = ctx.frame.baseline if ctx.frame.baseline is not None else prev.baseline
    shares = [Share(s + measure, q, ctx.year) for q in ctx.frame.group for s in subjects]
    return Distribution("elided_measure", shares, measure=measure, baseline=baseline)


def single(ctx: Context) -> Distribution:
    """One indicator for every value of the group (one number, or the ends of a range)."""
    return Distribution("single", [Share(ctx.indicator, q, ctx.year) for q in ctx.frame.group], measure_of=lambda: ctx.measure(ctx.indicator))


STRATEGIES: tuple[Strategy, ...] = (elided_measure, pair_with_subjects, pair_with_years, each_subject, coordinated_subjects)


def distribute(frame: Frame, indicator: str, head: str, lex: Lexicon, previous: Previous | None = None) -> Distribution:
    ctx = Context.of(frame, indicator, head, lex, previous)
    for strategy in STRATEGIES:
        found = strategy(ctx)
        if found is not None:
            return found
    return single(ctx)


def _distributive(ctx: Context) -> bool:
    return any(w in ctx.frame.clause_before for w in ctx.lex.distributive_words)


def _each(ctx: Context) -> bool:
    """各/均 right before the value or its verb (…各1000万千瓦, …均达到43%)."""
    return any(category == "adverb" and word in ctx.lex.each_words for category, word in ctx.frame.tail)


def _listed_years(ctx: Context) -> bool:
    return ctx.frame.phrase is not None and ctx.frame.phrase.kind == "list"
