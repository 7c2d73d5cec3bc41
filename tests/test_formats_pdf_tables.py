"""Ruled PDF tables are found in the paths PDFium has parsed and read from PDFium's characters,
as pdfplumber (pdfminer) reads them, without pdfminer reading the page again.

Each style of ``formats_fixtures.write_ruled_tables`` is read twice: by the reader, with
pdfplumber's page reading made to fail, and by pdfplumber's own table finder and cell text
on the same page (``pdf._page_blocks``); the lines and rows must agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import formats_fixtures as ff
from policy_targets.formats import pdf, read_source
from policy_targets.formats.pdf_grid import TableChar, cell_text
from policy_targets.formats.pdf_layout import Line


@pytest.fixture(scope="module")
def ruled(tmp_path_factory) -> dict[str, Path]:
    return ff.write_ruled_tables(tmp_path_factory.mktemp("ruled"))


def _payload(blocks: list[tuple[float, object]]) -> list[object]:
    """What a page's blocks say, without the coordinates (each library places a baseline its way)."""
    return [block.text if isinstance(block, Line) else (block.rows, block.ink) for _top, block in blocks]


def _no_pdfminer(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("pdfminer read a page again")

    monkeypatch.setattr(pdf, "_plumber_pages", refuse)


@pytest.mark.parametrize("style", ff.RULED_STYLES)
def test_each_page_gives_what_pdfplumber_reads_from_it(ruled, style: str, monkeypatch) -> None:
    import pypdfium2

    path = ruled[style]
    with pdfplumber.open(path) as plumbed:
        want = [_payload(pdf._page_blocks(page, pdf._margin_band())[0]) for page in plumbed.pages]
    _no_pdfminer(monkeypatch)
    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        got = [_payload(pdf._pdfium_page(document[k], pdf._margin_band())[0]) for k in range(len(document))]
    finally:
        document.close()
    assert got == want
    assert any(isinstance(block, tuple) for page in got for block in page) == (style != "rules-above-below")


def test_a_table_drawn_as_one_path_or_inside_a_form_reads_as_the_table_drawn_rule_by_rule(ruled, monkeypatch) -> None:
    """Word processors draw all the rules of a table as one path, some writers wrap a page's
    drawing in a form XObject placed by a matrix: the grid is the same."""
    _no_pdfminer(monkeypatch)
    texts = {style: read_source(ruled[style]).text for style in ("filled-rules", "one-path", "form-xobject")}
    assert texts["one-path"] == texts["filled-rules"] == texts["form-xobject"]
    assert "县级以上城市建成区黑臭水体消除比例（含新发现水体）（%） | 85 | 95 | 预期性" in texts["form-xobject"].splitlines()


def test_a_page_whose_paths_cannot_be_made_into_tables_is_read_by_pdfplumber(ruled, monkeypatch) -> None:
    """Geometry the table finder does not expect is no failure of the file: the page is read
    again as before, by pdfplumber, and gives the same rows."""
    want = read_source(ruled["two-tables"]).text

    def fail(*_args, **_kwargs):
        raise AssertionError("an edge the finder did not expect")

    monkeypatch.setattr(pdf.pdf_grid, "ruled_tables", fail)
    assert read_source(ruled["two-tables"]).text == want


def test_the_tables_read_the_same_without_system_fonts(ruled) -> None:
    """PDFium given no system font (a fresh machine without CJK fonts): the same text, rows
    and warnings for every style."""
    code = (
        "import json, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import formats_fixtures\n"
        "formats_fixtures.no_system_fonts()\n"
        "from policy_targets.formats import read_source\n"
        "print(json.dumps({p: [read_source(p).text, [w.message for w in read_source(p).warnings]] for p in sys.argv[2:]}))\n"
    )
    paths = [str(ruled[style]) for style in ff.RULED_STYLES]
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), *paths], capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(done.stdout) == {p: [read_source(p).text, [w.message for w in read_source(p).warnings]] for p in paths}


def test_merged_cells_repeat_and_a_long_table_keeps_its_rows_over_pages(ruled, monkeypatch) -> None:
    """A merged cell's text stands in every position it covers; a row that prints the same
    figure in two cells (``— | —``) has every character read, so no warning."""
    _no_pdfminer(monkeypatch)
    spans = read_source(ruled["grid-spans"])
    lines = spans.text.splitlines()
    assert "合计 | — | — | —" in lines and "新增充换电站（座） | 120 | 400 | 预期性" in lines
    assert not spans.warnings
    source = read_source(ruled["long-table"])
    rows = [line for line in source.text.splitlines() if line.endswith(("预期性", "约束性"))]
    assert [row.split(" | ")[0] for row in rows] == [str(i) for i in range(1, 70)]
    assert "page 2 table" in source.locations.at(source.text.index("\n60 | ") + 1)


#: Characters as a cell of a table holds them: Chinese, digits, Latin with a ligature, spaces.
_CHARS = st.builds(
    lambda text, x, width, top, height: TableChar(text, x, x + width, top, top + height),
    st.sampled_from([*"碳排放量2.5%a", "ﬁ", " ", "\u3000"]),
    st.integers(0, 60).map(lambda v: v / 2), st.integers(0, 20).map(lambda v: v / 2),
    st.integers(0, 40).map(lambda v: v / 2), st.integers(1, 24).map(lambda v: v / 2),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CHARS, max_size=14))
def test_cell_text_is_pdfplumbers_with_white_space_collapsed(chars: list[TableChar]) -> None:
    """Characters overlapping, out of order, on lines close and far apart, with gaps wider
    and narrower than the tolerance: the words pdfplumber's ``extract_text`` makes of them."""
    from pdfplumber.utils import extract_text

    boxes = [{"text": c.text, "x0": c.x0, "x1": c.x1, "top": c.top, "bottom": c.bottom, "doctop": c.top, "upright": True} for c in chars]
    assert cell_text(chars) == " ".join(extract_text(boxes).split())
