"""Long documents in parts: every step after structure reads one paragraph at a time, so a
plan can be run through the pipeline a slice of whole paragraphs at a time, with memory
bounded by the slice rather than by the file (spaCy refuses a Doc over a million characters
outright, error E088).

A part is a :class:`Document` of its own whose text is a slice of the whole; its structure is
the whole document's, shifted so that lookups (the heading above, the 专栏 box around, the
item and its 责任单位) answer exactly as they would in the whole text. Offsets found in a
part plus the part's start are offsets in the whole document.
"""

from __future__ import annotations

from dataclasses import replace

from ..text.normalize import NormalizedText
from ..text.textmap import MappedText
from .documents import Document
from .outline import DocumentStructure
from .tables import Table

#: Characters per part: large enough that the part count stays small for ordinary plans
#: (which are one part), small enough that a Doc's tokens stay a few tens of megabytes.
PART_CHARS = 200_000


def part_bounds(document: Document, max_chars: int = PART_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive slices of whole paragraphs, each at most ``max_chars``
    long unless one paragraph (or one indicator table, which is read as a whole) alone is
    longer; together they cover the whole text."""
    text_len = len(document.text)
    if text_len <= max_chars:
        return [(0, text_len)]
    inside_table = {row.start for t in document.structure.tables for row in t.rows[1:]}  # rows are paragraphs
    bounds: list[tuple[int, int]] = []
    start = 0
    for p in document.structure.paragraphs:
        if p.start > start and p.end - start > max_chars and p.start not in inside_table:
            bounds.append((start, p.start))
            start = p.start
    bounds.append((start, text_len))
    return bounds


def part_of(document: Document, start: int, end: int) -> Document:
    """The slice ``[start, end)`` of ``document`` as a document of its own."""
    if (start, end) == (0, len(document.text)):
        return document
    n = document.normalized
    mapped = MappedText(n.text[start:end], n.offsets[start:end])
    normalized = NormalizedText(n.raw, mapped, n.script)
    return Document(document.doc_id, document.source_file, normalized, _shifted(document.structure, start, end))


def _shifted(st: DocumentStructure, start: int, end: int) -> DocumentStructure:
    """The structure seen from a part: its paragraphs and tables, the items that overlap it
    (cut to it), and every heading before its end (a heading far above still names the
    section)."""
    paragraphs = tuple(replace(p, start=p.start - start, end=p.end - start) for p in st.paragraphs if start <= p.start < end)
    headings = tuple(replace(h, start=h.start - start, end=h.end - start) for h in st.headings if h.start < end)
    items = tuple(
        replace(
            it,
            start=max(it.start, start) - start,
            end=min(it.end, end) - start,
            block_start=None if it.block_start is None else it.block_start - start,
        )
        for it in st.items
        if it.start < end and it.end > start
    )
    tables = tuple(_shifted_table(t, start) for t in st.tables if start <= t.start < end)
    return replace(
        st,
        paragraphs=paragraphs,
        headings=headings,
        items=items,
        tables=tables,
    )


def _shifted_table(t: Table, by: int) -> Table:
    rows = tuple(
        replace(r, start=r.start - by, end=r.end - by, cells=tuple(replace(c, start=c.start - by, end=c.end - by) for c in r.cells))
        for r in t.rows
    )
    return replace(t, start=t.start - by, end=t.end - by, rows=rows)
