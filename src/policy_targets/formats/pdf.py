"""PDF with a text layer: page text in reading order, ruled tables as rows, and the running
headers, footers and page numbers of the printed document left out.

Two libraries, each where it is better (figures in the README and ``make bench``): pypdfium2
(Google's PDFium) reads the text lines of a page three to five times faster than pdfminer
and recovers the Chinese text as well, but finds no tables; pdfplumber (on pdfminer.six)
finds ruled tables with their cell boxes, which merged cells need. So every page is read by
PDFium, and only a page that draws enough lines to hold a table, or whose text PDFium read
incompletely, is read again by pdfplumber. Either way the lines are built here from the page's
characters, placed by the PDF's own font metrics (``pdf_layout``): the text does not depend on
the fonts of the machine. Hard wraps are not joined here: the structure stage's wrap joiner
does that for every format.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace

import regex

from .. import rules
from ..errors import InputError
from .extracted import Extracted, TextBuilder
from .pdf_layout import Char, Line, text_lines, unruled_rows

#: A page drawing at least this many path objects may hold a ruled table (a 2x2 grid has 6 lines).
TABLE_PATHS = 4
_DIGITS = regex.compile(r"\d+")


def _margin_band() -> float:
    """Share of the page height, top and bottom, where running lines sit (rules/formats.yaml)."""
    return float(rules.load("formats")["pdf"]["margin_band"])


def _is_page_number(line: str) -> bool:
    return rules.compile_pattern(rules.load("formats")["pdf"]["page_number"]["pattern"]).search(line) is not None


def read_pdf(data: bytes, name: str) -> Extracted:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(name, "encrypted", "the PDF is password-protected; save an unprotected copy") from None
        raise InputError(name, "corrupt", f"not a readable PDF ({exc})") from None
    try:
        pages, reread, warnings = [], [], []
        for index in range(len(pdf)):
            blocks, has_paths, lost, missing = _pdfium_page(pdf[index])
            pages.append(blocks)
            if has_paths or lost or missing:
                reread.append(index)
    except pypdfium2.PdfiumError as exc:
        raise InputError(name, "corrupt", f"a page of the PDF cannot be read ({exc})") from None
    finally:
        pdf.close()
    if reread:
        for index, (blocks, page_ink, read_ink) in _plumber_pages(data, name, reread).items():
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
                if not (block.margin and (_is_page_number(block.text) or _mask(block.text) in running)):
                    lines.append(block)
                continue
            if lines:
                rows, dropped = unruled_rows(lines)
                builder.add_lines("\n".join(line.text for line in rows), f"page {number}")
                left_out += [f"page {number}: {text}" for text in dropped]
                lines = []
            if block is not None:
                tables += 1
                for r, row in enumerate(block, 1):
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


def _running_lines(pages: list[list[tuple[float, object]]]) -> set[str]:
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


def _pdfium_page(page) -> tuple[list[tuple[float, object]], bool, bool, Counter[str]]:
    """The page's text lines from PDFium: the characters of the page's text (``get_text_range``)
    placed by their origin, advance and font size, which come from the PDF itself (glyph
    boxes, even the top of a loose box, come from the font PDFium found on this machine:
    without CJK fonts they are empty).
    Also whether the page draws enough paths to hold a ruled table, and whether PDFium left a
    text object of the page out of its text (it drops objects whose glyphs it could not
    measure: a lone character in a font that is neither embedded nor installed), and the
    characters of the page's text that no line holds."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    paths = 0
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        paths += 1
        if paths >= TABLE_PATHS:
            break
    height = float(page.get_size()[1]) or 1.0
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    chars: list[Char] = []
    sizes: dict[int | None, float] = {}  # text object -> its font size (Tf), read once
    x, y, tf, matrix = ctypes.c_double(), ctypes.c_double(), ctypes.c_float(), pdfium_c.FS_MATRIX()
    for i in range(textpage.count_chars()):
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key not in sizes:
            sizes[key] = float(tf.value) if obj and pdfium_c.FPDFTextObj_GetFontSize(obj, tf) else 1.0
        at = pdfium_c.FPDFText_GetTextIndexFromCharIndex(textpage.raw, i)
        if at < 0 or at >= len(text) or text[at] in "\r\n" or pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
            continue
        # left and right edges are the origin and the advance width the PDF declares; the
        # size is Tf scaled by the character's matrix (the text and graphics state)
        left, _bottom, right, _top = textpage.get_charbox(i, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
        pdfium_c.FPDFText_GetMatrix(textpage.raw, i, matrix)
        size = sizes[key] * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        chars.append(Char(text[at], left, max(right, left), height - y.value, size if size > 0 else 1.0))
    lost = any(
        ctypes.cast(obj.raw, ctypes.c_void_p).value not in sizes
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])
    )
    blocks: list[tuple[float, object]] = [(line.top, line) for line in text_lines(chars, height, _margin_band())]
    missing = _ink(text) - sum((_ink(line.text) for _top, line in blocks), Counter())
    return blocks, paths >= TABLE_PATHS, lost, missing


