"""Indicator tables (主要指标) as targets, ANNOTATION.md v2: one record per target-year cell.

Every table here is written for these tests in the style of 十四五 plans' indicator tables:
rows rendered with ``|`` (as the format readers render HTML/Word/PDF tables, merged cells
repeated), tables laid out in columns of spaces, multi-row headers, unit rows and columns.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_targets.api import extract
from policy_targets.dataset.build import CorpusSet, write_dataset
from policy_targets.evaluate.validation import problems_of
from policy_targets.extraction.lexicon import lexicon
from policy_targets.extraction.tables import read_cell
from policy_targets.structure.documents import prepare
from policy_targets.structure.tables import split_cells, table_blocks

KEYS = ("indicator", "value", "unit", "comparator", "direction", "target_year", "period_start", "cumulative", "binding")


def rows(text: str, doc_id: str = "plan") -> list[tuple]:
    return [tuple(r[k] for k in KEYS) for r in extract(text, doc_id)]


PIPE_TABLE = """某县“十四五”生态环境保护规划
二、主要目标
表1 主要指标
类别 | 指标 | 2020年 | 2025年 | 属性
减污降碳 | 单位产值二氧化碳排放降低(%) | — | 〔19〕 | 约束性
减污降碳 | 可再生能源消费比重(%) | 11.2 | 16左右 | 预期性
生态质量 | 湿地保护率(%) | 51 | ≥55 | 约束性
生态质量 | 声环境功能区夜间达标率(%) | — | 持续改善 | 预期性
注:〔〕内为五年累计数。
"""


def test_one_record_per_target_cell_of_a_pipe_table() -> None:
    assert rows(PIPE_TABLE) == [
        ("单位产值二氧化碳排放降低", 19, "%", "=", "decrease", 2025, 2021, True, "binding"),
        ("可再生能源消费比重", 16, "%", "~", "level", 2025, None, False, "expected"),
        ("湿地保护率", 55, "%", ">=", "level", 2025, None, False, "binding"),
    ]


def test_evidence_is_the_row_and_the_sentence_extractor_skips_it() -> None:
    recs = extract(PIPE_TABLE, "plan")
    assert {r["rule"] for r in recs} == {"table"}
    assert recs[1]["evidence"] == "减污降碳|可再生能源消费比重(%)|11.2|16左右|预期性"
    raw = PIPE_TABLE[recs[1]["raw_start"] : recs[1]["raw_end"]]
    assert raw == "减污降碳 | 可再生能源消费比重(%) | 11.2 | 16左右 | 预期性"
    assert recs[0]["section"] == ["二、主要目标"]  # rows are no headings


MULTI_HEADER = """某市碳达峰实施方案
指标 | 单位 | 2020年 | 2025年 | 2025年 | 2030年 | 2030年
指标 | 单位 | 2020年 | 目标值 | 属性 | 目标值 | 属性
1.非化石能源消费比重 | % | 8.1 | 13 | 约束性 | 20以上 | 预期性
2.新型储能装机规模 | 万千瓦 | 12 | >60 | 预期性 | 150 | 预期性
"""


def test_multi_row_header_with_a_binding_sub_column_under_each_year() -> None:
    assert rows(MULTI_HEADER) == [
        ("非化石能源消费比重", 13, "%", "=", "level", 2025, None, False, "binding"),
        ("非化石能源消费比重", 20, "%", ">=", "level", 2030, None, False, "expected"),
        ("新型储能装机规模", 60, "万千瓦", ">", "level", 2025, None, False, "expected"),
        ("新型储能装机规模", 150, "万千瓦", "=", "level", 2030, None, False, "expected"),
    ]


UNIT_ROW = """某省“十四五”节能规划
指标名称 | 基期值(2020年) | 2025年目标 | “十四五”累计
单位 | 吨标准煤/万元 | 吨标准煤/万元 | %
规模以上工业增加值能耗 | 0.62 | 0.55以下 | 13.5
"""


def test_unit_row_base_column_and_cumulative_period_column() -> None:
    assert rows(UNIT_ROW) == [
        ("规模以上工业增加值能耗", 0.55, "吨标准煤/万元", "<=", "level", 2025, None, False, None),
        ("规模以上工业增加值能耗", 13.5, "%", "=", "level", 2025, 2021, True, None),
    ]


COLUMNS = """附表  某市“十四五”应对气候变化主要指标
类别        指标                          2020年      “十四五”末    指标属性
能源转型    煤炭消费比重(%)                 62          <55          约束性
            天然气年均增长(%)               —           8左右         预期性
