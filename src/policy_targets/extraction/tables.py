"""Targets of an indicator table (主要指标): one record per target-year cell.

ANNOTATION.md v2: the indicator is the row name without its unit bracket, the unit comes from
the bracket, a unit column, a unit row under the header or the column header; the target year
from the column header; the base-year column holds no target; 〔〕 or 累计 cells are cumulative
over the plan period; the comparator is read from the cell; the 属性 column gives ``binding``;
the evidence is the row as written. The structure stage found the rows and cells
(``structure.tables``); this module decides what each column means and reads each cell.

Header words and cell signs are in ``rules/tables.yaml``; comparator words, units, period
names, change verbs and 累计 come from the rulebooks the sentence extractor reads too, through
the lexicon and ``attributes``, so that a table and a sentence agree on them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import rules
from ..structure.outline import DocumentStructure, issue_year
from ..structure.tables import Row, Table
from . import attributes
from .lexicon import Lexicon
from .numbers import parse_number
from .records import Draft

RULE = "table"
_NUMBER = regex.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


@dataclass(frozen=True)
class Words:
    """The compiled patterns of rules/tables.yaml."""

    year: regex.Pattern[str]
    period: regex.Pattern[str]
    base: regex.Pattern[str]
    target: regex.Pattern[str]
    name: regex.Pattern[str]
    category: regex.Pattern[str]
    index: regex.Pattern[str]
    unit: regex.Pattern[str]
    binding_header: regex.Pattern[str]
    binding: tuple[tuple[str, regex.Pattern[str]], ...]
    row_index: regex.Pattern[str]
    footnote: regex.Pattern[str]  # a footnote digit inside a row name
    unit_bracket: regex.Pattern[str]
    cumulative_bracket: regex.Pattern[str]
    signs: tuple[tuple[str, str], ...]  # (sign, comparator), longest sign first
    max_header: int


@functools.cache
def words() -> Words:
    book = rules.load("tables")
    h, n, c = book["header"], book["names"], book["cells"]
    pat = rules.compile_pattern
    signs = sorted(((s, sym) for sym, forms in c["signs"].items() for s in forms), key=lambda p: -len(p[0]))
    return Words(
        year=pat(h["year"]["pattern"]),
        period=pat(h["period"]["pattern"]),
        base=pat(h["base"]["pattern"]),
        target=pat(h["target"]["pattern"]),
        name=pat(h["name"]["pattern"]),
        category=pat(h["category"]["pattern"]),
        index=pat(h["index"]["pattern"]),
        unit=pat(h["unit"]["pattern"]),
        binding_header=pat(h["binding"]["pattern"]),
        binding=tuple((k, pat(v["pattern"])) for k, v in book["binding"].items() if isinstance(v, dict)),
        row_index=pat(n["index"]["pattern"]),
        footnote=pat(n["footnote"]["pattern"]),
        unit_bracket=pat(n["unit_bracket"]["pattern"]),
        cumulative_bracket=pat(c["cumulative_bracket"]),
        signs=tuple(signs),
        max_header=int(h["max_rows"]),
    )


# --- cells ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellValue:
    value: float
    unit: str  # a unit written in the cell itself (80%), "" if none
    comparator: str
    cumulative: bool
    aspirational: bool


def read_cell(text: str, lex: Lexicon) -> CellValue | None:
    """What a value cell says, or None for a cell with no target (—, /, 持续改善, 2025年)."""
    w = words()
    s = regex.sub(r"\s+", "", text)
    aspirational = attributes.aspirational(lex, s, s)
    if aspirational:
        s = lex.aspirational.sub("", s, count=1)
    cumulative = attributes.cumulative(lex, s)
    if cumulative:
        s = regex.sub(r"[(（]?(?:%s)[)）]?" % lex.cumulative.pattern, "", s)
    m = w.cumulative_bracket.match(s)
    if m:
        cumulative = True
        s = m.group("inner") + s[m.end("inner") + 1 :]
    num = _NUMBER.search(s)
    if num is None:
        return None
    pre, post = s[: num.start()], s[num.end() :]
    sign = next((sym for form, sym in w.signs if pre == form), None)
    prefix = ""
    if sign is None and pre:
        pm = lex.comparator_prefix.search(pre)
        if pm is None or pm.start() != 0:
            return None
        prefix = pm.group(0).strip()
    suffix = ""
    sm = lex.comparator_suffix.search(post)
    if sm and sm.end() == len(post):
        suffix = sm.group(0).strip()
        post = post[: sm.start()]
    if post and not is_unit(post, lex):
        return None  # 2025年, 3项工程: not a value cell
    comparator = sign or attributes.comparator(lex, suffix, "", prefix)
    return CellValue(parse_number(num.group(0)), post, comparator, cumulative, aspirational)


def is_unit(text: str, lex: Lexicon) -> bool:
    """A unit of units.yaml (with a magnitude word; intensities such as 吨标准煤/万元 are
    there too), or a unit with no Chinese character (%, μg/m3, kW)."""
    if not text:
        return False
    if lex.split_unit(text)[1] is not None:
        return True
    return regex.fullmatch(r"[A-Za-zμ%‰/·.\d]*[A-Za-zμ%‰][A-Za-zμ%‰/·.\d]*", text) is not None


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    role: str  # name, category, index, unit, binding, target, base, other
    group: str  # the header text of the column's year (the top header cell), "" if none
    year: int | None = None
    period_start: int | None = None
    cumulative: bool = False
    unit: str = ""


def _header_rows(rows: tuple[Row, ...], lex: Lexicon) -> int:
    """How many rows the header has: the first row, and each sub-header row under it."""
    n = 1
    while n < min(len(rows), words().max_header) and _sub_header(rows[n], lex):
        n += 1
    return n


def _sub_header(row: Row, lex: Lexicon) -> bool:
    """A further header row (目标值 | 属性 under a merged 2025年): header words after its first
    cell and no value cell. A unit row is not a header row."""
    w = words()
    rest = [c.text for c in row.cells[1:]]
    if any(read_cell(t, lex) for t in rest) or _unit_row(row, lex):
        return False
    marks = (w.year, w.period, w.target, w.base, w.binding_header, w.unit)
    return any(p.search(t) for t in rest for p in marks)


def _unit_row(row: Row, lex: Lexicon) -> bool:
    """A row under the header that gives each column's unit: opens with 单位, or its cells
    after the first are all units (or empty)."""
    cells = [c.text for c in row.cells]
    if words().unit.search(cells[0]):
        return True
    rest = [_unbracket(c) for c in cells[1:] if c]
    return bool(rest) and all(is_unit(c, lex) for c in rest)


def _unbracket(text: str) -> str:
    m = words().unit_bracket.fullmatch(text)
    return m.group("unit") if m else text


def _columns(header: list[tuple[str, ...]], unit_row: tuple[str, ...] | None, plan_from: int | None, lex: Lexicon) -> list[Column]:
    """What each column means, from its header cells top to bottom (merged cells repeated)."""
    w = words()
    width = max(len(r) for r in header)
    draft: list[dict] = []
    for j in range(width):
        texts = [r[j] for r in header if j < len(r) and r[j]]
        joined = "".join(dict.fromkeys(texts))
        col: dict = {"group": texts[0] if texts else "", "unit": ""}
        um = w.unit_bracket.search(joined)
        if um and is_unit(um.group("unit"), lex):
            col["unit"] = um.group("unit")
        if unit_row is not None and j < len(unit_row) and j > 0 and unit_row[j]:
            col["unit"] = _unbracket(unit_row[j])
        year, period_start, span = _year_of(joined, lex)
        col["year"], col["period_start"] = year, period_start
        col["cumulative"] = span or attributes.cumulative(lex, joined)
        if any(w.binding_header.search(t) for t in texts):
            col["role"] = "binding"
        elif any(w.unit.search(t) for t in texts):
            col["role"] = "unit"
        elif any(w.index.search(t) for t in texts):
            col["role"] = "index"
        elif any(w.category.search(t) for t in texts):
            col["role"] = "category"
        elif year is not None:
            col["role"] = "base" if w.base.search(joined) else "target" if w.target.search(joined) else "year"
        elif any(w.name.search(t) for t in texts):
            col["role"] = "name"
        else:
            col["role"] = "other"
        draft.append(col)
    _decide_years(draft, plan_from)
    _cumulative_columns(draft)
    _decide_name(draft)
    return [Column(**c) for c in draft]


def _year_of(header: str, lex: Lexicon) -> tuple[int | None, int | None, bool]:
    """(target year, period start, whether the header names the whole period) of a header."""
    w = words()
    pm = w.period.search(header)
    if pm and pm.group("name") in lex.period_names:
        first, last = lex.period_names[pm.group("name")]
        span = pm.group("span") is not None
        return last, first if span else None, span
    ym = w.year.search(header)
    return (int(ym.group("y")), None, False) if ym else (None, None, False)


def _decide_years(cols: list[dict], plan_from: int | None) -> None:
    """An unmarked year column is the base when its year is before the plan (``plan_from``);
    with no date known, an unmarked column of the earliest of several years is the base
    unless another column is marked as one."""
    unmarked = [c for c in cols if c["role"] == "year"]
    has_base = any(c["role"] == "base" for c in cols)
    years = {c["year"] for c in cols if c["role"] in ("year", "target")}
    for c in unmarked:
        if plan_from is not None:
            past = c["year"] < plan_from
        else:
            past = not has_base and len(years) > 1 and c["year"] == min(years)
        c["role"] = "base" if past else "target"


def _cumulative_columns(cols: list[dict]) -> None:
    """A column headed by 累计 and no year (〔累计〕) holds the targets cumulative over the plan
    period: due in the last year the table's target columns name."""
    years = [c["year"] for c in cols if c["role"] == "target" and c["year"] is not None]
    for c in cols:
        if years and c["role"] == "other" and c["cumulative"] and c["year"] is None:
            c["role"], c["year"] = "target", max(years)


