"""The target record: a ``Draft`` (what the extractor found, in document offsets) and the
JSON record of docs/annotation.md built from it with provenance attached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .checks import record_flags
from ..structure.documents import Document
from ..text.spans import sentence_bounds
from .catalogue import match


@dataclass
class Draft:
    """A target before provenance is attached: ANNOTATION.md fields plus document offsets."""

    indicator: str
    value: float
    unit: str
    comparator: str
    direction: str
    target_year: int | None
    period_start: int | None
    baseline_year: int | None
    per_year: bool
    cumulative: bool
    aspirational: bool
    responsible_units: list[str]
    evidence_start: int
    evidence_end: int
    anchor: int  # start of the number
    note: str = ""
    rule: str = ""  # the construction and distribution strategy that made it (provenance)
    binding: str | None = None  # 属性 of a table's target: "binding" (约束性), "expected" (预期性)
    year_source: str = ""  # which reading gave target_year (``years.SOURCES``, or table_column)



def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def to_record(document: Document, d: Draft, raw_sentences: dict[tuple[int, int], tuple[int, int]] | None = None) -> dict[str, Any]:
    """The JSON record of a draft. ``raw_sentences``: the raw spans of the sentences the
    records of the same document made before it have read, kept by the caller: targets often
    share a sentence (half of the bench plans' records), and the raw span of one is a scan of
    its offsets, the same whichever target asks."""
    text = document.text
    raw_start, raw_end = document.normalized.raw_span(d.evidence_start, d.evidence_end)
    sentence_start, sentence_end = sentence_bounds(text, d.anchor)
    raw_sentence = raw_sentences.get((sentence_start, sentence_end)) if raw_sentences is not None else None
    if raw_sentence is None:
        raw_sentence = document.normalized.raw_span(sentence_start, sentence_end)
        if raw_sentences is not None:
            raw_sentences[sentence_start, sentence_end] = raw_sentence
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
        "binding": d.binding,
        "source_file": document.source_file,
        "raw_start": raw_start,
        "raw_end": raw_end,
        # the place of the number itself: in a table row, the target-year cell
        "location": document.locations.at(document.normalized.raw_span(d.anchor, d.anchor + 1)[0]),
        "section": list(document.structure.section_at(d.anchor)),
        "sentence": text[sentence_start:sentence_end],
        "rule": d.rule,
        "year_source": d.year_source,
        # written in the contract's order (tests/test_contract.py), these four filled below
        "flags": [],
        "indicator_id": None,
        "scope": "",
        "catalogue_rule": "",
        "sentence_start": raw_sentence[0],  # raw offsets, as raw_start/raw_end
        "sentence_end": raw_sentence[1],
    }
    record["flags"] = record_flags(record, document.structure.written_year)
    found = match(d.indicator, d.unit, d.direction)
    record.update(indicator_id=found.indicator_id, scope=found.scope, catalogue_rule=found.rule)
    return record
