"""Document structure of a normalised plan: metadata, heading tree, numbered items and the
responsible-unit block that closes each item.

Works on paragraphs (lines of the normalised text). The heading tree is sequence-aware inside
专栏 boxes: a box restarts its own numbering (1., 2. … or even 一、二、), and only a heading that
continues the outer outline closes it.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from .. import rules
from ..text.alternation import anchored_at_start, quicker_engine
from ..text.numerals import small_numeral
from .jurisdiction import Jurisdiction
from .metadata import jurisdiction_of, plan_period, read_header
from .responsible import find_block
from .tables import Table, find_tables

_TITLE_MAX = 40
#: Where a heading's title ends: the first full stop or semicolon (compiled once: a hot loop;
#: a class of characters, which the standard library's ``re`` finds faster).
_TITLE_END = re.compile("[。；;]")
#: Level of numbered items (1. 2. …) in rules/structure.yaml: the levels above it are the outline.
_ITEM_LEVEL = 4


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Heading:
    kind: str  # rule name: part, section, item, box, milestone …
    level: int | str
    number: int | None
    title: str
    start: int  # paragraph span in the normalised text
    end: int
    path: tuple[str, ...]  # titles from the top of the tree down to this heading
    in_box: bool


@dataclass(frozen=True)
class Item:
    """A stretch of text that one responsible-unit block (or none) applies to."""

    start: int
    end: int
    section: tuple[str, ...]
    units: tuple[str, ...]
    block_form: str | None
    block_start: int | None = None


@dataclass(frozen=True)
class DocumentStructure:
    doc_id: str
    title: str | None
    issuer: str | None
    doc_number: str | None
    date: str | None
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[Heading, ...]
    items: tuple[Item, ...]
    tables: tuple[Table, ...] = ()
    #: The year the plan was written (issue date, else the year of its document number, else
    #: the period its title names): a year phrase before it reports the past, not a target.
    written_year: int | None = None
    #: The plan period its title names (2021-2025, 2024), and who set it (structure/jurisdiction.py).
    period: str | None = None
    jurisdiction: Jurisdiction | None = None
    # lookup indexes, derived from the fields above whenever a structure is made or replaced
    _heading_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _item_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _table_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_heading_starts", tuple(h.start for h in self.headings))
        object.__setattr__(self, "_item_starts", tuple(i.start for i in self.items))
        object.__setattr__(self, "_table_starts", tuple(t.start for t in self.tables))

    def heading_at(self, offset: int) -> Heading | None:
        """The innermost heading whose paragraph starts at or before ``offset``."""
        i = bisect_right(self._heading_starts, offset) - 1
        return self.headings[i] if i >= 0 else None

    def section_at(self, offset: int) -> tuple[str, ...]:
        h = self.heading_at(offset)
        return h.path if h else ()

    def in_box(self, offset: int) -> Heading | None:
        """The 专栏 box holding ``offset``, if any."""
        i = bisect_right(self._heading_starts, offset) - 1
        if i < 0 or not self.headings[i].in_box:
            return None
        while i >= 0 and self.headings[i].kind != "box":
            i -= 1
        return self.headings[i] if i >= 0 else None

    def table_at(self, offset: int) -> Table | None:
        """The indicator table holding ``offset``: its rows are read by the table reader,
        not as sentences."""
        i = bisect_right(self._table_starts, offset) - 1
        if i >= 0 and offset <= self.tables[i].end:
            return self.tables[i]
        return None

    def in_review(self, offset: int) -> bool:
        """Whether ``offset`` lies in a section that reviews the past (发展基础, 现状, 成效 …)."""
        return any(is_review_heading(title) for title in self.section_at(offset))

    def item_at(self, offset: int) -> Item | None:
        i = bisect_right(self._item_starts, offset) - 1
        if i >= 0 and self.items[i].start <= offset < self.items[i].end:
            return self.items[i]
        return None

    def units_at(self, offset: int) -> tuple[str, ...]:
        item = self.item_at(offset)
        return item.units if item else ()

    def metadata_json(self) -> dict:
        """Title, issuer, number, date, period and jurisdiction: a plan's line of documents.jsonl."""
        place = self.jurisdiction.to_json() if self.jurisdiction else {"jurisdiction": None, "admin_code": None, "level": None, "province": None}
        return {
            "title": self.title,
            "issuer": self.issuer,
            "doc_number": self.doc_number,
            "date": self.date,
            "period": self.period,
            **place,
        }

    def to_json(self, offsets_to_raw=None) -> dict:
        """The ``structure --json`` shape; ``offsets_to_raw(start, end)`` maps spans to raw."""
        conv = offsets_to_raw or (lambda a, b: (a, b))
        items = []
        for it in self.items:
            raw_start, raw_end = conv(it.start, it.end)
            items.append(
                {
                    "section": list(it.section),
                    "raw_start": raw_start,
                    "raw_end": raw_end,
                    "responsible_units": list(it.units),
                }
            )
        return {
            "doc_id": self.doc_id,
            **self.metadata_json(),
            "items": items,
        }


