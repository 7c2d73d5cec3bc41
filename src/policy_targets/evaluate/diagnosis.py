"""The error account of ``evaluate --errors``: every missed gold record and every spurious
prediction of a gold set sorted into exactly one *class* that names the stage to fix, with
the *stage* that decided it (the record's ``rule``, or the exclusion rule) as a second axis;
and what a perfect target/not-target decision over today's candidates would reach.

Terms. A *miss* is a non-optional gold record that no prediction matched; a *spurious* record
is a prediction that matched no gold record (optional or not). *Same value*: within the
scorer's tolerance. Two records are *at the same place* when they are of one document and
their evidence strings share a run of consecutive characters at least half as long as the
shorter evidence (a prediction whose evidence is cut shorter or longer than the gold's, or
carries page debris, is still at its place). A *quantity* (a number with a unit the extractor
found, excluded or not) is at a gold record's place when its text occurs in the gold evidence.

Pairs. Each miss, in document order, is paired with at most one spurious record of its value
at its place that no earlier miss took: the one failing the fewest matching conditions, the
first in document order among equals. A pair is one error counted twice, once as a miss and
once as a spurious record, both of the pair's class. (No pair fails no condition: the greedy
matching would have matched it.)

Classes, the first that applies:

- **wrong unit**, **wrong year**, **wrong indicator** — a paired miss or spurious record: the
  first matching condition the pair fails in the order unit, target_year, indicator. That is
  the order of the stages that decide them (number reader and unit table, time scope,
  indicator builder): a record wrong in two fields points at the earlier stage; ``fields``
  lists every condition it fails.
- a miss without a pair:
  - **not a target** (the decision) — a quantity of its value and unit is at its place: the
    number was found, and an exclusion rule set it aside, or no target was made of it, or the
    target made of it matched another gold record;
  - **wrong unit** — quantities of its value are at its place, all with another unit;
  - **no candidate** — no quantity of its value at its place: never found as a number with a
    unit (the number reader, the unit table), or the plan could not be read at all.
- a spurious record without a pair:
  - **wrong unit / year / indicator** — a gold record of its value is at its place (matched by
    another prediction, optional, or paired already) and it fails a condition of matching it:
    the first such condition, as above, against the gold record it fails least;
  - **not a target** — otherwise: no gold record of its value at its place, or it repeats a gold
    record that another prediction matched (a second record of one target).

Without the extractor's quantities (``evaluate --pred``) a miss without a pair cannot be told
apart: it is counted as :data:`NOT_TOLD` (not a target, wrong unit or no candidate); every
other class, and every spurious class, is told as above.

The ceiling. A perfect target/not-target decision keeps every prediction that matched a gold
record and drops every other: precision 1, recall = matched / gold. It would also make a
target of every found quantity that would match a missed gold record with the fields the
extractor gives it. A quantity carries only its value and unit: the assumption is that such a
quantity, once made a target, would get the gold's target year and indicator (the stages
after the decision would read them right), so every miss of the class *not a target* counts
as matched. The two figures are reported: the first is reached by the decision alone, the
second bounds it from above (the year and indicator are assumed, and one number at the place
of two gold records of a coordinated list counts for both).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

Record = Mapping[str, Any]
#: The scorer's matching conditions a (prediction, gold) pair fails, in its field names.
Failures = Callable[[Record, Record], tuple[str, ...]]

NOT_A_TARGET = "not a target"
WRONG_YEAR = "wrong year"
WRONG_INDICATOR = "wrong indicator"
WRONG_UNIT = "wrong unit"
NO_CANDIDATE = "no candidate"
NOT_TOLD = "not a target, wrong unit or no candidate (not told without the quantities)"
#: The classes in the order the account prints them.
CLASSES = (NOT_A_TARGET, WRONG_YEAR, WRONG_INDICATOR, WRONG_UNIT, NO_CANDIDATE)
#: Matching condition → class, in the order of the stages that decide the fields.
FIELD_CLASSES = (("unit", WRONG_UNIT), ("target_year", WRONG_YEAR), ("indicator", WRONG_INDICATOR))

NO_RULE = "(no rule recorded)"
NOT_RUN = "not known (predictions read from a file)"
NEVER_FOUND = "never found as a number with a unit"
NOT_READ = "plan not read: no quantity found in it"
CANDIDATE = "found as a candidate number, no target made of it"


@dataclass(frozen=True)
class Verdict:
    """The class of one error, the stage that decided it, and the matching conditions it
    fails against its pair or nearest gold record (empty when there is none)."""

    cls: str
    stage: str
    fields: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"class": self.cls, "stage": self.stage, "fields": list(self.fields)}


def rule_stage(record: Record) -> str:
    return record.get("rule") or NO_RULE


def same_value(a: Record, b: Record, tolerance: float) -> bool:
    return abs(float(a["value"]) - float(b["value"])) <= tolerance + 1e-9


def same_place(a: str, b: str) -> bool:
    """Two evidence strings of one place: a common run of characters at least half as long
    as the shorter one (and not empty)."""
    if not a or not b:
        return False
    run = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size
    return run > 0 and run >= min(len(a), len(b)) / 2


def field_class(fields: Sequence[str]) -> str:
    """The class of a record that fails these matching conditions (value excepted)."""
    return next((cls for name, cls in FIELD_CLASSES if name in fields), NOT_A_TARGET)


def account_document(
    missed: Sequence[Record],
    spurious: Sequence[Record],
    golds: Sequence[Record],
    quantities: Sequence[Mapping[str, Any]] | None,
    failures: Failures,
    tolerance: float,
    read: bool = True,
) -> tuple[list[Verdict], list[Verdict]]:
    """The verdicts of one document's misses and spurious records (in their order), as the
    module docstring defines them. ``golds`` are all the document's gold records; the
    quantities are ``None`` when the extractor did not run, and ``read`` is False when it
    ran but could not read this plan (its misses are *no candidate*, with that stage)."""

    def near(p: Record, g: Record) -> bool:
        return same_value(p, g, tolerance) and same_place(p.get("evidence", ""), g.get("evidence", ""))

    partner: dict[int, int] = {}  # spurious index -> miss index
    miss_verdicts: list[Verdict] = []
    for j, g in enumerate(missed):
        free = [(len(failures(p, g)), i) for i, p in enumerate(spurious) if i not in partner and near(p, g)]
        if free:
            _, i = min(free)
            partner[i] = j
            fields = failures(spurious[i], g)
            miss_verdicts.append(Verdict(field_class(fields), rule_stage(spurious[i]), fields))
        else:
            miss_verdicts.append(_unpaired_miss(g, quantities, tolerance, read))
    spurious_verdicts = []
    for i, p in enumerate(spurious):
        if i in partner:
            v = miss_verdicts[partner[i]]
            spurious_verdicts.append(Verdict(v.cls, rule_stage(p), v.fields))
            continue
        around = sorted((failures(p, g) for g in golds if near(p, g)), key=len)
        fields = around[0] if around else ()
        spurious_verdicts.append(Verdict(field_class(fields), rule_stage(p), fields))
    return miss_verdicts, spurious_verdicts


def _unpaired_miss(gold: Record, quantities: Sequence[Mapping[str, Any]] | None, tolerance: float, read: bool) -> Verdict:
    """A miss no spurious record stands next to: what became of the number at its place."""
    if quantities is None:
        return Verdict(NOT_TOLD, NOT_RUN)
    if not read:
        return Verdict(NO_CANDIDATE, NOT_READ)
    evidence = gold.get("evidence", "")
    here = [q for q in quantities if same_value(q, gold, tolerance) and q["text"] and q["text"] in evidence]
    if not here:
        return Verdict(NO_CANDIDATE, NEVER_FOUND)
    same_unit = [q for q in here if q["unit"] == gold["unit"]]
    if not same_unit:
        units = ", ".join(sorted({repr(q["unit"]) for q in here}))
        return Verdict(WRONG_UNIT, f"found with another unit: {units}", ("unit",))
    reasons = {q["excluded"] for q in same_unit}
    if None in reasons:
        return Verdict(NOT_A_TARGET, CANDIDATE)
    return Verdict(NOT_A_TARGET, "excluded: " + ", ".join(sorted(reasons)))
