"""Python API: ``extract(text, doc_id=...)`` returns the target records of a plan."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc

from .extraction.pipeline import build_nlp
from .extraction.records import to_record
from .structure.documents import Document, prepare
from .structure.parts import PART_CHARS, part_bounds, part_of


def extract(text: str, doc_id: str = "document", source_file: str = "") -> list[dict[str, Any]]:
    """Target records of a plan given as (raw) text: normalised, structured and read by the
    spaCy pipeline. Offsets in ``raw_start``/``raw_end`` point into ``text``."""
    return extract_document(prepare(text, doc_id, source_file))


@contextlib.contextmanager
def run_pipeline(document: Document) -> Iterator[Doc]:
    """The spaCy Doc of a prepared document, with every component's results on it, valid
    inside the ``with`` block. The structure computed while preparing is handed over rather
    than computed again. The Doc lives in a spaCy memory zone: the strings of its tokens are
    freed afterwards, so memory stays flat over a batch of thousands of plans.

    The whole text becomes one Doc, whatever its length (spaCy's ``max_length`` guards the
    memory of parsers this pipeline does not have); :func:`extract_document` runs long
    plans in parts instead."""
    nlp = build_nlp()
    nlp.max_length = max(nlp.max_length, len(document.text) + 1)
    with nlp.memory_zone():
        doc = nlp.make_doc(document.text)
        doc.user_data["doc_id"] = document.doc_id
        doc._.structure = document.structure
        for _, component in nlp.pipeline:
            doc = component(doc)
        yield doc


@dataclass(frozen=True)
class FoundQuantity:
    """A number with a unit the pipeline found, with the exclusion rule that kept it from being a
    target (None for a candidate), in offsets of
    the normalised text: what ``evaluate --errors`` needs to explain a missed gold record."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    reason: str | None  # the exclusion rule; None when the quantity was a candidate


def read_document(document: Document, part_chars: int = PART_CHARS) -> tuple[list[dict[str, Any]], list[FoundQuantity]]:
    """Target records and every quantity found (with its exclusion reason, if any), the plan
    run through the pipeline in parts of whole paragraphs so that memory stays bounded by
    ``part_chars`` rather than by the file."""
    records: list[dict[str, Any]] = []
    quantities: list[FoundQuantity] = []
    for start, end in part_bounds(document, part_chars):
        with run_pipeline(part_of(document, start, end)) as doc:
            for d in doc._.targets:
                shifted = replace(d, evidence_start=d.evidence_start + start, evidence_end=d.evidence_end + start, anchor=d.anchor + start)
                records.append(to_record(document, shifted))
            quantities.extend(
                FoundQuantity(q.start + start, q.end + start, q.text, q.value, q.unit, q.excluded) for q in doc._.quantities
            )
    return records, quantities


def extract_document(document: Document, part_chars: int = PART_CHARS) -> list[dict[str, Any]]:
    """The target records of a prepared document (see :func:`read_document`)."""
    return read_document(document, part_chars)[0]

