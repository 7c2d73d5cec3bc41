"""A PDF page's characters are read as columns (a few PDFium calls per character, each made by
a bare comprehension) and its lines built by array operations: the characters, the lines and
the table cells must be those the character-by-character reading gives.

The oracle for the characters is that reading itself (:func:`_chars_one_by_one`: its place in
the text, its text object, its loose box, per character, the baseline read again where the
text object changes or the box's bottom leaves a quarter of the size); for the lines, the
list path of ``text_lines``; for the table cells, pdfplumber's own cell search."""

from __future__ import annotations

import ctypes
import math
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pypdfium2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats_fixtures as ff
from policy_targets.formats import pdf, pdf_grid, pdfium, read_source
from policy_targets.formats.pdf_layout import Char, PageChars, code_points, text_lines


def _chars_one_by_one(textpage: int, text: str, height: float) -> list[tuple[Char, int]]:
    """Each placed character of the page's text with its text object, one PDFium call after
    another (the reading the columns replace)."""
    c = pdfium.calls()
    out: list[tuple[Char, int]] = []
    sizes: dict[int, tuple[float, bool]] = {}
    x, y, tf, matrix, box = ctypes.c_double(), ctypes.c_double(), ctypes.c_float(), c.Matrix(), c.RectF()
    last, size, rotated, bottom, base, drift = -1, 1.0, False, 0.0, 0.0, -1.0
    for i in range(c.count_chars(textpage)):
        key = c.text_object(textpage, i) or 0
        if key != last:
            last, drift = key, -1.0
            if key not in sizes:
                tf_size = float(tf.value) if key and c.font_size(key, ctypes.byref(tf)) else 1.0
                c.char_matrix(textpage, i, ctypes.byref(matrix))
                scaled = tf_size * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
                sizes[key] = (scaled if scaled > 0 else 1.0, matrix.b != 0 or matrix.c != 0)
            size, rotated = sizes[key]
        at = c.text_index(textpage, i)
        if at < 0 or at >= len(text):
            continue
        ch = text[at]
        if ch in "\r\n" or (ch == " " and c.generated(textpage, i) == 1):
            continue
        c.loose_box(textpage, i, ctypes.byref(box))
        if rotated or not -drift <= box.bottom - bottom <= drift:
            c.origin(textpage, i, ctypes.byref(x), ctypes.byref(y))
            bottom, base, drift = box.bottom, height - y.value, size / 4
        out.append((Char(ch, box.left, box.right if box.right > box.left else box.left, base, size), key))
    return out


def _both_readings(path: Path) -> list[tuple[list[tuple[Char, int]], list[tuple[Char, int]]]]:
    """Per page: the characters (with their text objects) as columns and one by one."""
    document = pypdfium2.PdfDocument(path.read_bytes())
    pages = []
    try:
        for k in range(len(document)):
            page = document[k]
            height = float(page.get_size()[1])
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\ufffe", "-")
            columns, _descents = pdf._page_chars(pdfium.address(textpage.raw), text, height)
            pages.append((list(zip(columns, columns.key.tolist())), _chars_one_by_one(pdfium.address(textpage.raw), text, height)))
            textpage.close()
            page.close()
    finally:
        document.close()
    return pages