def _decide_name(cols: list[dict]) -> None:
    """The name column is the one headed 指标/名称, else the last plain column before the first
    value column; plain columns before it are categories (绿色低碳 repeated down a column)."""
    first_value = next((j for j, c in enumerate(cols) if c["role"] in ("target", "base", "unit", "binding")), len(cols))
    names = [j for j, c in enumerate(cols) if c["role"] == "name" and j < first_value][-1:]
    if not names:
        plain = [j for j in range(first_value) if cols[j]["role"] == "other"]
        if not plain:
            return
        names = [plain[-1]]
        cols[plain[-1]]["role"] = "name"
    for j, c in enumerate(cols):
        if j < names[0] and c["role"] in ("other", "name"):
            c["role"] = "category"  # also a 主要指标 header merged over category and name
        elif j > names[0] and c["role"] == "name":
            c["role"] = "other"


# --- rows ----------------------------------------------------------------------------------


def _row_name(name: str, lex: Lexicon) -> tuple[str, str, bool]:
    """(indicator, unit from its bracket, cumulative mark) of a row name: 单位产值能耗降低(%)
    → (单位产值能耗降低, %, False); a row number and a 〔累计〕 mark are dropped too."""
    w = words()
    s = w.footnote.sub("", w.row_index.sub("", name, count=1).strip())
    unit, cumulative = "", False
    while True:
        m = w.unit_bracket.search(s)
        if m is None:
            break
        inner = m.group("unit")
        if lex.cumulative.fullmatch(inner):
            cumulative = True
        elif is_unit(inner, lex) and not unit:
            unit = inner
        else:
            break
        s = s[: m.start()].rstrip()
    return s, unit, cumulative


