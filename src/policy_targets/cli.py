"""Command-line interface: ``policy-targets normalize|structure|extract|evaluate|validate|dataset|review|catalogue``.

Conventions every command keeps: a problem is one line ``path: problem`` on stderr, never a
traceback (``--debug`` shows one); exit status 0 when all went well, 1 when some input could
not be read (the rest is done), 2 for a usage or set-up error (nothing is done) or an
internal error; ``-o/--output`` names what a command writes, ``-`` being standard output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Optional

import click
import orjson

from .errors import InputError, UsageError


class _Group(click.Group):
    """The commands listed in the order they are defined (the order of a workflow), not sorted."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from . import __version__

        click.echo(f"policy-targets {__version__}")
        ctx.exit()


# The command line is click's: typer, which wrote it before, imports pydantic and builds a
# validator for every option of every command at each start, a sixth of a short plan's run.
@click.group(cls=_Group, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-V", "--version", is_flag=True, expose_value=False, is_eager=True, callback=_version, help="Show the version and exit.")
@click.option("--debug", is_flag=True, help="Show the traceback of an unexpected error.")
def app(debug: bool) -> None:
    """Extract quantified targets from Chinese municipal climate and pollution plans."""
    _state["debug"] = debug


#: The bundled gold sets: ``evaluate`` and ``dataset`` without --corpus/--gold use both.
DEFAULT_SETS = (
    ("bundled", "corpus/raw", "corpus/gold"),
    ("dev", "corpus/dev/raw", "corpus/dev/gold"),
    ("dev2", "corpus/dev2/raw", "corpus/dev2/gold"),
)
REPORT_TO = "please report it, with the command line, to the maintainers (see README: Bad input)"
_state = {"debug": False}


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Anticipated failures become one line and their exit status; anything else says where
    to report it, with a traceback only under --debug."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.Abort):
            raise
        except UsageError as exc:
            click.echo(str(exc), err=True)
            raise click.exceptions.Exit(2) from None
        except InputError as exc:
            click.echo(str(exc), err=True)
            raise click.exceptions.Exit(1) from None
        except KeyboardInterrupt:  # Ctrl-C: workers stopped, temporary files removed on the way out
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:  # `| head`: the reader has what it wanted
            raise click.exceptions.Exit(0) from None
        except OSError as exc:  # disk full, a folder removed under our feet: the machine, not a bug
            if _state["debug"]:
                raise
            click.echo(f"{exc.filename or 'output'}: {exc.strerror or exc}", err=True)
            raise click.exceptions.Exit(2) from None
        except Exception as exc:
            if _state["debug"]:
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}; {REPORT_TO} (rerun with --debug for the traceback)", err=True)
            raise click.exceptions.Exit(2) from None

    return run