def _write_turned_and_vertical(path: Path) -> Path:
    """A line turned by 30 degrees, a column of vertical writing (each glyph's box below the
    last: the baseline moves inside one show operation) and a line beside them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5", isVertical=True))  # a face no other fixture uses
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 700, "横排的一行文字，到2030年。")
    c.saveState()
    c.translate(200, 400)
    c.rotate(30)
    c.drawString(0, 0, "斜排的一行，比重达到25%")
    c.restoreState()
    c.setFont("HeiseiKakuGo-W5", 14)
    c.drawString(480, 600, "一二三四五六七")
    c.showPage()
    c.save()
    return path


def _write_cell_of_runs(path: Path) -> Path:
    """A ruled table of two rows whose value cell is drawn as three runs in two fonts (Chinese,
    a Latin figure, a Chinese unit), as a word processor prints a figure in another font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    left, top, widths, pitch = 72.0, 700.0, (200.0, 160.0), 24.0
    for r in range(3):
        c.line(left, top - r * pitch, left + sum(widths), top - r * pitch)
    for x in (left, left + widths[0], left + sum(widths)):
        c.line(x, top, x, top - 2 * pitch)
    rows = [[[("STSong-Light", "指标")], [("STSong-Light", "目标")]],
            [[("STSong-Light", "新增造林面积")], [("STSong-Light", "不少于"), ("Helvetica", "1.5"), ("STSong-Light", "万亩")]]]
    for r, row in enumerate(rows):
        for k, runs in enumerate(row):
            x = left + sum(widths[:k]) + 4
            for font, text in runs:
                c.setFont(font, 11)
                c.drawString(x, top - (r + 1) * pitch + 7, text)
                x += pdfmetrics.stringWidth(text, font, 11)
    c.drawString(left, top - 3 * pitch - 20, "表格之后的一句话。")
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("columns")
    spec = ff.load_spec()
    zh = "到2025年，单位地区生产总值能耗比2020年下降13.5%。"
    return {
        "plan": ff.write_pdf(spec, folder / "plan.pdf"),
        "runs": ff.write_pdf_runs(folder / "runs.pdf", [[
            (12.0, [("STSong-Light", "“十四五”期间，"), ("Helvetica", "PM2.5"), ("STSong-Light", "浓度下降"), ("Vera", "10%")]),
            (16.0, [("HeiseiMin-W3", zh[:9]), ("STSong-Light", zh[9:])]),
            (9.0, [("Helvetica", "Annex  II   wide   gaps"), ("STSong-Light", "附表")]),
        ]]),
        "turned": _write_turned_and_vertical(folder / "turned.pdf"),
        "cell": _write_cell_of_runs(folder / "cell.pdf"),
    }


@pytest.mark.parametrize("name", ["plan", "runs", "turned", "cell"])
def test_the_columns_hold_the_characters_read_one_by_one(pages, name: str) -> None:
    for columns, one_by_one in _both_readings(pages[name]):
        assert columns == one_by_one
        assert columns  # every page has text


def test_a_vertical_column_and_a_turned_line_read_their_baseline_per_character(pages) -> None:
    """Inside one show operation of vertical writing the baseline moves glyph by glyph, and a
    turned line's every character has its own: the columns read it again there."""
    ((columns, _),) = _both_readings(pages["turned"])
    vertical = [ch for ch, _key in columns if ch.size == 14.0]
    if not vertical:  # a column of no width: PDFium leaves it out when it has no CJK font to measure its glyphs by
        pytest.skip("no CJK font on this machine: PDFium leaves the vertical column out of its text")
    turned = [ch for ch, _key in columns if ch.text in "斜比重达到25%"]
    assert len({ch.base for ch in vertical}) == len(vertical) == 7
    assert len({ch.base for ch in turned}) > len(turned) // 2
    straight = [ch for ch, _key in columns if ch.text in "横文字"]
    assert len({ch.base for ch in straight}) == 1


def test_a_table_cell_drawn_in_several_runs_reads_as_one_cell(pages) -> None:
    source = read_source(pages["cell"])
    assert source.text.splitlines() == ["指标 | 目标", "新增造林面积 | 不少于1.5万亩", "表格之后的一句话。"]


def _without_text(monkeypatch, which: Callable[[int], bool]) -> None:
    """PDFium's text index made -1 (no text) for the characters ``which`` picks, in the
    declared calls (the reading one by one) and in the undeclared ones the reader makes per
    character."""
    for name in ("calls", "per_character"):
        real = getattr(pdfium, name)()
        skipping = SimpleNamespace(**vars(real))
        skipping.text_index = lambda textpage, i, real=real: -1 if which(i) else real.text_index(textpage, i)
        monkeypatch.setattr(pdfium, name, lambda skipping=skipping: skipping)


