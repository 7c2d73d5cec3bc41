"""A PDF's text does not depend on the fonts of the machine that reads it, and an unruled
table's wrapped cells stay in their rows.

The PDFs are read in this process, with whatever fonts the machine has, and in a child process
where PDFium is given no system font at all (what a fresh machine without CJK fonts gives), so
both cases are checked on any machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import formats_fixtures as ff
from policy_targets.api import extract_document
from policy_targets.cli import app
from policy_targets.formats import read_source
from policy_targets.structure.documents import load_document

#: Read a PDF with PDFium denied every system font, print its text and warnings as JSON.
_WITHOUT_FONTS = """
import json, sys
sys.path.insert(0, sys.argv[2])
import formats_fixtures
formats_fixtures.no_system_fonts()
from policy_targets.formats import read_source
source = read_source(sys.argv[1])
print(json.dumps({"text": source.text, "warnings": [w.message for w in source.warnings]}))
"""

FONTS = ("machine fonts", "no system fonts")


def _read(path: Path, fonts: str) -> tuple[str, tuple[str, ...]]:
    if fonts == "machine fonts":
        source = read_source(path)
        return source.text, tuple(w.message for w in source.warnings)
    done = subprocess.run([sys.executable, "-c", _WITHOUT_FONTS, str(path), str(Path(__file__).parent)], capture_output=True, text=True, timeout=120, check=True)
    got = json.loads(done.stdout)
    return got["text"], tuple(got["warnings"])


def _zh(runs: str) -> list[tuple[str, str]]:
    return [("STSong-Light", runs)]


@pytest.mark.parametrize("fonts", FONTS)
def test_lines_of_every_size_in_a_font_that_is_not_embedded_come_whole(tmp_path: Path, fonts: str) -> None:
    lines = ["各县区要把节能降碳摆在突出位置统筹推进", "新建公共建筑全面执行绿色建筑标准", "农村生活垃圾收运处置体系实现全覆盖"]
    sizes = (7.5, 8, 10.5, 16)
    pages = [[(size, _zh(f"{line}{size}号")) for size in sizes for line in lines]] * 3
    text, warnings = _read(ff.write_pdf_runs(tmp_path / "sizes.pdf", pages), fonts)
    got = text.splitlines()
    assert got == [f"{line}{size}号" for size in sizes for line in lines] * 3
    assert ff.RUNNING_HEADER not in text and not warnings


@pytest.mark.parametrize("fonts", FONTS)
def test_runs_in_other_fonts_keep_their_place_and_come_once(tmp_path: Path, fonts: str) -> None:
    """Quotes in a Latin font, an enumeration comma and a roman numeral in other CJK fonts,
    digits in an embedded font, a line of small type: each character once, in its place."""
    lines = [
        (12.0, [("STSong-Light", "河流断面水质实现"), ("Helvetica", "\u201c"), ("STSong-Light", "三连升"), ("Helvetica", "\u201d"), ("STSong-Light", "，大气"), ("HeiseiMin-W3", "、"), ("STSong-Light", "噪声保持稳定")]),
        (12.0, [("STSong-Light", "第"), ("HYSMyeongJo-Medium", "Ⅳ"), ("STSong-Light", "类及以上水体比例达到"), ("Vera", "72%"), ("STSong-Light", "左右")]),
        (8.0, [("STSong-Light", "开展"), ("Times-Roman", "\u2018"), ("STSong-Light", "零碳园区"), ("Times-Roman", "\u2019"), ("STSong-Light", "试点示范")]),
    ]
    text, warnings = _read(ff.write_pdf_runs(tmp_path / "mixed.pdf", [lines, lines]), fonts)
    want = ["河流断面水质实现\u201c三连升\u201d，大气、噪声保持稳定", "第Ⅳ类及以上水体比例达到72%左右", "开展\u2018零碳园区\u2019试点示范"]
    assert text.splitlines() == want * 2
    assert text.count("三连升") == 2 and not warnings


@pytest.mark.parametrize("fonts", FONTS)
def test_a_hyphen_that_ends_a_line_inside_a_word_stays_a_hyphen(tmp_path: Path, fonts: str) -> None:
    """PDFium marks it with the non-character U+FFFE (and joins the two halves in its text);
    the page prints a hyphen, and a range cut after its dash keeps the dash."""
    lines = [
        (12.0, _zh("推动2027-")), (12.0, _zh("2029年燃气锅炉低氮改造全部完成。")),
        (12.0, [("Helvetica", "near-zero emission trans-")]), (12.0, [("Helvetica", "port corridors")]),
    ]
    text, warnings = _read(ff.write_pdf_runs(tmp_path / "hyphens.pdf", [lines, lines]), fonts)
    assert text.splitlines() == ["推动2027-", "2029年燃气锅炉低氮改造全部完成。", "near-zero emission trans-", "port corridors"] * 2
    assert "\ufffe" not in text and not warnings


def test_a_character_that_cannot_be_placed_is_a_warning_of_the_file_that_reaches_the_cli(tmp_path: Path, monkeypatch) -> None:
    """When a character of the page's text reaches no line (simulated here by a line builder
    that loses the last character of every line), the file is still read, and the warning
    names the page and reaches standard error and the errors file."""
    from policy_targets.formats import pdf

    lines = [(12.0, _zh("到2025年，全市新增公共充电桩2000个以上。"))]
    path = ff.write_pdf_runs(tmp_path / "lossy.pdf", [lines])
    real = pdf.text_lines
    monkeypatch.setattr(pdf, "text_lines", lambda chars, height, band: real([c for c in chars if c.text != "。"], height, band))
    source = read_source(path)
    assert "充电桩2000个以上" in source.text and "。" not in source.text
    assert len(source.warnings) == 1 and source.warnings[0].message.startswith("page 1: 1 character(s)") and "。" in source.warnings[0].message
    errors = tmp_path / "errors.jsonl"
    done = CliRunner().invoke(app, ["extract", str(path), "-o", str(tmp_path / "out.jsonl"), "--errors-file", str(errors)])
    assert done.exit_code == 0, done.output
    assert "page 1: 1 character(s)" in done.output and "1 warning(s)" in done.output
    (record,) = [json.loads(line) for line in errors.read_text("utf-8").splitlines()]
    assert record["kind"] == "incomplete_text" and record["level"] == "warning" and record["path"].endswith("lossy.pdf")
    assert [json.loads(line)["value"] for line in (tmp_path / "out.jsonl").read_text("utf-8").splitlines()] == [2000]
    shown = CliRunner().invoke(app, ["normalize", str(path)])
    assert shown.exit_code == 0 and "page 1: 1 character(s)" in shown.output


# --- tables set without rules, with a wrapped cell ------------------------------------------

#: An indicator table whose second row name wraps inside its cell (two lines at 180 points).
WRAPPED = [
    ["指标", "2020年", "2025年", "属性"],
    ["城镇生活污水集中收集率（%）", "62", "70", "约束性"],
    ["农村黑臭水体整治比例（含已纳入国家监管清单的水体）（%）", "40", "60", "预期性"],
    ["新增新能源公交车（万辆）", "0.8", "3", "预期性"],
]
WRAPPED_NAME = "农村黑臭水体整治比例（含已纳入国家监管清单的水体）"


def _records(path: Path) -> list[tuple]:
    return [(r["indicator"], r["value"], r["unit"], r["target_year"], r["binding"]) for r in extract_document(load_document(path))]


@pytest.mark.parametrize("valign", ["TOP", "MIDDLE", "BOTTOM"])
def test_a_wrapped_row_name_is_joined_to_its_own_row(tmp_path: Path, valign: str) -> None:
    """The figures beside the first, the middle or the last line of a wrapped name: the
    lines of the name become one cell of the row that holds its figures, whichever side of
    them they stand, and no row takes another row's figures."""
    path = ff.write_unruled_table(tmp_path / "wrapped.pdf", WRAPPED, valign)
    source = read_source(path)
    assert f"{WRAPPED_NAME}（%）  40  60  预期性" in source.text.splitlines() and not source.left_out
    assert _read(path, "no system fonts")[0] == source.text
    assert _records(path) == [
        ("城镇生活污水集中收集率", 70, "%", 2025, "binding"),
        (WRAPPED_NAME, 60, "%", 2025, "expected"),
        ("新增新能源公交车", 3, "万辆", 2025, "expected"),
    ]


