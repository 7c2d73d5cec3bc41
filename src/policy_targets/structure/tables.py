"""Indicator tables laid out as text: which lines are the rows of a table and where the cells
are.

A plan's 主要指标 table reaches the pipeline as consecutive lines, one per row, with cells
separated by ``|`` (the format readers render real tables this way, merged cells repeated)
or laid out in columns with runs of spaces or tabs. Such lines must neither be joined as
hard wraps nor lose their column gaps when spaces next to Chinese are dropped, so the line
joiner asks this module first, and the structure records each table's rows and cells for
the extraction stage. Only blocks whose header names a target-year column count: any other
block of aligned lines stays prose, as before. The forms live in ``rules/tables.yaml``.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

import regex

from .. import rules
from ..text.alternation import character_list, compiled_quicker, holds_any

#: The separator written between cells in the normalised text of a table row.
CELL_SEPARATOR = "|"


@dataclass(frozen=True)
class Cell:
    start: int  # span of the cell's text (stripped) in the text it was found in
    end: int
    text: str


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    """A block of table rows in the normalised text; ``start``/``end`` span all of it."""

    start: int
    end: int
    rows: tuple[Row, ...]


@functools.cache
def _forms() -> tuple[regex.Pattern[str] | re.Pattern[str], regex.Pattern[str], int, int, int, regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    book = rules.load("tables")
    return (
        compiled_quicker(book["rows"]["pipe"]["pattern"]),  # sought in every text
        rules.compile_pattern(book["rows"]["columns"]["pattern"]),
        int(book["rows"]["min_rows"]["value"]),
        int(book["rows"]["max_cell"]["value"]),
        int(book["header"]["max_rows"]),
        rules.compile_pattern(book["header"]["year"]["pattern"]),
        rules.compile_pattern(book["header"]["period"]["pattern"]),
        rules.compile_pattern(book["rows"]["spanning"]["pattern"]),
    )


def split_cells(line: str, offset: int = 0) -> tuple[Cell, ...] | None:
    """The cells of a line that is a table row (at least two cells, none over ``max_cell``
    characters), else None. A line with a ``|`` is split there (empty edge cells of
    ``| a | b |`` dropped); otherwise at tabs or runs of two or more spaces."""
    pipe, columns, _, max_cell, *_ = _forms()
    sep = pipe if pipe.search(line) else columns
    if sep is columns and columns.search(line) is None:
        return None  # one cell: no row
    cells: list[Cell] = []
    pos = 0
    pieces = [(m.start(), m.end()) for m in sep.finditer(line)] + [(len(line), len(line))]
    for a, b in pieces:
        raw = line[pos:a]
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        cells.append(Cell(offset + pos + lead, offset + pos + lead + len(stripped), stripped))
        pos = b
    if sep is pipe:
        while cells and not cells[0].text:
            cells.pop(0)
        while cells and not cells[-1].text:
            cells.pop()
    if len(cells) < 2 or any(len(c.text) > max_cell for c in cells):
        return None
    return tuple(cells)


def _lines_holding(lines: list[str], patterns: tuple[regex.Pattern[str] | re.Pattern[str], ...]) -> set[int]:
    """Indices of the lines that hold a match of one of ``patterns``, found by one scan of the
    joined lines a pattern instead of a search a line (most lines of a plan hold no cell
    separator). The separators of ``rules/tables.yaml`` are marks inside a line, never
    anchored to its ends nor spanning a line break, so a match in the joined text lies
    within one line and every line's own match is found."""
    text = "\n".join(lines)
    patterns = tuple(p for p in patterns if _may_hold(text, p))
    if not patterns:
        return set()
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))  # and the end
    found: set[int] = set()
    for pattern in patterns:
        m = pattern.search(text)
        while m is not None:  # the first match of a line, then on from the next line
            line = bisect_right(starts, m.start()) - 1
            found.add(line)
            m = pattern.search(text, starts[line + 1])
    return found


def _may_hold(text: str, pattern: regex.Pattern[str] | re.Pattern[str]) -> bool:
    """False when ``text`` cannot hold a match of ``pattern``: a pattern that is one of a few
    characters (the bar of a cell separator) is looked for by ``str``'s own search for each
    (``text.alternation.character_list``: 0.14 against 0.67 ms over the bench plans' lines),
    and only a text that holds one is scanned for the lines that do."""
    chars = character_list(pattern.pattern)
    return chars is None or holds_any(text, chars)


def _separated_lines(lines: list[str]) -> set[int]:
    """The lines that may be table rows: those holding a cell separator."""
    pipe, columns, *_ = _forms()
    return _lines_holding(lines, (pipe, columns))


def cell_gaps(cells: tuple[Cell, ...]) -> list[tuple[int, int]]:
    """The spans between consecutive cells: each separator with the spaces around it."""
    return [(a.end, b.start) for a, b in zip(cells, cells[1:])]


def is_header_cell(text: str) -> bool:
    """A cell naming a target-year column: a year or a plan period's end."""
    *_, year, period, _ = _forms()
    return bool(year.search(text) or period.search(text))


