"""PDF with a text layer: page text in reading order, ruled tables as rows, and the running
headers, footers and page numbers of the printed document left out.

Every page is read once, by pypdfium2 (Google's PDFium), which reads a page several times faster
than pdfminer and recovers the Chinese text as well: its text, and the paths it has parsed, in
which ``pdf_grid`` finds the ruled tables with pdfplumber's table finder (cell boxes, which
merged cells need). Only a page whose text PDFium read incompletely is read again, by
pdfplumber (on pdfminer.six). Either way the lines are built here from the page's characters,
placed by the PDF's own font metrics (``pdf_layout``): the text does not depend on the fonts of
the machine. Hard wraps are not joined here: the structure stage's wrap joiner does that for
every format.
"""

from __future__ import annotations

import ctypes
import io
from collections import Counter
from dataclasses import replace

import numpy as np
import regex

from .. import rules
from ..errors import InputError
from . import pdf_grid, pdfium
from .extracted import Extracted, TextBuilder
from .pdf_layout import Char, Line, PageChars, code_points, led, text_lines, unruled_rows

_DIGITS = regex.compile(r"\d+")
#: A page's text line or ruled table, by its top edge.
Block = tuple[float, "Line | pdf_grid.Table"]


def _margin_band() -> float:
    """Share of the page height, top and bottom, where running lines sit (rules/formats.yaml)."""
    return float(rules.load("formats")["pdf"]["margin_band"])


def _page_number() -> regex.Pattern[str]:
    """A margin line that is a page number (rules/formats.yaml)."""
    return rules.compile_pattern(rules.load("formats")["pdf"]["page_number"]["pattern"])


def read_pdf(data: bytes, name: str) -> Extracted:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(name, "encrypted", "the PDF is password-protected; save an unprotected copy") from None
        raise InputError(name, "corrupt", f"not a readable PDF ({exc})") from None
    band, page_number = _margin_band(), _page_number()
    try:
        pages, reread, warnings = [], [], []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                blocks, lost, missing = _pdfium_page(page, band)
            finally:
                page.close()
            pages.append(blocks)
            if lost or missing:
                reread.append(index)
    except pypdfium2.PdfiumError as exc:
        raise InputError(name, "corrupt", f"a page of the PDF cannot be read ({exc})") from None
    finally:
        pdf.close()
    if reread:
        for index, (blocks, page_ink, read_ink) in _plumber_pages(data, name, reread, band).items():
            pages[index] = blocks
            missing = page_ink - read_ink
            if missing:
                warnings.append(_missing_warning(index + 1, missing))
    if not any(blocks for blocks in pages):
        raise InputError(
            name, "scanned",
            "the PDF has no text layer (a scan); OCR is not done here: run it through OCR software first",
        )
    running = _running_lines(pages)
    builder = TextBuilder()
    tables = 0
    left_out: list[str] = []
    for number, blocks in enumerate(pages, 1):
        lines: list[Line] = []
        for _top, block in [*blocks, (None, None)]:
            if isinstance(block, Line):
                if not (block.margin and (page_number.search(block.text) or _mask(block.text) in running)):
                    lines.append(block)
                continue
            if lines:
                rows, dropped = unruled_rows(lines)
                builder.add_lines("\n".join(line.text for line in rows), f"page {number}")
                left_out += [f"page {number}: {text}" for text in dropped]
                lines = []
            if block is not None:
                tables += 1
                for r, row in enumerate(block.rows, 1):
                    builder.add_row(row, f"page {number} table {tables} row {r}")
    # the file's name is set where the file is read (documents.load_document)
    found = tuple(InputError("", "incomplete_text", w, warning=True) for w in warnings)
    return replace(builder.build(), warnings=found, left_out=tuple(left_out))


def _missing_warning(page: int, missing: Counter[str]) -> str:
    """What a reader of the warnings needs: the page, how many characters, which ones."""
    shown = "".join(sorted(missing.elements()))
    return f"page {page}: {sum(missing.values())} character(s) of the page's text could not be placed in the text read: {shown[:40]}"