def _plumber_pages(data: bytes, name: str, indexes: list[int]) -> dict[int, tuple[list[tuple[float, object]], Counter[str], Counter[str]]]:
    """Pages read with pdfplumber (pdfminer.six, which measures characters by the PDF's own
    font metrics only): text outside tables, and tables; with the page's characters and the
    characters of what was read, to be compared."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return {i: _page_blocks(pdf.pages[i]) for i in indexes}
    except Exception as exc:  # pdfminer raises many types on damaged files
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        raise InputError(name, "corrupt", f"not a readable PDF ({type(cause).__name__}: {cause})") from None


def _page_blocks(page) -> tuple[list[tuple[float, object]], Counter[str], Counter[str]]:
    """Text lines outside tables and tables (as rows of cell texts), by their top edge; the
    page's characters and those the blocks hold."""
    found = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    height = float(page.height) or 1.0
    # the box bottom stands for the baseline here (pdfminer puts it a font's descent below)
    chars = [Char(c["text"], float(c["x0"]), float(c["x1"]), float(c["bottom"]), float(c["size"]) or 1.0) for c in page.chars if c["text"] and outside(c)]
    blocks: list[tuple[float, object]] = [(line.top, line) for line in text_lines(chars, height, _margin_band())]
    for table in found:
        blocks.append((float(table.bbox[1]), table_rows(table)))
    blocks.sort(key=lambda b: b[0])
    read = Counter[str]()
    for _top, block in blocks:
        read += _ink(block.text) if isinstance(block, Line) else _ink("".join(cell for row in block for cell in set(row)))
    return blocks, _ink("".join(c["text"] for c in page.chars)), read


def table_rows(table) -> list[list[str]]:
    """The table's rows with every merged cell's text in each grid position it covers.

    pdfplumber reports a merged cell once, at its top-left position, and ``None`` in the
    positions it covers; the covering cell is the one whose box holds the centre of the empty
    position (column left edges and row tops are where unmerged cells start)."""
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    text_of = {box: (texts[r][c] or "") for r, row in enumerate(boxes) for c, box in enumerate(row) if box is not None}
    width = max(len(row) for row in boxes)
    col_x = [_edge([row[c] for row in boxes if c < len(row) and row[c] is not None], 0, 2) for c in range(width)]
    row_y = [_edge([box for box in row if box is not None], 1, 3) for row in boxes]
    out: list[list[str]] = []
    for r, row in enumerate(boxes):
        cells = []
        for c in range(width):
            box = row[c] if c < len(row) else None
            if box is not None:
                cells.append(text_of[box])
                continue
            cx, cy = col_x[c], row_y[r]
            cover = next((b for b in text_of if cx is not None and cy is not None and b[0] <= cx <= b[2] and b[1] <= cy <= b[3]), None)
            cells.append(text_of[cover] if cover is not None else "")
        out.append([" ".join(t.split()) for t in cells])
    return out


def _edge(boxes: list[tuple[float, float, float, float]], low: int, high: int) -> float | None:
    """The centre of a grid column (or row): from its start edge to the nearest end edge of
    a cell that starts there (a merged cell ends further away)."""
    if not boxes:
        return None
    start = min(b[low] for b in boxes)
    end = min(b[high] for b in boxes)
    return (start + end) / 2
