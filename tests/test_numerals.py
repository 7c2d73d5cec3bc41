"""The grammar of numbers, units, time and the past (issue 10), on sentences written for
these tests in the styles of plans from several provinces: none is copied from a corpus."""


import pytest

from policy_targets import extract, parse_number
from policy_targets.api import run_pipeline
from policy_targets.dataset.build import canonical, summary_markdown
from policy_targets.extraction.numbers import is_approximate, year_value
from policy_targets.structure.documents import prepare
from policy_targets.text.normalize import normalize


def quantities(text: str) -> list[tuple[str, str | None]]:
    """(number and unit as written, exclusion reason) of every quantity the pipeline found."""
    with run_pipeline(prepare(text, "t")) as doc:
        return [(q.text, q.excluded) for q in doc._.quantities]


def targets(text: str) -> list[tuple[str, float, str, str, int | None]]:
    return [(r["indicator"], r["value"], r["unit"], r["comparator"], r["target_year"]) for r in extract(text, "t")]


# --- magnitudes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,value",
    [("一点五", 1.5), ("二点五", 2.5), ("１，２５０", 1250), ("3，400.5", 3400.5), ("5 000", 5000)],
)
def test_decimals_and_separators(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("numeral", ["两三", "三五", "一两", "十一二", "三四十", "七八百"])
def test_approximate_pairs_are_never_one_number(numeral: str) -> None:
    assert is_approximate(numeral)
    with pytest.raises(ValueError, match="approximate"):
        parse_number(numeral)


@pytest.mark.parametrize("numeral", ["二十三", "三十五", "十二", "一百二十", "二〇二五"])
def test_ordinary_numerals_are_not_approximate(numeral: str) -> None:
    assert not is_approximate(numeral)


def test_approximate_pair_is_an_excluded_quantity_with_its_reason() -> None:
    text = "到2027年,每个乡镇培育三五家绿色示范企业,建成一两个零碳社区。"
    assert quantities(text) == [("三五家", "approximate"), ("一两个", "approximate")]
    assert targets(text) == []


def test_trillion_is_a_magnitude_of_its_own() -> None:
    (t,) = targets("到2027年,全省数字经济核心产业增加值达到1.2万亿元。")
    assert t[1:3] == (1.2, "万亿元")
    assert canonical(1.2, "万亿元") == (1_200_000_000_000, "CNY")


def test_thousand_after_digits_but_not_after_chinese_numerals() -> None:
    assert targets("到2026年,完成退化草原修复2.5千公顷。")[0][1:3] == (2.5, "千公顷")
    assert targets("到2026年,完成退化草原修复两千公顷。")[0][1:3] == (2000, "公顷")
    assert canonical(2.5, "千公顷") == (25_000_000, "m2")


def test_chinese_decimal_before_a_unit() -> None:
    assert targets("到2028年,林草覆盖率提高一点五个百分点。")[0][1:3] == (1.5, "个百分点")


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written,value,unit,canon",
    [
        ("装机达到4GW", 4, "GW", (4_000_000, "kW")),
        ("装机达到650MW", 650, "MW", (650_000, "kW")),
        ("装机达到35万kW", 35, "万kW", (350_000, "kW")),
        ("上网电量达到18亿kWh", 18, "亿kWh", (1_800_000_000, "kWh")),
        ("浓度降至30μg/m³", 30, "μg/m3", (30, "ug/m3")),
        ("浓度降至30ug/m3", 30, "ug/m3", (30, "ug/m3")),
        ("浓度降至1.5mg/L", 1.5, "mg/L", (1.5, "mg/L")),
        ("发生率控制在3‰", 3, "‰", (0.3, "%")),
        ("能力达到45万吨/日", 45, "万吨/日", (450_000, "t/d")),
        ("能力达到900吨/日", 900, "吨/日", (900, "t/d")),
        ("产能控制在60万吨/年", 60, "万吨/年", (600_000, "t/a")),
        ("强度降至0.8吨/万元", 0.8, "吨/万元", (0.8, "t/10k CNY")),
        ("浓度降至33微克每立方米", 33, "微克每立方米", (33, "ug/m3")),
    ],
)
def test_latin_symbol_rate_and_word_units(written: str, value: float, unit: str, canon) -> None:
    (t,) = targets(f"到2027年,全区某项指标{written}。")
    assert t[1:3] == (value, unit)
    assert canonical(value, unit) == canon


def test_comparator_after_the_whole_unit() -> None:
    (t,) = targets("到2026年,再生资源回收能力达到12万吨/年以上。")
    assert t[1:4] == (12, "万吨/年", ">=")