#: Where each level of heading stands in the outline, outermost first; a box ranks below all.
_RANK: dict[int | str, int] = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, "milestone": 7}
_BOX_RANK = 9


@dataclass(frozen=True)
class _HeadingRule:
    name: str
    level: int | str
    pattern: regex.Pattern[str] | re.Pattern[str]  # anchored at the paragraph's start
    rank: int  # _RANK of level, read once for the rule rather than at every heading


@functools.cache
def _heading_patterns() -> tuple[regex.Pattern[str], ...]:
    return tuple(rules.compile_pattern(h["pattern"]) for h in rules.load("structure")["headings"])


@functools.cache
def _heading_rules() -> tuple[_HeadingRule, ...]:
    """The heading forms of ``rules/structure.yaml``, each searched by the engine that tries it
    at a paragraph's start in fewer steps (``text.alternation.quicker_engine``)."""
    return tuple(
        _HeadingRule(h["name"], h["level"], quicker_engine(pattern), _RANK.get(h["level"], _BOX_RANK))
        for h, pattern in zip(rules.load("structure")["headings"], _heading_patterns())
    )


@functools.cache
def _rules_opening_with(first: str) -> tuple[_HeadingRule, ...]:
    """The heading rules that a paragraph whose first character is ``first`` may open with, in
    the rulebook's order: those whose pattern ``regex`` matches ``first`` partially (the
    character could begin a match), and any not anchored at the paragraph's start
    (``text.alternation.anchored_at_start``), which may match further in. A rule left out
    matches no paragraph opening with ``first``, so asking the others alone answers alike;
    most paragraphs open with a character no heading opens with (one dictionary look-up
    instead of a search), and a heading's first character leaves one or two rules to try.
    Cached per character: a property of the rulebook, not of a plan's text."""
    return tuple(
        rule
        for rule, pattern in zip(_heading_rules(), _heading_patterns())
        if not anchored_at_start(pattern) or pattern.match(first, partial=True)
    )


@functools.cache
def _meta(name: str) -> regex.Pattern[str]:
    return rules.compile_pattern(rules.load("structure")["metadata"][name]["pattern"])


@functools.cache
def is_review_heading(title: str) -> bool:
    """A heading title that opens a review of the past (rules/structure.yaml review_sections)."""
    return rules.compile_pattern(rules.load("structure")["review_sections"]["pattern"]).search(title) is not None


def paragraphs_of(text: str) -> tuple[Paragraph, ...]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line:
            out.append(Paragraph(pos, pos + len(line), line))
        pos += len(line) + 1
    return tuple(out)


def is_heading(line: str) -> bool:
    """Whether a paragraph opens with one of the heading forms (the line joiner asks this of
    every line that does not end a sentence; which form, and its number, are not needed)."""
    for rule in _rules_opening_with(line[:1]):
        if rule.pattern.search(line):
            return True
    return False


def match_heading(line: str) -> tuple[_HeadingRule, int | None] | None:
    """The heading rule a paragraph opens with, and its number."""
    for rule in _rules_opening_with(line[:1]):
        m = rule.pattern.search(line)
        if m:
            groups = m.groupdict()
            return rule, _to_int(groups.get("num") or groups.get("circled"))
    return None