@pytest.mark.parametrize("valign", ["TOP", "BOTTOM"])
def test_rows_that_cannot_be_aligned_are_left_out_and_reported(tmp_path: Path, valign: str) -> None:
    """Without cell padding the wrapped line of a name is as near the row above as the row
    below: either could own it. Both rows are left out, never read with a cut name or another
    row's figures, and the dataset's report of numbers left out lists them."""
    from policy_targets.dataset.build import CorpusSet, write_dataset

    folder = tmp_path / "plans"
    folder.mkdir()
    path = ff.write_unruled_table(folder / "tight.pdf", WRAPPED, valign, padding=0, leading=14.4)
    source = read_source(path)
    assert _read(path, "no system fonts")[0] == source.text
    assert any("40  60  预期性" in row for row in source.left_out) and all(row.startswith("page 1: ") for row in source.left_out)
    got = _records(path)
    assert all(value not in (40, 60) for _name, value, *_ in got)
    assert all(name in ("城镇生活污水集中收集率", "新增新能源公交车") for name, *_ in got)
    write_dataset([CorpusSet("plans", folder)], tmp_path / "ds")
    (doc,) = [json.loads(line) for line in (tmp_path / "ds" / "documents.jsonl").read_text("utf-8").splitlines()]
    assert doc["left_out_rows"] == list(source.left_out)
    summary = (tmp_path / "ds" / "summary.md").read_text("utf-8")
    section = summary[summary.index("## Table rows left out") :]
    assert all(f"| tight | `{row}` |" in section for row in source.left_out)


def test_a_category_row_between_rows_stays_a_row(tmp_path: Path) -> None:
    """A one-cell line as far from the rows around it as rows are apart is a row of its own
    (a category over the rows below), not part of a name."""
    rows = [WRAPPED[0], ["水环境", "", "", ""], *WRAPPED[1:3], ["绿色交通", "", "", ""], WRAPPED[3]]
    path = ff.write_unruled_table(tmp_path / "categories.pdf", rows, "TOP")
    lines = read_source(path).text.splitlines()
    assert "水环境" in lines and "绿色交通" in lines
    assert [r[:2] for r in _records(path)] == [("城镇生活污水集中收集率", 70), (WRAPPED_NAME, 60), ("新增新能源公交车", 3)]
