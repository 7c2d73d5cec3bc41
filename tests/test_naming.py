"""The naming stage (extraction/naming.py): candidate names, and the plan's own place dropped
from the front of a name as a scope word. Notices written for these tests, of places no corpus
names."""

from policy_targets import extract

NOTICE = (
    "铜仁市人民政府关于印发《铜仁市减污降碳协同增效实施方案》的通知\n"
    "到2027年,铜仁市城市生活污水集中收集率达到75%。\n"
    "到2027年,碧江区城市生活污水集中收集率达到80%。\n"
    "到2027年,铜仁机场绿色电力使用比例达到30%。\n"
)


def test_the_plans_own_place_is_a_scope_word_and_another_place_is_part_of_the_name() -> None:
    names = [r["indicator"] for r in extract(NOTICE)]
    assert names[:2] == ["城市生活污水集中收集率", "碧江区城市生活污水集中收集率"]


def test_a_place_name_that_opens_the_name_of_another_thing_stays() -> None:
    assert extract(NOTICE)[2]["indicator"] == "铜仁机场绿色电力使用比例"


def test_another_city_named_in_a_plan_keeps_its_name() -> None:
    text = "铜仁市人民政府关于印发《铜仁市空气质量持续改善行动方案》的通知\n到2027年,毕节市PM2.5平均浓度下降到25微克/立方米。\n"
    assert extract(text)[0]["indicator"] == "毕节市PM2.5平均浓度"


def test_the_year_that_dates_the_target_leaves_its_name() -> None:
    text = "铜仁市人民政府关于印发《铜仁市空气质量持续改善行动方案》的通知\n到2026年,毕节市2027年PM2.5年均浓度较2020年下降18%以上。\n"
    got = extract(text)[0]
    assert (got["indicator"], got["target_year"], got["baseline_year"]) == ("毕节市PM2.5年均浓度", 2027, 2020)


def test_the_particle_after_a_place_opening_a_name_is_dropped() -> None:
    text = "铜仁市人民政府关于印发《铜仁市空气质量持续改善行动方案》的通知\n到2027年,毕节市的空气质量优良天数比率不低于95%。\n"
    assert extract(text)[0]["indicator"] == "毕节市空气质量优良天数比率"


def test_a_clause_after_a_comma_goes_on_about_the_place_before_it() -> None:
    text = "铜仁市人民政府关于印发《铜仁市空气质量持续改善行动方案》的通知\n2027年考核目标为:毕节市优良天数320天,PM2.5浓度为28微克/立方米;六盘水市优良天数310天。\n"
    assert [r["indicator"] for r in extract(text)] == ["毕节市优良天数", "毕节市PM2.5浓度", "六盘水市优良天数"]