def test_a_unit_the_table_lacks_is_reported_not_cut_short() -> None:
    text = "到2026年,危废转运能力达到8万吨/周,新建光伏电站规模达到250MWp。"
    assert quantities(text) == [("8万吨/周", "unknown_unit"), ("250MWp", "unknown_unit")]
    assert targets(text) == []


def test_codes_are_not_unknown_units() -> None:
    assert quantities("到2026年,建成5G基站3000个,创建4A级景区2家。") == [("3000个", None), ("2家", None)]


def test_summary_lists_numbers_with_unknown_units() -> None:
    docs = [{"doc_id": "a", "jurisdiction": None, "title": None, "targets": 0, "unknown_units": {"万吨/周": 2}}]
    md = summary_markdown([], docs)
    assert "| `万吨/周` | 2 | a |" in md


# --- time ----------------------------------------------------------------------------------


def test_years_in_chinese_digits() -> None:
    assert year_value("二〇二五") == 2025 and year_value("2030") == 2030
    assert targets("到二〇二七年,农村生活污水治理率达到60%。")[0][4] == 2027
    assert targets("二〇二六年底前,城市建成区黑臭水体消除比例达到100%。")[0][4] == 2026


def test_due_year_survives_a_from_level_baseline() -> None:
    (r,) = extract("单位地区生产总值二氧化碳排放在2035年前由2010年的水平下降60%。", "t")
    assert (r["target_year"], r["baseline_year"], r["value"]) == (2035, 2010, 60)


@pytest.mark.parametrize(
    "written,ends,unit",
    [
        ("达到40—45%", [40, 45], "%"),
        ("稳定在25至30微克/立方米", [25, 30], "微克/立方米"),
        ("达到3~5个", [3, 5], "个"),
        ("达到2-4个", [2, 4], "个"),
    ],
)
def test_ranges_with_the_unit_once_give_both_ends(written: str, ends: list[float], unit: str) -> None:
    found = targets(f"到2027年,某项指标{written}。")
    assert [t[1] for t in found] == ends and {t[2] for t in found} == {unit}


def test_a_code_is_no_range() -> None:
    # the second number is not larger: 12-3 is a code, not a range
    assert [t[1] for t in targets("到2027年,建成12—3号储能电站2座。")] == [2]


# --- past versus committed -----------------------------------------------------------------

PLAN = (
    "某省“十四五”生态环境保护规划\n"
    "第一章 发展基础\n"
    "全省地表水优良水体比例提高到86%,建成污水处理厂120座。\n"
    "第二章 主要目标\n"
    "截至2020年底,全省新能源汽车保有量达到30万辆。到2025年,新能源汽车保有量达到80万辆。\n"
    "去年,空气质量优良天数比例达到88%;今年以来,PM2.5浓度下降6%。\n"
    "全省现已建成充电站500座,到2025年充电站达到1500座。\n"
)


def test_achievements_are_excluded_with_named_reasons() -> None:
    reasons = dict(quantities(PLAN))
    assert reasons["86%"] == "review_section" and reasons["120座"] == "review_section"
    assert reasons["30万辆"] == "past_year"
    assert reasons["88%"] == "achieved" and reasons["6%"] == "achieved"
    assert reasons["500座"] == "achieved"
    assert [(t[1], t[2], t[4]) for t in targets(PLAN)] == [(80, "万辆", 2025), (1500, "座", 2025)]


def test_this_year_ends_a_phrase_of_the_past_and_last_year_can_be_a_baseline() -> None:
    assert [t[1] for t in targets("去年全县新增光伏装机3万千瓦。今年,全县新增光伏装机5万千瓦。")] == [5]
    (t,) = targets("2026年,全县单位地区生产总值能耗比上年下降3.2%。")
    assert (t[0], t[1], t[4]) == ("单位地区生产总值能耗", 3.2, 2026)


def test_written_year_comes_from_the_title_or_the_date() -> None:
    assert prepare(PLAN, "t").structure.written_year == 2021
    dated = "某市人民政府\n2023年4月6日\n到2022年,新增绿地面积达到50公顷。\n"
    assert prepare(dated, "t").structure.written_year == 2023
    assert targets(dated) == []
    # no date and no period: nothing to tell the past by, so the year is trusted
    assert prepare("到2022年,新增绿地面积达到50公顷。", "t").structure.written_year is None


def test_a_horizon_in_the_title_is_not_the_year_of_writing() -> None:
    text = "某省2030年前碳达峰实施方案\n到2025年,非化石能源消费比重达到20%。\n"
    assert prepare(text, "t").structure.written_year is None
    assert targets(text)[0][1] == 20


