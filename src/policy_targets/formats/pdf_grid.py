"""Ruled tables of a PDF page from the paths PDFium has already parsed, with the page's
characters assigned to their cells, so that a page with a table is read once.

pdfplumber's table finder (the "lines" strategy: edges snapped and joined, their crossings,
the smallest cells those crossings close, cells that share a corner as one table) is kept,
its search for the smallest cells done by :func:`smallest_cells` (the same cells, each
crossing's edges gathered once). It reads nothing of a page but its edges, so it is handed a
small stand-in page (:class:`_Page`) holding the edges of PDFium's path objects instead of
pdfminer's, whose interpreter re-reading the whole page set the pace of a PDF with tables. The edges are those
pdfminer would give: each subpath of a painted path is a line (one segment), a rectangle (four
axis-parallel segments closing on their start) or a curve (its points, control points of
Béziers left out, each axis-parallel pair an edge), in page coordinates running down from the
top. Coordinates are rounded to a thousandth of a point (PDFium keeps single-precision floats,
pdfminer doubles): the finder compares them exactly. A cell's text is made here from PDFium's
characters as pdfplumber's ``extract_text`` makes it (:func:`cell_text`), without its
per-character dictionaries.
"""

from __future__ import annotations

import bisect
import ctypes
import functools
import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from . import pdfium
from .pdf_layout import PageChars

#: Digits kept of every coordinate handed to the table finder.
PRECISION = 3


@dataclass(frozen=True)
class Table:
    """A ruled table found on the page: its box (x0, top, x1, bottom), its rows of cell texts
    (a merged cell's in every position it covers) and the printed characters its cells hold,
    each cell once (to check that every character of the page was read)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]
    ink: str

    @classmethod
    def of(cls, table: Any, rows: list[Any], texts: list[list[str | None]]) -> Table:
        """From pdfplumber's table, its rows (``Table.rows``, worked out again at each reading)
        and the texts of its cells (``Table.extract``)."""
        return cls(table.bbox, table_rows(rows, texts), "".join("".join(t.split()) for row in texts for t in row if t))


def is_table(table: Any, rows: list[Any] | None = None) -> bool:
    """A grid of two rows and two columns or more (one row or one column of boxes is a frame);
    ``rows`` the table's rows where they have been worked out already."""
    rows = table.rows if rows is None else rows
    return len(rows) >= 2 and max(len(r.cells) for r in rows) >= 2


def page_objects(page: int) -> tuple[list[tuple[int, tuple[float, ...]]], set[int]]:
    """Every painted path of the page, at any depth (a table may be drawn inside a form
    XObject), with the matrix that takes its points to the page; and the address of every
    text object, at any depth (to tell whether PDFium's text left one out)."""
    c = pdfium.calls()
    paths: list[tuple[int, tuple[float, ...]]] = []
    texts: set[int] = set()
    matrix = c.Matrix()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    rmatrix, rfill, rstroke = ctypes.byref(matrix), ctypes.byref(fill), ctypes.byref(stroke)

    def walk(count: int, get: Any, parent: int, outer: tuple[float, ...], depth: int) -> None:
        for i in range(count):
            obj = get(parent, i)
            kind = c.object_type(obj)
            if kind == c.TEXT:
                texts.add(obj)
                continue
            if kind != c.PATH and kind != c.FORM:
                continue
            c.object_matrix(obj, rmatrix)
            m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
            if kind == c.FORM:
                if depth < 15:
                    walk(c.count_form_objects(obj), c.get_form_object, obj, m, depth + 1)
                continue
            c.draw_mode(obj, rfill, rstroke)
            if fill.value != c.FILL_NONE or stroke.value:
                paths.append((obj, m))  # a path painted neither way is not drawn (nor read by pdfminer)

    walk(c.count_objects(page), c.get_object, page, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)
    return paths, texts


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _subpaths(obj: int, m: tuple[float, ...], height: float) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """A path's subpaths as pdfminer reads them: a shape letter and one point per segment,
    the end point of a Bézier only, a closing ``h`` at the subpath's start."""
    c = pdfium.calls()
    px, py = ctypes.c_float(), ctypes.c_float()
    rx, ry = ctypes.byref(px), ctypes.byref(py)
    a, b, cc, d, e, f = m
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    bezier = 0
    for k in range(c.count_segments(obj)):
        segment = c.segment(obj, k)
        kind = c.segment_type(segment)
        c.segment_point(segment, rx, ry)
        x, y = px.value, py.value
        point = (round(a * x + cc * y + e, PRECISION), round(height - (b * x + d * y + f), PRECISION))
        if kind == c.MOVETO:
            if shape:
                yield "".join(shape), points
            shape, points, bezier = ["m"], [point], 0
            continue
        if kind == c.BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # a control point
            shape.append("c")
        else:
            shape.append("l")
        points.append(point)
        if c.segment_close(segment) and points:
            shape.append("h")
            points.append(points[0])
    if shape:
        yield "".join(shape), points


