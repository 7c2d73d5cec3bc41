"""Scoring predictions against gold, exactly as the scoring section of ANNOTATION.md says.

Decisions where the guide leaves room, stated once here and in the README:
- matching runs per document: each prediction, in document order, takes the first gold
  record, in document order, that is not yet taken and matches it;
- "share at least half of the shorter one's characters" counts characters as a multiset:
  |Counter(a) & Counter(b)| >= min(len(a), len(b)) / 2;
- a prediction matched to an optional gold record counts neither way, and such pairs are
  left out of the per-field figures as well;
- per-field figures are over matched pairs of non-optional gold; set-F1 of two empty unit
  lists is 1; a ratio with a zero denominator is 0, except that a document with nothing to
  find and nothing found scores 1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

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


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


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

    def figures(self) -> dict[str, float | int]:
        empty = self.gold == 0 and self.fp == 0
        p = 1.0 if empty else _ratio(self.tp, self.tp + self.fp)
        r = 1.0 if empty else _ratio(self.tp, self.tp + self.fn)
        sp = 1.0 if empty else _ratio(self.strict_tp, self.tp + self.fp)
        sr = 1.0 if empty else _ratio(self.strict_tp, self.tp + self.fn)
        out: dict[str, float | int] = {
            "gold": self.gold,
            "optional_gold": self.optional,
            "predicted": self.predicted,
            "matched": self.tp,
            "matched_optional": self.matched_optional,
            "false_positives": self.fp,
            "false_negatives": self.fn,
            "precision": p,
            "recall": r,
            "f1": 1.0 if empty else _f1(p, r),
            "strict_precision": sp,
            "strict_recall": sr,
            "strict_f1": 1.0 if empty else _f1(sp, sr),
        }
        for name in ATTRIBUTE_FIELDS:
            out[f"{name}_accuracy"] = _ratio(self.field_right[name], self.tp) if self.tp else (1.0 if empty else 0.0)
        out["indicator_exact_accuracy"] = _ratio(self.indicator_exact, self.tp) if self.tp else (1.0 if empty else 0.0)
        out["responsible_units_f1"] = _ratio(self.units_f1_sum, self.tp) if self.tp else (1.0 if empty else 0.0)
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

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": _rounded(self.total.figures()),
            "per_document": {d: _rounded(c.figures()) for d, c in sorted(self.per_doc.items())},
            "errors": {
                "missed": [_brief(r) for r in self.missed],
                "spurious": [_brief(r) for r in self.spurious],
                "field_errors": self.field_errors,
            },
            "unscored_documents": self.unscored_docs,
        }


def _rounded(figs: dict[str, float | int]) -> dict[str, float | int]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in figs.items()}


def _brief(r: Record) -> dict[str, Any]:
    keys = ("doc_id", "indicator", "value", "unit", "target_year", "evidence")
    return {k: r.get(k) for k in keys}


def _by_doc(records: Iterable[Record]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        out[r["doc_id"]].append(r)
    return out


def evaluate(gold: Iterable[Record], pred: Iterable[Record]) -> Report:
    """Score predictions against gold. Predictions for documents without gold are not
    scored (listed in ``unscored_docs``); gold documents without predictions score 0 recall."""
    gold_by = _by_doc(gold)
    pred_by = _by_doc(pred)
    per_doc: dict[str, Counts] = {}
    missed: list[Record] = []
    spurious: list[Record] = []
    field_errors: list[dict[str, Any]] = []
    all_pairs: dict[str, list[tuple[int, int]]] = {}
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
                field_errors.append({"doc_id": doc_id, "value": g["value"], "unit": g["unit"], "evidence": g.get("evidence", ""), "fields": diffs})
        c.fp = len(preds) - len(matched_pred)
        c.fn = sum(1 for j, g in enumerate(golds) if j not in matched_gold and not g.get("optional", False))
        missed.extend(g for j, g in enumerate(golds) if j not in matched_gold and not g.get("optional", False))
        spurious.extend(p for i, p in enumerate(preds) if i not in matched_pred)
        per_doc[doc_id] = c
    total = Counts()
    for c in per_doc.values():
        total.add(c)
    unscored = sorted(set(pred_by) - set(gold_by))
    return Report(per_doc, total, missed, spurious, field_errors, unscored, all_pairs)
