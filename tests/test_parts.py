"""Long plans run in parts of whole paragraphs give exactly the records of one run, and a
plan longer than spaCy's one-million-character Doc limit goes through."""

from pathlib import Path

import pytest

from policy_targets.api import extract, extract_document, read_document
from policy_targets.structure.documents import load_document, prepare
from policy_targets.structure.parts import part_bounds

ROOT = Path(__file__).resolve().parents[1]
PLANS = sorted((ROOT / "corpus" / "raw").glob("*.txt")) + sorted((ROOT / "corpus" / "dev" / "raw").glob("*.txt"))


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_parts_give_the_records_of_one_run(path: Path) -> None:
    document = load_document(path)
    whole = extract_document(document, part_chars=10**9)
    bounds = part_bounds(document, 1500)
    if len(document.text) > 3000:
        assert len(bounds) > 1
    assert bounds[0][0] == 0 and bounds[-1][1] == len(document.text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert extract_document(document, part_chars=1500) == whole


def test_quantities_carry_document_offsets() -> None:
    text = "一、目标\n到2025年，光伏装机达到30万千瓦。\n" + "坚持稳中求进。\n" * 50 + "到2030年，风电装机达到45万千瓦。\n"
    document = prepare(text, "d")
    records, quantities = read_document(document, part_chars=100)
    assert [r["value"] for r in records] == [30, 45]
    for q in quantities:
        assert document.text[q.start : q.end] == q.text


def test_a_plan_over_a_million_characters() -> None:
    paragraph = "到2025年，新增分布式光伏装机容量达到12万千瓦，城市绿化覆盖率不低于43%。\n"
    text = "一、主要目标\n" + paragraph * (1_100_000 // len(paragraph))
    assert len(text) > 1_000_000
    records = extract(text, doc_id="long")
    assert len(records) == 2 * (1_100_000 // len(paragraph))
    assert {r["value"] for r in records} == {12, 43}