def _mask(text: str) -> str:
    """A margin line with its numbers masked: "第3页 某市人民政府" recurs as "第#页 某市人民政府"."""
    return _DIGITS.sub("#", text.strip())


def _running_lines(pages: list[list[Block]]) -> set[str]:
    """Margin lines that recur (numbers masked) on at least half the pages, and on two or
    more: a running header or footer, not a plan sentence that happens to sit near an edge."""
    counts: Counter[str] = Counter()
    for blocks in pages:
        counts.update({_mask(b.text) for _t, b in blocks if isinstance(b, Line) and b.margin})
    need = max(2, (len(pages) + 1) // 2)
    return {text for text, n in counts.items() if n >= need}


def _ink(text: str) -> Counter[str]:
    """The printed characters of a text (no white space): what must reach the output once."""
    return Counter("".join(text.split()))


def _pdfium_page(page, band: float) -> tuple[list[Block], bool, Counter[str]]:
    """The page's text lines and ruled tables from PDFium, in reading order: the characters of
    the page's text (``get_text_range``) placed by their origin, advance and font size, which
    come from the PDF itself (glyph boxes, even the top of a loose box, come from the font
    PDFium found on this machine: without CJK fonts they are empty); on a page that draws
    paths, the tables they rule (``pdf_grid``), the characters inside them as cells. Also
    whether the page must be read again: PDFium left a text object of the page out of its
    text (it drops objects whose glyphs it could not measure: a lone character in a font that
    is neither embedded nor installed), or its paths could not be made into tables; and the
    characters of the page's text that no line or cell holds."""
    width, height = (float(v) or 1.0 for v in page.get_size())
    paths, text_objects = pdf_grid.page_objects(pdfium.address(page.raw))
    textpage = page.get_textpage()
    try:
        # a hyphen ending a line inside a word PDFium marks with U+FFFE: the page prints a hyphen
        text = textpage.get_text_range().replace("\ufffe", "-")
        chars, objects = _page_chars(pdfium.address(textpage.raw), text, height)
    finally:
        textpage.close()
    lost = bool(text_objects - set(objects))
    tables: list[pdf_grid.Table] = []
    if paths:
        try:
            tables, chars = pdf_grid.ruled_tables(pdf_grid.edges(paths, height), chars, _descents(objects), width, height)
        except Exception:  # geometry pdfplumber's finder does not expect (its asserts, infinite points):
            lost = True  # the page is read again by pdfplumber, which names the file if it fails
    blocks: list[Block] = [(line.top, line) for line in text_lines(chars, height, band)]
    blocks += [(float(t.bbox[1]), t) for t in tables]
    blocks.sort(key=lambda b: b[0])
    return blocks, lost, _missing(text, blocks)


def _page_chars(textpage: int, text: str, height: float) -> tuple[PageChars, list[int]]:
    """The placed characters of the page's text, as columns (each with its text object), and
    the text objects they come from.

    The PDFium calls per character are most of the cost of a page, so they are kept to two,
    each made by a comprehension that does nothing else: the character's text object, and its
    loose box (written by PDFium straight into an array), whose left and right edges are the
    origin and the advance width the PDF declares. Its place in the text is read per character
    only where the text page does not hold one character of text for each of its characters
    (its first and last say so). The font size (Tf scaled by the text and graphics matrices,
    the same for every character of a text object) is read once per text object, where it
    first appears, and so is the baseline (the origin's y), which one show operation of
    horizontal, unrotated text does not move: it is read again for every character of a
    rotated object, and from a character whose box's bottom has moved by more than a quarter
    of the size from where it was last read (vertical writing; an embedded font's loose box
    follows its glyph by a fraction of that). A character is read where its text object
    changes, from one character of the page to the next, counting the characters left out
    (line breaks, generated spaces). A word processor may set every few characters as a text
    object of their own, so the calls per object are made by comprehensions too, into arrays;
    a call that fails leaves the value read before it, as one reused structure would."""
    c = pdfium.calls()
    n = c.count_chars(textpage)
    if n <= 0:
        return _NO_CHARS, []
    each, page = pdfium.per_character(), pdfium.pointer(textpage)  # the calls made per character
    object_of, index = each.text_object, each.text_index
    keys = np.array([object_of(page, i) or 0 for i in range(n)], dtype=np.uint64)
    if index(page, 0) == 0 and index(page, n - 1) == n - 1:
        at = np.arange(n)  # text indexes only grow by one per character of text: none is left out
    else:
        at = np.array([index(page, i) for i in range(n)], dtype=np.int64)
    valid = (at >= 0) & (at < len(text))
    code = np.zeros(n, dtype=np.uint32)
    code[valid] = code_points(text)[at[valid]]
    kept = valid & (code != 13) & (code != 10)
    spaces = np.flatnonzero(kept & (code == 32)).tolist()
    kept[[i for i in spaces if each.generated(page, i) == 1]] = False  # a space PDFium put in
    # each text object's size and rotation, read at its first character
    unique, first, of = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first)
    objects, at_first = unique[order].tolist(), first[order].tolist()
    count = len(objects)
    tf = (ctypes.c_float * count)()
    address = ctypes.addressof(tf)
    font_size = c.font_size
    tf_read = [font_size(key, address + 4 * j) if key else 0 for j, key in enumerate(objects)]
    matrices = (c.Matrix * count)()
    address, step, char_matrix = ctypes.addressof(matrices), ctypes.sizeof(c.Matrix), c.char_matrix
    matrix_read = [char_matrix(textpage, i, address + step * j) for j, i in enumerate(at_first)]
    matrix = _carried(np.frombuffer(matrices, dtype=np.float32).reshape(count, 6).tolist(), matrix_read, [0.0] * 6)
    sizes, turned = [], []
    for tf_size, tf_ok, (a, b, cc, d, _e, _f) in zip(np.frombuffer(tf, dtype=np.float32).tolist(), tf_read, matrix):
        scaled = (tf_size if tf_ok else 1.0) * abs(a * d - b * cc) ** 0.5
        sizes.append(scaled if scaled > 0 else 1.0)
        turned.append(b != 0 or cc != 0)
    size_of, rotated_of = np.empty(count), np.empty(count, dtype=bool)
    size_of[order], rotated_of[order] = sizes, turned
    which = np.flatnonzero(kept)
    m = len(which)
    if m == 0:  # only line breaks and spaces PDFium put in, or characters without text
        return _NO_CHARS, objects
    boxes = (c.RectF * m)()
    step, loose, at_box = ctypes.sizeof(c.RectF), each.loose_box, ctypes.byref
    box_read = [loose(page, i, at_box(boxes, step * k)) for k, i in enumerate(which.tolist())]
    box = np.frombuffer(boxes, dtype=np.float32).reshape(m, 4).astype(float)
    if not all(box_read):
        box = np.array(_carried(box.tolist(), box_read, [0.0] * 4), dtype=float).reshape(m, 4)
    left, right, bottom = box[:, 0], box[:, 2], box[:, 3]  # a box is left, top, right, bottom
    size, rotated = size_of[of[which]], rotated_of[of[which]]
    run = np.cumsum(led(keys[1:] != keys[:-1]))[which]  # a new run: the text object changed
    first_of_run = led(run[1:] != run[:-1])
    firsts = np.flatnonzero(first_of_run)
    drift = size / 4
    moved = bottom - bottom[firsts][np.cumsum(first_of_run) - 1]
    still = (-drift <= moved) & (moved <= drift)
    reread = first_of_run | rotated
    ends = [*firsts[1:].tolist(), m]
    for n_run in np.flatnonzero(~np.logical_and.reduceat(still, firsts)).tolist():
        a, z = int(firsts[n_run]), ends[n_run]
        if rotated[a]:
            continue
        last, near = bottom[a], drift[a]  # the box's bottom moves: read again where it leaves the band
        for k in range(a + 1, z):
            if not -near <= bottom[k] - last <= near:
                reread[k] = True
                last = bottom[k]
    points = which[np.flatnonzero(reread)].tolist()
    origins = (ctypes.c_double * (2 * len(points)))()
    address, origin = ctypes.addressof(origins), c.origin
    origin_read = [origin(textpage, i, address + 16 * k, address + 16 * k + 8) for k, i in enumerate(points)]
    ys = _carried(np.frombuffer(origins, dtype=float)[1::2].tolist(), origin_read, 0.0)
    base = (height - np.array(ys, dtype=float))[np.cumsum(reread) - 1]
    x1 = np.where(right > left, right, left)
    return PageChars(code[which], left, x1, base, size, keys[which]), objects


