"""Finding numbers with their unit and comparator words in a paragraph.

A quantity is a numeral followed by a unit from ``rules/units.yaml`` (``100万千瓦``,
``9%``, ``30家``, ``三分之一``), with the comparator words around it (``不低于``…``以上``).
Quantities that the exclusion rules rule out are kept with the reason, so that a reader can
see why a number was not taken (``policy-targets review``, *numbers left out*).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from .lexicon import ContextRule, Lexicon
from ..text.spans import clause_bounds, sentence_bounds
from .numbers import is_approximate, parse_number

QUANTITY_MARK = "Ⓠ"
#: How far to look back for numbers written without their unit (407、262、84万千瓦): keeps
#: the time linear on text without punctuation.
_LOOKBACK = 40
#: Exclusion reasons set here rather than by a context rule.
UNKNOWN_UNIT = "unknown_unit"
APPROXIMATE = "approximate"


@dataclass(slots=True)
class Quantity:
    """A number with its unit and comparator words. Not frozen: one is made for every number
    the scan reads, and a frozen dataclass sets each of its ten fields through
    ``object.__setattr__`` (1.3 µs against 0.2); nothing changes one once made (a new reason
    makes a new one, ``dataclasses.replace``)."""

    start: int  # document offsets of the number and unit
    end: int
    text: str
    value: float
    unit: str
    kind: str
    prefix: str  # comparator word right before the number, "" if none
    suffix: str  # comparator word right after the unit, "" if none
    ext_end: int  # end including the suffix
    excluded: str | None = None  # name of the exclusion rule, None for a candidate target

    @property
    def prefix_start(self) -> int:
        return self.start - len(self.prefix)


def quote_spans(text: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Spans inside quotation marks and title marks in ``text[start:end]``."""
    if lex.quote_openers.search(text, start, end) is None:
        return []  # no opening mark: most paragraphs
    spans = []
    for open_, close in lex.quote_pairs:
        i = start
        while True:
            a = text.find(open_, i, end)
            if a < 0:
                break
            b = text.find(close, a + 1, end)
            if b < 0:
                break
            spans.append((a, b + 1))
            i = b + 1
    return spans


