"""The catalogue of standard indicators (``rules/catalogue.yaml``): an indicator as a plan
writes it, with its unit, becomes a stable ``indicator_id`` and a ``scope``.

Plans name one indicator in many ways (非化石能源消费比重, 非化石能源占能源消费总量比重 …) and
wrap it in words that narrow it (东湖区细颗粒物平均浓度, 城市建成区绿化覆盖率). Grouping them is
what makes plans comparable, so the knowledge of what an indicator is lives as data in the
catalogue, and this module only applies it:

- every entry's synonyms and patterns are searched in the indicator;
- an entry is a candidate only when the record's unit fits the entry's kind (``kinds`` in the
  catalogue: a concentration is µg/m³, or a percentage as a change) — a wrong id is worse than
  none;
- of the candidates, the one that stands at the head of the indicator wins (a Chinese noun
  phrase ends with its head: 新能源汽车充电桩 is a 充电桩), then the longest match (新型储能 over
  储能), then the earlier entry; an organisation after the match (…企业) or a per-person word
  before a total (人均…用电量) makes the indicator another one, and the entry is not taken;
- what the indicator names outside the match, less the plan's own area and joining words, is
  the scope.

Pure functions of their arguments (and the rulebooks), cached by argument.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

import regex

from .. import rules
from .required import engine_text
from .lexicon import lexicon

#: Kinds of entry that are totals: divided per person or per area they are another indicator.
_TOTALS = frozenset(("amount", "capacity", "count"))
#: Punctuation and brackets trimmed from either end of a scope.
_TRIM = "()（）[]【】〔〕<>《》“”\"'‘’、，,。；;：:·-—_/ "


@dataclass(frozen=True)
class Entry:
    """One standard indicator of the catalogue."""

    id: str
    name: str
    en: str
    category: str
    kind: str
    unit: str
    units: tuple[str, ...]
    direction: str
    searches: tuple[tuple[str, regex.Pattern[str], str], ...]  # (label, compiled pattern, text every match holds)


@dataclass(frozen=True)
class Fit:
    """Which units fit an entry of one kind (see ``kinds`` in the catalogue)."""

    always: frozenset[str]
    unit_kinds: frozenset[str]
    as_change: frozenset[str]


@dataclass(frozen=True)
class Match:
    """What the catalogue says of one indicator: the id (None when no entry fits), the scope,
    and the rule that decided (``entry:pattern 1``; ``unit_mismatch:entry`` when only entries
    whose unit did not fit named it, ``other_head:entry`` when an organisation after the name
    is the head, ``per_head:entry`` when a total is divided per person; empty when none named
    it)."""

    indicator_id: str | None
    scope: str
    rule: str


@dataclass(frozen=True)
class Catalogue:
    """The catalogue compiled: entries in file order, unit fits by kind, the scope patterns."""

    entries: tuple[Entry, ...]
    fits: dict[str, Fit]
    before: regex.Pattern[str]  # what is trimmed from the words before a match
    after: regex.Pattern[str]  # … and from the words after it
    other_head: regex.Pattern[str]  # an organisation ending the indicator: then no entry is its head
    per_head: regex.Pattern[str]  # 人均 … just before a total: a per-person indicator


def _compile(source: str) -> regex.Pattern[str]:
    return regex.compile(source, regex.V0 | regex.IGNORECASE)


def required_text(pattern: regex.Pattern[str]) -> str:
    """A text every match of ``pattern`` holds (``required.engine_text``: 非化石能源 for
    ``非化石能源(?:消费量?)?(?:占比|比重)``). An indicator without it cannot match, and trying the
    catalogue's 600 patterns one by one on each new name was a sixth of the time of a plan never
    seen (the names of a known plan are cached). Empty when there is none or when it holds a
    letter with a case (the catalogue ignores case)."""
    text = engine_text(pattern)
    return text if text.lower() == text.upper() else ""


@functools.cache
def catalogue() -> Catalogue:
    """The checked catalogue, its patterns compiled (kept compiled on disk: :func:`~policy_targets.rules.kept_compiled`)."""
    return rules.kept_compiled("catalogue", rules.rules_dir(), _build)


def _build() -> Catalogue:
    book = rules.load("catalogue")
    entries = []
    for e in book["entries"]:
        searches = [(f"synonym {s}", _compile(regex.escape(fold(s)))) for s in e.get("synonyms", [])]
        searches += [(f"pattern {i + 1}", _compile(p)) for i, p in enumerate(e["patterns"])]
        searches = [(label, pattern, required_text(pattern)) for label, pattern in searches]
        entries.append(
            Entry(e["id"], e["name"], e["en"], e["category"], e["kind"], e["unit"], tuple(e.get("units", [])), e["direction"], tuple(searches))
        )
    fits = {k: Fit(frozenset(v["always"]), frozenset(v["unit_kinds"]), frozenset(v["as_change"])) for k, v in book["kinds"]["fits"].items()}
    edge = "[" + regex.escape(_TRIM) + "]"
    drop = rules.alternation(book["scope"]["drop"])
    joiners = rules.alternation(book["scope"]["joiners"])
    actions = rules.alternation(book["scope"]["actions"])
    return Catalogue(
        tuple(entries),
        fits,
        _compile(f"^(?:{edge}|{drop})+|(?:{edge}|{drop}|{joiners})+$"),
        _compile(f"^(?:{edge}|{drop}|{joiners}|{actions})+|(?:{edge}|{drop}|{actions})+$"),
        _compile(f"(?:{rules.alternation(book['scope']['other_heads'])})(?:{edge}|{actions})*$"),
        _compile(f"(?:{rules.alternation(book['scope']['per_head'])})\\p{{Han}}{{0,4}}$"),
    )


def fold(text: str) -> str:
    """The indicator as the patterns expect it: compatibility forms folded (full-width
    brackets and digits, Ⅲ as III, PM₂.₅ as PM2.5) and white space removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _unit_forms(unit: str) -> tuple[frozenset[str], str | None]:
    """The forms a written unit is compared in — its canonical unit, the unit without its
    magnitude (万吨/日 → 吨/日) and itself — and its kind in rules/units.yaml."""
    unit = fold(unit)
    lex = lexicon()
    _, info = lex.split_unit(unit)
    forms = {unit}
    for mag in lex.magnitudes:
        if unit.startswith(mag) and len(unit) > len(mag):
            forms.add(unit[len(mag) :])
    if info is not None:
        forms.add(info.canonical)
    return frozenset(forms), (info.kind if info is not None else None)