def _direction(indicator: str, lex: Lexicon) -> str:
    """As a sentence would say it: a change verb ending the row name (单位产值能耗降低) governs
    its cells, as ``attributes.direction`` decides for the verb before a number."""
    verb = dict(lex.tail_patterns)["verb"].search(indicator)
    tail = [("verb", verb.group(0))] if verb else []
    return attributes.direction(lex, tail, indicator)


def _plan_from(st: DocumentStructure, caption: str, lex: Lexicon) -> int | None:
    """The first year of the plan, from the document's own dates: the period a title or the
    table's caption names (“十四五” → 2021), else the year of issue (date or 文号)."""
    for source in (caption, st.title or ""):
        for name, (first, _last) in lex.period_names.items():
            if name in source:
                return first
    return issue_year(st.date, st.doc_number)


def _plan_start(year: int | None, lex: Lexicon) -> int | None:
    """The first year of the plan period ending in ``year`` (2025 → 2021)."""
    return next((first for first, last in lex.period_names.values() if last == year), None)


def table_targets(table: Table, st: DocumentStructure, text: str, lex: Lexicon) -> list[Draft]:
    """One draft per target-year cell that holds a number."""
    rows = tuple(r for r in table.rows if r.cells)
    if len(rows) < 2:
        return []
    n_header = _header_rows(rows, lex)
    header = [tuple(c.text for c in r.cells) for r in rows[:n_header]]
    body = rows[n_header:]
    unit_row = None
    if body and _unit_row(body[0], lex):
        unit_row, body = tuple(c.text for c in body[0].cells), body[1:]
    caption = text[text.rfind("\n", 0, max(table.start - 1, 0)) + 1 : max(table.start - 1, 0)]
    cols = _columns(header, unit_row, _plan_from(st, caption, lex), lex)
    name_col = next((j for j, c in enumerate(cols) if c.role == "name"), None)
    if name_col is None:
        return []
    width = len(cols)
    drafts: list[Draft] = []
    previous: tuple = ()
    for row in body:
        cells = row.cells
        if len(cells) < 2:
            continue  # a category row spanning the table
        if len(cells) < width and len(previous) == width:
            cells = previous[: width - len(cells)] + cells  # merged cells from the row above
        if len(cells) != width:
            continue
        previous = cells
        drafts.extend(_row_targets(row, cells, cols, name_col, st, text, lex))
    return drafts


