"""Target extraction: the floors on the bundled gold set, behaviour on plans it has never
seen, provenance, and the pipeline as a spaCy citizen."""

import json
from pathlib import Path
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_targets import extract
from policy_targets.api import extract_document
from policy_targets.evaluate.validation import problems_of


@pytest.fixture(scope="module")
def seed_predictions(seed_documents):
    return {doc_id: extract_document(doc) for doc_id, doc in seed_documents.items()}


def test_records_are_valid_and_carry_provenance(seed_documents, seed_predictions) -> None:
    for doc_id, records in seed_predictions.items():
        raw = seed_documents[doc_id].normalized.raw
        for r in records:
            assert problems_of(r) == []
            assert r["doc_id"] == doc_id
            assert 0 <= r["raw_start"] < r["raw_end"] <= len(raw)
            number = str(r["value"]).rstrip("0").rstrip(".") if "." in str(r["value"]) else str(r["value"])
            assert number in raw[r["raw_start"] : r["raw_end"]].replace(",", "").replace(" ", "")
            assert r["sentence"] and r["evidence"] in r["sentence"].replace(" ", "") or r["evidence"] in r["sentence"]
            assert r["sentence_start"] <= r["raw_start"] < r["raw_end"] <= r["sentence_end"] <= len(raw)


def test_traditional_plan_offsets_point_at_the_traditional_text(seed_documents, seed_predictions) -> None:
    raw = seed_documents["qingdao-carbon-peak"].normalized.raw
    r = next(r for r in seed_predictions["qingdao-carbon-peak"] if r["value"] == 600)
    assert raw[r["raw_start"] : r["raw_end"]].startswith("可再生能源裝機容量")


def test_documents_in_order_and_records_in_document_order(seed_predictions) -> None:
    for records in seed_predictions.values():
        starts = [r["raw_start"] for r in records]
        assert starts == sorted(starts)


def test_empty_text_and_plans_without_targets_give_no_records() -> None:
    assert extract("") == []
    assert extract("\n\n") == []
    assert extract("一、总体要求\n坚持稳中求进工作总基调,推动绿色低碳发展。(责任单位:市发展改革委)") == []


@pytest.mark.parametrize("joiner", [" ", "", "，"])
def test_the_sentence_of_a_record_is_bounded_whatever_the_line(joiner: str) -> None:
    """A plan pasted as one line with no full stop: each record carries the clauses around
    its number, not the whole line, so output grows with the number of targets only."""
    from policy_targets.text.spans import MAX_RECORD_SENTENCE

    sizes = []
    for n in (60, 240):
        line = joiner.join(f"到2030年第{i}园区新建储能电站{i + 3}座" for i in range(n))
        text = "某市储能发展方案\n\n" + line + "\n"
        records = extract(text)
        assert len(records) == n
        for r in records:
            assert len(r["sentence"]) <= MAX_RECORD_SENTENCE
            assert r["sentence_start"] <= r["raw_start"] < r["raw_end"] <= r["sentence_end"]
            assert r["evidence"] in r["sentence"]
            assert "".join(text[r["sentence_start"] : r["sentence_end"]].split()) == "".join(r["sentence"].split())
        sizes.append(sum(len(json.dumps(r, ensure_ascii=False)) for r in records) / n)
    assert sizes[1] < 1.2 * sizes[0], sizes  # bytes per record do not grow with the line


def test_a_short_sentence_is_whole_with_its_mark() -> None:
    text = "某市方案\n\n一、目标\n加快推进绿色转型，到2027年，全市新能源汽车保有量达到12万辆。其他工作另行部署。\n"
    (r,) = extract(text)
    assert r["sentence"] == text[r["sentence_start"] : r["sentence_end"]] == "加快推进绿色转型，到2027年，全市新能源汽车保有量达到12万辆。"


