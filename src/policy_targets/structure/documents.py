"""A plan read from disk and prepared for extraction: the one place that chains reading (any
format), normalisation and structure, so that every command sees the same document."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ..formats import LocationMap, read_source
from ..text.normalize import NormalizedText, normalize, t2s
from ..text.reading import DEFAULT_MAX_BYTES, check_not_empty
from .outline import DocumentStructure, analyse
from .paragraphs import join_wrapped_lines


#: Characters of the raw page read for the page's own date (发布时间 …), which normalisation
#: drops as debris.
_PAGE_HEAD = 2000


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_file: str
    normalized: NormalizedText
    structure: DocumentStructure
    #: Where each stretch of the raw text stood in the source file (page, paragraph, table
    #: cell), keyed by raw offsets; empty for plain text, whose offsets are the place.
    locations: LocationMap = LocationMap()
    #: What the reading could not do or did with a doubt (a PDF page's characters not all
    #: placed, a repaired mojibake): the document is read, and every command reports these as
    #: warnings of the file.
    warnings: tuple[InputError, ...] = ()
    #: Source text the reader left out for want of a sure place (a row of an unruled PDF
    #: table that cannot be aligned), with where it stood: the dataset reports it.
    left_out: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return self.normalized.text


def doc_id_for(path: str | Path) -> str:
    """ANNOTATION.md: the input file's name without extension."""
    return Path(path).stem


def normalize_plan(raw: str) -> NormalizedText:
    """Normalised text with hard-wrapped lines joined into paragraphs: what every command reads."""
    return normalize(raw, join_wrapped_lines)


def prepare(
    raw: str, doc_id: str, source_file: str = "", locations: LocationMap = LocationMap(), warnings: tuple[InputError, ...] = ()
) -> Document:
    normalized = normalize_plan(raw)
    page_head = t2s(raw[:_PAGE_HEAD]) if normalized.script == "traditional" else raw[:_PAGE_HEAD]
    return Document(doc_id, source_file, normalized, analyse(normalized.text, doc_id, page_head), locations, warnings)


def load_document(
    path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES, doc_id: str | None = None, source_file: str | None = None
) -> Document:
    """Read a plan file of any supported format (text, HTML, Word, PDF …) and prepare it;
    ``doc_id`` defaults to the file's name without extension (a batch passes the path below
    its input folder instead), ``source_file`` to the path (``<stdin>`` for ``-``). A file
    with no text is an ``empty`` warning, not a plan."""
    name = str(path) if source_file is None else source_file
    source = read_source(path, max_bytes)
    check_not_empty(source.text, name)
    warnings = tuple(InputError(name, w.kind, w.message, warning=True) for w in source.warnings)
    document = prepare(source.text, doc_id or doc_id_for(path), name, source.locations, warnings)
    if not _has_body(document):  # all of it was debris: an error, never an empty success
        raise InputError(name, "empty", "no plan text beyond a title once navigation, page numbers and other debris are removed")
    return replace(document, left_out=source.left_out)


def _has_body(document: Document) -> bool:
    """Whether any paragraph is left that is not the page's title (the headline a web page
    reader adds from ``<title>``, which alone is no plan)."""
    for p in document.structure.paragraphs:
        if p.text.strip():
            start, end = document.normalized.raw_span(p.start, p.end)
            if document.locations.at(start) != "title" or document.locations.at(end - 1) != "title":
                return True
    return False
