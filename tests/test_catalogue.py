"""The indicator catalogue (rules/catalogue.yaml) and its matcher: the rulebook's shape, ids
that stay, what decides between entries, the scope, the generated page, the command, and the
coverage and agreement on the gold sets as floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_targets import extract, rulecheck, rules
from policy_targets.cli import app
from policy_targets.dataset.build import CorpusSet, catalogue_on_gold
from policy_targets.dataset.indicators import catalogue_markdown, group_by_entry, unmatched
from policy_targets.extraction.catalogue import catalogue, match

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_the_catalogue_is_schema_checked_and_large_enough() -> None:
    book = rules.load("catalogue")
    entries = book["entries"]
    assert len(entries) >= 150
    assert {e["category"] for e in entries} >= {"energy", "air", "water", "soil", "waste", "ecology", "transport", "buildings", "industry", "emissions"}
    assert {e["kind"] for e in entries} >= {"share", "intensity", "concentration", "capacity", "count", "amount"}


def test_ids_are_unique_ascii_and_stable() -> None:
    ids = [e.id for e in catalogue().entries]
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i == i.lower() for i in ids)
    kept = [line for line in (ROOT / "tests" / "data" / "catalogue_ids.txt").read_text("utf-8").splitlines() if line and not line.startswith("#")]
    assert not set(kept) - set(ids), "ids that datasets carry were renamed or removed"


def test_every_entry_has_examples_that_run() -> None:
    """Each entry's examples must get its id and its counterexamples must not (run one by one
    by tests/test_rules.py); here: every entry has both, and they all pass."""
    cases = [c for c in rulecheck.cases() if c.book == "catalogue" and c.path.startswith("entries")]
    per_entry = {c.rule["id"]: set() for c in cases}
    for c in cases:
        per_entry[c.rule["id"]].add(c.kind)
        c.run()
    assert len(per_entry) == len(catalogue().entries)
    assert all(kinds == {"example", "counterexample"} for kinds in per_entry.values())


@pytest.mark.parametrize(
    ("indicator", "unit", "direction", "expected"),
    [
        ("单位工业增加值能耗", "%", "decrease", "industrial_energy_intensity"),
        ("单位地区生产总值能耗", "%", "decrease", "gdp_energy_intensity"),
        ("可吸入颗粒物年均浓度", "微克/立方米", "level", "pm10_concentration"),
        ("细颗粒物年均浓度", "微克/立方米", "level", "pm25_concentration"),
        ("新型储能装机规模", "万千瓦", "level", "new_type_storage_capacity"),
        ("储能装机规模", "万千瓦", "level", "energy_storage_capacity"),
        ("新能源汽车公共充电桩", "个", "level", "charging_piles"),  # the head noun decides
        ("非化石能源在一次能源消费中的占比", "%", "level", "non_fossil_energy_share"),
        ("非化石能源发电量占比", "%", "level", "non_fossil_generation_share"),
    ],
)
def test_the_more_specific_entry_and_the_head_win(indicator: str, unit: str, direction: str, expected: str) -> None:
    assert match(indicator, unit, direction).indicator_id == expected


def test_no_id_where_the_unit_does_not_fit() -> None:
    """A wrong id is worse than none: the name is known, the measure is not."""
    m = match("森林覆盖率", "万亩", "level")
    assert (m.indicator_id, m.rule) == (None, "unit_mismatch:forest_coverage")
    assert match("风电装机容量", "%", "level").indicator_id is None  # a level in % is a share
    assert match("风电装机容量", "%", "increase").indicator_id == "wind_capacity"  # … a change is not
    assert match("乡村振兴示范村", "个", "level") == match("乡村振兴示范村", "个", "level")
    assert match("乡村振兴示范村", "个", "level").indicator_id is None


def _id_scope(indicator: str, unit: str) -> tuple[str | None, str]:
    m = match(indicator, unit, "level")
    return m.indicator_id, m.scope


def test_scope_is_what_the_indicator_names_beyond_the_entry() -> None:
    assert _id_scope("东湖区细颗粒物平均浓度", "微克/立方米") == ("pm25_concentration", "东湖区")
    assert _id_scope("全市细颗粒物平均浓度", "微克/立方米") == ("pm25_concentration", "")
    # the definition of the entry is not a scope
    assert _id_scope("城镇新建建筑中绿色建筑占比", "%") == ("green_building_share", "")
    assert _id_scope("山区乡镇森林覆盖率", "%") == ("forest_coverage", "山区乡镇")


def test_an_organisation_after_the_name_is_another_indicator() -> None:
    assert match("氢能装备企业", "家", "level").indicator_id is None
    assert match("绿色供应链管理企业", "家", "level").indicator_id == "green_supply_chain_firms"


def test_records_carry_id_scope_and_rule() -> None:
    (r,) = extract("到2027年,北岸新区细颗粒物(PM2.5)年均浓度控制在28微克/立方米以内。", doc_id="t")
    assert (r["indicator_id"], r["scope"]) == ("pm25_concentration", "北岸新区")
    assert r["catalogue_rule"].startswith("pm25_concentration:")


def test_the_page_is_current() -> None:
    page = (ROOT / "docs" / "catalogue.md").read_text("utf-8")
    assert page == catalogue_markdown(), "regenerate: policy-targets catalogue --markdown > docs/catalogue.md"


def test_grouping_by_entry() -> None:
    rows = [
        {"doc_id": "a", "indicator_id": "pm25_concentration", "value": 30, "unit": "微克/立方米", "direction": "level", "target_year": 2025},
        {"doc_id": "b", "indicator_id": "pm25_concentration", "value": 33, "unit": "微克/立方米", "direction": "level", "target_year": 2030},
        {"doc_id": "b", "indicator_id": None, "value": 3, "unit": "个", "direction": "level", "target_year": 2030},
    ]
    (g,) = group_by_entry(rows)
    assert (g.targets, g.plans, g.years, g.ranges) == (2, 2, (2025, 2030), (("微克/立方米", 30.0, 33.0),))
    assert unmatched([{"indicator": "乡村振兴示范村", "unit": "个", "direction": "level"}] * 2) == [("乡村振兴示范村", "个", 2, "")]


def test_the_catalogue_command(tmp_path: Path) -> None:
    out = runner.invoke(app, ["catalogue"])
    assert out.exit_code == 0 and "pm25_concentration\tair\tconcentration" in out.output
    records = extract("到2026年,乡村振兴示范村达到12个,风电装机容量达到300万千瓦。", doc_id="t")
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    out = runner.invoke(app, ["catalogue", "--unmatched", str(path)])
    assert out.exit_code == 0
    assert "1\t乡村振兴示范村\t个\tno entry" in out.output and "风电" not in out.output.split("\n", 1)[1]
    missing = runner.invoke(app, ["catalogue", "--unmatched", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and "no such file" in missing.output


def test_coverage_and_agreement_on_the_gold_sets() -> None:
    """Floors: the share of gold records that get an id (all sets) and the agreement with the
    hand-read ids of corpus/dev2/indicator_ids.tsv."""
    sets = [
        CorpusSet("bundled", ROOT / "corpus/raw", ROOT / "corpus/gold"),
        CorpusSet("dev", ROOT / "corpus/dev/raw", ROOT / "corpus/dev/gold"),
        CorpusSet("dev2", ROOT / "corpus/dev2/raw", ROOT / "corpus/dev2/gold"),
    ]
    figures = {f.name: f for f in catalogue_on_gold(sets)}
    covered = sum(f.with_id for f in figures.values()) / sum(f.gold for f in figures.values())
    assert covered >= 0.88
    dev2 = figures["dev2"]
    assert dev2.checked == dev2.gold, "every dev2 gold record has a hand-read line"
    assert dev2.agree / dev2.checked >= 0.99


@pytest.mark.parametrize(
    "source, matching",
    [
        ("甲乙(?:丙|丁)?戊", ["甲乙戊", "甲乙丙戊", "甲乙丁戊"]),
        ("(?:煤|油)(?:消费量?)?(?:占比|比重)?覆盖率", ["煤覆盖率", "油消费量比重覆盖率"]),
        ("(?<!非)能源(?:消费|使用)总量", ["能源消费总量", "能源使用总量"]),
    ],
)
def test_the_text_a_pattern_requires_is_in_every_match(source: str, matching: list[str]) -> None:
    """A name without the required text is not searched (catalogue.required_text): so that
    text must be in every match, and not empty where the pattern has a literal part."""
    from policy_targets.extraction.catalogue import _compile, required_text

    pattern = _compile(source)
    needs = required_text(pattern)
    assert needs
    for text in matching:
        assert pattern.fullmatch(text) and needs in text


def test_no_required_text_is_taken_from_a_pattern_that_ignores_case_of_letters() -> None:
    from policy_targets.extraction.catalogue import _compile, required_text

    assert required_text(_compile("PM2\\.5浓度")) in ("", "浓度")
    assert required_text(_compile("(?:氨氮|NH3)")) == ""
    assert required_text(_compile(".*")) == ""


def test_every_catalogue_example_is_found_as_if_every_pattern_were_searched() -> None:
    """The required texts skip no pattern that would have matched: for every example and
    counterexample name of the catalogue, each pattern that matches it holds its text."""
    from policy_targets.extraction.catalogue import fold

    book = rules.load("catalogue")
    names = [fold(x.split("|")[0].strip()) for e in book["entries"] for x in [*e.get("examples", []), *e.get("counterexamples", [])]]
    assert len(names) > 300
    checked = 0
    for entry in catalogue().entries:
        for _label, pattern, needs in entry.searches:
            for name in names:
                if pattern.search(name):
                    assert needs in name, (entry.id, pattern.pattern, name)
                    checked += 1
    assert checked > 300
