"""Constructions met in plans of many provinces, each shown with sentences written for these
tests (none is taken from corpus/ or corpus/dev/): the grammar, not the sentence."""

from __future__ import annotations

import pytest

from policy_targets import extract


def _one(text: str) -> dict:
    records = extract(text, doc_id="t")
    assert len(records) == 1, records
    return records[0]


# --- responsible units ----------------------------------------------------------------------


def test_a_unit_block_wrapped_after_its_label_is_still_the_items_block() -> None:
    text = "3.推进公交电动化。到2026年,县域新能源公交车占比达到90%。(责任单位:\n县交通运输局、县发展改革局,\n各乡镇)\n"
    assert _one(text)["responsible_units"] == ["县交通运输局", "县发展改革局", "各乡镇"]


@pytest.mark.parametrize("issuer", ["某某市人民政府", "某某省人民政府办公厅"])
def test_the_issuer_named_after_a_news_item_is_not_a_responsible_unit(issuer: str) -> None:
    text = f"某某市印发行动计划。到2026年,全市公共充电桩达到3000个以上。({issuer})"
    assert _one(text)["responsible_units"] == []


def test_governments_that_share_out_work_are_units() -> None:
    text = "2.推进农村户用光伏。到2026年,农村户用光伏装机达到20万千瓦。(各县(市、区)人民政府)"
    assert _one(text)["responsible_units"] == ["各县(市、区)人民政府"]


# --- hedges carried by an elided verb --------------------------------------------------------


def test_a_clause_going_on_a_hedged_verb_is_hedged_too() -> None:
    records = extract("到2027年,全县力争建成公共充电站40座,充电桩800个;其中快充桩300个。", doc_id="t")
    assert [(r["indicator"], r["aspirational"]) for r in records] == [
        ("公共充电站建成", True),
        ("充电桩", True),
        ("快充桩", False),
    ]


@pytest.mark.parametrize("predicate", ["达到", "超过", "不低于"])
def test_a_clause_with_its_own_predicate_is_not_hedged_by_the_one_before(predicate: str) -> None:
    records = extract(f"到2027年,力争建成公共充电站40座,新能源公交车占比{predicate}95%。", doc_id="t")
    assert [r["aspirational"] for r in records] == [True, False]
