"""Command-line interface: ``policy-targets normalize|structure|extract|evaluate|dataset|review``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import orjson
import typer

from .structure.documents import load_document
from .errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Extract quantified targets from Chinese municipal climate and pollution plans.",
)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"policy-targets {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Extract quantified targets from Chinese municipal climate and pollution plans."""


def _load(file: Path):
    """The prepared document, or exit 1 with `path: problem` on stderr."""
    try:
        return load_document(file)
    except InputError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _dump(obj) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n")


@app.command()
def normalize(
    file: Path = typer.Argument(..., help="A plan: text (UTF-8, GB18030 or UTF-16), HTML, Word or PDF."),
    offsets: bool = typer.Option(False, "--offsets", help="Print each paragraph with its raw character span."),
) -> None:
    """Print the normalised text of a plan in any format: simplified script, ASCII digits, debris removed, wraps joined."""
    doc = _load(file)
    if not offsets:
        sys.stdout.write(doc.text + ("\n" if doc.text else ""))
        return
    for p in doc.structure.paragraphs:
        raw_start, raw_end = doc.normalized.raw_span(p.start, p.end)
        sys.stdout.write(f"{raw_start}\t{raw_end}\t{p.text}\n")


@app.command()
def structure(
    file: Path = typer.Argument(..., help="A plan file (any supported format)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of an outline."),
) -> None:
    """Show metadata, the heading tree and the responsible units of every item."""
    doc = _load(file)
    data = doc.structure.to_json(doc.normalized.raw_span)
    data["doc_id"] = doc.doc_id
    if as_json:
        _dump(data)
        return
    for key in ("doc_id", "title", "city", "issuer", "doc_number", "date"):
        typer.echo(f"{key}: {data[key]}")
    typer.echo(f"script: {doc.normalized.script}")
    typer.echo("headings:")
    for h in doc.structure.headings:
        box = " [专栏]" if h.in_box else ""
        typer.echo("  " * (len(h.path)) + h.title + box)
    typer.echo(f"items: {len(data['items'])}")
    for it in data["items"]:
        units = "、".join(it["responsible_units"]) or "—"
        typer.echo(f"  {it['section'][-1] if it['section'] else '(no heading)'}  [{it['raw_start']}:{it['raw_end']}]  {units}")


@app.command()
def extract(
    paths: list[Path] = typer.Argument(..., help="Plan files and folders (folders are searched recursively)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write JSONL here (atomically) instead of stdout."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="Worker processes; output is identical for any number."),
    errors_file: Optional[Path] = typer.Option(None, "--errors-file", help="Also write one JSON line per failed file."),
    pattern: Optional[str] = typer.Option(None, "--glob", help="Which files to take inside folders (default: every supported format)."),
    max_mb: float = typer.Option(20.0, "--max-mb", help="Refuse files larger than this many megabytes."),
) -> None:
    """Extract every quantified target as one JSON line, documents in path order.

    Exit status: 0 all files succeeded, 1 some failed (each reported as `path: problem`),
    2 usage error."""
    from .dataset.batch import DEFAULT_PATTERN, run_batch

    result = run_batch(paths, output, errors_file, workers, pattern or DEFAULT_PATTERN, int(max_mb * 1e6))
    if output is not None:
        typer.echo(f"{result.records} targets from {result.documents} documents -> {output}", err=True)
    if result.errors:
        typer.echo(f"{len(result.errors)} file(s) failed", err=True)
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Path = typer.Option(Path("corpus/gold"), "--gold", help="Folder of gold JSONL files."),
    pred: Optional[Path] = typer.Option(None, "--pred", help="Predictions (JSONL). Default: run the extractor on --corpus."),
    corpus: Path = typer.Option(Path("corpus/raw"), "--corpus", help="Plans to extract when --pred is not given."),
    errors: bool = typer.Option(False, "--errors", help="List missed gold, spurious predictions and field errors."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    min_f1: Optional[float] = typer.Option(None, "--min-f1", help="Exit 1 when detection F1 is below this."),
) -> None:
    """Score predictions against gold as docs/annotation.md defines it."""
    from .evaluate.evaluation import evaluate as score
    from .evaluate.reporting import report_markdown
    from .evaluate.validation import read_folder, read_records

    gold_records, problems = read_folder(gold)
    if pred is None:
        pred_records, extract_errors = _extract_folder(corpus)
    else:
        pred_records, pred_problems = read_records(pred)
        problems += pred_problems
        extract_errors = []
    for p in problems:
        typer.echo(str(p), err=True)
    for e in extract_errors:
        typer.echo(str(e), err=True)
    report = score(gold_records, pred_records)
    if as_json:
        _dump(report.to_json())
    else:
        sys.stdout.write(report_markdown(report, errors=errors))
    f1 = report.total.figures()["f1"]
    if min_f1 is not None and f1 < min_f1:
        typer.echo(f"detection F1 {f1:.4f} is below --min-f1 {min_f1}", err=True)
        raise typer.Exit(1)