def test_values_and_year_inside_a_condition_are_no_targets() -> None:
    text = "2022年PM2.5平均浓度在38至45微克/立方米之间的街道,PM2.5平均浓度降至35微克/立方米以下。"
    assert dict(quantities(text)) == {"38": "condition", "45微克/立方米": "condition", "35微克/立方米": None}
    (t,) = targets(text)
    assert (t[1], t[3], t[4]) == (35, "<=", None)


# --- web-page debris -----------------------------------------------------------------------


def test_page_number_inside_a_sentence_is_removed_with_offsets_kept() -> None:
    raw = "到2030年,单位产值能耗比2020年下降 —4— 18%。"
    norm = normalize(raw)
    assert "—4—" not in norm.text
    (r,) = extract(raw, "t")
    assert (r["value"], r["direction"], r["baseline_year"]) == (18, "decrease", 2020)
    assert raw[r["raw_start"] : r["raw_end"]].endswith("18%")


def test_timestamp_and_source_lines_do_not_glue_to_a_headline() -> None:
    raw = (
        "某省:到2026年建成公共充电桩8万个\n"
        "2024-05-06 10:20:30 来源:某某网\n"
        "(资料图)\n"
        "当前位置:首页 > 要闻\n"
        "责任编辑:某某\n"
        "某省印发行动方案,到2026年,换电站达到300座。\n"
    )
    text = normalize(raw).text
    assert "2024-05-06" not in text and "来源" not in text and "当前位置" not in text and "责任编辑" not in text
    found = targets(raw)
    assert [t[1] for t in found] == [8, 300]
    assert "2024" not in found[0][0] and found[0][0].startswith("公共充电桩")


def test_review_report_shows_the_exclusion_reasons(tmp_path) -> None:
    from click.testing import CliRunner

    from policy_targets.cli import app

    plan = tmp_path / "plan.txt"
    plan.write_text("到2026年,转运能力达到8万吨/周,培育两三家示范企业,建成换电站20座。", encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["review", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "unknown_unit" in html and "approximate" in html


# --- signs, fraction decimals, separators before a magnitude (issue 16) ----------------------


@pytest.mark.parametrize(
    "text,value",
    [
        ("千分之九点五", 0.95),
        ("万分之三点五", 0.035),
        ("百分之13.5", 13.5),
        ("千分之5", 0.5),
        ("七分之一", 14.29),
        ("负3.9%", -3.9),
        ("-22.2%", -22.2),
        ("负三", -3),
        ("零十", 10),
        ("一百零十", 110),
        ("零点五", 0.5),
        ("1,100万", 11_000_000),
        ("2,350.5亿", 235_050_000_000),
        ("1.2万亿", 1_200_000_000_000),
        ("3.5千万", 35_000_000),
        ("－3%", -3),
        ("+5%", 5),
    ],
)
def test_numerals_public_suites_find_wrong(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1,10万", "负", "-", "负负3"])
def test_broken_numerals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    "value,unit,canon",
    [
        (3, "亿美元", (300_000_000, "USD")),
        (800, "克标准煤", (0.0008, "tce")),
        (0.5, "摄氏度", (0.5, "degC")),
        (0.5, "℃", (0.5, "degC")),
        (12, "万t标准煤", (120_000, "tce")),
        (35, "微克/立方米", (35, "ug/m3")),
    ],
)
def test_new_units_have_a_canonical_form(value: float, unit: str, canon) -> None:
    assert canonical(value, unit) == canon


def test_a_rate_written_denominator_first_is_the_table_rate() -> None:
    (t,) = targets("到2027年,二氧化氮年均浓度控制在每立方米二十八微克以内。")
    assert t[1:4] == (28, "微克/立方米", "<=")


def test_the_small_numerals_read_without_cn2an_have_cn2an_values() -> None:
    """Every string of up to three numeral characters that text/numerals.py reads itself has
    the value cn2an gives it; the rest (一百二十, 三千五, 十十 …) is left to cn2an."""
    import itertools

    import cn2an

    from policy_targets.structure.outline import _to_int
    from policy_targets.text.numerals import small_numeral

    read = 0
    for n in range(1, 4):
        for numeral in map("".join, itertools.product("一二两三四五六七八九十百千万亿", repeat=n)):
            value = small_numeral(numeral)
            if value is None:
                continue
            read += 1
            assert value == cn2an.cn2an(numeral, "smart"), numeral
            assert parse_number(numeral) == value
    assert read == 9 + 1 + 10 + 10 + 80 + 40  # digits, 两, 十…十九, 一十…一十九, 二十…九十九, digit + magnitude
    for numeral in ("一百二十", "三千五", "十十", "两十"):
        assert small_numeral(numeral) is None
    assert _to_int("一百二十") == 120 and _to_int("十二") == 12 and parse_number("一百二十") == 120
