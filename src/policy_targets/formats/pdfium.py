"""PDFium's functions as the PDF reader calls them once per character or page object:
declared again with plain pointer arguments and results, so that a text or page object comes
back as its address (an int to key a dict by, no ``ctypes.cast`` per call) and no argument
is converted on the way. The calls are most of the cost of reading a page.

The functions the reader calls for every character of a page are also declared without
argument types (:func:`per_character`): ctypes then passes a Python int as a C ``int`` and a
ctypes object (the text page as a ``c_void_p``, an output as ``ctypes.byref(array, offset)``)
as it is, with no ``from_param`` per argument, which makes each call about a third cheaper.
A text page passed to them as a plain int would be cut to 32 bits: they are kept apart from
the declared ones, which accept either."""

from __future__ import annotations

import ctypes
import functools
from types import SimpleNamespace


@functools.cache
def calls() -> SimpleNamespace:
    """The functions (pypdfium2's raw bindings, at the same addresses) and the structures
    they fill."""
    import pypdfium2.raw as pdfium_c

    def declare(name: str, restype, *argtypes):
        address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)

    vp, i, f = ctypes.c_void_p, ctypes.c_int, ctypes.c_float
    return SimpleNamespace(
        # the text page, per character
        count_chars=declare("FPDFText_CountChars", i, vp),
        text_index=declare("FPDFText_GetTextIndexFromCharIndex", i, vp, i),
        generated=declare("FPDFText_IsGenerated", i, vp, i),
        text_object=declare("FPDFText_GetTextObject", vp, vp, i),
        origin=declare("FPDFText_GetCharOrigin", i, vp, i, vp, vp),
        loose_box=declare("FPDFText_GetLooseCharBox", i, vp, i, vp),
        char_matrix=declare("FPDFText_GetMatrix", i, vp, i, vp),
        # text objects and their fonts
        font_size=declare("FPDFTextObj_GetFontSize", i, vp, vp),
        font=declare("FPDFTextObj_GetFont", vp, vp),
        descent=declare("FPDFFont_GetDescent", i, vp, f, vp),
        # page objects, paths and forms
        count_objects=declare("FPDFPage_CountObjects", i, vp),
        get_object=declare("FPDFPage_GetObject", vp, vp, i),
        count_form_objects=declare("FPDFFormObj_CountObjects", i, vp),
        get_form_object=declare("FPDFFormObj_GetObject", vp, vp, ctypes.c_ulong),
        object_type=declare("FPDFPageObj_GetType", i, vp),
        object_matrix=declare("FPDFPageObj_GetMatrix", i, vp, vp),
        draw_mode=declare("FPDFPath_GetDrawMode", i, vp, vp, vp),
        count_segments=declare("FPDFPath_CountSegments", i, vp),
        segment=declare("FPDFPath_GetPathSegment", vp, vp, i),
        segment_point=declare("FPDFPathSegment_GetPoint", i, vp, vp, vp),
        segment_type=declare("FPDFPathSegment_GetType", i, vp),
        segment_close=declare("FPDFPathSegment_GetClose", i, vp),
        TEXT=pdfium_c.FPDF_PAGEOBJ_TEXT, PATH=pdfium_c.FPDF_PAGEOBJ_PATH, FORM=pdfium_c.FPDF_PAGEOBJ_FORM,
        MOVETO=pdfium_c.FPDF_SEGMENT_MOVETO, BEZIERTO=pdfium_c.FPDF_SEGMENT_BEZIERTO, FILL_NONE=pdfium_c.FPDF_FILLMODE_NONE,
        Matrix=pdfium_c.FS_MATRIX, RectF=pdfium_c.FS_RECTF,
    )


@functools.cache
def per_character() -> SimpleNamespace:
    """``text_object``, ``text_index``, ``generated`` and ``loose_box`` of :func:`calls`,
    undeclared: the text page must be passed as :func:`pointer` gives it, an output as a
    ctypes object (``ctypes.byref``), a character's index as an int."""
    import pypdfium2.raw as pdfium_c

    def bare(name: str, restype):
        return ctypes.CFUNCTYPE(restype)(ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value)

    return SimpleNamespace(
        text_object=bare("FPDFText_GetTextObject", ctypes.c_void_p), text_index=bare("FPDFText_GetTextIndexFromCharIndex", ctypes.c_int),
        generated=bare("FPDFText_IsGenerated", ctypes.c_int), loose_box=bare("FPDFText_GetLooseCharBox", ctypes.c_int),
    )


def pointer(address_: int) -> ctypes.c_void_p:
    """An address (a text page's) as the functions of :func:`per_character` take it."""
    return ctypes.c_void_p(address_)


def address(handle) -> int:
    """A pypdfium2 handle (``page.raw``, ``textpage.raw``) as the address these functions take."""
    return ctypes.cast(handle, ctypes.c_void_p).value or 0
