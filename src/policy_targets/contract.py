"""The record contract of docs/annotation.md: every field of a target record, its type and
whether it may be null, written once.

The extractor's records, the dataset's Arrow schema and CSV columns are built from this
table; ``evaluate/schema/target.schema.json`` (what gold and predictions are validated
against) is checked against it by a test, so the five places that used to spell the
record out cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string", "number", "integer", "boolean" or "strings" (a list of strings)
    nullable: bool = False
    provenance: bool = False  # added by the extractor; not part of a gold record


_F = Field
RECORD_FIELDS: tuple[Field, ...] = (
    _F("doc_id", "string"),
    _F("indicator", "string"),
    _F("value", "number"),
    _F("unit", "string"),
    _F("comparator", "string"),
    _F("direction", "string"),
    _F("target_year", "integer", nullable=True),
    _F("period_start", "integer", nullable=True),
    _F("baseline_year", "integer", nullable=True),
    _F("per_year", "boolean"),
    _F("cumulative", "boolean"),
    _F("aspirational", "boolean"),
    _F("responsible_units", "strings"),
    _F("evidence", "string"),
    _F("optional", "boolean"),
    _F("note", "string"),
    _F("binding", "string", nullable=True),  # 约束性 -> "binding", 预期性 -> "expected"
    _F("source_file", "string", provenance=True),
    _F("raw_start", "integer", provenance=True),
    _F("raw_end", "integer", provenance=True),
    _F("location", "string", provenance=True),  # page, paragraph or table cell of the source file; "" for text
    _F("section", "strings", provenance=True),
    _F("sentence", "string", provenance=True),
    _F("rule", "string", provenance=True),
    _F("year_source", "string", provenance=True),  # the reading that gave target_year: paragraph, continued, heading, title, none, table_column
    _F("flags", "strings", provenance=True),  # names of the self-checks it fails (rules/checks.yaml)
    # the catalogue entry of the indicator (rules/catalogue.yaml), null when none fits; what the
    # indicator names beyond it (a place, a sector, a subset); the catalogue rule that decided
    _F("indicator_id", "string", nullable=True, provenance=True),
    _F("scope", "string", provenance=True),
    _F("catalogue_rule", "string", provenance=True),
    # raw offsets of ``sentence``: the sentence around the number, or its clauses when the
    # sentence is longer than a few hundred characters (text/spans.MAX_RECORD_SENTENCE)
    _F("sentence_start", "integer", provenance=True),
    _F("sentence_end", "integer", provenance=True),
)

#: Field order of an output record: the guide's fields, then provenance.
FIELDS: tuple[str, ...] = tuple(f.name for f in RECORD_FIELDS)
