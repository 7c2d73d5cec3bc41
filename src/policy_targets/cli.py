"""Command-line interface: ``policy-targets normalize|structure|extract|evaluate|dataset``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import orjson
import typer

from .documents import load_document
from .errors import InputError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Extract quantified targets from Chinese municipal climate and pollution plans.",
)


def _fail(exc: InputError) -> None:
    typer.echo(str(exc), err=True)
    raise typer.Exit(1)


def _dump(obj) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n")


@app.command()
def normalize(
    file: Path = typer.Argument(..., help="A plan as text (UTF-8, GB18030 or UTF-16)."),
    offsets: bool = typer.Option(False, "--offsets", help="Print each paragraph with its raw character span."),
) -> None:
    """Print the normalised text: simplified script, ASCII digits, debris removed, wraps joined."""
    try:
        doc = load_document(file)
    except InputError as exc:
        _fail(exc)
    if not offsets:
        sys.stdout.write(doc.text + ("\n" if doc.text else ""))
        return
    for p in doc.structure.paragraphs:
        raw_start, raw_end = doc.normalized.raw_span(p.start, p.end)
        sys.stdout.write(f"{raw_start}\t{raw_end}\t{p.text}\n")


@app.command()
def structure(
    file: Path = typer.Argument(..., help="A plan as text."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of an outline."),
) -> None:
    """Show metadata, the heading tree and the responsible units of every item."""
    try:
        doc = load_document(file)
    except InputError as exc:
        _fail(exc)
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


def main(argv: Optional[list[str]] = None) -> None:
    app(args=argv, prog_name="policy-targets")
