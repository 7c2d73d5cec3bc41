"""PDF with a text layer: page text in reading order, ruled tables as rows, and the running
headers, footers and page numbers of the printed document left out.

Two libraries, each where it is better (figures in the README and ``make bench``): pypdfium2
(Google's PDFium) reads the text lines of a page three to five times faster than pdfminer
and recovers the Chinese text as well, but finds no tables; pdfplumber (on pdfminer.six)
finds ruled tables with their cell boxes, which merged cells need. So every page is read by
PDFium, and only a page that draws enough lines to hold a table is read again by pdfplumber.
Hard wraps are not joined here: the structure stage's wrap joiner does that for every format.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

import regex

from .. import rules
from ..errors import InputError
from .extracted import Extracted, TextBuilder

#: A page drawing at least this many path objects may hold a ruled table (a 2x2 grid has 6 lines).
TABLE_PATHS = 4
_DIGITS = regex.compile(r"\d+")


def _margin_band() -> float:
    """Share of the page height, top and bottom, where running lines sit (rules/formats.yaml)."""
    return float(rules.load("formats")["pdf"]["margin_band"])


def _is_page_number(line: str) -> bool:
    return rules.compile_pattern(rules.load("formats")["pdf"]["page_number"]["pattern"]).search(line) is not None


@dataclass(frozen=True)
class _Line:
    top: float
    text: str
    margin: bool  # in the top or bottom band


def read_pdf(data: bytes, name: str) -> Extracted:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(name, "encrypted", "the PDF is password-protected; save an unprotected copy") from None
        raise InputError(name, "corrupt", f"not a readable PDF ({exc})") from None
    try:
        pages, ruled = [], []
        for index in range(len(pdf)):
            blocks, has_paths = _pdfium_page(pdf[index])
            pages.append(blocks)
            if has_paths:
                ruled.append(index)
    except pypdfium2.PdfiumError as exc:
        raise InputError(name, "corrupt", f"a page of the PDF cannot be read ({exc})") from None
    finally:
        pdf.close()
    if ruled:
        for index, blocks in _plumber_pages(data, name, ruled).items():
            pages[index] = blocks
    if not any(blocks for blocks in pages):
        raise InputError(
            name, "scanned",
            "the PDF has no text layer (a scan); OCR is not done here: run it through OCR software first",
        )
    running = _running_lines(pages)
    builder = TextBuilder()
    tables = 0
    for number, blocks in enumerate(pages, 1):
        lines: list[str] = []
        for _top, block in blocks:
            if isinstance(block, _Line):
                if block.margin and (_is_page_number(block.text) or _mask(block.text) in running):
                    continue
                lines.append(block.text)
                continue
            if lines:
                builder.add_lines("\n".join(lines), f"page {number}")
                lines = []
            tables += 1
            for r, row in enumerate(block, 1):
                builder.add_row(row, f"page {number} table {tables} row {r}")
        if lines:
            builder.add_lines("\n".join(lines), f"page {number}")
    return builder.build()


def _mask(text: str) -> str:
    """A margin line with its numbers masked: "第3页 某市人民政府" recurs as "第#页 某市人民政府"."""
    return _DIGITS.sub("#", text.strip())


def _running_lines(pages: list[list[tuple[float, object]]]) -> set[str]:
    """Margin lines that recur (numbers masked) on at least half the pages, and on two or
    more: a running header or footer, not a plan sentence that happens to sit near an edge."""
    counts: Counter[str] = Counter()
    for blocks in pages:
        counts.update({_mask(b.text) for _t, b in blocks if isinstance(b, _Line) and b.margin})
    need = max(2, (len(pages) + 1) // 2)
    return {text for text, n in counts.items() if n >= need}


def _pdfium_page(page) -> tuple[list[tuple[float, object]], bool]:
    """The page's text lines from PDFium's text rectangles (runs of text on one baseline, in
    content order), and whether the page draws enough paths to hold a ruled table."""
    import pypdfium2.raw as pdfium_c

    paths = 0
    for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        paths += 1
        if paths >= TABLE_PATHS:
            break
    height = float(page.get_size()[1]) or 1.0
    band = _margin_band()
    textpage = page.get_textpage()
    lines: list[list] = []  # [texts, bottom, top, right edge] in PDF coordinates (origin bottom left)
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        text = textpage.get_text_bounded(left, bottom, right, top)
        if lines and abs(lines[-1][1] - bottom) < 2:
            # a gap wider than the line is high separates columns (an unruled table): two
            # spaces, which the table reader takes for a cell gap; a narrower one is a run break
            lines[-1][0].append(("  " if left - lines[-1][3] > top - bottom else "") + text)
            lines[-1][3] = right
        else:
            lines.append([[text], bottom, top, right])
    blocks: list[tuple[float, object]] = []
    for texts, bottom, top, _right in lines:
        text = "  ".join(" ".join(part.split()) for part in "".join(texts).split("  "))
        if text:
            top_down = height - top
            margin = top_down < band * height or (height - bottom) > (1 - band) * height
            blocks.append((top_down, _Line(top_down, text, margin)))
    blocks.sort(key=lambda b: b[0])  # top to bottom, as pdfplumber's pages
    return blocks, paths >= TABLE_PATHS


def _plumber_pages(data: bytes, name: str, indexes: list[int]) -> dict[int, list[tuple[float, object]]]:
    """Pages that may hold tables, read with pdfplumber: text outside tables, and tables."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return {i: _page_blocks(pdf.pages[i]) for i in indexes}
    except Exception as exc:  # pdfminer raises many types on damaged files
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        raise InputError(name, "corrupt", f"not a readable PDF ({type(cause).__name__}: {cause})") from None


def _page_blocks(page) -> list[tuple[float, object]]:
    """Text lines outside tables and tables (as rows of cell texts), by their top edge."""
    found = [t for t in page.find_tables() if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2]
    boxes = [t.bbox for t in found]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(lambda o: o.get("object_type") != "char" or outside(o)) if boxes else page
    height = float(page.height) or 1.0
    band = _margin_band()
    blocks: list[tuple[float, object]] = []
    for line in text_page.extract_text_lines(strip=True):
        text = line["text"].strip()
        if text:
            margin = line["top"] < band * height or line["bottom"] > (1 - band) * height
            blocks.append((float(line["top"]), _Line(float(line["top"]), text, margin)))
    for table in found:
        blocks.append((float(table.bbox[1]), table_rows(table)))
    blocks.sort(key=lambda b: b[0])
    return blocks


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