def edges(paths: list[tuple[int, tuple[float, ...]]], height: float) -> list[dict[str, Any]]:
    """The edges pdfplumber makes of pdfminer's lines, rectangles and curves, for these paths."""
    out: list[dict[str, Any]] = []
    for obj, m in paths:
        for shape, pts in _subpaths(obj, m, height):
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
    """What pdfplumber's table finder reads of a page (with the "lines" strategies)."""

    edges: list[dict[str, Any]]
    bbox: tuple[float, float, float, float]


def ruled_tables(page_edges: list[dict[str, Any]], chars: PageChars, descents: dict[int, float], width: float, height: float) -> tuple[list[Table], PageChars]:
    """The ruled tables of two rows and two columns or more, top to bottom, each with its
    rows (merged cells repeated in every position they cover); and the characters outside
    them. A character belongs where the centre of its box lies, the box as pdfminer sets it:
    from the font's descent below the baseline (``descents``, per point of size, by text
    object) to one font size above that; the centres of all of a page's characters are
    found at once."""
    grids = [(t, t.rows) for t in _finder()(_Page(page_edges, (0.0, 0.0, width, height))).tables]
    found = [(t, rows) for t, rows in grids if is_table(t, rows)]
    if not found:
        return [], chars
    boxes = [t.bbox for t, _rows in found]
    left, high = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, low = max(b[2] for b in boxes), max(b[3] for b in boxes)
    unique, of = np.unique(chars.key, return_inverse=True)
    descent = np.array([descents[k] for k in unique.tolist()], dtype=float)[of]
    bottom = chars.base - descent * chars.size
    cx, cy = (chars.x0 + chars.x1) / 2, bottom - chars.size / 2
    near = ~((cy < high) | (cy > low) | (cx < left) | (cx > right))  # clear of every table: most of a page
    if len(boxes) == 1:
        hits = [near]  # one table: within the bounds is within the table
    else:
        hits = [near & (x0 <= cx) & (cx <= x1) & (top <= cy) & (cy <= end) for x0, top, x1, end in boxes]
    texts, x0s, x1s, bottoms, tops = chars.text, chars.x0.tolist(), chars.x1.tolist(), bottom.tolist(), (bottom - chars.size).tolist()
    tables = []
    for (table, rows), hit in zip(found, hits):
        mine = [TableChar(texts[k], x0s[k], x1s[k], tops[k], bottoms[k]) for k in np.flatnonzero(hit).tolist()]
        tables.append(Table.of(table, rows, _cell_texts(rows, mine)))
    return tables, chars.take(~np.logical_or.reduce(hits))


