"""The indicator dataset in ``outputs/``: every target with canonical values, a category and
an indicator key, in JSONL, CSV (UTF-8 with BOM for Excel) and Parquet, plus per-plan
metadata, the evaluation against gold and a summary. Rebuilt byte for byte from ``corpus/``:
no timestamps, stable order, files written atomically.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import regex

from .. import rules
from ..contract import RECORD_FIELDS, Field
from .batch import atomic_writer, collect_inputs, document_ids, dumps_line, iter_results
from ..errors import InputError
from ..extraction.lexicon import lexicon


_ARROW = {"string": pa.string(), "number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_(), "strings": pa.list_(pa.string())}
#: Derived columns of the dataset, after the record's own fields.
DERIVED_FIELDS = (
    Field("city", "string"), Field("category", "string"), Field("indicator_key", "string"),
    Field("value_canonical", "number", nullable=True), Field("unit_canonical", "string", nullable=True),
)
SCHEMA = pa.schema([(f.name, _ARROW[f.type]) for f in RECORD_FIELDS + DERIVED_FIELDS])
COLUMNS = tuple(SCHEMA.names)
LIST_COLUMNS = tuple(f.name for f in RECORD_FIELDS + DERIVED_FIELDS if f.type == "strings")


# --- grouping and canonical values ---------------------------------------------------------


@functools.cache
def _category_rules() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], str, tuple[tuple[str, str], ...], regex.Pattern[str]]:
    book = rules.load("categories")
    cats = tuple((row["category"], tuple(row["keywords"])) for row in book["categories"]["table"])
    keys = book["indicator_keys"]
    rewrites = tuple((a, b) for a, b in keys["rewrites"])
    drop = regex.compile(rules.alternation(keys["drop"]))
    return cats, book["categories"]["default"], rewrites, drop


def category_of(indicator: str) -> str:
    cats, default, _, _ = _category_rules()
    for name, keywords in cats:
        if any(k in indicator for k in keywords):
            return name
    return default


def indicator_key(indicator: str) -> str:
    _, _, rewrites, drop = _category_rules()
    key = indicator
    for a, b in rewrites:
        key = key.replace(a, b)
    return drop.sub("", key)


def canonical(value: float, unit: str) -> tuple[float | int | None, str | None]:
    """(value, unit) in the comparable unit of ``rules/units.yaml``; (None, None) for a unit
    the table does not know, which the summary lists instead of guessing."""
    factor, info = lexicon().split_unit(unit)
    if info is None:
        return None, None
    v = round(value * factor * info.factor, 6)
    return (int(v) if float(v).is_integer() else v), info.canonical


def enrich(record: dict[str, Any], city: str | None) -> dict[str, Any]:
    row = dict(record)
    row["city"] = city
    row["category"] = category_of(record["indicator"])
    row["indicator_key"] = indicator_key(record["indicator"])
    row["value_canonical"], row["unit_canonical"] = canonical(float(record["value"]), record["unit"])
    return {k: row.get(k) for k in COLUMNS}


# --- writing -------------------------------------------------------------------------------


def _relative(path: str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def records_and_metadata(document) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Worker body for the dataset: a plan's records and its line in documents.jsonl, from one
    reading of the file."""
    from ..api import extract_with_exclusions

    st = document.structure
    records, excluded = extract_with_exclusions(document)
    unknown = Counter(q["unit"] for q in excluded if q["reason"] == "unknown_unit")
    meta = {
        "doc_id": document.doc_id,
        "source_file": _relative(document.source_file),
        "title": st.title,
        "city": st.city,
        "issuer": st.issuer,
        "doc_number": st.doc_number,
        "date": st.date,
        "written_year": st.written_year,
        "script": document.normalized.script,
        "characters": len(document.normalized.raw),
        "paragraphs": len(st.paragraphs),
        "items": len(st.items),
        "items_with_units": sum(1 for it in st.items if it.units),
        "targets": len(records),
        "unknown_units": dict(sorted(unknown.items())),
    }
    return records, meta