@app.command()
def validate(paths: list[Path] = typer.Argument(..., help="Target JSONL files or folders of them.")) -> None:
    """Check gold or prediction files against the record schema; report `file:line: field: problem`."""
    from .evaluate.validation import read_folder, read_records

    good, problems = 0, []
    for path in paths:
        records, found = read_folder(path) if path.is_dir() else read_records(path)
        good += len(records)
        problems += found
    for p in problems:
        typer.echo(str(p))
    typer.echo(f"{good} valid records, {len(problems)} problems", err=True)
    if problems:
        raise typer.Exit(1)


@app.command()
def review(
    paths: list[Path] = typer.Argument(..., help="Plan files and folders (folders are searched recursively)."),
    out: Path = typer.Option(..., "-o", "--out", help="Folder to write the report to: new, empty, or an earlier report."),
    gold: Optional[list[Path]] = typer.Option(None, "--gold", help="Gold JSONL files or folders (repeatable) to score against."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="Worker processes; the report is identical for any number."),
    pattern: Optional[str] = typer.Option(None, "--glob", help="Which files to take inside folders (default: every supported format)."),
    max_mb: float = typer.Option(20.0, "--max-mb", help="Refuse files larger than this many megabytes."),
) -> None:
    """Write a static report to check every target in its text: OUT/index.html opens from disk.

    Exit status: 0 all files read, 1 some plan or gold file failed (each reported as
    `path: problem`, the report written without it) or no plan could be read (nothing
    written), 2 usage error (such as an output folder holding other files)."""
    from .dataset.batch import DEFAULT_PATTERN
    from .review.site import FolderRefused, write_review

    try:
        result = write_review(paths, out, gold or (), workers, pattern or DEFAULT_PATTERN, int(max_mb * 1e6))
    except FolderRefused as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    for e in result.errors:
        typer.echo(str(e), err=True)
    for p in result.problems:
        typer.echo(p, err=True)
    if not result.plans:
        typer.echo("no plan could be read: nothing written", err=True)
        raise typer.Exit(1)
    typer.echo(f"{result.records} targets from {result.plans} plans -> {out / 'index.html'}", err=True)
    if result.errors or result.problems:
        typer.echo(f"{len(result.errors)} file(s) failed, {len(result.problems)} gold problem(s)", err=True)
        raise typer.Exit(1)


@app.command()
def dataset(
    corpus: Path = typer.Option(Path("corpus/raw"), "--corpus", help="Folder of plans."),
    gold: Path = typer.Option(Path("corpus/gold"), "--gold", help="Gold folder for evaluation.json/.md."),
    out: Path = typer.Option(Path("outputs"), "--out", help="Where to write the dataset."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, help="Worker processes."),
) -> None:
    """Rebuild the indicator dataset (JSONL, CSV, Parquet, documents, evaluation, summary)."""
    from .dataset.build import write_dataset

    errors = write_dataset(corpus, gold, out, workers)
    for e in errors:
        typer.echo(str(e), err=True)
    typer.echo(f"dataset written to {out}", err=True)
    if errors:
        raise typer.Exit(1)


def _extract_folder(folder: Path):
    from .dataset.batch import collect_inputs, iter_results

    files, errors = collect_inputs([folder])
    records = []
    for _path, recs, error in iter_results(files):
        if error:
            errors.append(InputError(error["path"], error["kind"], error["message"]))
        else:
            records.extend(recs)
    return records, errors


def main(argv: Optional[list[str]] = None) -> None:
    app(args=argv, prog_name="policy-targets")
