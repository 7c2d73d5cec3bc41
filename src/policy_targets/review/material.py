"""What a plan page needs from the extractor, gathered in one pass over the plan.

A record only carries raw offsets; a page shows the normalised text, so the target's offsets
in that text are taken from the pipeline's own drafts while the records are built. The
worker function is module-level so that batch workers can run it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..api import read_plan
from ..extraction.records import to_record
from ..structure.documents import Document
from ..structure.jurisdiction import Jurisdiction


@dataclass(frozen=True)
class Target:
    """An extracted record and where its evidence stands in the normalised text."""

    record: dict[str, Any]
    start: int
    end: int


@dataclass(frozen=True)
class Number:
    """A number with a unit that did not become a target, and why (``reason`` is the name
    of the exclusion rule, or None when no target construction took it)."""

    start: int
    end: int
    text: str
    reason: str | None


@dataclass(frozen=True)
class Block:
    """A paragraph of the normalised text. When it opens with a heading, ``level`` is the
    heading's depth in the outline (1 for the top) and ``title_length`` the length of its
    title: the whole paragraph for a heading line, less for a run-in heading (1.推进… followed
    by the item's text)."""

    start: int
    end: int
    text: str
    level: int = 0
    title_length: int = 0


@dataclass(frozen=True)
class PlanMaterial:
    doc_id: str
    source_file: str
    title: str | None
    issuer: str | None
    date: str | None
    jurisdiction: Jurisdiction | None
    text: str
    blocks: tuple[Block, ...]
    targets: tuple[Target, ...]
    numbers: tuple[Number, ...]


def _block(p, heading) -> Block:
    if heading is None or not heading.title or not p.text.startswith(heading.title):
        return Block(p.start, p.end, p.text)
    return Block(p.start, p.end, p.text, max(1, len(heading.path)), len(heading.title))


def gather(document: Document) -> PlanMaterial:
    """Run the pipeline on a prepared plan and keep its page material."""
    st = document.structure
    found = read_plan(document)
    drafts = list(found.targets)
    targets = tuple(Target(to_record(document, d), d.evidence_start, d.evidence_end) for d in drafts)
    anchors = {d.anchor for d in drafts}
    numbers = tuple(
        Number(q.start, q.end, q.text, q.excluded)
        for q in found.quantities
        if q.start not in anchors
    )
    headings = {h.start: h for h in st.headings}
    blocks = tuple(_block(p, headings.get(p.start)) for p in st.paragraphs)
    return PlanMaterial(
        document.doc_id, document.source_file, st.title, st.issuer, st.date, st.jurisdiction,
        document.text, blocks, targets, numbers,
    )
