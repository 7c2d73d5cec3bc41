"""Python API: ``extract(text, doc_id=...)`` returns the target records of a plan;
``records_of(doc)`` the same records of a Doc that the spaCy pipeline made.

The records path runs the pure stages (:mod:`.extraction.stages`) and never imports spaCy:
importing it is most of a short plan's start-up. spaCy is loaded only by
:func:`run_pipeline` and :func:`records_of`, for those who want the Doc."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import PipelineError
from .extraction.records import to_record
from .extraction.stages import Reading, read_structured
from .structure.documents import Document, prepare
from .structure.parts import PART_CHARS, part_bounds, part_of

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract(text: str, doc_id: str = "document", source_file: str = "") -> list[dict[str, Any]]:
    """Target records of a plan given as (raw) text: normalised, structured and read by the
    spaCy pipeline. Offsets in ``raw_start``/``raw_end`` point into ``text``."""
    return extract_document(prepare(text, doc_id, source_file))


@contextlib.contextmanager
def run_pipeline(document: Document) -> Iterator[Doc]:
    """The spaCy Doc of a prepared document, with every component's results on it, valid
    inside the ``with`` block. The structure computed while preparing is handed over rather
    than computed again, and ``nlp(doc)`` runs the components. The Doc lives in a spaCy memory zone: the strings of its tokens are
    freed afterwards, so memory stays flat over a batch of thousands of plans.

    The whole text becomes one Doc, whatever its length (spaCy's ``max_length`` guards the
    memory of parsers this pipeline does not have); :func:`extract_document` runs long
    plans in parts instead."""
    from .extraction.pipeline import build_nlp

    nlp = build_nlp()
    nlp.max_length = max(nlp.max_length, len(document.text) + 1)
    with nlp.memory_zone():
        doc = nlp.tokenizer.from_normalized(document.normalized)
        doc.user_data["doc_id"] = document.doc_id
        doc._.structure = document.structure
        yield nlp(doc)


def records_of(doc: Doc, doc_id: str | None = None, source_file: str = "") -> list[dict[str, Any]]:
    """The records of a Doc that the whole pipeline has run over (``nlp(raw_text)``): the same
    records ``extract(raw_text)`` gives, offsets into the raw text included."""
    from .extraction.pipeline import NORMALIZED

    normalized = doc.user_data.get(NORMALIZED)
    if normalized is None or doc._.structure is None or doc._.targets is None:
        raise PipelineError("records_of needs a Doc made by the policy_targets tokenizer and run through pt_structure … pt_targets")
    document = Document(doc_id or doc.user_data.get("doc_id", "document"), source_file, normalized, doc._.structure)
    return [to_record(document, d) for d in doc._.targets]


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
    for start, found in _parts(document, part_chars):
        records.extend(_records(document, start, found))
        quantities.extend(FoundQuantity(q.start + start, q.end + start, q.text, q.value, q.unit, q.excluded) for q in found.quantities)
    return records, quantities


def _parts(document: Document, part_chars: int) -> Iterator[tuple[int, Reading]]:
    """What the stages find in each part of the plan, with the offset where the part starts."""
    for start, end in part_bounds(document, part_chars):
        yield start, read_plan(part_of(document, start, end))


def _records(document: Document, start: int, found: Reading) -> Iterator[dict[str, Any]]:
    """The records of the targets of a part that starts at ``start``, in offsets of the plan."""
    raw_sentences: dict[tuple[int, int], tuple[int, int]] = {}  # read once for the targets that share a sentence
    for d in found.targets:
        if start:  # a later part: its offsets are the part's
            d = replace(d, evidence_start=d.evidence_start + start, evidence_end=d.evidence_end + start, anchor=d.anchor + start)
        yield to_record(document, d, raw_sentences)


def read_plan(document: Document) -> Reading:
    """Quantities, year phrases and targets of a prepared document as one whole, by the same
    stages as the spaCy pipeline but without building a Doc."""
    return read_structured(document.text, document.structure)


def extract_document(document: Document, part_chars: int = PART_CHARS) -> list[dict[str, Any]]:
    """The target records of a prepared document (see :func:`read_document`), without the
    list of every quantity found, which only the error report reads."""
    return [record for start, found in _parts(document, part_chars) for record in _records(document, start, found)]



def records_of_with_quantities(text: str, doc_id: str = "document") -> tuple[list[dict[str, Any]], list[Any]]:
    """The records of a raw text and every quantity found in it, excluded ones with the name
    of the rule that set them aside: what a spec of the extractor checks."""
    document = prepare(text, doc_id)
    found = read_plan(document)
    return [to_record(document, d) for d in found.targets], list(found.quantities)
