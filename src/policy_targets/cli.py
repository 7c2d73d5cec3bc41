"""Command-line interface: ``policy-targets normalize|structure|extract|evaluate|validate|dataset|review|catalogue``.

Conventions every command keeps: a problem is one line ``path: problem`` on stderr, never a
traceback (``--debug`` shows one); exit status 0 when all went well, 1 when some input could
not be read (the rest is done), 2 for a usage or set-up error (nothing is done) or an
internal error; ``-o/--output`` names what a command writes, ``-`` being standard output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, Optional

import orjson
import typer
import typer.core

from .errors import InputError, UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: readable metavars (PATH, N), no <list[str]> column
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Extract quantified targets from Chinese municipal climate and pollution plans.",
)

# Typer prints an argument's Python type beside its metavar ("PATH <list[str]>"); the
# metavar and the help already say what to give.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]

#: The bundled gold sets: ``evaluate`` and ``dataset`` without --corpus/--gold use both.
DEFAULT_SETS = (
    ("bundled", "corpus/raw", "corpus/gold"),
    ("dev", "corpus/dev/raw", "corpus/dev/gold"),
    ("dev2", "corpus/dev2/raw", "corpus/dev2/gold"),
)
REPORT_TO = "please report it, with the command line, to the maintainers (see README: Bad input)"
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"policy-targets {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of an unexpected error."),
) -> None:
    """Extract quantified targets from Chinese municipal climate and pollution plans.

    Exit status: 0 all went well, 1 some inputs could not be read, 2 usage, set-up or
    internal error."""
    _state["debug"] = debug


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Anticipated failures become one line and their exit status; anything else says where
    to report it, with a traceback only under --debug."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except UsageError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        except InputError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:  # Ctrl-C: workers stopped, temporary files removed on the way out
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `| head`: the reader has what it wanted
            raise typer.Exit(0) from None
        except OSError as exc:  # disk full, a folder removed under our feet: the machine, not a bug
            if _state["debug"]:
                raise
            typer.echo(f"{exc.filename or 'output'}: {exc.strerror or exc}", err=True)
            raise typer.Exit(2) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            typer.echo(f"internal error: {type(exc).__name__}: {exc}; {REPORT_TO} (rerun with --debug for the traceback)", err=True)
            raise typer.Exit(2) from None

    return run


def command(**kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return lambda f: app.command(**kwargs)(_guarded(f))


OUTPUT_HELP = "Write here instead of standard output ('-')."
DASK_HELP = "Run the documents as tasks on this Dask scheduler (tcp://HOST:PORT; needs policy-targets[dask] and the files on a shared path); output is identical to a local run."


def _output_option(default: str = "-", help: str = OUTPUT_HELP) -> Any:
    return typer.Option(default, "-o", "--output", metavar="PATH", help=help)


def _write_out(output: str, data: bytes) -> None:
    from .dataset.writing import atomic_writer, check_output

    check_output(output)
    with atomic_writer(output) as fh:
        fh.write(data)


def _json(obj: Any) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n"


def _load(file: str):
    """A single plan of a command that reads one file; the reader's warnings go to stderr."""
    from .dataset.batch import reading_warning
    from .structure.documents import load_document

    document = load_document(file, doc_id="stdin" if file == "-" else None, source_file="<stdin>" if file == "-" else None)
    warning = reading_warning(document.source_file, document.warnings)
    if warning is not None:
        typer.echo(str(InputError.from_record(warning)), err=True)
    return document


@command()
def normalize(
    file: str = typer.Argument(..., metavar="FILE", help="A plan: text (UTF-8, GB18030, Big5 or UTF-16), HTML, Word or PDF ('-' for standard input)."),
    offsets: bool = typer.Option(False, "--offsets", help="Print each paragraph with its raw character span."),
    output: str = _output_option(),
) -> None:
    """Print the normalised text of a plan in any format: simplified script, ASCII digits, debris removed, wraps joined."""
    doc = _load(file)
    if not offsets:
        text = doc.text + ("\n" if doc.text else "")
    else:
        lines = []
        for p in doc.structure.paragraphs:
            raw_start, raw_end = doc.normalized.raw_span(p.start, p.end)
            lines.append(f"{raw_start}\t{raw_end}\t{p.text}\n")
        text = "".join(lines)
    _write_out(output, text.encode("utf-8"))


