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


def test_a_table_is_never_cut_between_parts() -> None:
    """An indicator table is read as a whole (its header names the columns of every row), so
    a part boundary never falls inside it; the table here is our own."""
    table = (
        "表2 主要目标\n"
        "指标 | 2020年 | 2025年 | 属性\n"
        "光伏发电装机容量(万千瓦) | 40 | 120 | 预期性\n"
        "城市污水处理率(%) | 95 | ≥98 | 约束性\n"
        "公共领域新能源车辆比例(%) | 30 | 80 | 预期性\n"
    )
    text = "某县“十四五”能源发展规划\n一、发展目标\n" + "坚持节约优先。\n" * 20 + table + "坚持创新驱动。\n" * 20
    document = prepare(text, "t")
    whole = extract_document(document, part_chars=10**9)
    assert [r["value"] for r in whole] == [120, 98, 80]
    for size in (60, 100, 150):
        bounds = part_bounds(document, size)
        assert len(bounds) > 2
        table_start = document.text.index("指标|")
        table_end = document.text.index("坚持创新驱动")
        assert not any(table_start < a < table_end for a, _ in bounds)
        assert extract_document(document, part_chars=size) == whole