def test_a_character_left_out_of_the_text_is_left_out_of_the_columns(pages, monkeypatch) -> None:
    """Where the text page holds no text for a character (its text index is -1), the places
    in the text are read character by character: the page's first character is missing from
    the columns, as from the reading one by one, and the rest is read as before."""
    ((whole, _),) = _both_readings(pages["runs"])
    _without_text(monkeypatch, lambda i: i == 0)
    ((columns, one_by_one),) = _both_readings(pages["runs"])
    assert columns == one_by_one
    assert [ch for ch, _key in columns] == [ch for ch, _key in whole[1:]]  # the text objects are another load's


def test_a_page_whose_characters_all_lack_text_reads_as_a_page_without_text(pages, monkeypatch) -> None:
    """Every character of the text page without a place in its text: no character, no line,
    and the characters of the page's text that no line holds are what is missing."""
    _without_text(monkeypatch, lambda i: True)
    for columns, one_by_one in _both_readings(pages["runs"]):
        assert columns == one_by_one == []
    document = pypdfium2.PdfDocument(pages["runs"].read_bytes())
    try:
        blocks, _lost, missing = pdf._pdfium_page(document[0], pdf._margin_band())
    finally:
        document.close()
    assert blocks == [] and missing["期"] == 1 and sum(missing.values()) > 20


#: Characters of a page: a few baselines close together (rows that cluster one way or the
#: other by size), sizes mixed on one baseline, gaps of a word, a column or none, typed spaces.
_CHAR = st.tuples(
    st.sampled_from([*"碳排放量2.5%a", " "]),
    st.integers(0, 80).map(lambda v: v * 1.5),
    st.sampled_from([0.0, 2.0, 6.0, 12.0]),
    st.sampled_from([100.0, 102.0, 102.5, 104.0, 110.0, 130.0]),  # 2 and 4 apart: 0.4 of a size of 5 and of 10
    st.sampled_from([5.0, 9.0, 10.0, 24.0]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHAR, min_size=1, max_size=40))
def test_lines_from_columns_are_the_lines_from_the_list(drawn) -> None:
    chars = [Char(text, x, x + (width if width else size), base, size) for text, x, width, base, size in drawn]
    columns = PageChars(code_points("".join(c.text for c in chars)), *(np.array(v, dtype=float) for v in zip(*[c[1:] for c in chars])),
                        np.zeros(len(chars), dtype=np.uint64))
    assert list(columns) == chars
    assert text_lines(columns, 842.0, 0.08) == text_lines(chars, 842.0, 0.08)


def test_a_value_that_is_not_finite_leaves_the_lines_to_the_list_path() -> None:
    chars = [Char("碳", 10.0, 22.0, 100.0, 12.0), Char("排", math.nan, 34.0, 100.0, 12.0), Char("放", 34.0, 46.0, 100.0, 12.0)]
    columns = PageChars(code_points("碳排放"), *(np.array(v, dtype=float) for v in zip(*[c[1:] for c in chars])), np.zeros(3, dtype=np.uint64))
    assert text_lines(columns, 842.0, 0.08) == text_lines(chars, 842.0, 0.08)


#: Rules on a small grid: horizontal and vertical segments between grid points.
_RULE = st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(1, 4), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(_RULE, min_size=2, max_size=16))
def test_the_cells_of_the_crossings_are_pdfplumbers(rules) -> None:
    from pdfplumber.table import edges_to_intersections, intersections_to_cells

    edges = []
    for x, y, length, across in rules:
        x0, top = x * 20.0, y * 20.0
        x1, bottom = (x0 + length * 20.0, top) if across else (x0, top + length * 20.0)
        edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "orientation": "h" if across else "v"})
    crossings = edges_to_intersections(edges, 3, 3)
    assert pdf_grid.smallest_cells(crossings) == intersections_to_cells(crossings)
