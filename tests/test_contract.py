"""The record contract is written once (contract.py); the JSON Schema that gold and
predictions are validated against, the dataset's Arrow schema and the extractor's records
must all agree with it."""

from __future__ import annotations

from policy_targets import extract
from policy_targets.contract import FIELDS, RECORD_FIELDS
from policy_targets.dataset.build import SCHEMA
from policy_targets.evaluate.validation import schema

_JSON = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean", "strings": "array"}


def _types(prop: dict) -> set[str]:
    if "enum" in prop:
        return {"string" if isinstance(v, str) else "null" for v in prop["enum"]}
    t = prop.get("type")
    return set(t) if isinstance(t, list) else {t}


def test_the_json_schema_knows_every_field_with_its_type() -> None:
    props = schema()["properties"]
    for f in RECORD_FIELDS:
        assert f.name in props, f"{f.name} missing from target.schema.json"
        types = _types(props[f.name])
        assert _JSON[f.type] in types, f"{f.name}: schema says {types}, contract says {f.type}"
        if not f.nullable:
            assert "null" not in types, f"{f.name} is not nullable in the contract"
        else:
            assert "null" in types, f"{f.name} is nullable in the contract"


def test_required_fields_are_the_guides_own() -> None:
    required = set(schema()["required"])
    assert required <= {f.name for f in RECORD_FIELDS if not f.provenance}


def test_the_arrow_schema_starts_with_the_record_fields() -> None:
    assert tuple(SCHEMA.names[: len(FIELDS)]) == FIELDS


def test_a_record_has_exactly_the_contracts_fields_in_order() -> None:
    (record,) = extract("到2026年,城市生活污水集中收集率达到75%以上。", doc_id="t")
    assert tuple(record) == FIELDS
