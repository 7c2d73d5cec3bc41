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
