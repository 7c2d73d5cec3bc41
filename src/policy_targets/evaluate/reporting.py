"""Human-readable views of an evaluation report (terminal and Markdown share one form).

Several gold sets are shown side by side, one column each and one for all of them, so that
a figure that holds on the bundled plans and falls on the development set is seen at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .evaluation import ATTRIBUTE_FIELDS, Report, SetsReport

#: (label, key of Counts.figures()) of the side-by-side table, in reading order. The counts
#: add up: predicted = matched + matched optional + false positives.
FIGURES = (
    ("gold targets", "gold"),
    ("optional gold", "optional_gold"),
    ("predicted", "predicted"),
    ("matched", "matched"),
    ("matched optional", "matched_optional"),
    ("false positives", "false_positives"),
    ("false negatives", "false_negatives"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("detection F1", "f1"),
    ("strict F1", "strict_f1"),
    ("responsible-units F1", "responsible_units_f1"),
    ("indicator (exact)", "indicator_exact_accuracy"),
) + tuple((f"{name} accuracy", f"{name}_accuracy") for name in ATTRIBUTE_FIELDS)


def cell(x: float | int | None) -> str:
    """A figure as printed: counts as they are, ratios to four places, n/a over zero items."""
    if x is None:
        return "n/a"
    if isinstance(x, float):
        return f"{x:.4f}"
    return str(x)


def sets_table(report: SetsReport) -> str:
    names = list(report.sets)
    columns = [(n, r.total.figures()) for n, r in report.sets.items()]
    if len(names) > 1:
        columns.append(("overall", report.overall.total.figures()))
    rows = ["| figure | " + " | ".join(n for n, _ in columns) + " |", "|---|" + "---|" * len(columns)]
    for label, key in FIGURES:
        rows.append(f"| {label} | " + " | ".join(cell(f[key]) for _, f in columns) + " |")
    return "\n".join(rows)


def documents_table(report: Report) -> str:
    head = "| plan | gold | optional | predicted | matched | matched optional | FP | FN | precision | recall | F1 | strict F1 | responsible-units F1 |"
    rows = [head, "|" + "---|" * 13]
    for doc_id, counts in sorted(report.per_doc.items()):
        f = counts.figures()
        keys = ("gold", "optional_gold", "predicted", "matched", "matched_optional", "false_positives", "false_negatives",
                "precision", "recall", "f1", "strict_f1", "responsible_units_f1")
        rows.append(f"| {doc_id} | " + " | ".join(cell(f[k]) for k in keys) + " |")
    return "\n".join(rows)


def _line(r: dict) -> str:
    return f"{r['doc_id']}: {r['indicator']} = {r['value']} {r['unit']} ({r['target_year']})  «{r.get('evidence', '')}»"


def _grouped(title: str, items: Iterable[tuple[str, str]]) -> list[str]:
    """A section per stage, largest first: (stage, line) pairs grouped under their stage."""
    groups: dict[str, list[str]] = defaultdict(list)
    for stage, line in items:
        groups[stage].append(line)
    total = sum(len(v) for v in groups.values())
    out = [f"### {title} ({total})"]
    for stage, lines in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"\n{stage} ({len(lines)}):")
        out += [f"- {line}" for line in lines]
    return out


def errors_text(report: Report) -> str:
    """Every error, grouped by kind (missed, spurious, field) and by the stage that decided
    it: for a missed record, what became of the number at that place; for a spurious one or a
    wrong field, the construction that made the prediction."""
    stages = report.missed_stages or [""] * len(report.missed)
    out = _grouped("Missed gold", ((st or "not known", _line(r)) for r, st in zip(report.missed, stages)))
    data = report.to_json()["errors"]
    out += [""] + _grouped("Spurious predictions", ((r["stage"], _line(r) + _flags(r)) for r in data["spurious"]))
    field_items = []
    for e in report.field_errors:
        for name, v in e["fields"].items():
            field_items.append((f"{name} · {e['stage']}", f"{e['doc_id']}: {e['value']} {e['unit']}  «{e['evidence']}»  {v['pred']!r} ≠ gold {v['gold']!r}"))
    out += [""] + _grouped("Field errors on matched pairs", field_items)
    out += ["", flagged_text(report)]
    return "\n".join(out)


def _flags(r: dict) -> str:
    return f"  flags: {', '.join(r['flags'])}" if r.get("flags") else ""


def flagged_text(report: Report) -> str:
    """How many predictions of the scored plans fail a self-check (rules/checks.yaml), by check."""
    n, total = report.flagged, report.total.predicted
    share = f" ({100 * n / total:.1f} %)" if total else ""
    by_check = ", ".join(f"{name} {k}" for name, k in sorted(report.flag_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"### Flagged predictions: {n} of {total}{share}" + (f"\n\n{by_check}" if by_check else "")


def report_markdown(report: SetsReport, errors: bool = False) -> str:
    parts = ["## Scores by gold set", "", sets_table(report)]
    for name, r in report.sets.items():
        parts += ["", f"## {name}: per plan", "", documents_table(r)]
        if r.unscored_docs:
            parts += ["", "Not scored (no gold): " + ", ".join(r.unscored_docs)]
        if errors:
            parts += ["", f"## {name}: errors", "", errors_text(r)]
    return "\n".join(parts) + "\n"
