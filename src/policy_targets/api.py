"""Python API: ``extract(text, doc_id=...)`` returns the target records of a plan."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc

from .documents import Document, prepare
from .pipeline import build_nlp
from .quantities import SENTENCE_BREAKS, sentence_start
from .targets import Draft

#: Field order of an output record: ANNOTATION.md fields, then provenance.
FIELDS = (
    "doc_id", "indicator", "value", "unit", "comparator", "direction", "target_year", "period_start",
    "baseline_year", "per_year", "cumulative", "aspirational", "responsible_units", "evidence",
    "optional", "note", "source_file", "raw_start", "raw_end", "section", "sentence",
)


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
    with run_pipeline(document) as doc:
        return [to_record(document, d) for d in doc._.targets]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _sentence(text: str, pos: int) -> str:
    a = sentence_start(text, pos)
    b = pos
    while b < len(text) and text[b] not in SENTENCE_BREAKS:
        b += 1
    if b < len(text) and text[b] != "\n":
        b += 1
    return text[a:b]


def to_record(document: Document, d: Draft) -> dict[str, Any]:
    text = document.text
    raw_start, raw_end = document.normalized.raw_span(d.evidence_start, d.evidence_end)
    record = {
        "doc_id": document.doc_id,
        "indicator": d.indicator,
        "value": _number(d.value),
        "unit": d.unit,
        "comparator": d.comparator,
        "direction": d.direction,
        "target_year": d.target_year,
        "period_start": d.period_start,
        "baseline_year": d.baseline_year,
        "per_year": d.per_year,
        "cumulative": d.cumulative,
        "aspirational": d.aspirational,
        "responsible_units": list(d.responsible_units),
        "evidence": text[d.evidence_start : d.evidence_end],
        "optional": False,
        "note": d.note,
        "source_file": document.source_file,
        "raw_start": raw_start,
        "raw_end": raw_end,
        "section": list(document.structure.section_at(d.anchor)),
        "sentence": _sentence(text, d.anchor),
    }
    return {k: record[k] for k in FIELDS}
