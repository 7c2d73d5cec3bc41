"""The layout of a PDF page from its placed characters: text lines with their column cells, and
the rows of a table set without rules, whose wrapped cells belong to one row.

Pure geometry, shared by both PDF libraries (``pdf.py`` reads the characters): every character
goes into exactly one line, so nothing is lost or doubled whatever fonts the machine has.
Coordinates run down from the top of the page.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import regex

#: Two lines of a table are one row's wrap when their baselines are closer than the rows are;
#: gaps within this share of the font size count as equal (the row cannot be told).
SAME_GAP = 0.15
#: A gap between two characters of a line wider than this share of the font size separates
#: columns (a full-width cell ends a little more than its padding before the next one);
#: :data:`WORD_GAP` is a word space where the PDF has no space character.
COLUMN_GAP = 0.75
WORD_GAP = 0.5
#: At most this many wrapped lines around a row of values (a cell of five lines is a paragraph).
MAX_WRAPS = 4
#: Brackets a cell cut by a wrap leaves open on one line and closed on the next.
_BRACKETS = {"（": "）", "(": ")", "〔": "〕", "［": "］", "[": "]", "《": "》", "【": "】", "“": "”"}
_CLOSING = {close: open_ for open_, close in _BRACKETS.items()}
#: A value cell: a number, a dash for "no figure", a number with a sign or a percent sign.
_VALUE = regex.compile(r"^[<>≤≥≈~约+\-−]?\d[\d,.]*%?$|^[—–\-－/]+$")


class Char(NamedTuple):
    """One character placed by its box: ``base`` is its baseline (or box bottom), ``size``
    the font size. A named tuple: a page makes one per character."""

    text: str
    x0: float
    x1: float
    base: float
    size: float


@dataclass(frozen=True)
class PageChars:
    """A page's placed characters as columns, in the order of the page's text: the code
    point, the box's left and right edges, the baseline and the font size of each (what a
    :class:`Char` holds), and the text object each comes from (``key``, 0 for none). Columns
    let a page's lines be found by array operations instead of a Python step per character,
    with the same arithmetic (float64, as Python's floats)."""

    code: np.ndarray  # uint32
    x0: np.ndarray
    x1: np.ndarray
    base: np.ndarray
    size: np.ndarray
    key: np.ndarray  # uint64: the text object's address

    def __len__(self) -> int:
        return len(self.code)

    def __iter__(self) -> Iterator[Char]:
        return map(Char, self.text, self.x0.tolist(), self.x1.tolist(), self.base.tolist(), self.size.tolist())

    @property
    def text(self) -> str:
        """The characters in their order, one code point each."""
        return _decoded(self.code)

    def take(self, which: np.ndarray) -> PageChars:
        """The characters a mask (or index array) selects, in their order."""
        return PageChars(self.code[which], self.x0[which], self.x1[which], self.base[which], self.size[which], self.key[which])


def _decoded(code: np.ndarray) -> str:
    """Code points (uint32) as a string; a lone surrogate of the page's text passes through."""
    return code.astype("<u4").tobytes().decode("utf-32-le", "surrogatepass")


def led(mask: np.ndarray) -> np.ndarray:
    """``mask`` after a True (the first element starts a run): ``np.r_[True, mask]``, without
    the index trick's parsing of its arguments, a few microseconds at each of a page's calls."""
    return np.concatenate((_TRUE, mask))


_TRUE = np.ones(1, dtype=bool)


def code_points(text: str) -> np.ndarray:
    """A string's code points (uint32), the inverse of :func:`_decoded`."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@dataclass(frozen=True)
class Cell:
    """A stretch of a line between column gaps."""

    x0: float
    x1: float
    text: str
    base: float = 0.0


@dataclass(frozen=True)
class Line:
    top: float
    base: float
    size: float
    cells: tuple[Cell, ...]
    margin: bool  # in the top or bottom band of the page, where running lines sit

    @property
    def text(self) -> str:
        """The line's cells joined by two spaces: the column gap the table reader splits at."""
        return "  ".join(c.text for c in self.cells)


def text_lines(chars: list[Char] | PageChars, height: float, band: float) -> list[Line]:
    """Characters into text lines, each character once: clustered by baseline (a quote or a
    digit set in another font sits on the same baseline as the Chinese around it), ordered
    left to right, top to bottom. A wide gap separates columns (an unruled table: a new cell,
    :data:`COLUMN_GAP`), a narrower one words (:data:`WORD_GAP`).

    Columns of characters (:class:`PageChars`) are read by :func:`_column_lines`, which gives
    the same lines; a list by plain loops over local names (a page runs them once per
    character)."""
    if isinstance(chars, PageChars):
        lines = _column_lines(chars, height, band)
        if lines is not None:
            return lines
        chars = list(chars)
    rows: list[list[Char]] = []
    row: list[Char] = []
    first_base = first_size = 0.0
    for ch in sorted(chars, key=_BASE_X0):
        base, size = ch.base, ch.size
        if row and base - first_base < 0.4 * (size if size > first_size else first_size):
            row.append(ch)
        else:
            row = [ch]
            rows.append(row)
            first_base, first_size = base, size
    out: list[Line] = []
    for row in rows:
        row.sort(key=_X0)
        cells = _cells(row)
        if not cells:
            continue
        top, base, size = min(c.base - c.size for c in row), max(c.base for c in row), max(c.size for c in row)
        margin = top < band * height or base > (1 - band) * height
        out.append(Line(top, base, size, tuple(cells), margin))
    return out


_BASE_X0 = operator.itemgetter(3, 1)
_X0 = operator.itemgetter(1)


def _column_lines(chars: PageChars, height: float, band: float) -> list[Line] | None:
    """:func:`text_lines` by array operations: the same sort (stable, by baseline then left
    edge), rows, order within a row and gaps, with a Python step per baseline, cell and
    word space instead of per character. None where a value is not finite (the list path
    decides there, as Python's sort does with a NaN), or a size is not positive."""
    n = len(chars)
    if n == 0:
        return []
    x0, x1, base, size = chars.x0, chars.x1, chars.base, chars.size
    if not (np.isfinite(x0).all() and np.isfinite(x1).all() and np.isfinite(base).all() and np.isfinite(size).all() and (size > 0).all()):
        return None
    order = np.lexsort((x0, base))
    b, s = base[order], size[order]
    starts = np.flatnonzero(led(b[1:] != b[:-1]))  # runs of one baseline, in sorted order
    biggest = np.maximum.reduceat(s, starts).tolist()
    bl, sl = b.tolist(), s.tolist()
    row_of = np.zeros(n, dtype=np.int64)  # 1 where a row starts
    first_base = first_size = 0.0
    ends = [*starts[1:].tolist(), n]
    for g, start in enumerate(starts.tolist()):
        here = bl[start] - first_base
        if g and here < 0.4 * first_size:
            continue  # every character of the run joins the row (the larger size only widens the band)
        if not g or here >= 0.4 * (biggest[g] if biggest[g] > first_size else first_size):
            row_of[start] = 1  # the run's first character starts a row; the rest, on its baseline, join it
            first_base, first_size = bl[start], sl[start]
            continue
        for k in range(start, ends[g]):  # sizes differ within the run: character by character
            size_k = sl[k]
            if not bl[k] - first_base < 0.4 * (size_k if size_k > first_size else first_size):
                row_of[k] = 1
                first_base, first_size = bl[k], size_k
    rows = np.cumsum(row_of)
    final = order[np.lexsort((x0[order], rows))]  # within a row by left edge, ties in sorted order
    rows = np.sort(rows)
    X0, X1, B, S = x0[final], x1[final], base[final], size[final]
    gap = X0[1:] - X1[:-1]
    wider = np.maximum(S[1:], S[:-1])
    same_row = rows[1:] == rows[:-1]
    column = same_row & (gap > COLUMN_GAP * wider)
    spaced = same_row & ~column & (gap > WORD_GAP * wider)
    row_starts = np.flatnonzero(led(~same_row))
    cell_starts = np.flatnonzero(led(~same_row | column))
    text = _decoded(chars.code[final])
    spaces = (np.flatnonzero(spaced) + 1).tolist()
    x0l, x1l = X0.tolist(), X1.tolist()
    group_base = np.maximum.reduceat(B, cell_starts).tolist()
    tops = np.minimum.reduceat(B - S, row_starts).tolist()
    bases = np.maximum.reduceat(B, row_starts).tolist()
    sizes = np.maximum.reduceat(S, row_starts).tolist()
    cell_ends = [*cell_starts[1:].tolist(), n]
    row_ends = [*row_starts[1:].tolist(), n]
    out: list[Line] = []
    g = 0
    for r, row_end in enumerate(row_ends):
        cells = []
        while g < len(cell_ends) and cell_ends[g] <= row_end:
            start, end = int(cell_starts[g]), cell_ends[g]
            cuts = spaces[bisect.bisect_right(spaces, start) : bisect.bisect_left(spaces, end)]
            joined = " ".join(text[a:z] for a, z in zip([start, *cuts], [*cuts, end])) if cuts else text[start:end]
            for part in joined.split("  "):
                if part.strip():
                    cells.append(Cell(x0l[start], x1l[end - 1], " ".join(part.split()), group_base[g]))
            g += 1
        if cells:
            top, line_base = tops[r], bases[r]
            out.append(Line(top, line_base, sizes[r], tuple(cells), top < band * height or line_base > (1 - band) * height))
    return out


def _cells(row: list[Char]) -> list[Cell]:
    """A line's characters (left to right) into its cells, words spaced, empty cells left out."""
    prev = row[0]
    group, texts = [prev], [prev.text]
    groups = [(group, texts)]
    for ch in row[1:]:
        gap, size = ch.x0 - prev.x1, (ch.size if ch.size > prev.size else prev.size)
        if gap > COLUMN_GAP * size:
            group, texts = [ch], [ch.text]
            groups.append((group, texts))
        else:
            group.append(ch)
            texts.append(" " + ch.text if gap > WORD_GAP * size else ch.text)
        prev = ch
    cells = []
    for group, texts in groups:
        # a run of typed spaces as wide as a column gap is one too
        base = None
        for part in "".join(texts).split("  "):
            if part.strip():
                if base is None:
                    base = max(c.base for c in group)
                cells.append(Cell(group[0].x0, group[-1].x1, " ".join(part.split()), base))
    return cells


def unruled_rows(lines: list[Line]) -> tuple[list[Line], list[str]]:
    """The lines with each table set without rules rebuilt row by row, and the rows left out.

    A table is a run of lines with column gaps, figures in at least one of them. A row whose
    name (or another cell) wraps is printed as a line of figures with lines of that cell above
    or below it (the cell's vertical alignment decides which); rows are further apart than
    the lines of a cell, so each wrapped line is joined to the row on its side of the widest
    gap (:func:`_owners`). A line that could be either row's is left out with both rows, and
    so is a row of figures left without a name, rather than read with another row's name."""
    out: list[Line] = []
    left_out: list[str] = []
    i = 0
    for first, last in _table_runs(lines):
        out += lines[i:first]
        rows, dropped = _rebuild(lines[first:last])
        out += rows
        left_out += dropped
        i = last
    out += lines[i:]
    return out, left_out


def _table_runs(lines: list[Line]) -> list[tuple[int, int]]:
    """``[first, last)`` of each run of lines with two or more cells (at least two of them,
    a figure among their cells), with up to :data:`MAX_WRAPS` one-cell lines between them, and the one-cell lines just
    before and after that fit the table's first column and sit closer to the run than its
    rows are to each other."""
    multi = [k for k, line in enumerate(lines) if len(line.cells) >= 2 and not line.margin]
    runs: list[list[int]] = []
    for k in multi:
        if runs and k - runs[-1][-1] <= MAX_WRAPS + 1 and all(not lines[j].margin for j in range(runs[-1][-1] + 1, k)):
            runs[-1].append(k)
        else:
            runs.append([k])
    out = []
    for run in runs:
        if len(run) < 2 or not any(_VALUE.match(c.text) for k in run for c in lines[k].cells[1:]):
            continue  # letter-spaced titles and the like: no figures, no table
        first, last = run[0], run[-1] + 1
        col1 = _second_column(lines, run)
        left = min(lines[k].cells[0].x0 for k in run)
        pitch = min(_row_base(lines[b], col1) - _row_base(lines[a], col1) for a, b in zip(run, run[1:]))

        def wraps(line: Line, neighbour: Line) -> bool:
            """A one-cell line inside the first column, clearly closer to the row than rows are."""
            cell = line.cells[0]
            near = abs(_row_base(neighbour, col1) - cell.base) < pitch - SAME_GAP * line.size
            return len(line.cells) == 1 and not line.margin and left - line.size / 2 <= cell.x0 and cell.x1 <= col1 and near

        while first > 0 and run[0] - first < MAX_WRAPS and wraps(lines[first - 1], lines[first]):
            first -= 1
        while last < len(lines) and last - run[-1] <= MAX_WRAPS and wraps(lines[last], lines[last - 1]):
            last += 1
        out.append((first, last))
    return out


def _row_base(line: Line, col1: float) -> float:
    """The baseline a line is measured by: its first-column cell's (the name, set in the same
    type as its wrapped lines), else the line's (a row of values alone)."""
    first = line.cells[0]
    return first.base if first.x0 < col1 - line.size / 2 else line.base


def _second_column(lines: list[Line], run: list[int]) -> float:
    """Where the second column starts: the leftmost second cell of a line whose first cell
    starts at the table's left edge (a line of values alone starts further right)."""
    left = min(lines[k].cells[0].x0 for k in run)
    named = [lines[k] for k in run if lines[k].cells[0].x0 <= left + lines[k].size]
    return min(line.cells[1].x0 for line in named)


def _rebuild(block: list[Line]) -> tuple[list[Line], list[str]]:
    """One table's lines as rows: each row of values with its wrapped lines joined in."""
    anchors = [k for k, line in enumerate(block) if len(line.cells) >= 2]
    col1 = _second_column(block, anchors)
    owner, doubtful = _owners(block, anchors, col1)
    rows: list[Line] = []
    left_out: list[tuple[int, str]] = [(k, block[k].text) for k, row in owner.items() if row is None]
    for a, line in enumerate(block):
        if owner.get(a, a) != a:
            continue  # a wrapped line: joined to its row (or left out)
        if a in doubtful:
            left_out.append((a, line.text))
            continue
        if a not in anchors:
            rows.append(line)  # a one-cell line as far from both rows as rows are: a row of its own
            continue
        named = line.cells[0].x0 < col1 - line.size / 2
        values = list(line.cells[1:] if named else line.cells)
        mine = sorted([k for k, row in owner.items() if row == a and k != a] + ([a] if named else []), key=lambda k: block[k].base)
        names = [block[k].cells[0] for k in mine if k == a or block[k].cells[0].x1 <= col1]
        wraps = [k for k in mine if k != a and block[k].cells[0].x1 > col1]
        # a wrapped line of a value cell: the nearest first, so that lines above stack upwards
        for k in sorted(wraps, key=lambda k: abs(block[k].base - line.base)):
            values, joined = _join_into(values, block[k].cells[0], block[k].base < line.base)
            if not joined:
                left_out.append((k, block[k].text))
        if not names:
            # a second header line ("2020年  2025年") has no name; figures without one do
            if any(_VALUE.match(c.text) for c in values):
                left_out.append((a, line.text))
            else:
                rows.append(line)
            continue
        name = Cell(min(c.x0 for c in names), max(c.x1 for c in names), _joined([c.text for c in names]))
        top = min(block[k].top for k in [a, *mine])
        rows.append(Line(top, line.base, line.size, (name, *values), line.margin))
    return rows, [text for _k, text in sorted(left_out)]


def _owners(block: list[Line], anchors: list[int], col1: float) -> tuple[dict[int, int | None], set[int]]:
    """Each one-cell line's row of values (itself when it is a row of its own, such as a
    category over the rows below), None when it cannot be told; and the rows next to a line
    that cannot be told.

    Between two rows of values, rows are further apart than the lines of a cell: the widest
    baseline gaps (equal within :data:`SAME_GAP`) are row boundaries. Lines before the first
    boundary belong to the row above, lines after the last to the row below; lines between two
    boundaries are rows of their own, unless a bracket left open or closed shows them to be
    part of a cell, which could then be either row's. A wrapped line before the first row or
    after the last belongs to it (the run took only lines close to it)."""
    owner: dict[int, int | None] = {}
    doubtful: set[int] = set()
    bounds = [-1, *anchors, len(block)]
    for before, after in zip(bounds, bounds[1:]):
        wraps = list(range(before + 1, after))
        if not wraps:
            continue
        if before < 0 or after >= len(block):
            for k in wraps:
                owner[k] = after if before < 0 else before
            continue
        edges = [_row_base(block[before], col1), *(block[k].base for k in wraps), _row_base(block[after], col1)]
        gaps = [b - a for a, b in zip(edges, edges[1:])]
        widest = max(gaps)
        cuts = [n for n, g in enumerate(gaps) if widest - g <= SAME_GAP * block[wraps[0]].size]
        for n, k in enumerate(wraps):
            owner[k] = before if n < cuts[0] else after if n >= cuts[-1] else k
        between = wraps[cuts[0] : cuts[-1]]
        if not all(_closed(block[k].text) for k in between):
            owner.update({k: None for k in between})
            doubtful |= {before, after}
    return owner, doubtful


def _closed(text: str) -> bool:
    """Whether every bracket the text opens it also closes, and none it closes was opened
    before it (a cell cut by a wrap leaves one open on its first line, closed on the next)."""
    depth = {o: 0 for o in _BRACKETS}
    for ch in text:
        if ch in _BRACKETS:
            depth[ch] += 1
        elif ch in _CLOSING:
            opener = _CLOSING[ch]
            depth[opener] -= 1
            if depth[opener] < 0:
                return False
    return not any(depth.values())


def _join_into(values: list[Cell], wrap: Cell, above: bool) -> tuple[list[Cell], bool]:
    """The value cells with a wrapped line joined to the cell it lies over or under (by
    horizontal overlap); False when it lies under none."""
    overlap = [min(c.x1, wrap.x1) - max(c.x0, wrap.x0) for c in values]
    if not overlap or max(overlap) <= 0:
        return values, False
    k = overlap.index(max(overlap))
    cell = values[k]
    texts = [wrap.text, cell.text] if above else [cell.text, wrap.text]
    values = [*values[:k], Cell(min(cell.x0, wrap.x0), max(cell.x1, wrap.x1), _joined(texts)), *values[k + 1 :]]
    return values, True


def _joined(texts: list[str]) -> str:
    """Lines of one cell joined as a hard wrap: a space only between two Latin letters or digits."""
    out = texts[0]
    for text in texts[1:]:
        out += (" " if out[-1:].isascii() and out[-1:].isalnum() and text[:1].isascii() and text[:1].isalnum() else "") + text
    return out
