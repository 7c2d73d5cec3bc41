"""Ruled tables of a PDF page from the paths PDFium has already parsed, with the page's text
assigned to their cells, so that a page with a table is read once.

pdfplumber's table finder (the "lines" strategy: edges snapped and joined, their crossings,
the smallest cells those crossings close, cells that share a corner as one table) is kept as
it is: it only needs the page's edges and characters, so it is handed a small stand-in page
(:class:`_Page`) holding the edges of PDFium's path objects and PDFium's characters, instead
of pdfminer's, whose interpreter re-reading the whole page cost five times PDFium's reading.
The edges are those pdfminer would give: each subpath of a painted path is a line (one
segment), a rectangle (four axis-parallel segments closing on their start) or a curve (its
points, control points of Béziers left out, each axis-parallel pair an edge), in page
coordinates running down from the top. Coordinates are rounded to a thousandth of a point
(PDFium keeps single-precision floats, pdfminer doubles): the finder compares them exactly.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Digits kept of every coordinate handed to the table finder.
PRECISION = 3


@dataclass(frozen=True)
class Table:
    """A ruled table found on the page: its box (x0, top, x1, bottom) and its rows of cell texts."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]


def page_objects(page_raw: Any) -> tuple[int, list[tuple[Any, tuple[float, ...]]], set[int]]:
    """The number of paths at the page's own level (form XObjects not entered: what says
    whether the page may hold a ruled table); every painted path, at any depth, with the
    matrix that takes its points to the page; and the address of every text object, at any
    depth (to tell whether PDFium's text left one out)."""
    import pypdfium2.raw as pdfium_c

    paths: list[tuple[Any, tuple[float, ...]]] = []
    texts: set[int] = set()
    top_level = 0
    matrix = pdfium_c.FS_MATRIX()
    fill, stroke = ctypes.c_int(), ctypes.c_int()

    def walk(count: int, get: Any, parent: Any, outer: tuple[float, ...], depth: int) -> None:
        nonlocal top_level
        for i in range(count):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                texts.add(ctypes.cast(obj, ctypes.c_void_p).value or 0)
                continue
            if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
                continue
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                if depth < 15:
                    walk(pdfium_c.FPDFFormObj_CountObjects(obj), pdfium_c.FPDFFormObj_GetObject, obj, m, depth + 1)
                continue
            if depth == 0:
                top_level += 1
            pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
            if fill.value != pdfium_c.FPDF_FILLMODE_NONE or stroke.value:
                paths.append((obj, m))  # a path painted neither way is not drawn (nor read by pdfminer)

    walk(pdfium_c.FPDFPage_CountObjects(page_raw), pdfium_c.FPDFPage_GetObject, page_raw, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
    return top_level, paths, texts


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _subpaths(obj: Any, m: tuple[float, ...], height: float, px: Any, py: Any) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """A path's subpaths as pdfminer reads them: a shape letter and one point per segment,
    the end point of a Bézier only, a closing ``h`` at the subpath's start."""
    import pypdfium2.raw as pdfium_c

    a, b, c, d, e, f = m
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    bezier = 0
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, px, py)
        x, y = px.value, py.value
        point = (round(a * x + c * y + e, PRECISION), round(height - (b * x + d * y + f), PRECISION))
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            if shape:
                yield "".join(shape), points
            shape, points, bezier = ["m"], [point], 0
            continue
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point
            shape.append("c")
        else:
            shape.append("l")
        points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and points:
            shape.append("h")
            points.append(points[0])
    if shape:
        yield "".join(shape), points


def edges(paths: list[tuple[Any, tuple[float, ...]]], height: float) -> list[dict[str, Any]]:
    """The edges pdfplumber makes of pdfminer's lines, rectangles and curves, for these paths."""
    px, py = ctypes.c_float(), ctypes.c_float()
    out: list[dict[str, Any]] = []
    for obj, m in paths:
        for shape, pts in _subpaths(obj, m, height, px, py):
            if not shape.startswith("m"):
                continue
            if len(shape) > 3 and shape.endswith("lh") and pts[-2] == pts[0]:
                shape, pts = shape[:-2] + "h", pts[:-2] + pts[-1:]
            if shape in ("ml", "mlh"):
                (x0, y0), (x1, y1) = pts[0], pts[1]
                out.append(_edge(min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1), "h" if y0 == y1 else "v", "line"))
            elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and _square(pts):
                x0, x1 = sorted((pts[0][0], pts[2][0]))
                top, bottom = sorted((pts[0][1], pts[2][1]))
                out += [_edge(x0, x1, top, top, "h", "rect_edge"), _edge(x0, x1, bottom, bottom, "h", "rect_edge"),
                        _edge(x0, x0, top, bottom, "v", "rect_edge"), _edge(x1, x1, top, bottom, "v", "rect_edge")]
            else:
                for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
                    orientation = "v" if x0 == x1 else "h" if y0 == y1 else None
                    out.append(_edge(min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1), orientation, "curve_edge"))
    return out


def _square(pts: list[tuple[float, float]]) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str | None, kind: str) -> dict[str, Any]:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


@dataclass
class _Page:
    """What pdfplumber's table finder and its cell text read of a page."""

    edges: list[dict[str, Any]]
    chars: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


def find_tables(page_edges: list[dict[str, Any]], chars: list[dict[str, Any]], width: float, height: float) -> list[Table]:
    """The ruled tables of two rows and two columns or more, top to bottom, each with its
    rows (merged cells repeated in every position they cover). ``chars`` are pdfplumber-style
    character dicts (``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``doctop``, ``upright``)."""
    from pdfplumber.table import TableFinder

    found = []
    for table in TableFinder(_Page(page_edges, [], (0.0, 0.0, width, height))).tables:
        if len(table.rows) < 2 or max(len(r.cells) for r in table.rows) < 2:
            continue
        x0, top, x1, bottom = table.bbox
        # the cell text reads only the table's characters (pdfplumber scans the page's per row)
        inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        table.page = _Page([], inside, table.page.bbox)
        found.append(Table(table.bbox, table_rows(table)))
    return found


def table_rows(table: Any) -> list[list[str]]:
    """The table's rows with every merged cell's text in each grid position it covers.

    pdfplumber reports a merged cell once, at its top-left position, and ``None`` in the
    positions it covers; the covering cell is the one whose box holds the centre of the empty
    position (column left edges and row tops are where unmerged cells start)."""
    texts = table.extract()
    boxes = [row.cells for row in table.rows]
    text_of = {box: (texts[r][c] or "") for r, row in enumerate(boxes) for c, box in enumerate(row) if box is not None}
    width = max(len(row) for row in boxes)
    col_x = [_centre([row[c] for row in boxes if c < len(row) and row[c] is not None], 0, 2) for c in range(width)]
    row_y = [_centre([box for box in row if box is not None], 1, 3) for row in boxes]
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


def _centre(boxes: list[tuple[float, float, float, float]], low: int, high: int) -> float | None:
    """The centre of a grid column (or row): from its start edge to the nearest end edge of
    a cell that starts there (a merged cell ends further away)."""
    if not boxes:
        return None
    start = min(b[low] for b in boxes)
    end = min(b[high] for b in boxes)
    return (start + end) / 2