@command()
def structure(
    file: str = typer.Argument(..., metavar="FILE", help="A plan file (any supported format; '-' for standard input)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of an outline."),
    output: str = _output_option(),
) -> None:
    """Show metadata, the heading tree and the responsible units of every item."""
    doc = _load(file)
    data = doc.structure.to_json(doc.normalized.raw_span)
    data["doc_id"] = doc.doc_id
    if as_json:
        _write_out(output, _json(data))
        return
    lines = [f"{key}: {data[key]}" for key in ("doc_id", "title", "issuer", "doc_number", "date", "period", "jurisdiction", "admin_code", "level")]
    lines += [f"script: {doc.normalized.script}", "headings:"]
    for h in doc.structure.headings:
        lines.append("  " * (len(h.path)) + h.title + (" [专栏]" if h.in_box else ""))
    lines.append(f"items: {len(data['items'])}")
    for it in data["items"]:
        units = "、".join(it["responsible_units"]) or "—"
        lines.append(f"  {it['section'][-1] if it['section'] else '(no heading)'}  [{it['raw_start']}:{it['raw_end']}]  {units}")
    _write_out(output, ("\n".join(lines) + "\n").encode("utf-8"))


@command()
def extract(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Plan files and folders (searched recursively); '-' reads standard input."),
    output: str = _output_option(help="Write JSONL here (replaced atomically) instead of standard output ('-')."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, metavar="N", help="Worker processes; output is identical for any number."),
    errors_file: Optional[str] = typer.Option(None, "--errors-file", metavar="PATH", help="Also write one JSON line per failed file (and per warning)."),
    patterns: list[str] = typer.Option([], "--glob", metavar="PATTERN", help="Which files to take inside folders; repeat for several (default: every supported format)."),
    max_mb: float = typer.Option(20.0, "--max-mb", metavar="MB", help="Refuse files larger than this many megabytes."),
    scheduler: Optional[str] = typer.Option(None, "--dask-scheduler", metavar="ADDRESS", help=DASK_HELP),
) -> None:
    """Extract every quantified target as one JSON line, documents in path order.

    Exit status: 0 all files succeeded (warnings allowed), 1 some failed (each reported as
    `path: problem`; when none could be read, --output is left untouched), 2 usage error."""
    from .dataset.batch import DEFAULT_PATTERN, run_batch

    result = run_batch(paths, output, errors_file, workers, tuple(patterns) or DEFAULT_PATTERN, int(max_mb * 1e6), scheduler=scheduler)
    if result.documents == 0:
        kept = "" if output == "-" else f"; {output} left unchanged"
        typer.echo(f"no plan could be read{kept}", err=True)
        raise typer.Exit(1)
    if output != "-":
        typer.echo(f"{result.records} targets from {result.documents} documents -> {output}", err=True)
    if _tally(result.errors):
        raise typer.Exit(1)


def _tally(errors: list, problems: int = 0) -> bool:
    """The closing lines every batch command prints, and whether it failed: warnings (an
    empty file, a gold plan with no prediction) are counted but do not fail; a file that
    could not be read, or a bad gold line, does (exit 1). The same for extract, dataset
    and review."""
    failed = sum(1 for e in errors if not e.warning)
    warnings = len(errors) - failed
    if warnings:
        typer.echo(f"{warnings} warning(s)", err=True)
    if failed or problems:
        typer.echo(f"{failed} file(s) failed" + (f", {problems} gold problem(s)" if problems else ""), err=True)
    return bool(failed or problems)


def _named(value: str) -> tuple[str | None, Path]:
    """``NAME=FOLDER`` or ``FOLDER``."""
    name, sep, folder = value.partition("=")
    if sep and name and "/" not in name:
        return name, Path(folder)
    return None, Path(value)


def _set_name(folder: Path) -> str:
    """A corpus folder's name, or its parent's when it is called ``raw`` or ``gold`` (corpus/dev/raw -> dev)."""
    folder = Path(folder.as_posix().rstrip("/") or ".")
    return folder.parent.name if folder.name in ("raw", "gold") and folder.parent.name else folder.name


def _corpus_sets(corpora: list[str], golds: list[str], need_corpus: bool = True):
    """The corpus sets of --corpus/--gold: the bundled ones when neither is given; gold
    named ``NAME=FOLDER`` goes with the corpus of that name, unnamed gold by position."""
    from .dataset.build import CorpusSet

    if not corpora and not golds:
        return [CorpusSet(n, Path(r), Path(g)) for n, r, g in DEFAULT_SETS]
    if need_corpus and not corpora:
        raise UsageError("--gold needs --corpus (the plans to extract) or --pred")
    named = [_named(c) for c in corpora]
    sets = [(name or _set_name(folder), folder) for name, folder in named]
    by_name: dict[str, Path] = {}
    unnamed: list[Path] = []
    for name, folder in (_named(g) for g in golds):
        if name is None:
            unnamed.append(folder)
        else:
            by_name[name] = folder
    if sets and len(unnamed) > len(sets):
        raise UsageError(f"{len(golds)} --gold folders for {len(sets)} --corpus folders; pair them as NAME=FOLDER")
    unknown = set(by_name) - {n for n, _ in sets}
    if unknown and sets:
        raise UsageError(f"--gold {sorted(unknown)[0]}=…: no --corpus of that name")
    out = [CorpusSet(n, f, by_name.get(n, unnamed[i] if i < len(unnamed) else None)) for i, (n, f) in enumerate(sets)]
    if not sets:  # gold only, with --pred
        out = [CorpusSet(n, Path("."), f) for n, f in by_name.items()]
        out += [CorpusSet(_set_name(f), Path("."), f) for f in unnamed]
    return out