def command(**kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return lambda f: app.command(**kwargs)(_guarded(f))


OUTPUT_HELP = "Write here instead of standard output ('-')."
DASK_HELP = "Run the documents as tasks on this Dask scheduler (tcp://HOST:PORT; needs policy-targets[dask] and the files on a shared path); output is identical to a local run."


def _output_option(default: str = "-", help: str = OUTPUT_HELP) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("-o", "--output", default=default, show_default=True, metavar="PATH", help=help)


def _argument(name: str, metavar: str, help: str, many: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.argument(name, metavar=f"{metavar}..." if many else metavar, nargs=-1 if many else 1, required=True, help=help)


def _workers_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("-j", "--workers", type=click.IntRange(min=1), default=1, show_default=True, metavar="N", help=help)


GLOB_HELP = "Which files to take inside folders; repeat for several (default: every supported format)."
glob_option = click.option("--glob", "patterns", multiple=True, metavar="PATTERN", help=GLOB_HELP)
max_mb_option = click.option("--max-mb", type=float, default=20.0, show_default=True, metavar="MB", help="Refuse files larger than this many megabytes.")
dask_option = click.option("--dask-scheduler", "scheduler", metavar="ADDRESS", help=DASK_HELP)


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
        click.echo(str(InputError.from_record(warning)), err=True)
    return document


@command()
@_argument("file", "FILE", "A plan: text (UTF-8, GB18030, Big5 or UTF-16), HTML, Word or PDF ('-' for standard input).")
@click.option("--offsets", is_flag=True, help="Print each paragraph with its raw character span.")
@_output_option()
def normalize(file: str, offsets: bool, output: str) -> None:
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
@_argument("file", "FILE", "A plan file (any supported format; '-' for standard input).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of an outline.")
@_output_option()
def structure(file: str, as_json: bool, output: str) -> None:
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
@_argument("paths", "PATH", "Plan files and folders (searched recursively); '-' reads standard input.", many=True)
@_output_option(help="Write JSONL here (replaced atomically) instead of standard output ('-').")
@_workers_option("Worker processes; output is identical for any number.")
@click.option("--errors-file", metavar="PATH", help="Also write one JSON line per failed file (and per warning).")
@glob_option
@max_mb_option
@dask_option
def extract(paths: tuple[str, ...], output: str, workers: int, errors_file: Optional[str], patterns: tuple[str, ...], max_mb: float, scheduler: Optional[str]) -> None:
    """Extract every quantified target as one JSON line, documents in path order.

    Exit status: 0 all files succeeded (warnings allowed), 1 some failed (each reported as
    `path: problem`; when none could be read, --output is left untouched), 2 usage error."""
    from .dataset.batch import DEFAULT_PATTERN, run_batch

    result = run_batch(paths, output, errors_file, workers, tuple(patterns) or DEFAULT_PATTERN, int(max_mb * 1e6), scheduler=scheduler)
    if result.documents == 0:
        kept = "" if output == "-" else f"; {output} left unchanged"
        click.echo(f"no plan could be read{kept}", err=True)
        raise click.exceptions.Exit(1)
    if output != "-":
        click.echo(f"{result.records} targets from {result.documents} documents -> {output}", err=True)
    if _tally(result.errors):
        raise click.exceptions.Exit(1)


def _tally(errors: list, problems: int = 0) -> bool:
    """The closing lines every batch command prints, and whether it failed: warnings (an
    empty file, a gold plan with no prediction) are counted but do not fail; a file that
    could not be read, or a bad gold line, does (exit 1). The same for extract, dataset
    and review."""
    failed = sum(1 for e in errors if not e.warning)
    warnings = len(errors) - failed
    if warnings:
        click.echo(f"{warnings} warning(s)", err=True)
    if failed or problems:
        click.echo(f"{failed} file(s) failed" + (f", {problems} gold problem(s)" if problems else ""), err=True)
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


def _corpus_sets(corpora: Sequence[str], golds: Sequence[str], need_corpus: bool = True):
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
@click.option("--gold", multiple=True, metavar="[NAME=]FOLDER", help="Gold JSONL folder; repeat for several sets. Default: corpus/gold, corpus/dev/gold and corpus/dev2/gold.")
@click.option("--pred", metavar="FILE", help="Predictions (JSONL). Default: run the extractor on --corpus.")
@click.option("--corpus", multiple=True, metavar="[NAME=]FOLDER", help="Plans to extract when --pred is not given; repeat, paired with --gold.")
@click.option("--errors", is_flag=True, help="List missed gold, spurious predictions and field errors, grouped by the stage that decided them.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--min-f1", type=float, metavar="F1", help="Exit 1 when overall detection F1 is below this.")
@_workers_option("Worker processes when extracting.")
@_output_option(help="Write the report here instead of standard output ('-').")
def evaluate(gold: tuple[str, ...], pred: Optional[str], corpus: tuple[str, ...], errors: bool, as_json: bool, min_f1: Optional[float], workers: int, output: str) -> None:
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
        click.echo(str(p), err=True)
    _write_out(output, _json(report.to_json()) if as_json else report_markdown(report, errors=errors).encode("utf-8"))
    f1 = report.overall.total.figures()["f1"]
    if min_f1 is not None and (f1 is None or f1 < min_f1):
        click.echo(f"detection F1 {cell(f1)} is below --min-f1 {min_f1}", err=True)
        raise click.exceptions.Exit(1)
    if any(not p.warning for p in problems):
        raise click.exceptions.Exit(1)


@command()
@_argument("paths", "PATH", "Target JSONL files or folders of them.", many=True)
def validate(paths: tuple[str, ...]) -> None:
    """Check gold or prediction files against the record schema; report `file:line: field: problem`."""
    from .evaluate.validation import read_folder, read_records

    good, problems, missing = 0, [], 0
    for path in paths:
        p = Path(path)
        if not p.exists():
            click.echo(f"{path}: no such file or folder", err=True)
            missing += 1
            continue
        records, found = read_folder(p) if p.is_dir() else read_records(p)
        good += len(records)
        problems += found
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{good} valid records, {len(problems)} problems", err=True)
    if problems or missing:
        raise click.exceptions.Exit(1)


@command()
@_argument("paths", "PATH", "Plan files and folders (folders are searched recursively).", many=True)
@click.option("-o", "--output", "--out", "out", required=True, type=click.Path(path_type=Path), metavar="FOLDER", help="Folder to write the report to: new, empty, or an earlier report.")
@click.option("--gold", multiple=True, type=click.Path(path_type=Path), metavar="PATH", help="Gold JSONL files or folders (repeatable) to score against.")
@_workers_option("Worker processes; the report is identical for any number.")
@glob_option
@max_mb_option
@dask_option
def review(paths: tuple[str, ...], out: Path, gold: tuple[Path, ...], workers: int, patterns: tuple[str, ...], max_mb: float, scheduler: Optional[str]) -> None:
    """Write a static report to check every target in its text: OUT/index.html opens from disk.

    Exit status: 0 all files read (warnings allowed), 1 some plan or gold file failed (each
    reported as `path: problem`, the report written without it) or no plan could be read
    (nothing written), 2 usage error (such as an output folder holding other files)."""
    from .dataset.batch import DEFAULT_PATTERN
    from .review.site import FolderRefused, write_review

    try:
        result = write_review(paths, out, gold, workers, tuple(patterns) or DEFAULT_PATTERN, int(max_mb * 1e6), scheduler)
    except FolderRefused as exc:
        click.echo(str(exc), err=True)
        raise click.exceptions.Exit(2) from None
    for e in result.errors + result.warnings:
        click.echo(str(e), err=True)
    for p in result.problems:
        click.echo(p, err=True)
    if not result.plans:
        click.echo("no plan could be read: nothing written", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"{result.records} targets from {result.plans} plans -> {out / 'index.html'}", err=True)
    if _tally(result.errors, len(result.problems)):
        raise click.exceptions.Exit(1)


@command()
@click.option("--corpus", multiple=True, metavar="[NAME=]FOLDER", help="Folder of plans; repeat for several sets. Default: bundled=corpus/raw, dev=corpus/dev/raw, dev2=corpus/dev2/raw.")
@click.option("--gold", multiple=True, metavar="[NAME=]FOLDER", help="Gold folder of a corpus, for evaluation.json/.md.")
@click.option("-o", "--output", "--out", "out", type=click.Path(path_type=Path), default="outputs", show_default=True, metavar="FOLDER", help="The dataset folder, replaced as a whole.")
@_workers_option("Worker processes.")
@click.option("--glob", "patterns", multiple=True, metavar="PATTERN", help="Which files to take inside corpus folders; repeat for several (default: every supported format).")
@click.option("--errors-file", metavar="PATH", help="Also write one JSON line per failed file (and per warning); the folder's errors.jsonl holds the same.")
@dask_option
def dataset(corpus: tuple[str, ...], gold: tuple[str, ...], out: Path, workers: int, patterns: tuple[str, ...], errors_file: Optional[str], scheduler: Optional[str]) -> None:
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
        click.echo(str(e), err=True)
    if errors_file is not None:
        _write_out(errors_file, b"".join(dumps_line(r) for r in error_records(built.errors)))
    if not built.docs:
        click.echo(f"no plan could be read; {out} left unchanged", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"dataset of {len(built.rows)} targets from {len(built.docs)} plans written to {out}", err=True)
    if _tally(built.errors):
        raise click.exceptions.Exit(1)


@command()
@click.option("--unmatched", "unmatched_file", metavar="FILE", help="List the most frequent indicators of a JSONL output (extract -o, targets.jsonl, gold) that got no catalogue id.")
@click.option("--top", type=click.IntRange(min=1), default=30, show_default=True, metavar="N", help="How many unmatched indicators to list.")
@click.option("--markdown", is_flag=True, help="Print the catalogue as Markdown (docs/catalogue.md).")
def catalogue(unmatched_file: Optional[str], top: int, markdown: bool) -> None:
    """List the catalogue of standard indicators (rules/catalogue.yaml): id, category, kind,
    unit, name; or, with --unmatched, what an output's indicators lack an entry for."""
    from .dataset.indicators import catalogue_listing, catalogue_markdown, unmatched

    if unmatched_file is None:
        click.echo(catalogue_markdown() if markdown else catalogue_listing(), nl=False)
        return
    path = Path(unmatched_file)
    if not path.is_file():
        raise UsageError(f"{unmatched_file}: no such file")
    from .evaluate.validation import read_records

    records, problems = read_records(path)
    for p in problems:
        click.echo(str(p), err=True)
    ranked = unmatched(records)
    missing = sum(n for _, _, n, _ in ranked)
    click.echo(f"{missing} of {len(records)} records have no catalogue id; the {min(top, len(ranked))} most frequent indicators:", err=True)
    for indicator, unit, n, why in ranked[:top]:
        click.echo(f"{n}\t{indicator}\t{unit or '-'}\t{why or 'no entry'}")
    if problems:
        raise click.exceptions.Exit(1)


def main(argv: Optional[list[str]] = None) -> None:
    app.main(args=argv, prog_name="policy-targets")
