"""Readers by format: a plan file of any supported type to plain text plus a location map.

The reader is chosen by the file's content (``sniff``), so a PDF saved as ``.txt`` is read
as a PDF and a PNG is refused as a PNG; the extension decides only between plain text and
HTML and among the OLE2 types. Every reader's text goes through the same normalisation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..text.reading import DEFAULT_MAX_BYTES, decode_report, read_bytes
from .extracted import TABLE_CELL_SEPARATOR, Extracted, LocationMap
from .sniff import SUPPORTED_SUFFIXES, sniff

__all__ = ["Extracted", "LocationMap", "SUPPORTED_SUFFIXES", "TABLE_CELL_SEPARATOR", "read_source", "extract_bytes"]


def _read_text(data: bytes, name: str) -> Extracted:
    decoded = decode_report(data, name)
    return Extracted(decoded.text, warnings=decoded.warnings)


def _reader(kind: str) -> Callable[[bytes, str], Extracted]:
    """Import a reader only when a file needs it: a batch of text files never loads
    trafilatura, pdfminer or python-docx."""
    if kind == "html":
        from .html import read_html

        return read_html
    if kind == "docx":
        from .docx import read_docx

        return read_docx
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf
    if kind == "office":
        from .office import read_office

        return read_office
    return _read_text


def extract_bytes(data: bytes, name: str) -> Extracted:
    """The text and locations of a file's bytes; ``name`` is used for the extension and in errors."""
    return _reader(sniff(data, name))(data, name)


def read_source(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Extracted:
    """Read a plan file of any supported format, or raise :class:`InputError` naming it."""
    return extract_bytes(read_bytes(path, max_bytes), str(path))
