"""Who set the plan's targets: the jurisdiction (name, GB/T 2260 code, level) that its title,
issuer and opening lines name, resolved through the gazetteer.

The sources are read in order of trust: the plan's title and its issuer first, then the
subjects and 《titles》 of the sentences that report the issue, then a headline that opens
with a place. Within one source the most specific division wins that agrees with every
other division it names (宁夏回族自治区石嘴山市 -> 石嘴山市). A name shared by several divisions
(朝阳区) is resolved by a province or city the opening lines name, else left null; a short name
that is also a province's (吉林) is the province. Generic self-references (我市, 全省, 市区) are
never names here: the issuer and title say which city 我市 is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import rules
from .gazetteer import NATIONAL_CODE, Division, Gazetteer, Mention, gazetteer

NATIONAL_NAME = "全国"
_HAN = regex.compile(r"\p{Han}")


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    admin_code: str
    level: str  # national, province, city, county
    province: str | None  # the province's full name; None for a national plan

    def to_json(self) -> dict[str, str | None]:
        return {"jurisdiction": self.name, "admin_code": self.admin_code, "level": self.level, "province": self.province}


NATIONAL = Jurisdiction(NATIONAL_NAME, NATIONAL_CODE, "national", None)


@functools.cache
def _meta(name: str) -> regex.Pattern[str]:
    return rules.compile_pattern(rules.load("structure")["metadata"][name]["pattern"])


def is_national_issuer(issuer: str | None) -> bool:
    """A national body (国务院, a ministry, 国家…局) that names no place."""
    return bool(issuer) and _meta("national_issuer").search(issuer or "") is not None and not _named(issuer or "")


def is_national_title(title: str | None) -> bool:
    """A title for the whole country (全国…, 国家…) that names no place."""
    return bool(title) and _meta("national_title").search(title or "") is not None and not _named(title or "")


def _places(text: str) -> list[Mention]:
    return gazetteer().scan(text)


def _named(text: str) -> list[Mention]:
    """The places a text names, short names in running words left out (see :func:`_kept`)."""
    return _kept(_places(text), text)


def _kept(mentions: list[Mention], text: str, strict: bool = False) -> list[Mention]:
    """Short names are kept where a short name is how places are written: a province's, a
    prefecture's, or one that opens the text or follows another place (某省某县). A county's
    short name in the middle of running words is more often a word than a place; in a
    headline (``strict``) it must follow a place (a site's name opens many headlines)."""
    out: list[Mention] = []
    for m in mentions:
        chained = bool(out) and out[-1].end == m.start
        if m.full or any(d.level in ("province", "city") for d in m.divisions) or chained:
            out.append(m)
        elif not strict and (m.start == 0 or not _HAN.match(text[m.start - 1])):
            out.append(m)
    return out


def _related(a: Division, b: Division, g: Gazetteer) -> bool:
    return a == b or a in g.ancestors(b) or b in g.ancestors(a)


def _choose(mentions: list[Mention], context: list[Division], g: Gazetteer) -> tuple[Division, bool] | None:
    """The most specific division named, agreeing with the others, and whether its name was
    written in full; an ambiguous name takes the reading that a division named beside it (or
    in ``context``) contains, else none."""
    picked: list[tuple[Division, bool]] = []
    for m in mentions:
        options = list(m.divisions)
        if len(options) > 1:
            provinces = [d for d in options if d.level == "province"]
            if provinces and not m.full:
                options = provinces  # 吉林 alone is the province
        if len(options) > 1:
            around = [d for d, _ in picked] + [d for other in mentions if other is not m and len(other.divisions) == 1 for d in other.divisions] + context
            options = [d for d in options if any(_related(d, c, g) for c in around)]
        if len(options) == 1:
            picked.append((options[0], m.full))
    if not picked:
        return None
    best, full = picked[0]
    for d, f in picked[1:]:
        if best in g.ancestors(d):
            best, full = d, full or f
    return best, full


def _abbreviated(text: str, context: list[Division], g: Gazetteer) -> Division | None:
    """A one-character abbreviation X市 that only one prefecture of the named province opens with."""
    provinces = {d.province_code for d in context}
    if len(provinces) != 1:
        return None
    province = next(iter(provinces))
    for m in _meta("abbreviation").finditer(text):
        found = g.cities_starting(m.group("char"), province)
        if len(found) == 1:
            return found[0]
    return None


def _as_jurisdiction(d: Division, g: Gazetteer) -> Jurisdiction:
    return Jurisdiction(d.name, d.code, d.level, g.province_of(d).name)


def resolve(
    title: str | None,
    issuer: str | None,
    reported: list[str],
    headlines: list[str],
    opening: str,
) -> Jurisdiction | None:
    """The plan's jurisdiction. ``reported`` are the subjects and titles of the sentences that
    report the issue, ``headlines`` the short lines at the top of a page, ``opening`` the
    opening lines (the context that settles an ambiguous name and an abbreviation).

    Within one group of sources a name written in full outranks a short one (a lake's name
    in a title is the short name of a county; the issuer's city is written in full), and a
    division inside the chosen one, written in full, refines it (a city's plan for a county)."""
    g = gazetteer()
    in_opening = _places(opening)  # scanned once: read again for the scope at the end
    context = [d for m in _kept(in_opening, opening) if m.full and len(m.divisions) == 1 for d in m.divisions]
    for group, strict in (([t for t in (title, issuer) if t], False), (reported, False), (headlines, True)):
        found = [c for c in (_choose(_kept(_places(t), t, strict), context, g) for t in group) if c is not None]
        if found:
            best, _ = next((c for c in found if c[1]), found[0])
            for d, full in found:
                if full and best in g.ancestors(d):
                    best = d
            return _as_jurisdiction(best, g)
        if not strict and any(is_national_issuer(t) or is_national_title(t) for t in group):
            return NATIONAL
    for text in [t for t in (title, issuer) if t] + reported + headlines + [opening]:
        d = _abbreviated(text, context, g)
        if d is not None:
            return _as_jurisdiction(d, g)
    return _named_scope(opening, in_opening, g)


def _named_scope(opening: str, in_opening: list[Mention], g: Gazetteer) -> Jurisdiction | None:
    """A page that never names its own jurisdiction but names places in it (全省…, then
    several of the province's cities): the division at the level its self-reference gives
    (全省 -> province) that holds every place named; with no self-reference, the smallest
    division that holds them all (a city and its county -> the city; a city's counties -> the
    city). Places in different provinces say nothing about whose plan it is. ``in_opening``:
    the places the gazetteer found in ``opening``."""
    named = [d for m in _kept(in_opening, opening, strict=True) if len(m.divisions) == 1 for d in m.divisions]
    if not named:
        return None
    ref = _meta("self_reference").search(opening)
    if ref is None:
        below = [d for d in named if d.level != "province"]  # a province named around its city's plan
        common = _common_ancestor(below or named, g)
        return _as_jurisdiction(common, g) if common is not None else None
    for level in rules.load("structure")["metadata"]["self_reference"]["levels"][ref.group("unit")]:
        scopes = {next((c for c in (d,) + g.ancestors(d) if c.level == level), None) for d in named}
        if len(scopes) == 1 and None not in scopes:
            return _as_jurisdiction(scopes.pop(), g)
    return None


def _common_ancestor(named: list[Division], g: Gazetteer) -> Division | None:
    """The smallest division holding every one of ``named`` (itself included), if any."""
    chains = [(d,) + g.ancestors(d) for d in named]
    for candidate in chains[0]:
        if all(candidate in chain for chain in chains[1:]):
            return candidate
    return None


def own_name_length(text: str, own: Jurisdiction | None) -> int:
    """How many characters of ``text`` name the plan's own jurisdiction at its start (甲市秸秆综合
    利用率 in 甲市's own plan: 3; a one-character 甲市 form: 2), 0 when it opens with no such name.
    The plan's own place named as the subject of a target is a scope word like 全市
    (ANNOTATION.md: drop leading scope words); another place (a district of the city, a
    city of the province) is part of the name."""
    if own is None or own.level == "national":
        return 0
    g = gazetteer()
    first = _first_place(text[: g.longest])
    if first is not None and first.start == 0 and any(d.code == own.admin_code for d in first.divisions):
        return first.end if first.full or not _meta("place_compound").match(text[first.end :]) else 0
    if len(text) > 2 and text[1] == "市" and own.level == "city":
        province = own.admin_code[:2] + "0000"
        cities = g.cities_starting(text[0], province)
        if len(cities) == 1 and cities[0].code == own.admin_code:
            return 2
    return 0


def leading_place_length(text: str) -> int:
    """How many characters of ``text`` name a division of the gazetteer at its start, by its
    full name (乙县的…: 2), 0 when none does. A name that several divisions bear (城区,
    市中区) names no place by itself."""
    first = _first_place(text[: gazetteer().longest])
    return first.end if first and first.start == 0 and first.full and len(first.divisions) == 1 else 0


@functools.lru_cache(maxsize=4096)
def _first_place(head: str) -> Mention | None:
    """The first place the gazetteer finds in ``head`` (a name's first characters, as many as
    the longest place name has): the own-place and the leading-place readings of a candidate
    name both ask it."""
    found = gazetteer().scan(head)
    return found[0] if found else None