_NO_CHARS = PageChars(*(np.zeros(0, dtype=t) for t in (np.uint32, float, float, float, float, np.uint64)))


def _carried(values: list, read: list[int], empty: object) -> list:
    """Values PDFium wrote into an array, one call each: where a call failed, the value before
    it stands (``empty`` for the first), as it would in one structure reused by every call."""
    for k, ok in enumerate(read):
        if not ok:
            values[k] = values[k - 1] if k else empty
    return values


def _descents(objects: list[int]) -> dict[int, float]:
    """Each text object's font descent per point of size (for the boxes a table's cells are
    read by), read once per font (a page has a few fonts, a line several text objects)."""
    c = pdfium.calls()
    desc = ctypes.c_float()
    rdesc = ctypes.byref(desc)
    of_font: dict[int, float] = {}
    out: dict[int, float] = {}
    for key in objects:
        font = c.font(key) if key else None
        if font and font not in of_font:
            of_font[font] = float(desc.value) if c.descent(font, 1.0, rdesc) else 0.0
        out[key] = of_font[font] if font else 0.0
    return out


def _missing(text: str, blocks: list[Block]) -> Counter[str]:
    """``_ink(text) - _blocks_ink(blocks)``: the printed characters of the page's text that no
    line or cell holds. Their code points are compared sorted first: the same characters as
    many times each (every page read whole) leave none missing without counting them; only
    a page where they differ is counted character by character."""
    page = "".join(text.split())
    read = "".join(_blocks_text(blocks).split())
    if len(page) == len(read) and np.array_equal(np.sort(code_points(page)), np.sort(code_points(read))):
        return Counter()
    return Counter(page) - Counter(read)


