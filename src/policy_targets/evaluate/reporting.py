"""Human-readable views of an evaluation report (terminal and Markdown share one form)."""

from __future__ import annotations

from .evaluation import ATTRIBUTE_FIELDS, Report


def _pct(x: float) -> str:
    return f"{x:.4f}"


def summary_markdown(report: Report) -> str:
    head = "| plan | gold | optional | predicted | matched | FP | FN | precision | recall | F1 | strict F1 | units F1 |"
    rule = "|" + "---|" * 12
    rows = [head, rule]
    items = list(sorted(report.per_doc.items())) + [("**overall**", report.total)]
    for doc_id, counts in items:
        f = counts.figures()
        rows.append(
            f"| {doc_id} | {f['gold']} | {f['optional_gold']} | {f['predicted']} | {f['matched']} | "
            f"{f['false_positives']} | {f['false_negatives']} | {_pct(f['precision'])} | {_pct(f['recall'])} | "
            f"{_pct(f['f1'])} | {_pct(f['strict_f1'])} | {_pct(f['responsible_units_f1'])} |"
        )
    return "\n".join(rows)


def fields_markdown(report: Report) -> str:
    f = report.total.figures()
    rows = ["| field (on matched pairs) | accuracy |", "|---|---|"]
    for name in ATTRIBUTE_FIELDS:
        rows.append(f"| {name} | {_pct(f[name + '_accuracy'])} |")
    rows.append(f"| indicator (exact) | {_pct(f['indicator_exact_accuracy'])} |")
    rows.append(f"| responsible_units (mean set-F1) | {_pct(f['responsible_units_f1'])} |")
    return "\n".join(rows)


def errors_text(report: Report) -> str:
    out: list[str] = []
    out.append(f"## Missed gold ({len(report.missed)})")
    for r in report.missed:
        out.append(f"- {r['doc_id']}: {r['indicator']} = {r['value']} {r['unit']} ({r['target_year']})  «{r.get('evidence', '')}»")
    out.append(f"\n## Spurious predictions ({len(report.spurious)})")
    for r in report.spurious:
        out.append(f"- {r['doc_id']}: {r['indicator']} = {r['value']} {r['unit']} ({r['target_year']})  «{r.get('evidence', '')}»")
    out.append(f"\n## Field errors on matched pairs ({len(report.field_errors)})")
    for e in report.field_errors:
        diffs = "; ".join(f"{k}: {v['pred']!r} ≠ gold {v['gold']!r}" for k, v in e["fields"].items())
        out.append(f"- {e['doc_id']}: {e['value']} {e['unit']}  «{e['evidence']}»  {diffs}")
    return "\n".join(out)


def report_markdown(report: Report, errors: bool = False) -> str:
    parts = ["## Detection and strict scores", summary_markdown(report), "", "## Attributes", fields_markdown(report)]
    if report.unscored_docs:
        parts += ["", "Not scored (no gold): " + ", ".join(report.unscored_docs)]
    if errors:
        parts += ["", errors_text(report)]
    return "\n".join(parts) + "\n"