适应能力    城市建成区绿化覆盖率(%)          40.5        42以上        预期性
以上指标按年度分解落实。
"""


def test_text_laid_out_in_columns_with_a_merged_category_cell() -> None:
    assert rows(COLUMNS) == [
        ("煤炭消费比重", 55, "%", "<", "level", 2025, None, False, "binding"),
        ("天然气年均增长", 8, "%", "~", "increase", 2025, None, False, "expected"),
        ("城市建成区绿化覆盖率", 42, "%", ">=", "level", 2025, None, False, "expected"),
    ]
    recs = extract(COLUMNS, "plan")
    assert recs[1]["per_year"] is True
    assert recs[0]["evidence"] == "能源转型|煤炭消费比重(%)|62|<55|约束性"
    start, end = recs[0]["raw_start"], recs[0]["raw_end"]
    assert COLUMNS[start:end].split() == ["能源转型", "煤炭消费比重(%)", "62", "<55", "约束性"]


def test_unmarked_year_columns_are_told_apart_by_the_documents_dates() -> None:
    # no period in the title, issued in 2023: 2025 and 2030 are both target years
    dated = "某区碳达峰方案\n指标 | 2025年 | 2030年\n林木绿化率(%) | 31 | 33\n某区人民政府\n2023年5月8日\n"
    assert [(r[0], r[1], r[5]) for r in rows(dated)] == [("林木绿化率", 31, 2025), ("林木绿化率", 33, 2030)]
    # no date at all: the earliest of several unmarked years is the status column
    undated = "指标 | 2022年 | 2025年\n林木绿化率(%) | 29 | 31\n"
    assert [(r[1], r[5]) for r in rows(undated)] == [(31, 2025)]


def test_category_lines_between_rows_and_a_unit_in_the_year_header() -> None:
    text = """主要指标  2020年(%)  2025年(%)