def _row_targets(row: Row, cells: tuple, cols: list[Column], name_col: int, st: DocumentStructure, text: str, lex: Lexicon) -> list[Draft]:
    indicator, unit, row_cumulative = _row_name(cells[name_col].text, lex)
    if not indicator:
        return []
    indicator = lex.strip_leading.sub("", indicator)
    unit_cell = next((cells[j].text for j, c in enumerate(cols) if c.role == "unit" and cells[j].text), "")
    unit = unit or _unbracket(unit_cell)
    direction = _direction(indicator, lex)
    per_year = direction != "level" and attributes.per_year(lex, indicator)
    bindings = {c.group: _binding(cells[j].text) for j, c in enumerate(cols) if c.role == "binding"}
    drafts = []
    for j, col in enumerate(cols):
        if col.role != "target":
            continue
        cell = read_cell(cells[j].text, lex)
        if cell is None:
            continue
        cumulative = cell.cumulative or col.cumulative or row_cumulative
        period_start = col.period_start if col.period_start is not None else (_plan_start(col.year, lex) if cumulative else None)
        binding = bindings.get(col.group) or next((b for g, b in bindings.items() if g not in _year_groups(cols)), None)
        drafts.append(
            Draft(
                indicator=indicator,
                value=cell.value,
                unit=cell.unit or unit or col.unit,
                comparator=cell.comparator,
                direction=direction,
                target_year=col.year,
                period_start=period_start,
                baseline_year=None,
                per_year=per_year,
                cumulative=cumulative,
                aspirational=cell.aspirational,
                responsible_units=list(st.units_at(row.start)),
                evidence_start=row.start,
                evidence_end=row.end,
                anchor=cells[j].start,
                rule=RULE,
                binding=binding,
                year_source="table_column",
            )
        )
    return drafts


def _year_groups(cols: list[Column]) -> set[str]:
    return {c.group for c in cols if c.role in ("target", "base")}


def _binding(text: str) -> str | None:
    s = regex.sub(r"\s+", "", text)
    return next((name for name, pattern in words().binding if pattern.search(s)), None)