@command()
def evaluate(
    gold: list[str] = typer.Option([], "--gold", metavar="[NAME=]FOLDER", help="Gold JSONL folder; repeat for several sets. Default: corpus/gold, corpus/dev/gold and corpus/dev2/gold."),
    pred: Optional[str] = typer.Option(None, "--pred", metavar="FILE", help="Predictions (JSONL). Default: run the extractor on --corpus."),
    corpus: list[str] = typer.Option([], "--corpus", metavar="[NAME=]FOLDER", help="Plans to extract when --pred is not given; repeat, paired with --gold."),
    errors: bool = typer.Option(False, "--errors", help="List missed gold, spurious predictions and field errors, grouped by the stage that decided them."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    min_f1: Optional[float] = typer.Option(None, "--min-f1", metavar="F1", help="Exit 1 when overall detection F1 is below this."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, metavar="N", help="Worker processes when extracting."),
    output: str = _output_option(help="Write the report here instead of standard output ('-')."),
) -> None:
    """Score predictions against one or more gold sets as docs/annotation.md defines it,
    side by side (each set, and overall).

    Exit status 2 when there is nothing to score (no gold, no prediction, no document in common)."""
    from .dataset.build import evaluate_extracted, evaluate_file
    from .dataset.writing import check_output
    from .evaluate.reporting import cell, report_markdown

    check_output(output)
    sets = _corpus_sets(corpus, gold, need_corpus=pred is None)
    missing = [s for s in sets if s.gold is None]
    if missing:
        raise UsageError(f"{missing[0].raw}: no --gold for this corpus")
    report, problems = evaluate_extracted(sets, workers) if pred is None else evaluate_file(sets, pred)
    for p in problems:
        typer.echo(str(p), err=True)
    _write_out(output, _json(report.to_json()) if as_json else report_markdown(report, errors=errors).encode("utf-8"))
    f1 = report.overall.total.figures()["f1"]
    if min_f1 is not None and (f1 is None or f1 < min_f1):
        typer.echo(f"detection F1 {cell(f1)} is below --min-f1 {min_f1}", err=True)
        raise typer.Exit(1)
    if any(not p.warning for p in problems):
        raise typer.Exit(1)


@command()
def validate(paths: list[str] = typer.Argument(..., metavar="PATH", help="Target JSONL files or folders of them.")) -> None:
    """Check gold or prediction files against the record schema; report `file:line: field: problem`."""
    from .evaluate.validation import read_folder, read_records

    good, problems, missing = 0, [], 0
    for path in paths:
        p = Path(path)
        if not p.exists():
            typer.echo(f"{path}: no such file or folder", err=True)
            missing += 1
            continue
        records, found = read_folder(p) if p.is_dir() else read_records(p)
        good += len(records)
        problems += found
    for problem in problems:
        typer.echo(str(problem))
    typer.echo(f"{good} valid records, {len(problems)} problems", err=True)
    if problems or missing:
        raise typer.Exit(1)


@command()
def review(
    paths: list[str] = typer.Argument(..., metavar="PATH", help="Plan files and folders (folders are searched recursively)."),
    out: Path = typer.Option(..., "-o", "--output", "--out", metavar="FOLDER", help="Folder to write the report to: new, empty, or an earlier report."),
    gold: list[Path] = typer.Option([], "--gold", metavar="PATH", help="Gold JSONL files or folders (repeatable) to score against."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, metavar="N", help="Worker processes; the report is identical for any number."),
    patterns: list[str] = typer.Option([], "--glob", metavar="PATTERN", help="Which files to take inside folders; repeat for several (default: every supported format)."),
    max_mb: float = typer.Option(20.0, "--max-mb", metavar="MB", help="Refuse files larger than this many megabytes."),
    scheduler: Optional[str] = typer.Option(None, "--dask-scheduler", metavar="ADDRESS", help=DASK_HELP),
) -> None:
    """Write a static report to check every target in its text: OUT/index.html opens from disk.

    Exit status: 0 all files read (warnings allowed), 1 some plan or gold file failed (each
    reported as `path: problem`, the report written without it) or no plan could be read
    (nothing written), 2 usage error (such as an output folder holding other files)."""
    from .dataset.batch import DEFAULT_PATTERN
    from .review.site import FolderRefused, write_review

    try:
        result = write_review(paths, out, gold, workers, tuple(patterns) or DEFAULT_PATTERN, int(max_mb * 1e6), scheduler)
    except FolderRefused as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    for e in result.errors + result.warnings:
        typer.echo(str(e), err=True)
    for p in result.problems:
        typer.echo(p, err=True)
    if not result.plans:
        typer.echo("no plan could be read: nothing written", err=True)
        raise typer.Exit(1)
    typer.echo(f"{result.records} targets from {result.plans} plans -> {out / 'index.html'}", err=True)
    if _tally(result.errors, len(result.problems)):
        raise typer.Exit(1)


@command()
def dataset(
    corpus: list[str] = typer.Option([], "--corpus", metavar="[NAME=]FOLDER", help="Folder of plans; repeat for several sets. Default: bundled=corpus/raw, dev=corpus/dev/raw, dev2=corpus/dev2/raw."),
    gold: list[str] = typer.Option([], "--gold", metavar="[NAME=]FOLDER", help="Gold folder of a corpus, for evaluation.json/.md."),
    out: Path = typer.Option(Path("outputs"), "-o", "--output", "--out", metavar="FOLDER", help="The dataset folder, replaced as a whole."),
    workers: int = typer.Option(1, "--workers", "-j", min=1, metavar="N", help="Worker processes."),
    patterns: list[str] = typer.Option([], "--glob", metavar="PATTERN", help="Which files to take inside corpus folders; repeat for several (default: every supported format)."),
    errors_file: Optional[str] = typer.Option(None, "--errors-file", metavar="PATH", help="Also write one JSON line per failed file (and per warning); the folder's errors.jsonl holds the same."),
    scheduler: Optional[str] = typer.Option(None, "--dask-scheduler", metavar="ADDRESS", help=DASK_HELP),
) -> None:
    """Rebuild the indicator dataset (JSONL, CSV, Parquet, documents, evaluation, summary,
    errors).

    The folder is written whole or not at all; missing corpus or gold folders are errors.
    Exit status: 0 all files read (warnings allowed), 1 some failed (each reported as
    `path: problem`, and listed in errors.jsonl and summary.md), 2 usage error."""
    from .dataset.batch import DEFAULT_PATTERN, dumps_line
    from .dataset.build import error_records, write_dataset
    from .dataset.writing import check_output

    sets = _corpus_sets(corpus, gold)
    if errors_file is not None:
        check_output(errors_file, "errors file")
    built = write_dataset(sets, out, workers, tuple(patterns) or DEFAULT_PATTERN, progress=None, scheduler=scheduler)
    for e in built.errors:
        typer.echo(str(e), err=True)
    if errors_file is not None:
        _write_out(errors_file, b"".join(dumps_line(r) for r in error_records(built.errors)))
    if not built.docs:
        typer.echo(f"no plan could be read; {out} left unchanged", err=True)
        raise typer.Exit(1)
    typer.echo(f"dataset of {len(built.rows)} targets from {len(built.docs)} plans written to {out}", err=True)
    if _tally(built.errors):
        raise typer.Exit(1)


@command()
def catalogue(
    unmatched_file: Optional[str] = typer.Option(None, "--unmatched", metavar="FILE", help="List the most frequent indicators of a JSONL output (extract -o, targets.jsonl, gold) that got no catalogue id."),
    top: int = typer.Option(30, "--top", min=1, metavar="N", help="How many unmatched indicators to list."),
    markdown: bool = typer.Option(False, "--markdown", help="Print the catalogue as Markdown (docs/catalogue.md)."),
) -> None:
    """List the catalogue of standard indicators (rules/catalogue.yaml): id, category, kind,
    unit, name; or, with --unmatched, what an output's indicators lack an entry for."""
    from .dataset.indicators import catalogue_listing, catalogue_markdown, unmatched

    if unmatched_file is None:
        typer.echo(catalogue_markdown() if markdown else catalogue_listing(), nl=False)
        return
    path = Path(unmatched_file)
    if not path.is_file():
        raise UsageError(f"{unmatched_file}: no such file")
    from .evaluate.validation import read_records

    records, problems = read_records(path)
    for p in problems:
        typer.echo(str(p), err=True)
    ranked = unmatched(records)
    missing = sum(n for _, _, n, _ in ranked)
    typer.echo(f"{missing} of {len(records)} records have no catalogue id; the {min(top, len(ranked))} most frequent indicators:", err=True)
    for indicator, unit, n, why in ranked[:top]:
        typer.echo(f"{n}\t{indicator}\t{unit or '-'}\t{why or 'no entry'}")
    if problems:
        raise typer.Exit(1)


def main(argv: Optional[list[str]] = None) -> None:
    app(args=argv, prog_name="policy-targets")