绿色发展
城市再生水利用率  25  30
工业用水重复利用率  90  >93
生态保护
自然保护地面积占比  16  18以上
"""
    got = [(r[0], r[1], r[2], r[3], r[5]) for r in rows(text)]
    assert got == [("城市再生水利用率", 30, "%", "=", 2025), ("工业用水重复利用率", 93, "%", ">", 2025), ("自然保护地面积占比", 18, "%", ">=", 2025)]


def test_category_rows_and_cells_without_numbers_give_nothing() -> None:
    text = "指标 | 2020年 | 2025年目标\n空气质量 | 空气质量 | 空气质量\n重污染天数比率(%) | 1.2 | /\n臭氧浓度 | — | 力争稳定\n"
    assert rows(text) == []


def test_prose_with_pipes_or_double_spaces_is_not_a_table() -> None:
    crumbs = "首页 | 政务公开 | 通知公告\n当前位置 | 正文\n到2025年,公共充电桩达到500个。\n"
    recs = extract(crumbs, "plan")
    assert [(r["value"], r["rule"] == "table") for r in recs] == [(500, False)]
    assert table_blocks(["城镇污水处理率达到95%  以上为到2025年", "农村生活污水治理率达到40%"]) == []


def test_split_cells_forms() -> None:
    assert [c.text for c in split_cells("| 指标 | 2025年 |")] == ["指标", "2025年"]
    assert [c.text for c in split_cells("指标\t2025年")] == ["指标", "2025年"]
    assert [c.text for c in split_cells("指标  ｜  2025年")] == ["指标", "2025年"]
    assert split_cells("PM2.5 浓度下降 10%") is None


@pytest.mark.parametrize(
    "cell, expect",
    [("1,200", (1200, "", "=")), ("80%以上", (80, "%", ">=")), ("＜0.5", (0.5, "", "<")), ("不超过30", (30, "", "<=")), ("约3.6", (3.6, "", "~"))],
)
def test_cell_reader(cell: str, expect: tuple) -> None:
    got = read_cell(cell, lexicon())
    assert got is not None and (got.value, got.unit, got.comparator) == expect


@pytest.mark.parametrize("cell", ["13-15", "3项工程", "基本消除", "2030年"])
def test_cells_that_are_not_values(cell: str) -> None:
    assert read_cell(cell, lexicon()) is None


def test_records_with_binding_and_old_gold_without_it_are_valid() -> None:
    recs = extract(PIPE_TABLE, "plan")
    assert all(problems_of({k: v for k, v in r.items()}) == [] for r in recs)
    old = {k: v for k, v in recs[0].items() if k != "binding"}
    assert problems_of(old) == []
    assert problems_of({**recs[0], "binding": "mandatory"}) != []


def test_the_dataset_carries_binding(tmp_path) -> None:
    corpus = tmp_path / "plans"
    corpus.mkdir()
    (corpus / "county-plan.txt").write_text(PIPE_TABLE, encoding="utf-8")
    assert write_dataset([CorpusSet("plans", corpus)], tmp_path / "out").errors == []
    frame = pd.read_parquet(tmp_path / "out" / "targets.parquet")
    assert frame["binding"].tolist() == ["binding", "expected", "binding"]
    assert "binding" in (tmp_path / "out" / "targets.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def test_table_rows_stay_paragraphs_and_keep_their_cells() -> None:
    doc = prepare(COLUMNS, "plan")
    lines = doc.text.split("\n")
    assert lines[1] == "类别|指标|2020年|“十四五”末|指标属性"
    assert lines[-1] == "以上指标按年度分解落实。"
    bar = doc.text.index("|")
    start, _ = doc.normalized.raw_span(bar, bar + 1)
    assert COLUMNS[start - 2 : start + 2] == "类别  "  # a separator maps to the gap it stands for
    (table,) = doc.structure.tables
    assert len(table.rows) == 4 and [c.text for c in table.rows[2].cells] == ["天然气年均增长(%)", "—", "8左右", "预期性"]


def test_a_table_flattened_one_cell_a_line_is_read_row_by_row() -> None:
    """Mirror pages flatten a table one cell a line (a written table of our own): the header
    fixes the width, a name cell followed by another is a category, 〔累计〕 is cumulative over
    the plan period, and a footnote digit leaves the row name."""
    from policy_targets import extract

    cells = [
        "甲市“十五五”生态环境保护主要指标", "指标", "2025年", "2030年", "〔累计〕", "属性",
        "环境质量", "1。大气环境", "城市空气质量优良天数比率2(%)", "86.1", ">90", "-", "约束性",
        "重污染天数比例下降(%)", "-", "-", "〔30〕", "预期性",
        "2。水环境", "地表水优良水体比例(%)", "80", "85左右", "", "约束性",
    ]
    text = "".join(f"{c} |\n" for c in cells)
    got = [(r["indicator"], r["value"], r["comparator"], r["target_year"], r["cumulative"], r["binding"]) for r in extract(text)]
    assert got == [
        ("城市空气质量优良天数比率", 90, ">", 2030, False, "binding"),
        ("重污染天数比例下降", 30, "=", 2030, True, "expected"),
        ("地表水优良水体比例", 85, "~", 2030, False, "binding"),
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="指标 2025年|｜\t约束性。a"), max_size=12))
def test_the_lines_holding_a_separator_are_found_in_one_scan_as_line_by_line(lines: list[str]) -> None:
    """The joined lines are scanned once for the cell separators: the lines found are the
    ones a search of each line finds."""
    from policy_targets.structure.tables import _forms, _lines_holding

    pipe, columns, *_ = _forms()
    lines = [line.replace("\n", "") for line in lines]
    expected = {i for i, line in enumerate(lines) if pipe.search(line) or columns.search(line)}
    assert _lines_holding(lines, (pipe, columns)) == expected