@functools.lru_cache(maxsize=1024)
def _to_int(num: str | None) -> int | None:
    """A heading's number (四, 12, ③); read once per process, as the same few recur in every plan."""
    if not num:
        return None
    if "①" <= num <= "⑳":
        return ord(num) - ord("①") + 1
    if num.isdigit():
        return int(num)
    small = small_numeral(num)
    if small is not None:
        return small
    try:
        import cn2an  # 0.1-0.2 s to import: paid only by a heading number beyond 九十九

        return int(cn2an.cn2an(num, "smart"))
    except (ValueError, KeyError):
        return None


def _title(line: str) -> str:
    end = _TITLE_END.search(line)
    head = line if end is None else line[: end.start()]
    return head if len(head) <= _TITLE_MAX else head[:_TITLE_MAX] + "…"


def analyse(text: str, doc_id: str = "", page_head: str = "") -> DocumentStructure:
    """Build the structure of a normalised document; ``page_head`` is the top of the raw page
    in simplified script, read for the page's own date (normalisation drops it as debris)."""
    paragraphs = paragraphs_of(text)
    tables = find_tables([(p.start, p.text) for p in paragraphs])
    in_table = {p.start for t in tables for p in t.rows}
    headings = _heading_tree(tuple(p for p in paragraphs if p.start not in in_table))  # a row 1.… is no heading
    items = _items(paragraphs, headings)
    meta = _metadata(paragraphs, headings, page_head)
    return DocumentStructure(
        doc_id=doc_id,
        paragraphs=paragraphs,
        headings=headings,
        items=items,
        tables=tables,
        **meta,
    )


def _heading_tree(paragraphs: tuple[Paragraph, ...]) -> tuple[Heading, ...]:
    out: list[Heading] = []
    stack: list[tuple[_HeadingRule, Heading]] = []  # outer outline
    last_outer: dict[int | str, int] = {}  # level -> last number seen outside boxes
    box: Heading | None = None
    box_stack: list[tuple[_HeadingRule, Heading]] = []
    box_last: dict[int | str, int] = {}
    for p in paragraphs:
        found = match_heading(p.text)
        if not found:
            continue
        rule, number = found
        title = _title(p.text)
        if rule.level == "box":
            while stack and stack[-1][0].rank >= _ITEM_LEVEL:
                stack.pop()  # a box sits beside the numbered items of its section
            parent = stack[-1][1].path if stack else ()
            box = Heading(rule.name, rule.level, number, title, p.start, p.end, parent + (title,), True)
            out.append(box)
            box_stack, box_last = [], {}
            continue
        if box is not None and not _leaves_box(rule, number, last_outer, box_last):
            while box_stack and box_stack[-1][0].rank >= rule.rank:
                box_stack.pop()
            parent = box_stack[-1][1].path if box_stack else box.path
            h = Heading(rule.name, rule.level, number, title, p.start, p.end, parent + (title,), True)
            box_stack.append((rule, h))
            if number is not None:
                box_last[rule.level] = number
            out.append(h)
            continue
        box = None
        while stack and stack[-1][0].rank >= rule.rank:
            stack.pop()
        parent = stack[-1][1].path if stack else ()
        h = Heading(rule.name, rule.level, number, title, p.start, p.end, parent + (title,), False)
        stack.append((rule, h))
        if number is not None:
            last_outer[rule.level] = number
            for deeper in [lv for lv in last_outer if _RANK.get(lv, _BOX_RANK) > rule.rank]:
                del last_outer[deeper]
        out.append(h)
    return tuple(out)


def _leaves_box(rule: _HeadingRule, number: int | None, last_outer: dict, box_last: dict) -> bool:
    """Inside a 专栏, a heading closes the box only when it continues the outer outline and
    not the box's own numbering."""
    if rule.level == "milestone" or number is None:
        return False
    continues_outer = rule.level in last_outer and number > last_outer[rule.level]
    outline = isinstance(rule.level, int) and rule.level < _ITEM_LEVEL
    if outline and continues_outer and not (rule.level in box_last and number == box_last[rule.level] + 1):
        return True
    if continues_outer and number == last_outer[rule.level] + 1:
        return not (rule.level in box_last and number == box_last[rule.level] + 1)
    return False


