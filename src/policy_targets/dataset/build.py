"""The indicator dataset in ``outputs/``: every target with canonical values, a category and
its catalogue id and scope (record fields, from ``rules/catalogue.yaml``), in JSONL, CSV
(UTF-8 with BOM for Excel) and Parquet, plus per-plan metadata, the evaluation against each
gold set and a summary with its chart. Rebuilt byte for byte from
``corpus/`` (the bundled plans and the development set, told apart by the ``corpus`` column):
no timestamps, stable order, and the folder written whole or not at all.

Scoring lives here as well as in ``evaluate/`` because it needs the extractor: ``evaluate``
on the command line extracts the corpora with :func:`build` and scores them with the same
:func:`score_sets` as the dataset's evaluation files.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
import sys
from dataclasses import dataclass, field
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from .. import rules
from ..contract import FIELDS, RECORD_FIELDS, Field
from ..errors import InputError, UsageError
from ..evaluate.places import PlacesReport, check_file, places_markdown, read_check, score_places
from ..extraction.lexicon import lexicon
from ..structure.gazetteer import LEVELS
from ..structure.jurisdiction import NATIONAL_NAME
from .batch import DEFAULT_PATTERN, collect_inputs, dumps_line, iter_results, progress_bar
from .indicators import (
    HAND_IDS,
    CatalogueFigures,
    catalogue_figures,
    catalogue_figures_markdown,
    catalogue_summary_markdown,
    entries_svg,
    group_by_entry,
    unmatched,
)
from .writing import check_output_folder, folder_swap


_ARROW = {"string": pa.string(), "number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_(), "strings": pa.list_(pa.string())}
#: Derived columns of the dataset, after the record's own fields. The plan's jurisdiction
#: (structure/jurisdiction.py) replaces the former ``city``: its name, GB/T 2260 code, level
#: (national, province, city, county) and province, null where the text does not say.
PLACE_FIELDS = ("jurisdiction", "admin_code", "level", "province")
DERIVED_FIELDS = (
    Field("corpus", "string"),
    *(Field(name, "string", nullable=True) for name in PLACE_FIELDS),
    Field("category", "string"),
    Field("value_canonical", "number", nullable=True), Field("unit_canonical", "string", nullable=True),
)
SCHEMA = pa.schema([(f.name, _ARROW[f.type]) for f in RECORD_FIELDS + DERIVED_FIELDS])
COLUMNS = tuple(SCHEMA.names)
LIST_COLUMNS = tuple(f.name for f in RECORD_FIELDS + DERIVED_FIELDS if f.type == "strings")


# --- grouping and canonical values ---------------------------------------------------------


@functools.cache
def _category_rules() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], str]:
    book = rules.load("categories")
    cats = tuple((row["category"], tuple(row["keywords"])) for row in book["categories"]["table"])
    return cats, book["categories"]["default"]


def category_of(indicator: str) -> str:
    cats, default = _category_rules()
    for name, keywords in cats:
        if any(k in indicator for k in keywords):
            return name
    return default


def canonical(value: float, unit: str) -> tuple[float | int | None, str | None]:
    """(value, unit) in the comparable unit of ``rules/units.yaml``; (None, None) for a unit
    the table does not know, which the summary lists instead of guessing."""
    factor, info = lexicon().split_unit(unit)
    if info is None:
        return None, None
    v = round(value * factor * info.factor, 6)
    return (int(v) if float(v).is_integer() else v), info.canonical


def enrich(record: dict[str, Any], place: dict[str, Any] | None = None, corpus: str = "") -> dict[str, Any]:
    """A record as a dataset row: its plan's corpus and jurisdiction (``place``: the plan's
    documents.jsonl line or any mapping with :data:`PLACE_FIELDS`), category, key and
    canonical value."""
    row = dict(record)
    row["corpus"] = corpus
    for name in PLACE_FIELDS:
        row[name] = (place or {}).get(name)
    row["category"] = category_of(record["indicator"])
    row["value_canonical"], row["unit_canonical"] = canonical(float(record["value"]), record["unit"])
    return {k: row.get(k) for k in COLUMNS}


# --- writing -------------------------------------------------------------------------------


def _relative(path: str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def records_and_metadata(document) -> tuple[list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]]:
    """Worker body for the dataset: a plan's records, its line in documents.jsonl and the
    quantities found in it (what explains a missed gold record, and what reports the units the
    rules do not know), from one reading."""
    from ..api import read_document

    st = document.structure
    records, quantities = read_document(document)
    unknown = Counter(q.unit for q in quantities if q.reason == "unknown_unit")
    meta = {
        "doc_id": document.doc_id,
        "source_file": _relative(document.source_file),
        **st.metadata_json(),
        "written_year": st.written_year,
        "script": document.normalized.script,
        "characters": len(document.normalized.raw),
        "paragraphs": len(st.paragraphs),
        "items": len(st.items),
        "items_with_units": sum(1 for it in st.items if it.units),
        "targets": len(records),
        "unknown_units": dict(sorted(unknown.items())),
        "left_out_rows": list(document.left_out),
    }
    found = [{"text": q.text, "value": q.value, "unit": q.unit, "excluded": q.reason} for q in quantities]
    return records, meta, found


@dataclass(frozen=True)
class CorpusSet:
    """A folder of plans, named (the ``corpus`` column), with its gold folder if annotated."""

    name: str
    raw: Path
    gold: Path | None = None


@dataclass
class Built:
    rows: list[dict[str, Any]] = field(default_factory=list)
    docs: list[dict[str, Any]] = field(default_factory=list)
    quantities: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)  # set -> doc -> found
    errors: list[InputError] = field(default_factory=list)

    def predictions(self) -> dict[str, list[dict[str, Any]]]:
        """The rows of each corpus set, by set name."""
        out: dict[str, list[dict[str, Any]]] = {}
        for r in self.rows:
            out.setdefault(r["corpus"], []).append(r)
        return out


def check_sets(sets: list[CorpusSet]) -> None:
    """Missing inputs are errors before any work: a dataset built from a mistyped folder
    would be empty and still be called a dataset."""
    if not sets:
        raise UsageError("no corpus given; use --corpus")
    names = [s.name for s in sets]
    if len(set(names)) != len(names):
        raise UsageError(f"two corpora share a name ({', '.join(names)}); name them NAME=FOLDER")
    for s in sets:
        if not s.raw.is_dir():
            raise UsageError(f"{s.raw}: no such folder of plans (corpus {s.name!r})")
        if s.gold is not None and not s.gold.is_dir():
            raise UsageError(f"{s.gold}: no such gold folder (corpus {s.name!r})")
        if s.gold is not None and not any(s.gold.glob("*.jsonl")):
            raise UsageError(f"{s.gold}: no *.jsonl gold files (corpus {s.name!r})")


def build(
    sets: list[CorpusSet],
    workers: int = 1,
    patterns: tuple[str, ...] = DEFAULT_PATTERN,
    progress: bool | None = False,
    stderr: IO[str] | None = None,
    scheduler: str | None = None,
) -> Built:
    """Rows, document metadata and found quantities for every plan of every set, sets in the
    order given, plans in path order (on the Dask cluster at ``scheduler`` when given)."""
    stderr = stderr or sys.stderr
    out = Built()
    found = []
    for s in sets:
        inputs, errors = collect_inputs([s.raw], patterns)
        found.append((s, inputs))
        out.errors += errors
    bar = progress_bar(sum(len(i) for _, i in found), stderr, progress)
    try:
        for s, inputs in found:
            per_doc = out.quantities.setdefault(s.name, {})
            with contextlib.closing(iter_results(inputs, workers, work=records_and_metadata, scheduler=scheduler)) as results:  # Ctrl-C stops the workers
                for _name, result, err in results:
                    if bar is not None:
                        bar.update(1)
                    if err:
                        out.errors.append(InputError.from_record(err))
                    if result is None:
                        continue
                    records, meta, quantities = result
                    for r in records:
                        r["source_file"] = meta["source_file"]
                        out.rows.append(enrich(r, meta, s.name))
                    out.docs.append({"corpus": s.name, **meta})
                    per_doc[meta["doc_id"]] = quantities
    finally:
        if bar is not None:
            bar.close()
    return out


#: Every file a dataset folder holds: with :data:`KEPT`, the only names ``--out`` may
#: already contain.
#: The chart of values per plan of the ten most common catalogue entries, beside summary.md.
CHART_FILE = "entries.svg"
DATASET_FILES = frozenset(
    ("targets.jsonl", "targets.csv", "targets.parquet", "documents.jsonl", "evaluation.json", "evaluation.md", "summary.md", CHART_FILE, "errors.jsonl")
)
#: What other commands write into the dataset folder (``make run``'s review reports): kept
#: as it is when the dataset is rebuilt.
KEPT = frozenset(("review",))


def score_sets(
    sets: list[CorpusSet], preds: dict[str, list[dict[str, Any]]], quantities: dict[str, dict[str, list[dict[str, Any]]]] | None = None
) -> tuple[Any, list[InputError]]:
    """The multi-set report of the sets that have gold (None when none has), and the
    problems of the gold files as errors. ``preds`` holds each set's predictions; the
    quantities found (when the extractor ran) explain missed records."""
    from ..evaluate.evaluation import GoldSet, check_scorable, evaluate_sets
    from ..evaluate.validation import read_folder

    gold_sets, errors = [], []
    for s in sets:
        if s.gold is None:
            continue
        gold, problems = read_folder(s.gold)
        errors += [_problem_error(p) for p in problems]
        check_scorable(f"{s.gold}", gold, preds.get(s.name, []))
        errors += _unpredicted(s, gold, preds.get(s.name, []))
        gold_sets.append(GoldSet(s.name, gold, preds.get(s.name, []), None if quantities is None else quantities.get(s.name, {})))
    return (evaluate_sets(gold_sets) if gold_sets else None), errors


def _unpredicted(s: CorpusSet, gold: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[InputError]:
    """A warning for the gold plans that have no prediction at all: a plan that could not be
    read, or a predictions file that left it out, is scored as all missed, and the figures
    alone do not say why."""
    predicted = {p["doc_id"] for p in preds}
    missing = sorted({g["doc_id"] for g in gold} - predicted)
    if not missing:
        return []
    shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
    message = f"{len(missing)} gold plan(s) of corpus {s.name!r} have no prediction at all (not read, or nothing extracted): {shown}"
    return [InputError(str(s.gold), "no_prediction", message, warning=True)]


def _problem_error(p) -> InputError:
    """A bad line of a gold or prediction file, as ``file:line: field: problem``."""
    return InputError(f"{p.file}:{p.line}", "invalid_record", f"{p.field}: {p.message}")


def evaluate_extracted(sets: list[CorpusSet], workers: int = 1) -> tuple[Any, list[InputError]]:
    """Extract every corpus and score it against its gold: what ``evaluate`` does by default."""
    check_sets(sets)
    built = build(sets, workers)
    report, errors = score_sets(sets, built.predictions(), built.quantities)
    return report, built.errors + errors


def evaluate_file(sets: list[CorpusSet], pred: str | Path) -> tuple[Any, list[InputError]]:
    """Score a predictions file against the gold of ``sets``. Its records go to the set named
    by their ``corpus`` field (a dataset's targets.jsonl), else to the first set whose gold
    has their doc_id; with one set, unknown documents are listed as not scored."""
    from ..evaluate.validation import read_folder, read_records

    if not Path(pred).is_file():
        raise UsageError(f"{pred}: no such file")
    for s in sets:
        if s.gold is None or not s.gold.is_dir():
            raise UsageError(f"{s.gold}: no such gold folder (run from the repository, or give --gold)")
    records, problems = read_records(pred)
    owners: dict[str, str] = {}
    for s in sets:
        for g in read_folder(s.gold)[0]:
            owners.setdefault(g["doc_id"], s.name)
    preds: dict[str, list[dict[str, Any]]] = {s.name: [] for s in sets}
    for r in records:
        name = r.get("corpus") if r.get("corpus") in preds else owners.get(r["doc_id"], sets[0].name if len(sets) == 1 else None)
        if name is not None:
            preds[name].append(r)
    report, errors = score_sets(sets, preds)
    return report, [_problem_error(p) for p in problems] + errors


def write_dataset(
    sets: list[CorpusSet],
    out: str | Path,
    workers: int = 1,
    patterns: tuple[str, ...] = DEFAULT_PATTERN,
    progress: bool | None = False,
    stderr: IO[str] | None = None,
    scheduler: str | None = None,
) -> Built:
    """Build the dataset of ``sets`` into the folder ``out``, whole or not at all: every
    file is written into a temporary folder that then takes the place of ``out``. Usage
    problems (missing folders, an ``out`` that holds other files, nothing to score) raise
    :class:`UsageError` before any work; when no plan could be read, ``out`` is left as it
    was. Returns what was built, with the per-file errors and warnings (gold files' too)."""
    from ..evaluate.reporting import report_markdown

    check_sets(sets)
    check_output_folder(out, DATASET_FILES | KEPT)
    built = build(sets, workers, patterns, progress, stderr, scheduler)
    if not built.docs:
        return built
    report, gold_errors = score_sets(sets, built.predictions(), built.quantities)
    built.errors += gold_errors
    figures = catalogue_on_gold(sets)
    rows, docs = built.rows, built.docs
    places = score_metadata(sets, docs)
    with folder_swap(out, keep=KEPT) as tmp:
        _write(tmp / "targets.jsonl", b"".join(dumps_line(row) for row in rows))
        _write(tmp / "targets.csv", _csv_bytes(rows))
        with open(tmp / "targets.parquet", "wb") as fh:
            pq.write_table(_table(rows), fh, compression="zstd")
        _write(tmp / "documents.jsonl", b"".join(dumps_line(d) for d in docs))
        if report is not None:
            data = {**report.to_json(), "catalogue": {f.name: f.to_json() for f in figures}}
            md = "# Evaluation against the gold sets\n\n" + report_markdown(report, errors=True).rstrip("\n") + "\n\n"
            md += "\n".join(catalogue_figures_markdown(figures)) + "\n"
            if places:
                data["metadata"] = {r.name: r.to_json() for r in places}
                md += "\n" + places_markdown(places)
            _write(tmp / "evaluation.json", orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
            _write(tmp / "evaluation.md", md.encode("utf-8"))
        _write(tmp / "errors.jsonl", b"".join(dumps_line(e) for e in error_records(built.errors)))
        _write(tmp / "summary.md", summary_markdown(rows, docs, built.errors, CHART_FILE).encode("utf-8"))
        _write(tmp / CHART_FILE, entries_svg(group_by_entry(rows)).encode("utf-8"))
    return built


def score_metadata(sets: list[CorpusSet], docs: list[dict[str, Any]]) -> list[PlacesReport]:
    """Each set's plan metadata against its hand check (evaluate/places.py), for the sets
    that have one."""
    out = []
    for s in sets:
        path = check_file(s.gold)
        if path is not None:
            out.append(score_places(s.name, read_check(path), [d for d in docs if d["corpus"] == s.name]))
    return out


def catalogue_on_gold(sets: list[CorpusSet]) -> list[CatalogueFigures]:
    """The catalogue's figures on every gold set: coverage, and agreement with the hand-read
    ids of ``indicator_ids.tsv`` beside a gold folder when there is one."""
    from ..evaluate.validation import read_folder

    return [catalogue_figures(s.name, read_folder(s.gold)[0], s.gold.parent / HAND_IDS) for s in sets if s.gold is not None]

def error_records(errors: Sequence[InputError]) -> list[dict[str, str]]:
    """The failed inputs and warnings as ``extract --errors-file`` writes them, paths
    relative to the working folder as ``source_file`` is, so the folder rebuilds byte for byte."""
    return [{**e.as_record(), "path": _relative_place(e.path)} for e in errors]


def _relative_place(path: str) -> str:
    """A path, or a ``file:line`` of a gold file, relative to the working folder."""
    file, sep, line = path.rpartition(":")
    if sep and line.isdigit():
        return f"{_relative(file)}:{line}"
    return _relative(path)


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return orjson.dumps(value).decode("utf-8")
    return str(value)


def _csv_bytes(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_csv_cell(row[c]) for c in COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    columns = {c: [row[c] for row in rows] for c in COLUMNS}
    columns["value"] = [float(v) for v in columns["value"]]
    columns["value_canonical"] = [None if v is None else float(v) for v in columns["value_canonical"]]
    return pa.Table.from_pydict(columns, schema=SCHEMA)


def summary_markdown(rows: list[dict[str, Any]], docs: list[dict[str, Any]], errors: Sequence[InputError] = (), chart: str | None = None) -> str:
    out = ["# Indicator dataset summary", ""]
    out.append(f"{len(rows)} targets from {len(docs)} plans.")
    out += _errors_markdown(errors)
    out += ["", "## Targets per plan", "", "| corpus | plan | jurisdiction | admin_code | level | title | targets |", "|---|---|---|---|---|---|---|"]
    for d in docs:
        out.append(
            f"| {d.get('corpus', '')} | {d['doc_id']} | {d.get('jurisdiction') or ''} | {d.get('admin_code') or ''} | {d.get('level') or ''} | {d.get('title') or ''} | {d['targets']} |"
        )
    out += _per_place(rows, docs)
    out += ["", "## Targets per target year", "", "| target year | targets |", "|---|---|"]
    years = Counter("none" if r["target_year"] is None else str(r["target_year"]) for r in rows)
    for year in sorted(years, key=lambda y: (y == "none", y)):
        out.append(f"| {year} | {years[year]} |")
    out += ["", "## Targets per category", "", "| category | targets |", "|---|---|"]
    cats = Counter(r["category"] for r in rows)
    for cat, n in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {cat} | {n} |")
    out += ["", *catalogue_summary_markdown(rows, chart)]
    out += ["", "## Most common indicators without a catalogue id", ""]
    missing = unmatched(rows)[:10]
    if missing:
        out += ["`policy-targets catalogue --unmatched targets.jsonl` lists them all.", "", "| indicator | unit | targets | why |", "|---|---|---|---|"]
        out += [f"| {ind} | {unit or '(no unit)'} | {n} | {why or 'no entry names it'} |" for ind, unit, n, why in missing]
    else:
        out.append("None: every target has a catalogue id.")
    unknown = Counter(r["unit"] for r in rows if r["unit_canonical"] is None)
    out += ["", "## Units without a canonical form", ""]
    if unknown:
        out += [f"- `{u or '(no unit)'}`: {n} targets" for u, n in sorted(unknown.items())]
    else:
        out.append("None: every unit is in `rules/units.yaml`.")
    out += ["", "## Numbers with a unit the table lacks", ""]
    unread: Counter[str] = Counter()
    unread_plans: dict[str, set[str]] = {}
    for d in docs:
        for unit, n in d.get("unknown_units", {}).items():
            unread[unit] += n
            unread_plans.setdefault(unit, set()).add(d["doc_id"])
    if unread:
        out.append("Not taken as targets (exclusion reason `unknown_unit`); add the unit to `rules/units.yaml` to read them.")
        out += ["", "| unit as written | numbers | plans |", "|---|---|---|"]
        out += [f"| `{u}` | {n} | {', '.join(sorted(unread_plans[u]))} |" for u, n in sorted(unread.items())]
    else:
        out.append("None: every number is followed by a unit of `rules/units.yaml` or by no unit.")
    out += ["", "## Table rows left out", ""]
    rows_out = [(d["doc_id"], row) for d in docs for row in d.get("left_out_rows", [])]
    if rows_out:
        out.append("Rows of tables set without rules whose wrapped cells could not be told from their neighbours' (a PDF): their numbers were not read rather than read with another row's name; read them in the source.")
        out += ["", "| plan | where: row as printed |", "|---|---|"]
        out += ["| {} | `{}` |".format(doc, row.replace("|", "\\|")) for doc, row in rows_out]
    else:
        out.append("None: every table row was read.")
    out += _flag_summary(rows)
    return "\n".join(out) + "\n"


def _per_place(rows: list[dict[str, Any]], docs: list[dict[str, Any]]) -> list[str]:
    """Targets and plans per level and per province (a national plan under 全国, a plan
    whose text names no jurisdiction under "none")."""
    out = ["", "## Targets per level", "", "| level | plans | targets |", "|---|---|---|"]
    order = {name: i for i, name in enumerate(LEVELS)}

    def tally(key: str) -> tuple[Counter[str], Counter[str]]:
        plans = Counter(_place_key(d, key) for d in docs)
        targets = Counter(_place_key(r, key) for r in rows)
        return plans, targets

    plans, targets = tally("level")
    for level in sorted(plans, key=lambda k: (order.get(k, len(order)), k)):
        out.append(f"| {level} | {plans[level]} | {targets[level]} |")
    out += ["", "## Targets per province", "", "| province | plans | targets |", "|---|---|---|"]
    plans, targets = tally("province")
    for province in sorted(plans, key=lambda k: (k == "none", -targets[k], k)):
        out.append(f"| {province} | {plans[province]} | {targets[province]} |")
    return out


def _place_key(d: dict[str, Any], key: str) -> str:
    if key == "province" and d.get("level") == "national":
        return NATIONAL_NAME
    return d.get(key) or "none"


def _errors_markdown(errors: Sequence[InputError]) -> list[str]:
    """The inputs left out and the warnings, near the top: a plan that failed is absent from
    every table below, and nothing else would say so (also in ``errors.jsonl``)."""
    failed = [e for e in errors if not e.warning]
    warned = [e for e in errors if e.warning]
    out = ["", f"## Files that could not be read ({len(failed)})", ""]
    if failed:
        out += ["Left out of every table below (also in `errors.jsonl`).", "", "| file | kind | problem |", "|---|---|---|"]
        out += [f"| {_cell(r['path'])} | {r['kind']} | {_cell(r['message'])} |" for r in error_records(failed)]
    else:
        out.append("None: every file was read.")
    if warned:
        out += ["", f"## Warnings ({len(warned)})", "", "| file | kind | warning |", "|---|---|---|"]
        out += [f"| {_cell(r['path'])} | {r['kind']} | {_cell(r['message'])} |" for r in error_records(warned)]
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _flag_summary(rows: list[dict[str, Any]]) -> list[str]:
    """The section of summary.md on records that fail a self-check (rules/checks.yaml): how many
    are flagged, by check and by plan. Flagged records stay in the dataset."""
    out = ["", "## Records that fail a self-check", ""]
    flagged = [r for r in rows if r.get("flags")]
    if not flagged:
        return out + ["None: every record passes the checks of `rules/checks.yaml`."]
    share = 100 * len(flagged) / len(rows)
    out.append(f"{len(flagged)} of {len(rows)} records ({share:.1f} %) fail a check of `rules/checks.yaml`; they are kept, flagged in the `flags` column.")
    out += ["", "| check | records |", "|---|---|"]
    per_check = Counter(name for r in flagged for name in r["flags"])
    out += [f"| `{name}` | {n} |" for name, n in sorted(per_check.items(), key=lambda kv: (-kv[1], kv[0]))]
    out += ["", "| corpus | plan | flagged | targets |", "|---|---|---|---|"]
    per_plan = Counter((r.get("corpus", ""), r["doc_id"]) for r in flagged)
    totals = Counter((r.get("corpus", ""), r["doc_id"]) for r in rows)
    out += [f"| {c} | {d} | {n} | {totals[(c, d)]} |" for (c, d), n in sorted(per_plan.items())]
    return out


# --- reading -------------------------------------------------------------------------------


def load_dataset(path: str | Path = "outputs"):
    """The dataset as a typed pandas DataFrame: nullable integers for years, booleans,
    strings, and list columns holding Python lists (numpy arrays there would make
    ``.str.contains`` count nothing, silently). ``path`` is a dataset folder, its Parquet
    file, or a JSONL file of records such as ``extract -o`` writes (columns a record lacks,
    like ``jurisdiction``, are then missing from the frame)."""
    import pandas as pd

    p = Path(path)
    if p.is_dir():
        p = p / "targets.parquet"
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such dataset file")
    if p.suffix in (".jsonl", ".json"):
        rows = [orjson.loads(line) for line in p.read_bytes().splitlines() if line.strip()]
        names = [c for c in COLUMNS if any(c in r for r in rows)] if rows else list(FIELDS)
        fields = {f.name: f for f in RECORD_FIELDS + DERIVED_FIELDS}
        schema = pa.schema([(c, _ARROW[fields[c].type]) for c in names])
        data = {c: [_arrow_value(r.get(c), fields[c].type) for r in rows] for c in names}
        table = pa.Table.from_pydict(data, schema=schema)
    else:
        table = pq.read_table(p)
    mapping = {pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype(), pa.bool_(): pd.BooleanDtype()}
    frame = table.to_pandas(types_mapper=mapping.get)
    for name in LIST_COLUMNS:
        if name in frame:
            frame[name] = pd.Series([list(v) if v is not None else [] for v in frame[name]], index=frame.index, dtype=object)
    return frame


def _arrow_value(value: Any, kind: str) -> Any:
    return float(value) if kind == "number" and value is not None else value