def unit_fits(entry: Entry, unit: str, direction: str | None = None) -> bool:
    """Whether a record's unit can measure the entry: its own units, the units of its kind,
    or a change unit (%) when the record is a change rather than a level."""
    forms, unit_kind = _unit_forms(unit)
    fit = catalogue().fits[entry.kind]
    if forms & {entry.unit, *entry.units} or forms & fit.always:
        return True
    if unit_kind is not None and unit_kind in fit.unit_kinds:
        return True
    return bool(forms & fit.as_change) and direction != "level"


def _trim(text: str, pattern: regex.Pattern[str]) -> str:
    previous = None
    while previous != text:
        previous, text = text, pattern.sub("", text)
    return text


def _before(text: str) -> str:
    """The scope words before a match: the plan's own area dropped, and the joining word at
    their end (城镇新建建筑中, …的) that ties them to the match."""
    return _trim(text, catalogue().before)


def _after(text: str) -> str:
    """The scope words after a match, joining words at their start and action words
    (建成投用) dropped."""
    return _trim(text, catalogue().after)


def _best_span(pattern: regex.Pattern[str], text: str) -> tuple[int, int] | None:
    """The longest match of a pattern in the text (overlapping matches considered), the
    later one on a tie. Most of the catalogue's patterns match nowhere in a name: one search
    says so at half the cost of the scan for overlapping matches."""
    if pattern.search(text) is None:
        return None
    best = None
    for m in pattern.finditer(text, overlapped=True):
        if m.end() > m.start() and (best is None or (m.end() - m.start(), m.start()) > (best[1] - best[0], best[0])):
            best = (m.start(), m.end())
    return best


@functools.lru_cache(maxsize=65536)
def match(indicator: str, unit: str, direction: str | None = None) -> Match:
    """The catalogue entry of an indicator with its unit (and direction, when known: a
    percentage measures a concentration only as a change)."""
    text = fold(indicator)
    cat = catalogue()
    best: tuple[Any, ...] | None = None
    misfit: str | None = None
    for order, entry in enumerate(cat.entries):
        for label, pattern, needs in entry.searches:
            if needs not in text:
                continue
            span = _best_span(pattern, text)
            if span is None:
                continue
            if not unit_fits(entry, unit, direction):
                misfit = misfit or f"unit_mismatch:{entry.id}"
                continue
            if cat.other_head.search(text[span[1] :]):  # 新能源汽车企业 counts enterprises
                misfit = misfit or f"other_head:{entry.id}"
                continue
            if entry.kind in _TOTALS and cat.per_head.search(text[: span[0]]):  # 人均用水量
                misfit = misfit or f"per_head:{entry.id}"
                continue
            at_head = _after(text[span[1] :]) == ""
            key = (at_head, span[1] - span[0], -order)
            if best is None or key > best[0]:
                best = (key, entry, label, span)
    if best is None:
        return Match(None, "", misfit or "")
    _, entry, label, (start, end) = best
    parts = [_before(text[:start]), _after(text[end:])]
    return Match(entry.id, " ".join(p for p in parts if p), f"{entry.id}:{label}")