def _items(paragraphs: tuple[Paragraph, ...], headings: tuple[Heading, ...]) -> tuple[Item, ...]:
    """Items closed by a responsible-unit block, and numbered items without one.

    An item closed by a block starts at the innermost heading before the block, or right after
    the previous block if that is later (several blocks under one heading)."""
    heading_starts = [h.start for h in headings]
    blocks = []
    for p in paragraphs:
        b = find_block(p.text)
        if b is not None:
            blocks.append((p, b))
    items: list[Item] = []
    prev_end = 0
    for p, b in blocks:
        i = bisect_right(heading_starts, p.start) - 1
        h = headings[i] if i >= 0 else None
        start = max(h.start if h else p.start, prev_end)
        if start > p.start:
            start = p.start
        end = p.start + b.end
        items.append(Item(start, end, h.path if h else (), b.units, b.form, p.start + b.start))
        prev_end = end + 1
    closed = list(items)  # in order and apart: each starts after the one before ends
    closed_starts = [it.start for it in closed]
    for j, h in enumerate(headings):
        if h.kind != "item" or h.in_box:
            continue
        nxt = headings[j + 1].start - 1 if j + 1 < len(headings) else paragraphs[-1].end
        k = bisect_right(closed_starts, h.start) - 1
        if k >= 0 and h.start < closed[k].end:
            continue  # inside an item closed by a block (an item without one ends before the next heading)
        items.append(Item(h.start, max(nxt, h.end), h.path, (), None))
    items.sort(key=lambda it: it.start)
    return tuple(items)


def _metadata(paragraphs: tuple[Paragraph, ...], headings: tuple[Heading, ...], page_head: str) -> dict:
    first_heading = headings[0].start if headings else (paragraphs[-1].end if paragraphs else 0)
    header = [p for p in paragraphs if p.start < first_heading][:15]
    opening = [p.text for p in paragraphs[:15]]
    h = read_header([p.text for p in header], opening, page_head)
    # the year the plan was written: its signature's or number's, never a page's date
    issued = issue_year(h.signed, h.doc_number)
    written = issued if issued is not None else _written_year(h.title if h.own_title else None, header)
    return {
        "title": h.title,
        "issuer": h.issuer,
        "doc_number": h.doc_number,
        "date": h.date,
        "written_year": written,
        "period": plan_period(h.title),
        "jurisdiction": jurisdiction_of(h, opening),
    }


def issue_year(date: str | None, doc_number: str | None) -> int | None:
    """The year a plan was issued: its date's, else the year in its document number
    (沪府发〔2022〕7号)."""
    m = regex.match(r"\s*((?:19|20)\d{2})", date or "") or regex.search(r"[〔\[［(（]((?:19|20)\d{2})[〕\]］)）]", doc_number or "")
    return int(m.group(1)) if m else None


def _written_year(title: str | None, header: list[Paragraph]) -> int | None:
    """The first year of the plan period that the plan's title names, else that a plan title
    《…》 in the first paragraphs names (a news page quoting the plan), else a period name in
    the page's headline; the earliest when several are named, so that a cited older plan never
    makes a due year look past. Years in running text (到2025年) never count."""
    books = [m.group("title") for p in header[:3] for m in _meta("book_title").finditer(p.text)]
    for texts in ([title] if title else [], books):
        years = [y for t in texts for y in _period_starts(t)]
        if years:
            return min(years)
    headline = _period_starts(header[0].text, periods_only=True) if header else []
    return min(headline) if headline else None


def _period_starts(text: str, periods_only: bool = False) -> list[int]:
    names = rules.load("periods")["periods"]["names"]
    out = []
    for m in _meta("plan_years").finditer(text):
        if m.group("period"):
            if m.group("period") in names:
                out.append(int(names[m.group("period")][0]))
        elif not periods_only:
            out.append(int(m.group("y1") or m.group("y")))
    return out
