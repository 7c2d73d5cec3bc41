"""Finding numbers with their unit and comparator words in a paragraph.

A quantity is a numeral followed by a unit from ``rules/units.yaml`` (``100万千瓦``,
``9%``, ``30家``, ``三分之一``), with the comparator words around it (``不低于``…``以上``).
Quantities that the exclusion rules rule out are kept with the reason, so that a reader can
see why a number was not taken (``policy-targets review``, *numbers left out*).
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Lexicon
from ..text.spans import clause_bounds
from .numbers import parse_number

QUANTITY_MARK = "Ⓠ"
#: How far to look back for numbers written without their unit (407、262、84万千瓦): keeps
#: the time linear on text without punctuation.
_LOOKBACK = 40


@dataclass(frozen=True)
class Quantity:
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
    for m in lex.quantity.finditer(text, start, end):
        q = _from_match(text, m, lex, end)
        if q is None:
            continue
        # numbers written without their unit before the last one: 分别达到407、262、84万千瓦
        pos = q.prefix_start if q.prefix else q.start
        extra: list[Quantity] = []
        while True:
            b = lex.bare_number_before.search(text, max(start, pos - _LOOKBACK), pos)
            if not b or (found and b.start() < found[-1].ext_end):
                break
            num = b.group("num")
            extra.append(Quantity(b.start("num"), b.end("num"), num, parse_number(num), q.unit, q.kind, "", "", b.end("num")))
            pos = b.start()
        found.extend(reversed(extra))
        found.append(q)
    found.extend(_bare_numbers(text, start, end, lex, found))
    found.sort(key=lambda q: q.start)
    return [_excluded(text, q, start, end, lex, quotes) for q in found]


def _bare_numbers(text: str, start: int, end: int, lex: Lexicon, with_units: list[Quantity]) -> list[Quantity]:
    """Numbers with no unit after a verb of level (降至4.5以下); never years, never part of
    a number that has a unit."""
    out = []
    covered = {i for q in with_units for i in range(q.start, q.end)}
    for m in lex.bare_quantity.finditer(text, start, end):
        num = m.group("num")
        if (len(num) == 4 and num[:2] in ("19", "20")) or m.start() in covered:
            continue
        prefix, suffix, ext_end = _comparator_words(text, m.start(), m.end(), end, lex)
        out.append(Quantity(m.start(), m.end(), num, float(num), "", "measure", prefix, suffix, ext_end))
    return out


def _from_match(text: str, m, lex: Lexicon, end: int) -> Quantity | None:
    if m.group("pct") or m.group("frac"):
        number, unit = m.group(0), "%"
    else:
        number, unit = m.group("num"), m.group("unit")
    try:
        value = parse_number(number)
    except ValueError:
        return None
    info = lex.split_unit(unit)[1]
    kind = info.kind if info else "measure"
    prefix, suffix, ext_end = _comparator_words(text, m.start(), m.end(), end, lex)
    return Quantity(m.start(), m.end(), m.group(0), round(value, 4), unit, kind, prefix, suffix, ext_end)


def _comparator_words(text: str, start: int, stop: int, end: int, lex: Lexicon) -> tuple[str, str, int]:
    """The comparator word right before a number, the one right after it, and where the
    number's phrase ends (after that suffix)."""
    p = lex.comparator_prefix.search(text[max(0, start - 8) : start])
    s = lex.comparator_suffix.match(text, stop, end)
    return (p.group(0).strip() if p else ""), (s.group(0).strip() if s else ""), (s.end() if s else stop)


def _excluded(text: str, q: Quantity, start: int, end: int, lex: Lexicon, quotes) -> Quantity:
    reason = None
    if any(a < q.start and q.end <= b for a, b in quotes):
        reason = "quotes"
    else:
        ca, cb = clause_bounds(text, q.start, start, end)
        window = text[ca : q.start] + QUANTITY_MARK + text[q.end : cb]
        for rule in lex.context_exclusions:
            if rule.excludes(window, q.text, q.unit):
                reason = rule.name
                break
    if reason is None:
        return q
    return Quantity(q.start, q.end, q.text, q.value, q.unit, q.kind, q.prefix, q.suffix, q.ext_end, reason)