def _blocks_ink(blocks: list[Block]) -> Counter[str]:
    """The printed characters the lines and tables hold (a merged cell once)."""
    return _ink(_blocks_text(blocks))


def _blocks_text(blocks: list[Block]) -> str:
    """The lines' text and the tables' printed characters (a merged cell once), run together."""
    return "".join(block.text if isinstance(block, Line) else block.ink for _top, block in blocks)


def _plumber_pages(data: bytes, name: str, indexes: list[int], band: float) -> dict[int, tuple[list[Block], Counter[str], Counter[str]]]:
    """Pages read with pdfplumber (pdfminer.six, which measures characters by the PDF's own
    font metrics only): text outside tables, and tables; with the page's characters and the
    characters of what was read, to be compared."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return {i: _page_blocks(pdf.pages[i], band) for i in indexes}
    except Exception as exc:  # pdfminer raises many types on damaged files
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        raise InputError(name, "corrupt", f"not a readable PDF ({type(cause).__name__}: {cause})") from None


def _page_blocks(page, band: float) -> tuple[list[Block], Counter[str], Counter[str]]:
    """Text lines outside tables and tables (as rows of cell texts), by their top edge; the
    page's characters and those the blocks hold."""
    found = [t for t in page.find_tables() if pdf_grid.is_table(t)]
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    height = float(page.height) or 1.0
    # the box bottom stands for the baseline here (pdfminer puts it a font's descent below)
    chars = [Char(c["text"], float(c["x0"]), float(c["x1"]), float(c["bottom"]), float(c["size"]) or 1.0) for c in page.chars if c["text"] and outside(c)]
    blocks: list[Block] = [(line.top, line) for line in text_lines(chars, height, band)]
    for table in found:
        blocks.append((float(table.bbox[1]), pdf_grid.Table.of(table, table.rows, table.extract())))
    blocks.sort(key=lambda b: b[0])
    return blocks, _ink("".join(c["text"] for c in page.chars)), _blocks_ink(blocks)