def build(corpus: str | Path, workers: int = 1) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[InputError]]:
    """Rows and document metadata for every plan in ``corpus``, in path order."""
    files, errors = collect_inputs([corpus])
    ids, dup_errors = document_ids(files)
    errors += dup_errors
    rows: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    for _path, result, err in iter_results(list(ids), workers, work=records_and_metadata, doc_ids=ids):
        if err:
            errors.append(InputError(err["path"], err["kind"], err["message"]))
            continue
        records, meta = result
        for r in records:
            r["source_file"] = meta["source_file"]
            rows.append(enrich(r, meta["city"]))
        docs.append(meta)
    return rows, docs, errors


def write_dataset(corpus: str | Path, gold: str | Path | None, out: str | Path, workers: int = 1) -> list[InputError]:
    from ..evaluate.evaluation import evaluate
    from ..evaluate.reporting import report_markdown
    from ..evaluate.validation import read_folder

    rows, docs, errors = build(corpus, workers)
    out = Path(out)
    with atomic_writer(out / "targets.jsonl") as fh:
        for row in rows:
            fh.write(dumps_line(row))
    with atomic_writer(out / "targets.csv") as fh:
        fh.write(_csv_bytes(rows))
    with atomic_writer(out / "targets.parquet") as fh:
        pq.write_table(_table(rows), fh, compression="zstd")
    with atomic_writer(out / "documents.jsonl") as fh:
        for d in docs:
            fh.write(dumps_line(d))
    report = None
    if gold is not None and Path(gold).is_dir():
        gold_records, problems = read_folder(gold)
        report = evaluate(gold_records, rows)
        with atomic_writer(out / "evaluation.json") as fh:
            fh.write(orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2) + b"\n")
        with atomic_writer(out / "evaluation.md") as fh:
            fh.write(("# Evaluation against the gold set\n\n" + report_markdown(report, errors=True)).encode("utf-8"))
    with atomic_writer(out / "summary.md") as fh:
        fh.write(summary_markdown(rows, docs).encode("utf-8"))
    return errors


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


def summary_markdown(rows: list[dict[str, Any]], docs: list[dict[str, Any]]) -> str:
    out = ["# Indicator dataset summary", ""]
    out.append(f"{len(rows)} targets from {len(docs)} plans.")
    out += ["", "## Targets per plan", "", "| plan | city | title | targets |", "|---|---|---|---|"]
    for d in docs:
        out.append(f"| {d['doc_id']} | {d['city'] or ''} | {d['title'] or ''} | {d['targets']} |")
    out += ["", "## Targets per target year", "", "| target year | targets |", "|---|---|"]
    years = Counter("none" if r["target_year"] is None else str(r["target_year"]) for r in rows)
    for year in sorted(years, key=lambda y: (y == "none", y)):
        out.append(f"| {year} | {years[year]} |")
    out += ["", "## Targets per category", "", "| category | targets |", "|---|---|"]
    cats = Counter(r["category"] for r in rows)
    for cat, n in sorted(cats.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"| {cat} | {n} |")
    out += ["", "## Ten most common indicators", "", "| indicator_key | targets | plans |", "|---|---|---|"]
    keys = Counter(r["indicator_key"] for r in rows)
    plans: dict[str, set[str]] = {}
    for r in rows:
        plans.setdefault(r["indicator_key"], set()).add(r["doc_id"])
    for key, n in sorted(keys.items(), key=lambda kv: (-kv[1], kv[0]))[:10]:
        out.append(f"| {key} | {n} | {len(plans[key])} |")
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
    return "\n".join(out) + "\n"


# --- reading -------------------------------------------------------------------------------


def load_dataset(path: str | Path = "outputs"):
    """The dataset as a typed pandas DataFrame (nullable integers for years, booleans,
    strings; list columns hold lists)."""
    import pandas as pd

    folder = Path(path)
    parquet = folder / "targets.parquet" if folder.is_dir() else folder
    table = pq.read_table(parquet)
    mapping = {pa.int64(): pd.Int64Dtype(), pa.string(): pd.StringDtype(), pa.bool_(): pd.BooleanDtype()}
    return table.to_pandas(types_mapper=mapping.get)