@functools.cache
def _finder() -> type:
    """pdfplumber's table finder with its cell search (``intersections_to_cells``) done by
    :func:`smallest_cells`, which finds the same cells; edges, their crossings and the
    grouping of cells into tables are its own."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections, intersections_to_cells

    class Finder(TableFinder):
        def __init__(self, page: Any) -> None:
            self.page = page
            self.settings = TableSettings.resolve(None)
            self.edges = self.get_edges()
            self.intersections = edges_to_intersections(self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
            finite = all(math.isfinite(v) for point in self.intersections for v in point)  # a NaN is no key to look a crossing up by
            self.cells = smallest_cells(self.intersections) if finite else intersections_to_cells(self.intersections)
            self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]

    return Finder


def smallest_cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``: for each crossing of rules (in sorted order),
    the first crossing below it and the first to its right (nearest first) that a rule joins
    to it and whose far corner is a crossing joined to both: a cell. Two crossings are joined
    when one edge (by its box) passes through both: vertically for two crossings of one x,
    horizontally for two of one y. pdfplumber makes each crossing's edges into a set of boxes
    at every test and scans every later crossing for those below and to the right; here both
    are done once per crossing."""
    vertical = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["v"]} for p, d in intersections.items()}
    horizontal = {p: {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in d["h"]} for p, d in intersections.items()}
    points = sorted(intersections)
    column: dict[float, list[tuple[float, float]]] = {}
    row: dict[float, list[tuple[float, float]]] = {}
    for point in points:  # in sorted order: a column top to bottom, a row left to right
        column.setdefault(point[0], []).append(point)
        row.setdefault(point[1], []).append(point)
    below_from = {p: k + 1 for line in column.values() for k, p in enumerate(line)}
    right_from = {p: k + 1 for line in row.values() for k, p in enumerate(line)}
    cells = []
    for point in points:
        x, y = point
        down, across = vertical[point], horizontal[point]
        cell = None
        # a crossing below shares the x (joined by a vertical edge), one to the right the y
        for b in column[x][below_from[point] :]:
            if down.isdisjoint(vertical[b]):
                continue
            for r in row[y][right_from[point] :]:
                if across.isdisjoint(horizontal[r]):
                    continue
                corner = (r[0], b[1])  # below r (a vertical edge), right of b (a horizontal one)
                if corner in vertical and not vertical[corner].isdisjoint(vertical[r]) and not horizontal[corner].isdisjoint(horizontal[b]):
                    cell = (x, y, r[0], b[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _cell_texts(rows: list[Any], chars: list[TableChar]) -> list[list[str | None]]:
    """What pdfplumber's ``Table.extract`` gives, white space collapsed (the text of the
    characters whose centre lies in a cell, None for a position a merged cell covers), each
    character looked up in its rows by its centre's height instead of every row scanning the
    table's characters."""
    across = [(c.x0 + c.x1) / 2 for c in chars]
    down = [(c.top + c.bottom) / 2 for c in chars]
    centres = sorted(zip(down, range(len(chars))))
    heights = [cy for cy, _k in centres]
    out: list[list[str | None]] = []
    for row in rows:
        _x0, top, _x1, bottom = row.bbox
        near = sorted(k for _cy, k in centres[bisect.bisect_left(heights, top) : bisect.bisect_left(heights, bottom)])
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            x0, top, x1, bottom = cell
            texts.append(cell_text([chars[k] for k in near if x0 <= across[k] < x1 and top <= down[k] < bottom]))
        out.append(texts)
    return out


class TableChar(NamedTuple):
    """A character as pdfplumber's cell text takes it: its box as pdfminer sets it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float


def cell_text(chars: list[TableChar]) -> str:
    """The words of a cell's characters, white space collapsed, as pdfplumber's
    ``extract_text`` (default settings, upright text) gives them before the collapse: lines
    are chains of character tops at most :data:`TOLERANCE` apart, ordered left to right; a
    word ends at white space, at a gap of more than :data:`TOLERANCE`, at a step back or a
    jump of more than that in height; the words are clustered again by their tops."""
    if not chars:
        return ""
    tops = [c.top for c in chars]
    one_line = max(tops) - min(tops) <= TOLERANCE  # most cells: one cluster of lines and of words
    if one_line:
        lines = [sorted(chars, key=_X0)]
    else:
        line_of = _clusters(tops)
        lines = [sorted(line, key=_X0) for line in _grouped(chars, [line_of[top] for top in tops])]
    words: list[tuple[str, float]] = []  # text, top
    for line in lines:
        word: list[TableChar] = []
        for c in line:
            if c.text.isspace():
                _close(word, words)
                word = []
            elif word and (c.x0 < word[-1].x0 or c.x0 > word[-1].x1 + TOLERANCE or abs(c.top - word[-1].top) > TOLERANCE):
                _close(word, words)
                word = [c]
            else:
                word.append(c)
        _close(word, words)
    if one_line:
        return " ".join(text for text, _top in words)
    word_line = _clusters([top for _text, top in words])
    return " ".join(text for line in _grouped(words, [word_line[top] for _text, top in words]) for text, _top in line)


#: pdfplumber's default ``x_tolerance`` and ``y_tolerance``.
TOLERANCE = 3
_X0 = operator.attrgetter("x0")


def _close(word: list[TableChar], words: list[tuple[str, float]]) -> None:
    if word:
        expand = _ligatures()
        words.append(("".join(expand.get(c.text, c.text) for c in word), min(c.top for c in word)))


@functools.cache
def _ligatures() -> dict[str, str]:
    """The expansions (ﬁ → fi) pdfplumber's words apply."""
    from pdfplumber.utils.text import LIGATURES

    return LIGATURES


def _clusters(values: list[float]) -> dict[float, int]:
    """Each value's cluster: sorted distinct values, a new cluster after a step of more than
    :data:`TOLERANCE` (pdfplumber's ``cluster_list``)."""
    out: dict[float, int] = {}
    n, last = -1, None
    for v in sorted(set(values)):
        if last is None or v > last + TOLERANCE:
            n += 1
        out[v] = n
        last = v
    return out


def _grouped(items: list, ids: list[int]) -> list[list]:
    """The items grouped by cluster, clusters in order, items in their order within one."""
    groups: dict[int, list] = {}
    for item, k in sorted(zip(items, ids), key=operator.itemgetter(1)):
        groups.setdefault(k, []).append(item)
    return list(groups.values())


def table_rows(rows: list[Any], texts: list[list[str | None]]) -> list[list[str]]:
    """The table's rows with every merged cell's text in each grid position it covers, from
    the texts of its cells (``Table.extract``).

    pdfplumber reports a merged cell once, at its top-left position, and ``None`` in the
    positions it covers; the covering cell is the one whose box holds the centre of the empty
    position (column left edges and row tops are where unmerged cells start)."""
    boxes = [row.cells for row in rows]
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
