"""Writing the review report: a folder of static pages opened from disk.

``DIR/index.html`` (one row per plan, totals, charts), ``DIR/records.html`` (every record with
filters), ``DIR/plans/<doc_id>.html`` (the plan's text with its highlights) and the two assets
``review.css`` and ``review.js``. Pages are rendered by Jinja2 with autoescaping on, so plan
text, which is untrusted, is always text. Bytes depend only on the inputs: no timestamps,
plans in path order, records in document order. Every file is written to a temporary name
and renamed; a folder that holds something other than an earlier report is refused.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from ..dataset.batch import DEFAULT_PATTERN, Patterns, atomic_writer, collect_inputs, iter_results
from ..dataset.indicators import entries_svg, group_by_entry
from ..errors import InputError
from ..evaluate.evaluation import Report, evaluate
from ..evaluate.validation import read_folder, read_records
from ..structure.documents import normalize_plan
from ..text.reading import DEFAULT_MAX_BYTES
from .charts import Chart, bar_chart
from . import layout
from .material import PlanMaterial, gather
from .verdicts import KIND_LABELS, KINDS, Entry, PlanView, exclusion_reasons, field_label, plan_view, show_value

#: Written into every page; a folder whose index.html holds it is an earlier report and may
#: be rewritten.
GENERATOR = "policy-targets review"
ASSETS = ("review.css", "review.js")


@dataclass
class ReviewResult:
    plans: int = 0
    records: int = 0
    errors: list[InputError] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # gold lines that failed validation
    warnings: list[InputError] = field(default_factory=list)  # plans read with a warning (a repaired mojibake)


class FolderRefused(Exception):
    """The output folder holds files that are not an earlier review report."""


def check_folder(out: Path) -> None:
    """Refuse to write into a folder that is neither new, empty, nor an earlier report: the
    report replaces its own files and must not overwrite a file the user did not name."""
    if not out.exists():
        return
    if not out.is_dir():
        raise FolderRefused(f"{out}: exists and is not a folder")
    if not any(out.iterdir()):
        return
    index = out / "index.html"
    if index.is_file() and f'content="{GENERATOR}"' in index.read_text("utf-8", errors="replace"):
        return
    raise FolderRefused(f"{out}: folder is not empty and holds no earlier review report; name a new or empty folder")


def _read_gold(paths: Iterable[Path]) -> tuple[list[dict[str, Any]], list[str]]:
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for p in paths:
        if not p.exists():
            problems.append(f"{p}: no such file or folder")
            continue
        found, bad = read_folder(p) if p.is_dir() else read_records(p)
        records += found
        problems += [str(b) for b in bad]
    return records, problems


def _normalise_evidence(s: str) -> str:
    return normalize_plan(s).text


def write_review(
    paths: Sequence[str | Path],
    out: str | Path,
    gold: Sequence[str | Path] = (),
    workers: int = 1,
    pattern: Patterns = DEFAULT_PATTERN,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    scheduler: str | None = None,
) -> ReviewResult:
    """Extract every plan in ``paths``, score it against ``gold`` (files or folders) where
    gold exists for it, and write the report to ``out``. Files that fail are reported in the
    result and listed on the index; nothing is written when no plan could be read."""
    out = Path(out)
    check_folder(out)
    files, errors = collect_inputs(paths, pattern)  # ids are unique: the path below the input folder
    result = ReviewResult(errors=errors)
    materials: list[PlanMaterial] = []
    with contextlib.closing(iter_results(files, workers, max_bytes, work=gather, scheduler=scheduler)) as results:  # Ctrl-C stops the workers
        for _path, material, err in results:
            if err:
                (result.errors if material is None else result.warnings).append(InputError.from_record(err))
            if material is not None:
                materials.append(material)
    gold_records, result.problems = _read_gold(Path(g) for g in gold)
    if not materials:
        return result
    reviewed = {m.doc_id for m in materials}
    scored = [g for g in gold_records if g["doc_id"] in reviewed]
    report = evaluate(scored, [t.record for m in materials for t in m.targets]) if scored else None
    gold_by: dict[str, list[dict[str, Any]]] = {}
    for g in scored:
        gold_by.setdefault(g["doc_id"], []).append(g)
    reasons = exclusion_reasons()
    views = [plan_view(m, gold_by.get(m.doc_id), report, reasons, _normalise_evidence) for m in materials]
    ignored = sorted({g["doc_id"] for g in gold_records} - reviewed)
    _write_site(out, views, report, result, ignored, bool(gold))
    result.plans = len(views)
    result.records = sum(len(m.targets) for m in materials)
    return result


# --- rendering -----------------------------------------------------------------------------


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("policy_targets.review", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _asset(name: str) -> bytes:
    return resources.files("policy_targets.review").joinpath("static", name).read_bytes()


#: Ids kept as their page's name: lower-case ASCII that needs no escaping in a URL and
#: means the same file on every file system (case-insensitive ones included).
_PLAIN_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def page_name(doc_id: str) -> str:
    """The file name of a plan's page. An id of plain lower-case ASCII is the name itself
    (``shandong-zibo.html``); any other id (Chinese, spaces, capitals, a sub-folder's ``/``)
    becomes its ASCII letters and digits plus ``~`` and a digest of the whole id
    (``a-b~3f2c9e1d0a.html``). Such a name is the same string as a file name and as a link,
    so nothing is escaped once for the disk and again for the browser; ``~`` never occurs
    in a plain id, so the two kinds cannot collide."""
    if _PLAIN_ID.fullmatch(doc_id):
        return doc_id + ".html"
    slug = re.sub(r"[^a-z0-9]+", "-", doc_id.lower()).strip("-")[:40]
    digest = hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:10]
    return f"{slug}~{digest}.html"


def plan_href(doc_id: str) -> str:
    return "plans/" + page_name(doc_id)


def _figures(counts) -> dict[str, Any] | None:
    if counts is None:
        return None
    f = counts.figures()
    return {k: f[k] for k in ("precision", "recall", "f1", "strict_f1", "false_negatives", "false_positives", "gold", "matched")}


def _years(entries: Iterable[Entry]) -> list[str]:
    return sorted({e.year for e in entries}, key=lambda y: (y == "none", y))


def _categories(entries: Iterable[Entry]) -> list[str]:
    return sorted({e.category for e in entries})


def _flag_names(entries: Iterable[Entry]) -> list[str]:
    return sorted({f for e in entries for f in e.flags})


def _flagged(view: PlanView) -> int:
    """How many of a plan's records fail a self-check (rules/checks.yaml)."""
    return sum(1 for e in view.entries if e.kind != "missed" and e.flags)


def _charts(views: list[PlanView], report: Report | None) -> list[Chart]:
    preds = [e for v in views for e in v.entries if e.kind != "missed"]
    years = Counter(e.year for e in preds)
    cats = Counter(e.category for e in preds)
    charts = [
        bar_chart("Targets per target year", [(y, years[y]) for y in _years(preds)]),
        bar_chart("Targets per category", sorted(cats.items(), key=lambda kv: (-kv[1], kv[0]))),
    ]
    if report is not None:
        scored = [v for v in views if v.counts is not None]
        charts.append(bar_chart("Detection F1 per plan", [(v.doc_id, v.counts.figures()["f1"] or 0.0) for v in scored], digits=2, scale_max=1))
    return charts


def _present(values) -> list[str]:
    """The distinct values, sorted: the options of an index filter."""
    return sorted(set(values))


def _write_site(out: Path, views: list[PlanView], report: Report | None, result: ReviewResult, ignored: list[str], gold_given: bool) -> None:
    env = _env()
    common = {"generator": GENERATOR, "kinds": KINDS, "kind_labels": KIND_LABELS, "field_label": field_label, "show_value": show_value, "label_of": layout.label}
    entries = [(v, e) for v in views for e in v.entries]
    kinds_present = [k for k in KINDS if any(e.kind == k for _, e in entries)]
    pages: dict[str, str] = {}
    for v in views:
        blocks, outline = layout.blocks(v)
        pages[plan_href(v.doc_id)] = env.get_template("plan.html").render(
            common, root="../", view=v, blocks=blocks, outline=outline, figures=_figures(v.counts),
            kinds_present=[k for k in KINDS if v.tallies.get(k)], years=_years(v.entries), categories=_categories(v.entries),
            unplaced=[e for e in v.entries if e.start is None], rows=[(v, e) for e in v.entries], flag_names=_flag_names(v.entries),
        )
    predicted = [e.record for _, e in entries if e.kind != "missed"]
    groups = group_by_entry(predicted)
    pages["index.html"] = env.get_template("index.html").render(
        common, root="", views=views, entry_groups=groups, entries_chart=entries_svg(groups),
        with_id=sum(1 for r in predicted if r.get("indicator_id")), predicted=len(predicted), figures={v.doc_id: _figures(v.counts) for v in views}, total=_figures(report.total) if report else None,
        charts=_charts(views, report), plan_href=plan_href, errors=result.errors, warnings=result.warnings, problems=result.problems, ignored=ignored,
        gold_given=gold_given, tallies={k: sum(v.tallies.get(k, 0) for v in views) for k in KINDS},
        levels=_present(v.material.jurisdiction.level for v in views if v.material.jurisdiction),
        provinces=_present(v.material.jurisdiction.province for v in views if v.material.jurisdiction and v.material.jurisdiction.province),
        flagged={v.doc_id: _flagged(v) for v in views},
    )
    pages["records.html"] = env.get_template("records.html").render(
        common, root="", entries=entries, plan_href=plan_href, kinds_present=kinds_present,
        years=_years(e for _, e in entries), categories=_categories(e for _, e in entries), plans=[v.doc_id for v in views],
        flag_names=_flag_names(e for _, e in entries),
    )
    for name in ASSETS:
        with atomic_writer(out / name) as fh:
            fh.write(_asset(name))
    for name, html in pages.items():
        with atomic_writer(out / name) as fh:
            fh.write(html.encode("utf-8"))
    plans_dir = out / "plans"
    for stale in sorted(plans_dir.glob("*.html")):
        if f"plans/{stale.name}" not in pages:
            stale.unlink()
