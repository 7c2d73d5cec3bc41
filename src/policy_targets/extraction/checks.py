"""Self-checks of a record (``rules/checks.yaml``): properties that a right record of
docs/annotation.md never breaks, computed on the record alone (and the year its plan was
written). A record's ``flags`` are the names of the checks it fails, in the rulebook's order;
a flag marks a record for a reader, it never drops one.

Kept pure and separate from the extractor so that the same checks run on predictions, on gold
records (the gold's own share is the yardstick) and on any JSONL a user brings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

from .. import rules


@dataclass(frozen=True)
class Check:
    name: str
    kind: str  # "pattern" for an indicator check, else the record kind of checks.yaml
    pattern: regex.Pattern[str] | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False)


@functools.cache
def checks() -> tuple[Check, ...]:
    """The checks of ``rules/checks.yaml``, indicator checks first, in the rulebook's order."""
    book = rules.load("checks")
    out = [Check(c["name"], "pattern", rules.compile_pattern(c["pattern"])) for c in book["indicator"]]
    out += [Check(c["name"], c["kind"], None, dict(c)) for c in book["record"]]
    return tuple(out)


@functools.cache
def bracket_pairs() -> tuple[str, ...]:
    """The (opening, closing) pairs that the brackets check balances, which the naming also
    uses to drop a bracket left unpaired at the edge of a name."""
    return tuple(p for c in checks() if c.kind == "brackets" for p in c.params["pairs"])


@functools.cache
def bracket_chars() -> frozenset[str]:
    """Every character of the bracket pairs, for a test of a name's edges in one look-up."""
    return frozenset(ch for pair in bracket_pairs() for ch in pair)


def record_flags(record: Mapping[str, Any], written_year: int | None = None) -> list[str]:
    """The names of the checks ``record`` fails ([] when none). ``written_year``: the year its
    plan was written, for the check that a target is not due before it."""
    names = [checks()[i].name for i in _indicator_failures(record.get("indicator") or "")]
    return names + [name for name, test, params in _record_tests() if test(params, record, written_year)]


@functools.cache
def _record_tests() -> tuple[tuple[str, Callable[[dict, Mapping[str, Any], int | None], bool], dict], ...]:
    """The record checks, after the indicator ones in :func:`checks`, as (name, test, params):
    each record asks them all, so the kind is looked up once, not once per record."""
    return tuple((c.name, _RECORD_KINDS[c.kind], c.params) for c in checks() if c.kind != "pattern")


def name_passes(indicator: str) -> bool:
    """Whether a name alone fails none of the indicator checks (nor ``no_name``): what the
    naming stage's choice among candidate names never breaks when a candidate keeps them all
    (``naming.indicator_of``), asked of every candidate name."""
    return not _indicator_failures(indicator) and not _no_name({}, {"indicator": indicator}, None)


@functools.lru_cache(maxsize=4096)
def _indicator_failures(indicator: str) -> tuple[int, ...]:
    """The indicator checks ``indicator`` fails (their places in :func:`checks`): the naming
    stage asks them of a name, and the record that carries it asks them again."""
    record = {"indicator": indicator}
    return tuple(i for i, c in enumerate(checks()) if c.kind == "pattern" and fails(c, record))


def fails(check: Check, record: Mapping[str, Any], written_year: int | None = None) -> bool:
    """Whether ``record`` breaks ``check``."""
    indicator = record.get("indicator") or ""
    if check.kind == "pattern":
        assert check.pattern is not None
        return check.pattern.search(indicator) is not None
    return _RECORD_KINDS[check.kind](check.params, record, written_year)


_NAME_CHAR = regex.compile(r"[\p{Han}A-Za-z]")


def _no_name(p: dict, r: Mapping[str, Any], _: int | None) -> bool:
    return _NAME_CHAR.search(r.get("indicator") or "") is None


def _share_bound(p: dict, r: Mapping[str, Any], _: int | None) -> bool:
    if r.get("unit") not in p["units"] or r.get("direction") != p["direction"]:
        return False
    exempt = p.get("exempt")
    if exempt and rules.compile_pattern(exempt).search(r.get("indicator") or ""):
        return False
    return float(r.get("value") or 0) > float(p["max"])


@functools.cache
def _year() -> regex.Pattern[str]:
    return rules.compile_pattern(rf"(?:{rules.fragments()['year']})")


def _value_year(p: dict, r: Mapping[str, Any], _: int | None) -> bool:
    value = r.get("value")
    if r.get("unit") not in p["units"] or not isinstance(value, (int, float)) or not float(value).is_integer():
        return False
    return _year().fullmatch(str(int(value))) is not None


def _year_before_plan(p: dict, r: Mapping[str, Any], written_year: int | None) -> bool:
    year = r.get("target_year")
    return year is not None and written_year is not None and year < written_year


def _year_order(p: dict, r: Mapping[str, Any], _: int | None) -> bool:
    year, start, base = r.get("target_year"), r.get("period_start"), r.get("baseline_year")
    if year is None:
        return False
    return (start is not None and start > year) or (base is not None and base >= year)


def _brackets(p: dict, r: Mapping[str, Any], _: int | None) -> bool:
    text = r.get("indicator") or ""
    if bracket_chars().isdisjoint(text):  # the pairs of every brackets check: these among them
        return False  # no bracket in it, nothing to balance: one test in C (most names)
    for opening, closing in p["pairs"]:
        if closing not in text and opening not in text:
            continue  # nothing to balance: spares the walk over the characters
        depth = 0
        for ch in text:
            if ch == opening:
                depth += 1
            elif ch == closing:
                depth -= 1
                if depth < 0:
                    return True
        if depth:
            return True
    return False


_RECORD_KINDS = {
    "no_name": _no_name,
    "share_bound": _share_bound,
    "value_year": _value_year,
    "year_before_plan": _year_before_plan,
    "year_order": _year_order,
    "brackets": _brackets,
}

#: The record an example of checks.yaml stands for when it names only some fields.
_EXAMPLE_DEFAULTS: dict[str, Any] = {
    "value": 1,
    "unit": "",
    "direction": "level",
    "target_year": None,
    "period_start": None,
    "baseline_year": None,
}


def example_fails(rule: Mapping[str, Any], example: str | Mapping[str, Any]) -> bool:
    """Whether the check ``rule`` of checks.yaml flags one of its examples (an indicator, or a
    ``{text, record, written_year}`` mapping): how ``tests/test_rules.py`` runs them."""
    check = next(c for c in checks() if c.name == rule["name"])
    if isinstance(example, str):
        example = {"text": example}
    record = {**_EXAMPLE_DEFAULTS, **example.get("record", {}), "indicator": example["text"]}
    return fails(check, record, example.get("written_year"))
