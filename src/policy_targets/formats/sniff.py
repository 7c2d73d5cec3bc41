"""Which reader a file needs, decided by its first bytes (magic numbers), with the extension
consulted only where content cannot tell: plain text from HTML written without a doctype,
and the OLE2 container shared by Word 97 ``.doc``, WPS ``.wps`` and Excel ``.xls``.

A PDF renamed ``.txt`` is read as a PDF; a PNG renamed ``.txt`` is refused as a PNG.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import regex

from ..errors import InputError

HTML_SUFFIXES = (".html", ".htm", ".shtml")
#: Every extension the batch takes by default, in the order the README lists them.
SUPPORTED_SUFFIXES = (".txt", *HTML_SUFFIXES, ".docx", ".pdf", ".doc", ".wps")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Magic numbers of files that are not plans, so that the error says what the file is.
_NOT_A_PLAN: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", "a Windows executable"),
    (b"{\\rtf", "an RTF document (save it as .docx)"),
    (b"%!PS", "a PostScript file (convert it to PDF)"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<?xml")


def sniff(data: bytes, name: str) -> str:
    """The reader for ``data``: ``text``, ``html``, ``pdf``, ``docx`` or ``office`` (an OLE2
    word-processor file for LibreOffice); anything else is an :class:`InputError`."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(_OLE2):
        suffix = Path(name).suffix.lower()
        if suffix in (".xls", ".et", ".ppt", ".dps"):
            raise InputError(name, "unsupported", "this is a spreadsheet or slide file (OLE2), not a plan text")
        return "office"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        raise InputError(name, "unsupported", "this is a WebP image")
    for magic, what in _NOT_A_PLAN:
        if data.startswith(magic):
            raise InputError(name, "unsupported", f"this is {what}")
    if _looks_like_html(data) or (Path(name).suffix.lower() in HTML_SUFFIXES and _has_markup(data)):
        return "html"
    return "text"


def _looks_like_html(data: bytes) -> bool:
    """A saved page under another name: markup first, and an ``<html`` element early on (a
    text file that merely starts with a tag is not a page)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_STARTS) and b"<html" in head


#: An element of a web page, opening or closing: what any saved page holds and a plain-text
#: plan does not (a plan may hold ``<附件1>`` or ``PM2.5<35``, never ``<p>`` or ``</div>``).
_MARKUP = regex.compile(
    rb"<\s*/?\s*(?:html|head|body|title|meta|div|p|br|span|table|tr|td|th|a|font|h[1-6]|ul|ol|li|script|style|center|article|section)\b[^<>]*>|<!doctype\b",
    regex.IGNORECASE,
)


def _has_markup(data: bytes) -> bool:
    """True for a page; False for a plain-text plan saved under ``.html`` (some sites serve
    the text of a notice that way), which the page reader would find empty."""
    return _MARKUP.search(data[:65_536]) is not None


def _zip_kind(data: bytes, name: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(name, "corrupt", f"a damaged ZIP container (Word, OFD or archive): {exc}") from None
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        raise InputError(
            name, "unsupported",
            "this is an OFD document, which is not read: save or print it as PDF (or .docx) from an OFD reader and run on that",
        )
    if any(n.startswith("xl/") for n in names):
        raise InputError(name, "unsupported", "this is an Excel workbook (.xlsx), not a plan text")
    if any(n.startswith("ppt/") for n in names):
        raise InputError(name, "unsupported", "this is a PowerPoint file (.pptx), not a plan text")
    if "content.xml" in names and "mimetype" in names:
        raise InputError(name, "unsupported", "this is an OpenDocument file: save it as .docx")
    raise InputError(name, "unsupported", "this is a ZIP archive: unpack it and run on the files inside")