def find_quantities(text: str, start: int, end: int, lex: Lexicon, quotes: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """All quantities in ``text[start:end]``, in order, excluded ones marked."""
    quotes = quote_spans(text, start, end, lex) if quotes is None else quotes
    found: list[Quantity] = []
    ranges: dict[int, tuple[int, int]] = {}  # start of either end -> span of the whole range
    for m in quantity_matches(text, start, end, lex):
        q = _from_match(text, m, lex, end)
        if q is None:
            continue
        if q.excluded is None:
            extra = _unit_written_once(text, start, q, lex, found[-1].ext_end if found else start)
            if extra and text[extra[-1].end : q.start].strip() in lex.range_joiners:
                ranges[extra[-1].start] = ranges[q.start] = (extra[-1].start, q.end)
            found.extend(extra)
        found.append(q)
    found.extend(_bare_numbers(text, start, end, lex, found))
    found.extend(_latin_unknown_units(text, start, end, lex, found))
    if not found:  # three paragraphs in four
        return found
    found.sort(key=lambda q: q.start)
    if all(q.excluded for q in found):
        return found
    bulletin = may_hold_bulletin(text, start, end, lex)
    return [q if q.excluded else _excluded(text, q, start, end, lex, quotes, ranges.get(q.start), bulletin) for q in found]


def quantity_matches(text: str, start: int, end: int, lex: Lexicon) -> Iterable[regex.Match[str]]:
    """The matches of ``lex.quantity`` in ``text[start:end]``, those ``finditer`` gives, found
    from the start of the numeral before the first place of ``lex.quantity_gate``: no match
    starts before it (``lexicon.quantity_gate``), and a paragraph without a place has none.
    The ``regex`` engine tries the pattern at every character it passes, the gate's ``re``
    skips most of them: three quarters of a plan's paragraphs, and half its text, hold no
    number with a unit."""
    place = lex.quantity_gate.search(text, start, end)
    if place is None:
        return ()
    other = lex.numeral_run_back.search(text, start, place.start())
    return lex.quantity.finditer(text, other.end() if other else start, end)


def _unit_written_once(text: str, start: int, q: Quantity, lex: Lexicon, floor: int) -> list[Quantity]:
    """Numbers written without their unit before ``q``, which lend it: a list
    (分别达到407、262、84万千瓦) or the low end of a range (30—35%, 60至70微克/立方米; the low
    end must be smaller, so that a code such as 19-6 is no range)."""
    pos = q.prefix_start if q.prefix else q.start
    extra: list[Quantity] = []
    while True:
        b = _number_before(text, max(start, pos - _LOOKBACK), pos, lex)
        if not b or b.start() < floor:
            break
        num = b.group("num")
        value = parse_number(num)
        is_range = b.group("joiner") in lex.range_joiners  # 30—35%, 60至70微克/立方米
        if is_range and (extra or value >= q.value):
            break
        p = lex.comparator_prefix.search(text[max(0, b.start("num") - 8) : b.start("num")])  # 分别不高于53和32微克
        extra.append(Quantity(b.start("num"), b.end("num"), num, value, q.unit, q.kind, p.group(0).strip() if p else "", "", b.end("num")))
        if is_range:
            break
        pos = b.start()
    return list(reversed(extra))


def _number_before(text: str, lo: int, pos: int, lex: Lexicon) -> regex.Match[str] | None:
    """The match of ``lex.bare_number_before`` in ``text[lo:pos]``, a number and a joiner that
    end at ``pos``. Searched backwards first (``Lexicon.number_before_back``), which tells
    whether there is one at the window's end at once; most numbers have none before them, and
    the search forwards, which gives the match its extent, would try every character first."""
    if lex.number_before_back.search(text, lo, pos) is None:
        return None
    return lex.bare_number_before.search(text, lo, pos)


def _latin_unknown_units(text: str, start: int, end: int, lex: Lexicon, found: list[Quantity]) -> list[Quantity]:
    """Numbers followed by Latin letters or a symbol that the unit table lacks (300MWp, 5kV):
    reported as excluded quantities, never read as numbers without a unit."""
    letters = lex.latin_unit_letters
    if letters is not None and letters.search(text, start, end) is None:
        return []  # no letter that opens such a unit: most paragraphs
    out = []
    for m in lex.latin_unit.finditer(text, start, end):
        if any(q.start <= m.start() < q.ext_end for q in found):  # a number read with a table unit
            continue
        try:
            value = parse_number(m.group("num"))
        except ValueError:
            continue
        out.append(Quantity(m.start(), m.end(), m.group(0), value, m.group("unit"), "measure", "", "", m.end(), UNKNOWN_UNIT))
    return out


def _bare_numbers(text: str, start: int, end: int, lex: Lexicon, with_units: list[Quantity]) -> list[Quantity]:
    """Numbers with no unit after a verb of level (降至4.5以下); never years, never part of
    a number that has a unit."""
    if lex.bare_quantity_back.search(text, start, end) is None:
        return []  # most paragraphs: none, found in half the time of the search forwards
    out = []
    covered: set[int] | None = None  # built at the first bare number
    for m in lex.bare_quantity.finditer(text, start, end):
        num = m.group("num")
        if covered is None:
            covered = {i for q in with_units for i in range(q.start, q.end)}
        if lex.year.fullmatch(num) or m.start() in covered:
            continue
        prefix, suffix, ext_end = _comparator_words(text, m.start(), m.end(), end, lex)
        out.append(Quantity(m.start(), m.end(), num, float(num), "", "measure", prefix, suffix, ext_end))
    return out


def _from_match(text: str, m, lex: Lexicon, end: int) -> Quantity | None:
    pct, frac, per, number, unit = m.group("pct", "frac", "per", "num", "unit")  # one call, not five
    if pct or frac:
        number, unit = m.group(0), "%"
    elif per:  # 每立方米35微克: the rate unit of the table, numerator/denominator
        unit = f"{unit}/{m.group('den')}"
        if unit not in lex.units:
            return None
    excluded = None
    try:
        value = round(parse_number(number), 4)
    except ValueError:
        if not is_approximate(number):
            return None
        value, excluded = math.nan, APPROXIMATE  # 两三个: two or three, never 23
    info = lex.split_unit(unit)[1]
    kind = info.kind if info else "measure"
    stop = m.end()
    cut = lex.unit_cut.match(text, stop, end)
    if cut and excluded is None:  # 12万吨/周: a unit the table lacks, not 12 万吨
        tail = lex.comparator_suffix.sub("", cut.group(0)) or cut.group(0)
        unit, stop, excluded = unit + tail, stop + len(tail), UNKNOWN_UNIT
    prefix, suffix, ext_end = _comparator_words(text, m.start(), stop, end, lex)
    return Quantity(m.start(), stop, text[m.start() : stop], value, unit, kind, prefix, suffix, ext_end, excluded)


def _comparator_words(text: str, start: int, stop: int, end: int, lex: Lexicon) -> tuple[str, str, int]:
    """The comparator word right before a number, the one right after it, and where the
    number's phrase ends (after that suffix)."""
    p = lex.comparator_prefix.search(text[max(0, start - 8) : start])
    s = lex.comparator_suffix.match(text, stop, end)
    return (p.group(0).strip() if p else ""), (s.group(0).strip() if s else ""), (s.end() if s else stop)


def _excluded(
    text: str, q: Quantity, start: int, end: int, lex: Lexicon, quotes, span: tuple[int, int] | None = None, bulletin: bool = True
) -> Quantity:
    """``q`` with the reason a context rule excludes it, if one does. The two ends of a range
    are read as one quantity (1-2个 is no code 1-2 followed by 个). ``bulletin``: whether its
    paragraph may hold a bulletin's sentence (``may_hold_bulletin``)."""
    reason = None
    a0, b0 = span or (q.start, q.end)
    if any(a < q.start and q.end <= b for a, b in quotes):
        reason = "quotes"
    else:
        ca, cb = clause_bounds(text, q.start, start, end)
        reason = context_exclusion(text[ca:a0] + QUANTITY_MARK + text[b0:cb], q.text, q.unit, lex)
        if reason is None and bulletin and _in_bulletin(text, q.start, start, end, lex):
            reason = BULLETIN
    if reason is None:
        return q
    return Quantity(q.start, q.end, q.text, q.value, q.unit, q.kind, q.prefix, q.suffix, q.ext_end, reason)


def context_exclusion(window: str, quantity: str, unit: str, lex: Lexicon) -> str | None:
    """The first context rule of the rulebook that excludes a quantity (its text and unit) in
    ``window``, its clause with the number marked Ⓠ; None when none does. Most clauses match
    none of the rules that read the clause alone: one search of them joined rules them all
    out, and only the rules with a condition on the quantity are left to try."""
    gate = lex.unconditioned_exclusions
    if gate is None or gate.search(window):
        return next((rule.name for rule in lex.context_exclusions if rule.excludes(window, quantity, unit)), None)
    return next((rule.name for rule in _fitting(lex, quantity, unit) if rule.pattern.search(window)), None)


@functools.lru_cache(maxsize=4096)
def _fitting(lex: Lexicon, quantity: str, unit: str) -> tuple[ContextRule, ...]:
    """The context rules with conditions on the quantity that it meets, in the rulebook's
    order: asked of the same few quantities (50万千瓦, 30家) again and again."""
    return tuple(rule for rule in lex.conditioned_exclusions if rule.fits(quantity, unit))


#: The exclusion reason of a number in a bulletin of results (rules/exclusions.yaml bulletin).
BULLETIN = "bulletin"


def may_hold_bulletin(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether a sentence of the paragraph ``text[start:end]`` can report results: false when
    the bulletin marks, which read no context around them (``Lexicon.bulletin_marks_in_context``),
    are nowhere in it, so that its numbers skip the search of their sentence. The words one of
    which every mark holds (``Lexicon.bulletin_words``) are searched first: most paragraphs
    hold none, which ``re`` finds in a quarter of the time the marks take."""
    if lex.bulletin_marks_in_context:
        return True
    words = lex.bulletin_words
    if words is not None and words.search(text, start, end) is None:
        return False
    return lex.bulletin_marks.search(text, start, end) is not None


def _in_bulletin(text: str, pos: int, start: int, end: int, lex: Lexicon) -> bool:
    """Whether the sentence around ``pos`` reports results against the year before and names
    no aim (rules/exclusions.yaml ``bulletin``)."""
    a, b = sentence_bounds(text, pos)
    sentence = text[max(a, start) : min(b, end)]
    return lex.bulletin_marks.search(sentence) is not None and lex.bulletin_aims.search(sentence) is None
