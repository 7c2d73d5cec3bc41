"""Human-readable views of an evaluation report (terminal and Markdown share one form).

Several gold sets are shown side by side, one column each and one for all of them, so that
a figure that holds on the bundled plans and falls on the development set is seen at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .diagnosis import CLASSES, NO_CANDIDATE, NOT_A_TARGET, NOT_TOLD, WRONG_UNIT
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
    """A record as an error line; a prediction's flags (the self-checks it fails) after it."""
    return f"{r['doc_id']}: {r['indicator']} = {r['value']} {r['unit']} ({r['target_year']})  «{r.get('evidence', '')}»" + _flags(r)


def _flags(r: dict) -> str:
    return f"  flags: {', '.join(r['flags'])}" if r.get("flags") else ""


def _grouped(title: str, items: Iterable[tuple[str, str]], level: str = "###") -> list[str]:
    """A section per stage, largest first: (stage, line) pairs grouped under their stage."""
    groups: dict[str, list[str]] = defaultdict(list)
    for stage, line in items:
        groups[stage].append(line)
    total = sum(len(v) for v in groups.values())
    out = [f"{level} {title} ({total})"]
    for stage, lines in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.append(f"\n{stage} ({len(lines)}):")
        out += [f"- {line}" for line in lines]
    return out


def _by_class(title: str, items: list[dict]) -> list[str]:
    """A section per class, in the account's order, each grouped by stage."""
    out = [f"### {title} ({len(items)})"]
    for cls in (*CLASSES, NOT_TOLD):
        mine = [r for r in items if r["class"] == cls]
        if mine:
            out += [""] + _grouped(cls, ((_stage(r), _line(r)) for r in mine), "####")
    return out


def _stage(r: dict) -> str:
    """The stage, with the matching conditions a record fails when it fails more than the
    one its class names."""
    return r["stage"] + (f" · fails {', '.join(r['fields'])}" if len(r["fields"]) > 1 else "")


def account_text(report: Report) -> str:
    """The error account: per class, the misses and spurious records (the columns add up to
    the false negatives and false positives), then the detection figures of a perfect
    target/not-target decision over today's candidates."""
    rows = ["| class | missed | spurious |", "|---|---|---|"]
    rows += [f"| {cls} | {n['missed']} | {n['spurious']} |" for cls, n in report.account().items()]
    rows.append(f"| total | {report.total.fn} | {report.total.fp} |")
    if not report.quantities_known:
        rows += ["", f"Predictions read from a file: without the extractor's quantities, a miss that no spurious record stands next to "
                 f"cannot be told «{NOT_A_TARGET}», «{WRONG_UNIT}» (a number read with another unit) or «{NO_CANDIDATE}»: it is counted in the row «{NOT_TOLD}»."]
    ceiling = report.ceiling()
    rows += ["", "A perfect target/not-target decision over today's candidates:", "",
             "| kept | matched | precision | recall | detection F1 |", "|---|---|---|---|---|"]
    labels = (("decision", "the predictions that matched, every other dropped"),
              ("with_candidates", f"… and the number found for each «{NOT_A_TARGET}» miss, its year and indicator assumed right"))
    for key, label in labels:
        f = ceiling[key]
        cells = ("n/a",) * 4 if f is None else tuple(cell(f[k]) for k in ("matched", "precision", "recall", "f1"))
        rows.append(f"| {label}{' (needs the quantities)' if f is None else ''} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def errors_text(report: Report) -> str:
    """The error account, then every error, grouped by kind (missed, spurious, field), by
    class and by the stage that decided it: for a missed record paired with a spurious one,
    and for a spurious record or a wrong field, the construction that made the prediction;
    for another missed record, what became of the number at that place."""
    data = report.to_json()["errors"]
    out = ["### Error account", "", account_text(report), ""]
    out += _by_class("Missed gold", data["missed"])
    out += [""] + _by_class("Spurious predictions", data["spurious"])
    field_items = []
    for e in report.field_errors:
        for name, v in e["fields"].items():
            field_items.append((f"{name} · {e['stage']}", f"{e['doc_id']}: {e['value']} {e['unit']}  «{e['evidence']}»  {v['pred']!r} ≠ gold {v['gold']!r}"))
    out += [""] + _grouped("Field errors on matched pairs", field_items)
    out += ["", flagged_text(report)]
    return "\n".join(out)


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
