"""Specs of the shortcuts the PDF reader takes for speed: each gives what the plain way gives."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2

import formats_fixtures as ff
from policy_targets.formats import pdfium


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
