"""The target-year stage (extraction/years.py): every reading is proposed, the rulebook's
order picks one, and the record says which. Sentences written for these tests."""

from pathlib import Path

import yaml

from policy_targets import extract
from policy_targets.extraction.timescope import YearPhrase
from policy_targets.extraction.years import NO_YEAR, YearReading, choose

PLAN = "一、2027年工作目标\n全市城市生活垃圾回收利用率达到40%。\n到2030年,城市生活垃圾回收利用率达到45%。\n"


def _phrase(year: int) -> YearPhrase:
    return YearPhrase(0, 5, (year,), year, None, "single")


def test_the_first_source_of_the_order_that_has_a_reading_is_taken() -> None:
    offered = [YearReading("heading", _phrase(2027)), YearReading("title", _phrase(2026)), NO_YEAR]
    assert choose(offered, ["paragraph", "none"]) is NO_YEAR
    assert choose(offered, ["paragraph", "heading", "none"]).target_year == 2027
    assert choose(offered, ["title", "heading", "none"]).target_year == 2026
    assert choose([NO_YEAR], ["paragraph"]) is NO_YEAR


def test_the_contract_takes_the_paragraph_phrase_and_says_so() -> None:
    records = extract(PLAN)
    assert [(r["value"], r["target_year"], r["year_source"]) for r in records] == [(40, None, "none"), (45, 2030, "paragraph")]


def test_a_heading_lends_its_year_only_when_the_rulebook_lists_it(rules_copy: Path) -> None:
    path = rules_copy / "periods.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["year_choice"]["order"] = ["paragraph", "heading", "none"]
    data["year_choice"]["counterexamples"] = []
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    records = extract(PLAN)
    assert [(r["value"], r["target_year"], r["year_source"]) for r in records] == [(40, 2027, "heading"), (45, 2030, "paragraph")]


def test_a_list_written_one_item_a_line_is_dated_by_the_year_before_it() -> None:
    text = "按照行动方案,2027年各县考核目标为,甲县优良天数310天,PM10浓度为48微克/立方米;\n乙县优良天数305天,PM10浓度为52微克/立方米;\n丙县优良天数300天。\n"
    assert [(r["value"], r["target_year"]) for r in extract(text)] == [(310, 2027), (48, 2027), (305, 2027), (52, 2027), (300, 2027)]


def test_this_year_names_no_year_and_leaves_the_year_before_it() -> None:
    dated = extract("印发《甲县2027年大气污染防治工作要点》,今年全县空气质量优良天数不低于320天。")
    undated = extract("今年全县空气质量优良天数不低于320天。")
    after_past = extract("去年全县完成造林2万亩。今年全县完成造林3万亩。")
    assert [r["target_year"] for r in dated] == [2027] and [r["target_year"] for r in undated] == [None]
    assert [r["value"] for r in after_past] == [3]


def test_a_list_broken_across_lines_keeps_the_year_that_opened_it() -> None:
    """A mirror page writes a list one entry a line, each ending in a full stop: entries that
    measure the same thing for other subjects go on with the list, and so on down a chain."""
    text = "2027年各镇考核指标为:甲镇空气优良天数310天。\n乙镇空气优良天数305天。\n丙镇空气优良天数300天。\n"
    records = extract(text)
    assert [(r["value"], r["target_year"]) for r in records] == [(310, 2027), (305, 2027), (300, 2027)]
    assert [r["year_source"] for r in records] == ["paragraph", "continued", "continued"]


def test_a_year_that_broke_off_before_its_targets_dates_the_next_line() -> None:
    text = "到2026年,单位产值能耗下降10%。到2029年,产业结构明显优化。\n单位产值能耗下降16%左右;光伏装机达到300万千瓦。\n"
    assert [(r["value"], r["target_year"]) for r in extract(text)] == [(10, 2026), (16, 2029), (300, 2029)]


def test_a_new_paragraph_that_opens_with_its_own_framing_is_no_continuation() -> None:
    """The same measure after a paragraph of its own words (据悉,…) is a new paragraph:
    ANNOTATION.md leaves it without a year."""
    text = "甲县印发《甲县2027年大气污染防治方案》,全县空气优良天数不低于320天。\n据悉,方案从六个方面分解任务,其中乙镇空气优良天数不低于300天。\n"
    assert [(r["value"], r["target_year"]) for r in extract(text)] == [(320, 2027), (300, None)]


def test_a_year_inside_a_clause_does_not_carry_to_the_next_paragraph() -> None:
    text = "到2026年,城镇污水集中收集率达到70%,且不低于2024年水平。\n分县目标:甲县城镇污水集中收集率达到80%。\n"
    assert [(r["value"], r["target_year"]) for r in extract(text)] == [(70, 2026), (80, None)]
