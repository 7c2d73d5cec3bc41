"""Scoring predictions against gold, exactly as the scoring section of ANNOTATION.md says.

Decisions where the guide leaves room, stated once here and in the README:
- matching runs per document: each prediction, in document order, takes the first gold
  record, in document order, that is not yet taken and matches it;
- "share at least half of the shorter one's characters" counts characters as a multiset:
  |Counter(a) & Counter(b)| >= min(len(a), len(b)) / 2;
- a prediction matched to an optional gold record counts neither way, and such pairs are
  left out of the per-field figures as well;
- per-field figures are over matched pairs of non-optional gold; set-F1 of two empty unit
  lists is 1;
- a figure over zero items (precision with nothing predicted, any accuracy with nothing
  matched, F1 of a document with nothing to find and nothing found) is None, shown as
  ``n/a``: a 1.0 there would let ``--min-f1`` pass on nothing;
- F1 is 2·TP / (2·TP + FP + FN), which equals the harmonic mean of precision and recall
  whenever both exist, and is 0 rather than n/a when only one of them does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import UsageError
from .diagnosis import CLASSES, NOT_A_TARGET, NOT_TOLD, Verdict, account_document, rule_stage

Record = Mapping[str, Any]

VALUE_TOLERANCE = 0.005
ATTRIBUTE_FIELDS = ("comparator", "direction", "baseline_year", "period_start", "per_year", "cumulative", "aspirational")
STRICT_FIELDS = ("comparator", "direction", "baseline_year")


def indicators_overlap(a: str, b: str) -> bool:
    shared = sum((Counter(a) & Counter(b)).values())
    return shared >= min(len(a), len(b)) / 2


def match_failures(pred: Record, gold: Record) -> tuple[str, ...]:
    """Which of the four matching conditions a pair fails (value, unit, target_year,
    indicator): empty when the records match. A reviewer reads from it why a gold record
    next to a prediction was still missed."""
    failed = []
    if abs(float(pred["value"]) - float(gold["value"])) > VALUE_TOLERANCE + 1e-9:
        failed.append("value")
    if pred["unit"] != gold["unit"]:
        failed.append("unit")
    if pred["target_year"] != gold["target_year"]:
        failed.append("target_year")
    if not indicators_overlap(pred["indicator"], gold["indicator"]):
        failed.append("indicator")
    return tuple(failed)


def records_match(pred: Record, gold: Record) -> bool:
    return not match_failures(pred, gold)


def set_f1(pred: Iterable[str], gold: Iterable[str]) -> float:
    p, g = set(pred), set(gold)
    if not p and not g:
        return 1.0
    tp = len(p & g)
    return 2 * tp / (len(p) + len(g)) if tp else 0.0


def match(preds: list[Record], golds: list[Record]) -> list[tuple[int, int]]:
    """One-to-one greedy matching in document order: (pred index, gold index) pairs."""
    taken = [False] * len(golds)
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if not taken[j] and records_match(p, g):
                taken[j] = True
                pairs.append((i, j))
                break
    return pairs


def field_differences(pred: Record, gold: Record) -> dict[str, dict[str, Any]]:
    """The fields a matched pair disagrees on, ``{field: {"pred": …, "gold": …}}``: the
    attribute fields, the exact indicator, and the responsible units when their set-F1 is
    below 1."""
    diffs = {f: {"pred": pred.get(f), "gold": gold.get(f)} for f in ATTRIBUTE_FIELDS if pred.get(f) != gold.get(f)}
    if pred["indicator"] != gold["indicator"]:
        diffs["indicator"] = {"pred": pred["indicator"], "gold": gold["indicator"]}
    if set_f1(pred.get("responsible_units", []), gold.get("responsible_units", [])) < 1.0:
        diffs["responsible_units"] = {"pred": pred["responsible_units"], "gold": gold["responsible_units"]}
    return diffs


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


@dataclass
class Counts:
    gold: int = 0  # non-optional gold records
    optional: int = 0
    predicted: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    matched_optional: int = 0
    strict_tp: int = 0
    field_right: Counter = field(default_factory=Counter)
    indicator_exact: int = 0
    units_f1_sum: float = 0.0

    def add(self, other: Counts) -> None:
        for name in ("gold", "optional", "predicted", "tp", "fp", "fn", "matched_optional", "strict_tp", "indicator_exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.field_right.update(other.field_right)
        self.units_f1_sum += other.units_f1_sum

    def figures(self) -> dict[str, float | int | None]:
        """Counts and ratios; a ratio over zero items is None (see the module docstring)."""
        found, wanted = self.tp + self.fp, self.tp + self.fn
        out: dict[str, float | int | None] = {
            "gold": self.gold,
            "optional_gold": self.optional,
            "predicted": self.predicted,
            "matched": self.tp,
            "matched_optional": self.matched_optional,
            "false_positives": self.fp,
            "false_negatives": self.fn,
            "precision": _ratio(self.tp, found),
            "recall": _ratio(self.tp, wanted),
            "f1": _ratio(2 * self.tp, found + wanted),
            "strict_precision": _ratio(self.strict_tp, found),
            "strict_recall": _ratio(self.strict_tp, wanted),
            "strict_f1": _ratio(2 * self.strict_tp, found + wanted),
        }
        for name in ATTRIBUTE_FIELDS:
            out[f"{name}_accuracy"] = _ratio(self.field_right[name], self.tp)
        out["indicator_exact_accuracy"] = _ratio(self.indicator_exact, self.tp)
        out["responsible_units_f1"] = _ratio(self.units_f1_sum, self.tp)
        return out


@dataclass
class Report:
    per_doc: dict[str, Counts]
    total: Counts
    missed: list[Record]
    spurious: list[Record]
    field_errors: list[dict[str, Any]]
    unscored_docs: list[str]
    #: per document, the (prediction index, gold index) pairs of ``match``, indices into that
    #: document's records in the order given: lets a viewer colour each record without
    #: matching again.
    pairs: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: the class and stage of each missed and each spurious record (see diagnosis.py), in
    #: the order of ``missed`` and ``spurious``
    missed_account: list[Verdict] = field(default_factory=list)
    spurious_account: list[Verdict] = field(default_factory=list)
    #: whether the extractor's quantities were known (not with predictions read from a file)
    quantities_known: bool = True
    #: predictions of scored documents that fail a self-check (their ``flags``), and how many
    #: fail each check (rules/checks.yaml)
    flagged: int = 0
    flag_counts: dict[str, int] = field(default_factory=dict)

    def account(self) -> dict[str, dict[str, int]]:
        """Per class, how many misses and spurious records: the columns add up to the false
        negatives and the false positives. The class that cannot be told without the
        quantities is a row only when they are not known."""
        classes = CLASSES if self.quantities_known else CLASSES + (NOT_TOLD,)
        out = {c: {"missed": 0, "spurious": 0} for c in classes}
        for kind, verdicts in (("missed", self.missed_account), ("spurious", self.spurious_account)):
            for v in verdicts:
                out[v.cls][kind] += 1
        return out

    def ceiling(self) -> dict[str, dict[str, float | int | None]]:
        """Detection figures of a perfect target/not-target decision over today's candidates
        (see diagnosis.py): ``decision`` keeps the predictions that matched and drops every
        other; ``with_candidates`` also makes a target of the found number of every miss of
        the class *not a target*, assuming its year and indicator right (None without the
        quantities)."""
        kept = self.total.tp
        found = sum(v.cls == NOT_A_TARGET for v in self.missed_account)
        out: dict[str, dict[str, float | int | None]] = {"decision": _perfect(kept, self.total.fn)}
        out["with_candidates"] = _perfect(kept + found, self.total.fn - found) if self.quantities_known else None
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": _rounded(self.total.figures()),
            "per_document": {d: _rounded(c.figures()) for d, c in sorted(self.per_doc.items())},
            "errors": {
                "account": self.account(),
                "cannot_tell": [] if self.quantities_known else [NOT_TOLD],
                "perfect_decision": {k: v and _rounded(v) for k, v in self.ceiling().items()},
                "missed": [{**_brief(r), **v.to_json()} for r, v in zip(self.missed, self.missed_account, strict=True)],
                "spurious": [
                    {**_brief(r), **v.to_json(), "flags": list(r.get("flags") or [])}
                    for r, v in zip(self.spurious, self.spurious_account, strict=True)
                ],
                "field_errors": self.field_errors,
                "flagged": {"predictions": self.flagged, "checks": dict(self.flag_counts)},
            },
            "unscored_documents": self.unscored_docs,
        }


def _perfect(tp: int, fn: int) -> dict[str, float | int | None]:
    """Detection figures with no false positive."""
    return {"matched": tp, "false_negatives": fn, "precision": _ratio(tp, tp), "recall": _ratio(tp, tp + fn), "f1": _ratio(2 * tp, 2 * tp + fn)}


@dataclass
class GoldSet:
    """One gold set and the predictions for its plans; ``quantities`` (per doc_id, the
    quantities the extractor found, as mappings) tell the classes of missed records apart
    when known."""

    name: str
    gold: list[Record]
    pred: list[Record]
    quantities: Mapping[str, list[Mapping[str, Any]]] | None = None


@dataclass
class SetsReport:
    """Several gold sets scored apart and together (``overall``: documents of every set,
    each named ``set/doc_id`` so that equal ids in two sets stay two documents)."""

    sets: dict[str, Report]
    overall: Report

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": _rounded(self.overall.total.figures()),
            "sets": {name: r.to_json() for name, r in self.sets.items()},
        }


def evaluate_sets(sets: list[GoldSet]) -> SetsReport:
    """Each set scored on its own, then all of them as one."""
    reports = {s.name: evaluate(s.gold, s.pred, s.quantities) for s in sets}

    def named(records: list[Record], name: str) -> list[Record]:
        return [{**r, "doc_id": f"{name}/{r['doc_id']}"} for r in records]

    gold = [g for s in sets for g in named(s.gold, s.name)]
    pred = [p for s in sets for p in named(s.pred, s.name)]
    known = all(s.quantities is not None for s in sets)
    found = {f"{s.name}/{d}": qs for s in sets for d, qs in (s.quantities or {}).items()} if known else None
    return SetsReport(reports, evaluate(gold, pred, found))


def check_scorable(name: str, gold: list[Record], pred: list[Record]) -> None:
    """Refuse to score nothing: without gold, without predictions, or with no document in
    common every figure would be empty, and an exit status 0 would say all is well."""
    if not gold:
        raise UsageError(f"{name}: no gold records to score against")
    if not pred:
        raise UsageError(f"{name}: no predictions to score")
    gold_docs = {g["doc_id"] for g in gold}
    if not gold_docs & {p["doc_id"] for p in pred}:
        shown = ", ".join(sorted(gold_docs)[:3])
        raise UsageError(f"{name}: no document scored: no prediction has the doc_id of a gold document ({shown} …)")


def _rounded(figs: dict[str, float | int | None]) -> dict[str, float | int | None]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in figs.items()}


def _brief(r: Record) -> dict[str, Any]:
    keys = ("doc_id", "indicator", "value", "unit", "target_year", "evidence")
    return {k: r.get(k) for k in keys}


def _by_doc(records: Iterable[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        out[r["doc_id"]].append(r)
    return out


def evaluate(
    gold: Iterable[Record], pred: Iterable[Record], quantities: Mapping[str, list[Mapping[str, Any]]] | None = None
) -> Report:
    """Score predictions against gold. Predictions for documents without gold are not
    scored (listed in ``unscored_docs``); gold documents without predictions score 0 recall.
    ``quantities`` (per doc_id, the quantities the extractor found, as mappings) tell a
    number that was found from one that was not (see diagnosis.py)."""

    gold_by = _by_doc(gold)
    pred_by = _by_doc(pred)
    per_doc: dict[str, Counts] = {}
    missed: list[Record] = []
    spurious: list[Record] = []
    field_errors: list[dict[str, Any]] = []
    all_pairs: dict[str, list[tuple[int, int]]] = {}
    missed_account: list[Verdict] = []
    spurious_account: list[Verdict] = []
    for doc_id in sorted(gold_by):
        golds, preds = gold_by[doc_id], pred_by.get(doc_id, [])
        c = Counts(
            gold=sum(not g.get("optional", False) for g in golds),
            optional=sum(bool(g.get("optional", False)) for g in golds),
            predicted=len(preds),
        )
        pairs = match(preds, golds)
        all_pairs[doc_id] = pairs
        matched_pred = {i for i, _ in pairs}
        matched_gold = {j for _, j in pairs}
        for i, j in pairs:
            p, g = preds[i], golds[j]
            if g.get("optional", False):
                c.matched_optional += 1
                continue
            c.tp += 1
            diffs = field_differences(p, g)
            for f in ATTRIBUTE_FIELDS:
                c.field_right[f] += f not in diffs
            c.indicator_exact += "indicator" not in diffs
            c.units_f1_sum += set_f1(p.get("responsible_units", []), g.get("responsible_units", []))
            if not any(f in diffs for f in STRICT_FIELDS) and set(p["responsible_units"]) == set(g["responsible_units"]):
                c.strict_tp += 1
            if diffs:
                field_errors.append(
                    {"doc_id": doc_id, "value": g["value"], "unit": g["unit"], "evidence": g.get("evidence", ""), "fields": diffs, "stage": rule_stage(p)}
                )
        c.fp = len(preds) - len(matched_pred)
        doc_missed = [g for j, g in enumerate(golds) if j not in matched_gold and not g.get("optional", False)]
        doc_spurious = [p for i, p in enumerate(preds) if i not in matched_pred]
        c.fn = len(doc_missed)
        missed += doc_missed
        spurious += doc_spurious
        found = None if quantities is None else quantities.get(doc_id, [])
        read = quantities is None or doc_id in quantities
        verdicts = account_document(doc_missed, doc_spurious, golds, found, match_failures, VALUE_TOLERANCE, read)
        missed_account += verdicts[0]
        spurious_account += verdicts[1]
        per_doc[doc_id] = c
    total = Counts()
    for c in per_doc.values():
        total.add(c)
    unscored = sorted(set(pred_by) - set(gold_by))
    scored = [p for d in gold_by for p in pred_by.get(d, [])]
    flag_counts = Counter(name for p in scored for name in p.get("flags") or [])
    flagged = sum(bool(p.get("flags")) for p in scored)
    return Report(
        per_doc, total, missed, spurious, field_errors, unscored, all_pairs, missed_account, spurious_account, quantities is not None,
        flagged, dict(sorted(flag_counts.items())),
    )
