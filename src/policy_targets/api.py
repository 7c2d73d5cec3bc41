"""Python API: ``extract(text, doc_id=...)`` returns the target records of a plan."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc

from .extraction.pipeline import build_nlp
from .extraction.records import to_record
from .structure.documents import Document, prepare


def extract(text: str, doc_id: str = "document", source_file: str = "") -> list[dict[str, Any]]:
    """Target records of a plan given as (raw) text: normalised, structured and read by the
    spaCy pipeline. Offsets in ``raw_start``/``raw_end`` point into ``text``."""
    return extract_document(prepare(text, doc_id, source_file))


@contextlib.contextmanager
def run_pipeline(document: Document) -> Iterator[Doc]:
    """The spaCy Doc of a prepared document, with every component's results on it, valid
    inside the ``with`` block. The structure computed while preparing is handed over rather
    than computed again. The Doc lives in a spaCy memory zone: the strings of its tokens are
    freed afterwards, so memory stays flat over a batch of thousands of plans."""
    nlp = build_nlp()
    with nlp.memory_zone():
        doc = nlp.make_doc(document.text)
        doc.user_data["doc_id"] = document.doc_id
        doc._.structure = document.structure
        for _, component in nlp.pipeline:
            doc = component(doc)
        yield doc


def extract_document(document: Document) -> list[dict[str, Any]]:
    return extract_with_exclusions(document)[0]


def extract_with_exclusions(document: Document) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The target records and, from the same run, every number that was not taken with the
    reason it was not (``unknown_unit``, ``past_year`` …), so that a dataset can report what the
    rules do not know without reading the plan twice."""
    with run_pipeline(document) as doc:
        records = [to_record(document, d) for d in doc._.targets]
        excluded = [{"text": q.text, "unit": q.unit, "reason": q.excluded} for q in doc._.quantities if q.excluded]
    return records, excluded