# The sentences in the style of other provinces' plans are specs: tests/specs/unseen.jsonl.


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("到2025年，比重达到9%左右以上万千瓦个家分别、和（其中）“十四五”期间累计力争下降比2020年建设。\n(责任单位:市发展改革委)一二三百千")), max_size=120))
def test_extractor_never_raises_and_offsets_stay_inside(text: str) -> None:
    for r in extract(text):
        assert 0 <= r["raw_start"] <= r["raw_end"] <= len(text)
        assert 0 <= r["sentence_start"] <= r["sentence_end"] <= len(text)
        assert problems_of(r) == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_extractor_never_raises_on_arbitrary_unicode(text: str) -> None:
    for r in extract(text):
        assert 0 <= r["raw_start"] <= r["raw_end"] <= len(text)


def test_components_are_registered_through_entry_points() -> None:
    code = (
        "import spacy, json\n"
        "nlp = spacy.blank('zh', config={'nlp': {'tokenizer': {'@tokenizers': 'policy_targets.selective_jieba.v1'}}})\n"
        "for name in ('pt_structure', 'pt_quantities', 'pt_time_scopes', 'pt_targets'):\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('到2025年,储能设施装机规模达到100万千瓦以上。')\n"
        "print(json.dumps([[s.text, s.label_] for s in doc.spans['quantities']] + [[t.indicator, t.value] for t in doc._.targets], ensure_ascii=False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [["100万千瓦", "quantity"], ["储能设施装机规模", 100]]


UNSEEN_PLAN = Path(__file__).parent / "data" / "unseen-plan.txt"
UNSEEN_PLAN_TARGETS = [
    ("非化石能源消费比重", 25, "%", "~", "level", 2025, None, None, False, False),
    ("新能源装机容量", 600, "万千瓦", ">=", "level", 2025, None, None, False, False),
    ("非化石能源消费比重", 30, "%", "=", "level", 2030, None, None, False, True),
    ("单位地区生产总值二氧化碳排放", 65, "%", ">=", "decrease", 2030, None, 2005, False, False),
    ("光伏发电装机规模", 300, "万千瓦", "=", "level", 2025, None, None, False, False),
    ("光伏发电装机规模", 500, "万千瓦", "=", "level", 2030, None, None, False, True),
    ("煤炭消费量", 10, "%", "~", "decrease", 2025, 2021, None, False, False),
    ("新能源汽车保有量", 80, "万辆", "=", "level", 2025, None, None, False, False),
    ("公交车新能源化率", 100, "%", ">=", "level", 2025, None, None, False, False),
    ("出租车新能源化率", 95, "%", ">=", "level", 2025, None, None, False, False),
    ("充电桩建成", 15, "万个", "=", "level", 2025, None, None, False, False),
    ("城市生活垃圾回收利用率", 40, "%", ">=", "level", 2025, None, None, False, False),
    ("一般工业固体废物综合利用率", 95, "%", ">=", "level", 2025, None, None, False, False),
    ("新增再生资源回收网点", 200, "个", "=", "level", 2024, None, None, True, False),
]


def _full(records):
    return [
        (r["indicator"], r["value"], r["unit"], r["comparator"], r["direction"], r["target_year"], r["period_start"], r["baseline_year"], r["per_year"], r["aspirational"])
        for r in records
    ]


def test_a_whole_unseen_plan() -> None:
    """A plan in the style of another province, written for this test: thresholds, a 专栏 of
    projects and a labelled 牵头/配合 block included."""
    records = extract(UNSEEN_PLAN.read_text("utf-8"), doc_id="unseen-plan")
    assert _full(records) == UNSEEN_PLAN_TARGETS
    units = {r["value"]: r["responsible_units"] for r in records}
    assert units[25] == []
    assert units[80] == ["市交通运输局", "市工业和信息化局", "各区人民政府"]
    assert units[200] == ["市城市管理综合执法局", "市商务局", "市工业和信息化局"]


def test_the_same_plan_in_traditional_script_gives_the_same_targets() -> None:
    import opencc

    traditional = opencc.OpenCC("s2t").convert(UNSEEN_PLAN.read_text("utf-8"))
    assert traditional != UNSEEN_PLAN.read_text("utf-8")
    records = extract(traditional, doc_id="unseen-plan")
    assert _full(records) == UNSEEN_PLAN_TARGETS
    for r in records:
        number = str(r["value"])
        assert number in traditional[r["raw_start"] : r["raw_end"]]
