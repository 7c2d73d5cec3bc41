"""Specs of the shortcuts the PDF reader takes for speed: each gives what the plain way gives."""

from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np
import pypdfium2
import pytest

import formats_fixtures as ff
from policy_targets.formats import pdf, pdfium
from policy_targets.formats.pdf_layout import Cell, Line, led


def test_the_undeclared_calls_per_character_read_what_the_declared_ones_read(tmp_path: Path) -> None:
    """The calls made per character without argument types (the text page as a pointer, the
    box written through ``byref`` at an offset) give each character's text object, text index,
    generated flag and loose box as the declared calls do, on a page mixing fonts and a space."""
    lines = [(12.0, [("STSong-Light", "湖畔新建步道三千米，"), ("Helvetica", "Route 7 "), ("STSong-Light", "沿线种树。")]),
             (10.5, [("Vera", "Bike lanes 12 km"), ("STSong-Light", "，年底通车")])]
    path = ff.write_pdf_runs(tmp_path / "mixed.pdf", [lines])
    document = pypdfium2.PdfDocument(path.read_bytes())
    try:
        page = document[0]
        textpage = page.get_textpage()
        declared, bare = pdfium.calls(), pdfium.per_character()
        raw, pointer = pdfium.address(textpage.raw), pdfium.pointer(pdfium.address(textpage.raw))
        n = declared.count_chars(raw)
        assert n > 30
        one, boxes = declared.RectF(), (declared.RectF * n)()
        step = ctypes.sizeof(declared.RectF)
        for i in range(n):
            assert bare.text_object(pointer, i) == declared.text_object(raw, i)
            assert bare.text_index(pointer, i) == declared.text_index(raw, i)
            assert bare.generated(pointer, i) == declared.generated(raw, i)
            assert bare.loose_box(pointer, i, ctypes.byref(boxes, step * i)) == declared.loose_box(raw, i, ctypes.byref(one))
            written = boxes[i]
            assert (written.left, written.top, written.right, written.bottom) == (one.left, one.top, one.right, one.bottom)
        assert len({bare.text_object(pointer, i) for i in range(n)}) >= 3  # runs in several text objects
        textpage.close()
        page.close()
    finally:
        document.close()


def _line(*cells: str) -> Line:
    return Line(10.0, 20.0, 10.0, tuple(Cell(0.0, 50.0, text) for text in cells), False)


@pytest.mark.parametrize(("text", "read"), [
    ("山坡种下油松两千株\n河岸修复一公里", ["河岸修复一公里", "山坡种下油松两千株"]),  # read in another order: none missing
    ("山坡种下油松两千株", ["山坡种下油松千株"]),  # one character lost
    ("松松松柏", ["松柏柏松"]),  # as many characters, not the same ones
    ("河岸 修复", ["河岸修复", "另"]),  # a character more in what was read: none missing
    ("", []),
    ("Trail 5 km", ["Trail  5 km"]),
])
def test_the_missing_characters_compared_sorted_are_the_counted_ones(text: str, read: list[str]) -> None:
    """Comparing the sorted code points first gives the characters a page misses as counting
    them does, whether none, one or several are missing, or more were read than printed."""
    blocks = [(float(k), _line(*cells.split("  "))) for k, cells in enumerate(read)]
    assert pdf._missing(text, blocks) == pdf._ink(text) - pdf._blocks_ink(blocks)


@pytest.mark.parametrize("mask", [[], [False], [True, False, False], [False, True]])
def test_a_mask_led_by_true_is_the_index_trick(mask: list[bool]) -> None:
    array = np.array(mask, dtype=bool)
    assert led(array).dtype == np.r_[True, array].dtype and led(array).tolist() == np.r_[True, array].tolist()