@functools.cache
def _one_cell_forms() -> tuple[regex.Pattern[str], regex.Pattern[str], regex.Pattern[str], regex.Pattern[str]]:
    book = rules.load("tables")
    return (
        rules.compile_pattern(book["rows"]["one_cell"]["pattern"]),
        rules.compile_pattern(book["rows"]["header_word"]["pattern"]),
        rules.compile_pattern(book["binding"]["binding"]["pattern"]),
        rules.compile_pattern(book["binding"]["expected"]["pattern"]),
    )


def one_cell_rows(lines: list[str]) -> tuple[set[int], set[int]]:
    """A table flattened one cell a line (rules/tables.yaml ``one_cell``): the indices of the
    lines in such runs, and of the lines that end a row of one. The header is the cell before
    the first year cell (the name column) and the header cells after it; it fixes the number of
    cells a row has. A name cell (words, no value) followed by another is a category row; a
    row is a name and as many cells as the header has after its first. Runs without a year
    header are left alone."""
    one_cell, header_word, *_ = _one_cell_forms()
    inside: set[int] = set()
    ends: set[int] = set()
    barred = sorted(_lines_holding(lines, (_forms()[0],)))  # a one-cell line closes with a bar
    i = 0
    while True:
        k = bisect_left(barred, i)  # lines without a bar open no run: passed over at once
        if k == len(barred):
            break
        i = barred[k]
        j = i
        while j < len(lines) and one_cell.match(lines[j]):
            j += 1
        run = list(range(i, j))
        i = max(j, i + 1)
        texts = [lines[k].strip().rstrip("|｜").strip() for k in run]
        year = next((k for k, t in enumerate(texts[:10]) if is_header_cell(t)), None)
        if year is None or len(run) < 6:
            continue
        start = max(year - 1, 0)
        end = year
        while end + 1 < len(texts) and (is_header_cell(texts[end + 1]) or header_word.match(texts[end + 1])):
            end += 1
        width = end - start + 1
        inside.update(run[max(start - 1, 0) :])  # the caption before the header ends there too
        if start > 0:
            ends.add(run[start - 1])
        ends.add(run[end])
        k = end + 1
        while k < len(texts):
            if _is_name(texts[k]) and (k + 1 >= len(texts) or _is_name(texts[k + 1])):
                ends.add(run[k])  # a category row: 生态环境质量, 1.空气质量
                k += 1
                continue
            last = min(k + width - 1, len(texts) - 1)
            ends.add(run[last])
            k = last + 1
    return inside, ends


def _is_name(text: str) -> bool:
    """A cell of words that is no value: a row's or a category's name (not 约束性, 15左右, -)."""
    _, _, binding, expected = _one_cell_forms()
    value = regex.fullmatch(r"[<>≤≥约]?\s*[〔\[(（]?[\d.。,]+[〕\])）]?\s*(?:左右|以上|以下|以内)?", text)
    return bool(regex.search(r"\p{Han}{2}", text)) and not (binding.match(text) or expected.match(text) or value)


def table_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """``[first, last)`` line indices of each table: a run of at least ``min_rows`` table rows
    from the first of its first ``max_rows`` rows that names a target-year column."""
    _, _, min_rows, _, max_header, *_, spanning = _forms()
    separated = _separated_lines(lines)
    if not separated:
        return []  # no line holds two cells
    cells = [split_cells(line) if i in separated else None for i, line in enumerate(lines)]
    k = 1
    while k < len(lines) - 1:
        # category rows spanning the table (one, or a category and a sub-category) between rows
        n = 0
        while n < 2 and k + n < len(lines) - 1 and cells[k + n] is None and spanning.search(lines[k + n]):
            n += 1
        if n and cells[k - 1] is not None and cells[k + n] is not None:
            for m in range(k, k + n):
                cells[m] = (Cell(0, len(lines[m]), lines[m]),)
        k += max(n, 1)
    blocks = []
    i = 0
    while i < len(lines):
        if cells[i] is None:
            i += 1
            continue
        j = i
        while j < len(lines) and cells[j] is not None:
            j += 1
        # the table starts at its first header row: a caption laid out in columns is no row
        first = next((k for k in range(i, min(j, i + max_header)) if any(is_header_cell(c.text) for c in cells[k])), None)  # type: ignore[union-attr]
        if first is not None and j - first >= min_rows:
            blocks.append((first, j))
        i = j
    return blocks


def find_tables(lines: list[tuple[int, str]]) -> tuple[Table, ...]:
    """The tables among the lines (start offset, text) of a normalised text."""
    tables = []
    for first, last in table_blocks([line for _, line in lines]):
        rows = []
        for a, line in lines[first:last]:
            rows.append(Row(a, a + len(line), split_cells(line, a) or (Cell(a, a + len(line), line),)))
        tables.append(Table(rows[0].start, rows[-1].end, tuple(rows)))
    return tuple(tables)
