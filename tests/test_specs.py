"""The specs in tests/specs/*.jsonl: each sentence gives the records it says, with the fields
that matter, the evidence span and the exclusion reasons. A spec marked ``not_supported`` is a
known limitation and must still fail (strict xfail): when it passes, unmark it."""

import pytest

from spec_runner import load_specs

SPECS = load_specs()


def _param(spec):
    marks = [pytest.mark.xfail(reason=spec.not_supported, strict=True)] if spec.not_supported else []
    return pytest.param(spec, id=spec.id, marks=marks)


@pytest.mark.parametrize("spec", [_param(s) for s in SPECS])
def test_spec(spec) -> None:
    problems = spec.problems()
    assert problems == [], f"{spec.data['input']!r}: " + "; ".join(problems)


def test_specs_cover_each_file_and_mark_limitations() -> None:
    files = {s.file for s in SPECS}
    assert {"comparators.jsonl", "units.jsonl", "verbs.jsonl", "indicators.jsonl", "qualifiers.jsonl", "periods.jsonl", "exclusions.jsonl", "unseen.jsonl", "limitations.jsonl"} <= files
    assert any(s.not_supported for s in SPECS)  # limitations stay visible, fixed ones are unmarked
    assert all("excluded" in s.data for s in SPECS if s.file == "exclusions.jsonl")
