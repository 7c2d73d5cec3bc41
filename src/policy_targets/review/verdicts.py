"""Each record of a plan next to the gold it was scored against.

The scorer (``evaluate.evaluation``) decides; this module only reads its pairs and puts a
verdict on every prediction (matched, wrong fields, spurious, matched to optional gold, or
unscored when the plan has no gold) and places every missed gold record in the text, with
what the extractor did at that place: the reason a number there was left out, or the
prediction there and the matching conditions it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import rules
from ..dataset.build import category_of
from ..evaluate.evaluation import Counts, Report, field_differences, match_failures
from .locate import Compact, find_evidence
from .material import PlanMaterial

#: Verdicts, in the order the filters list them.
KINDS = ("matched", "wrong", "spurious", "missed", "optional", "unscored")
KIND_LABELS = {
    "matched": "matched",
    "wrong": "wrong field",
    "spurious": "spurious",
    "missed": "missed gold",
    "optional": "optional gold",
    "unscored": "no gold",
}
#: How the fields of the record contract read in a label.
FIELD_LABELS = {"target_year": "year", "baseline_year": "baseline", "period_start": "period start", "responsible_units": "units"}


@dataclass(frozen=True)
class Entry:
    """One highlight of a plan page and one row of the records table."""

    id: str  # element id on the plan page
    kind: str  # one of KINDS
    record: dict[str, Any]
    start: int | None  # offsets in the normalised text; None for gold not found in it
    end: int | None
    category: str
    diffs: tuple[str, ...] = ()  # "year 2025 ≠ gold 2030"
    why: tuple[str, ...] = ()  # for missed gold: what the extractor did at its place

    @property
    def year(self) -> str:
        y = self.record.get("target_year")
        return "none" if y is None else str(y)

    @property
    def flags(self) -> list[str]:
        """The self-checks the record fails (rules/checks.yaml); none for a gold record."""
        return list(self.record.get("flags") or [])


@dataclass(frozen=True)
class NumberView:
    id: str
    start: int
    end: int
    text: str
    reason: str


@dataclass
class PlanView:
    material: PlanMaterial
    entries: list[Entry]
    numbers: list[NumberView]
    counts: Counts | None  # None: no gold for this plan
    tallies: dict[str, int] = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return self.material.doc_id


def show_value(v: Any) -> str:
    """A field value as a label shows it."""
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (list, tuple)):
        return "、".join(map(str, v)) or "[]"
    return str(v)


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def _difference_lines(diffs: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    return tuple(f"{field_label(f)} {show_value(d['pred'])} ≠ gold {show_value(d['gold'])}" for f, d in diffs.items())


def exclusion_reasons() -> dict[str, str]:
    """Exclusion rule name → its description in ``rules/exclusions.yaml``, read from the
    book's shape (a named block, or a list of named rules) so that a new rule needs no code."""
    out: dict[str, str] = {}

    def visit(name: str | None, node: Any) -> None:
        if isinstance(node, dict):
            if name and isinstance(node.get("description"), str):
                out[name] = " ".join(node["description"].split())
            for k, v in node.items():
                if k not in ("examples", "counterexamples"):
                    visit(str(k), v)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, dict) and "name" in item:
                    visit(str(item["name"]), item)

    visit(None, rules.load("exclusions"))
    return out


NOT_TAKEN = "read, but no target construction took it"


def _left_out(reason: str | None, reasons: dict[str, str]) -> str:
    if reason is None:
        return NOT_TAKEN
    described = reasons.get(reason)
    return f"left out by {reason}: {described}" if described else f"left out by {reason}"


def plan_view(
    material: PlanMaterial,
    gold: Sequence[dict[str, Any]] | None,
    report: Report | None,
    reasons: dict[str, str],
    normalise: Callable[[str], str] | None = None,
) -> PlanView:
    """Verdicts for one plan. ``gold`` is None when the plan has no gold; otherwise ``report``
    is the scorer's report over the same records in the same order."""
    numbers = [
        NumberView(f"n{i}", n.start, n.end, n.text, _left_out(n.reason, reasons))
        for i, n in enumerate(material.numbers)
    ]
    if gold is None or report is None:
        entries = [
            Entry(f"p{i}", "unscored", t.record, t.start, t.end, category_of(t.record["indicator"]))
            for i, t in enumerate(material.targets)
        ]
        return _tallied(PlanView(material, entries, numbers, None))
    pairs = dict(report.pairs.get(material.doc_id, []))
    entries = []
    place: dict[int, int] = {}  # gold index -> where its evidence starts
    for i, t in enumerate(material.targets):
        j = pairs.get(i)
        cat = category_of(t.record["indicator"])
        if j is None:
            entries.append(Entry(f"p{i}", "spurious", t.record, t.start, t.end, cat))
            continue
        place[j] = t.start
        g = gold[j]
        if g.get("optional", False):
            entries.append(Entry(f"p{i}", "optional", t.record, t.start, t.end, cat))
            continue
        diffs = _difference_lines(field_differences(t.record, g))
        entries.append(Entry(f"p{i}", "wrong" if diffs else "matched", t.record, t.start, t.end, cat, diffs))
    compact = Compact.of(material.text)
    near = 0
    for j, g in enumerate(gold):
        if j in place:
            near = place[j]
            continue
        if g.get("optional", False):
            continue
        found = find_evidence(compact, g.get("evidence", ""), near, normalise)
        start, end = found if found else (None, None)
        if found:
            near = found[0]
        why = _why_missed(g, start, end, material, numbers, entries) if found else ("its evidence is not in the normalised text",)
        entries.append(Entry(f"g{j}", "missed", dict(g), start, end, category_of(g["indicator"]), why=why))
    entries.sort(key=lambda e: (e.start if e.start is not None else len(material.text), e.id[0] == "g", int(e.id[1:])))
    return _tallied(PlanView(material, entries, numbers, report.per_doc.get(material.doc_id)))


def _why_missed(
    g: dict[str, Any], start: int, end: int, material: PlanMaterial, numbers: list[NumberView], entries: list[Entry]
) -> tuple[str, ...]:
    out = []
    for e in entries:
        if e.start is None or not (e.start < end and start < e.end):
            continue
        what = f"{e.record['indicator']} = {show_value(e.record['value'])} {e.record['unit']}"
        if e.kind == "spurious":
            failed = match_failures(e.record, g)
            shown = ", ".join(f"{field_label(f)} {show_value(e.record[f])} ≠ gold {show_value(g[f])}" for f in failed)
            out.append(f"extracted here as {what}, which does not match: {shown}")
        else:
            out.append(f"extracted here as {what}, matched to another gold record")
    for n in numbers:
        if start <= n.start < end:
            out.append(f"number {n.text} {n.reason}")
    return tuple(out) or ("no number was read as a target here",)


def _tallied(view: PlanView) -> PlanView:
    view.tallies = {k: sum(1 for e in view.entries if e.kind == k) for k in KINDS}
    return view
