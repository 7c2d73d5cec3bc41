"""The extraction rulebooks (units, comparators, verbs, periods, qualifiers, exclusions,
indicators) compiled once into regexes and lookup tables.

Every other extraction module reads its knowledge from here; none holds domain words of its
own. Changing a word list in ``rules/`` changes behaviour without touching code. The shared
pieces (the year, list joiners, baseline words …) come from ``rules/fragments.yaml`` through
:mod:`policy_targets.rules`, which also checks each rulebook against its schema, so nothing
here repeats a word or a pattern of another rulebook.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import regex

from .. import rules
from ..text.alternation import any_of, compiled_quicker
from .required import always_holds, required_class, required_words, times_held, written_out
from .numbers import CN_NUMERAL_CHARS


@dataclass(frozen=True)
class UnitInfo:
    unit: str
    canonical: str
    factor: float
    kind: str
    not_before: str = ""  # a pattern that may not follow the unit (天 in 天然气)


@dataclass(frozen=True)
class ContextRule:
    """An exclusion: ``pattern`` on the clause with the number marked Ⓠ, and optionally
    patterns that the whole quantity, its numeral or its unit must match as well."""

    name: str
    pattern: regex.Pattern[str]
    quantity: regex.Pattern[str] | None = None
    numeral: regex.Pattern[str] | None = None
    unit: regex.Pattern[str] | None = None

    @property
    def unconditioned(self) -> bool:
        """Whether the rule reads the clause alone (no condition on the quantity)."""
        return self.quantity is None and self.numeral is None and self.unit is None

    def fits(self, text: str, unit: str) -> bool:
        """Whether a quantity (its text and unit) meets the rule's conditions on it."""
        if self.unit is not None and self.unit.search(unit) is None:
            return False
        if self.quantity is not None and self.quantity.search(text) is None:
            return False
        if self.numeral is not None:
            numeral = text[: len(text) - len(unit)] if unit and text.endswith(unit) else text
            if self.numeral.search(numeral) is None:
                return False
        return True

    def excludes(self, window: str, text: str, unit: str) -> bool:
        # every condition must hold: the short strings first, the clause's pattern last
        return self.fits(text, unit) and self.pattern.search(window) is not None


@dataclass(frozen=True, eq=False)  # one per rules folder, compared and hashed as itself: a cache key
class Lexicon:
    # units
    units: dict[str, UnitInfo]
    magnitudes: dict[str, float]
    quantity: regex.Pattern[str]
    quantity_gate: re.Pattern[str]  # where a match of ``quantity`` may be (``quantity_gate``)
    numeral_run_back: regex.Pattern[str]  # searched backwards: what ends the numeral before a gate's place
    unit_cut: regex.Pattern[str]  # what after a table unit shows it was cut short (/周)
    latin_unit: regex.Pattern[str]  # a number followed by Latin letters or a symbol
    bare_quantity: regex.Pattern[str]
    bare_number_before: regex.Pattern[str]
    # comparators
    comparator_prefix: regex.Pattern[str]
    comparator_suffix: regex.Pattern[str]
    comparator_of_word: dict[str, str]
    default_comparator: str
    # verbs
    decrease_words: tuple[str, ...]
    increase_words: tuple[str, ...]
    level_after: tuple[str, ...]
    tail_patterns: tuple[tuple[str, regex.Pattern[str]], ...]  # (category, pattern anchored at the end)
    build_suffix: tuple[str, ...]
    build_prefix: tuple[str, ...]
    build_dropped: tuple[str, ...]
    build_unnamed: tuple[str, ...]
    work_nouns: tuple[str, ...]  # 工作, 任务 after a verb noun: the work itself
    change_nouns: tuple[str, ...]
    build_any: regex.Pattern[str]
    verb_nouns: tuple[str, ...]  # nouns that open with a verb of building (建成区)
    # time
    period_names: dict[str, tuple[int, int]]
    period_pattern: regex.Pattern[str]
    year_range: regex.Pattern[str]
    year_list: regex.Pattern[str]
    year_single: regex.Pattern[str]
    baselines: tuple[regex.Pattern[str], ...]
    not_target_years: tuple[regex.Pattern[str], ...]
    past_phrases: regex.Pattern[str]
    current_phrases: regex.Pattern[str]
    year_mark: regex.Pattern[str]  # the {year} fragment of fragments.yaml
    needs_year: frozenset[regex.Pattern[str]]  # the patterns above that match only where a year stands
    title_quotes: tuple[str, ...]  # opening marks of quotes whose years are year phrases (《…》)
    year_choice: tuple[str, ...]  # the order in which readings of a target year are taken (years.py)
    continued_tail: int  # shared name-end length that makes a year-less paragraph continue a list
    horizon_years: int  # a plan's nearest due year lies at most this far after its writing
    due_words: tuple[str, ...]  # words that open a due-year phrase (到2025年)
    # qualifiers
    per_year: regex.Pattern[str]
    cumulative: regex.Pattern[str]
    aspirational: regex.Pattern[str]
    statement_breaks: tuple[str, ...]
    # exclusions
    quote_pairs: tuple[tuple[str, str], ...]
    context_exclusions: tuple["ContextRule", ...]
    project_box: regex.Pattern[str]
    bulletin_marks: regex.Pattern[str]  # 同比, 环比: a sentence reporting results against the year before
    bulletin_aims: regex.Pattern[str]  # 力争, 确保, 将 …: a sentence that names an aim
    # indicators
    strip_leading: regex.Pattern[str]
    qualifiers: tuple[regex.Pattern[str], ...]
    example_list: regex.Pattern[str]
    list_categories: tuple[str, ...]  # names of the set a list of examples belongs to (污染物, 行业)
    measure_words: frozenset[str]
    measure_modifiers: frozenset[str]
    place_suffixes: tuple[str, ...]  # suffixes of administrative units (市, 县, 区 …)
    level_words: frozenset[str]  # administrative levels (国家, 省, 市级 …)
    partitive_words: tuple[str, ...]
    per_unit_words: tuple[str, ...]
    status_prefix: regex.Pattern[str]
    scope_nouns: tuple[str, ...]
    max_shortened_name: int
    other_words: tuple[str, ...]  # 其他, 其余: a clause that names other places
    share_openers: tuple[str, ...]  # 占: a head measuring the share of the target before it
    zone_name: regex.Pattern[str]  # a zone opening a name (甲乙新区…): a place the gazetteer lacks
    scope_clause_ends: tuple[str, ...]
    total_heads: tuple[str, ...]
    max_topic: int
    object_measures: tuple[str, ...]
    measure_suffixes: tuple[str, ...]
    share_words: tuple[str, ...]
    count_measures: tuple[str, ...]
    continuations: tuple[str, ...]
    share_breaks: tuple[str, ...]  # words after a percentage that open no property of a share
    sub_target: regex.Pattern[str]
    level_verbs: tuple[str, ...]
    # shared fragments
    year: regex.Pattern[str]
    listed_year: regex.Pattern[str]  # each year of a list (2025年和2030年), with its 年
    # frames and distribution
    list_joiners: tuple[str, ...]
    range_joiners: tuple[str, ...]
    phrase_closers: tuple[str, ...]
    construction_of_kind: dict[str, str]
    relative_kinds: tuple[str, ...]
    distributive_words: tuple[str, ...]
    subject_joiners: tuple[str, ...]
    each_words: tuple[str, ...]
    total_words: tuple[str, ...]
    quote_marks: regex.Pattern[str]
    edge_marks: regex.Pattern[str]
    trailing_words: regex.Pattern[str]
    trailing_phrases: regex.Pattern[str] | None  # left at the end of a name cut too late (…规模2025年)
    leading_phrases: regex.Pattern[str] | None  # left at its start (今年…, 15个…)
    inner_phrases: regex.Pattern[str] | None  # anywhere in it (…2026年底前…)
    per_subject_kinds: tuple[str, ...]
    max_elided_subject: int
    max_elided_single: int

    @functools.cached_property
    def build_suffix_longest_first(self) -> tuple[str, ...]:
        """The verb nouns of building, longest first: the one ending a name is the longest that
        does (建成并投运 before 投运), sorted once, not for every name."""
        return tuple(sorted(self.build_suffix, key=len, reverse=True))

    @functools.cached_property
    def phrase_ends(self) -> tuple[str, ...]:
        """What right after a number ends its phrase: a closer, a list or a range joiner."""
        return self.phrase_closers + self.list_joiners + self.range_joiners

    @functools.cached_property
    def post_edges(self) -> str:
        """The characters stripped from the words after a number: spaces and list joiners."""
        return " " + "".join(self.list_joiners)

    @functools.cached_property
    def build_unnamed_longest_first(self) -> tuple[str, ...]:
        """The plain verbs of making, longest first, sorted once, not for every head."""
        return tuple(sorted(self.build_unnamed, key=len, reverse=True))

    @functools.cached_property
    def long_measure_words(self) -> tuple[str, ...]:
        """The measure words of two characters or more, as one tuple for ``str.endswith``."""
        return tuple(sorted(w for w in self.measure_words if len(w) >= 2))

    @functools.cached_property
    def _magnitudes_longest_first(self) -> tuple[tuple[str, float], ...]:
        """The magnitude words, longest first (sorted once, not for every number read)."""
        return tuple(sorted(self.magnitudes.items(), key=lambda kv: -len(kv[0])))

    @functools.cached_property
    def yearless_any(self) -> regex.Pattern[str] | None:
        """One pattern that matches wherever a pattern of ``find_time_scopes`` that needs no
        year (a period name, a phrase of the past or present) matches: a paragraph where
        neither it nor the year finds anything has no year phrase nor baseline, and is skipped
        after two searches instead of one per pattern. None when the patterns cannot be joined
        safely (``text.alternation.any_of``)."""
        return any_of(self._yearless, anchored=False)

    @functools.cached_property
    def yearless_words(self) -> regex.Pattern[str] | re.Pattern[str] | None:
        """The words one of which every match of those patterns holds (``required``), as one
        list searched before ``yearless_any``: most paragraphs hold none, and the list is
        searched several times faster than the alternation. None when one has none."""
        return _word_list(self._yearless)

    @functools.cached_property
    def words_of_yearless(self) -> dict[regex.Pattern[str], regex.Pattern[str] | re.Pattern[str]]:
        """Each of those patterns that has them, with its own list of such words: in a
        paragraph with a year, a pattern of the past or present whose words stand nowhere is
        not searched (most; the words cost a tenth of the alternation)."""
        return {p: words for p in self._yearless if (words := _word_list([p])) is not None}

    @functools.cached_property
    def not_due_any(self) -> regex.Pattern[str] | None:
        """One pattern that matches wherever a baseline or a year that is no due year
        (``baselines``, ``not_target_years``) does: few paragraphs with a year hold one, and one
        search of their alternation rules them all out at less than half the cost of a search
        each. None when they cannot be joined (``text.alternation.any_of``)."""
        return any_of([*self.baselines, *self.not_target_years], anchored=False)

    @functools.cached_property
    def bulletin_words(self) -> regex.Pattern[str] | re.Pattern[str] | None:
        """The words one of which every match of ``bulletin_marks`` holds (``required``), as
        one list: a paragraph without one holds no mark (``quantities.may_hold_bulletin``).
        None when a mark has none."""
        return _word_list([self.bulletin_marks])

    @functools.cached_property
    def latin_unit_letters(self) -> regex.Pattern[str] | re.Pattern[str] | None:
        """The characters one of which every number ``latin_unit`` reads holds in its unit (a
        Latin letter, µ, ‰: ``required.required_class``), searched before it: most paragraphs
        of a plan hold none (a tenth of the bench plans' text), and ``re`` rules them out in a
        fifth of the time ``regex`` takes to try the pattern at every character. None when
        the pattern has no such class."""
        return _class_gate(self.latin_unit)

    @functools.cached_property
    def _time_scope_patterns(self) -> tuple[regex.Pattern[str], ...]:
        """The patterns ``find_time_scopes`` searches."""
        return (self.period_pattern, self.year_range, self.year_list, self.year_single, *self.baselines, *self.not_target_years, self.past_phrases, self.current_phrases)

    @functools.cached_property
    def _yearless(self) -> list[regex.Pattern[str]]:
        """The patterns of ``find_time_scopes`` that match where no year stands."""
        return [p for p in self._time_scope_patterns if p not in self.needs_year]

    @functools.cached_property
    def years_held(self) -> dict[regex.Pattern[str], int]:
        """How many years side by side every match of each pattern of ``find_time_scopes``
        holds (``required.times_held``): two for a range or a list of years (2026—2030年,
        2025年和2030年), none for a period or a phrase of the past. A paragraph with fewer
        years than a pattern holds has no match of it: most paragraphs with a year hold one."""
        year = self.year_mark.pattern
        return {p: n for p in self._time_scope_patterns if (n := times_held(p.pattern, year))}

    @functools.cached_property
    def most_years_held(self) -> int:
        """The most years a pattern of ``years_held`` holds; at least one, so that a paragraph
        is always asked whether it holds a year."""
        return max([1, *self.years_held.values()])

    @functools.cached_property
    def quote_openers(self) -> re.Pattern[str]:
        """Any character that opens a mark of ``quote_pairs``: a paragraph without one holds
        no quoted span (most do not), which one search by ``re`` finds sooner than a search for
        each pair."""
        return re.compile("[" + "".join(sorted({re.escape(a[0]) for a, _ in self.quote_pairs})) + "]")

    @functools.cached_property
    def number_before_back(self) -> regex.Pattern[str]:
        """``bare_number_before`` searched backwards (``backwards``): a pattern that must end
        at the window's end, searched from that end, fails at once where it does not (most
        numbers)."""
        return backwards(self.bare_number_before)

    @functools.cached_property
    def bare_quantity_back(self) -> regex.Pattern[str]:
        """``bare_quantity`` searched backwards (``backwards``): at each character it first
        reads what follows a number (a clause mark), where forwards it reads the words before
        it (its lookbehind, dozens of verbs): half the time over a plan's paragraphs, most of
        which hold no number without a unit."""
        return backwards(self.bare_quantity)

    @functools.cached_property
    def unconditioned_exclusions(self) -> regex.Pattern[str] | None:
        """One pattern for the context exclusions that ask nothing of the quantity itself:
        a clause where it finds nothing is excluded by none of them, and only the rules with
        conditions on the quantity (tested on short strings first) are left to try, instead
        of a search each. None when the patterns cannot be joined (``any_of``)."""
        return any_of([r.pattern for r in self.context_exclusions if r.unconditioned], anchored=False)

    @functools.cached_property
    def conditioned_exclusions(self) -> tuple[ContextRule, ...]:
        """The context exclusions with a condition on the quantity, its numeral or its unit."""
        return tuple(r for r in self.context_exclusions if not r.unconditioned)

    @functools.cached_property
    def any_qualifier(self) -> regex.Pattern[str] | None:
        """The qualifiers joined: a head where it finds nothing is left as it is by every one
        of them, after one search instead of one substitution each (``indicators.clean``)."""
        return any_of(self.qualifiers, anchored=False)

    @functools.cached_property
    def any_repair(self) -> regex.Pattern[str] | None:
        """The phrases a finished name is repaired of and its edge marks, joined likewise
        (``indicators.repaired``)."""
        edges = [p for p in (self.trailing_phrases, self.leading_phrases, self.inner_phrases) if p is not None]
        return any_of([*edges, self.edge_marks], anchored=False)

    @functools.cached_property
    def bulletin_marks_in_context(self) -> bool:
        """Whether the bulletin marks may read what stands around them (a lookaround, an anchor
        or a word boundary): else a mark in a sentence is a mark in its paragraph, and a
        paragraph without one has no sentence of a bulletin."""
        return _READS_CONTEXT.search(self.bulletin_marks.pattern) is not None

    def split_unit(self, unit: str) -> tuple[float, UnitInfo | None]:
        """A written unit as (magnitude factor, base unit): 万千瓦 -> (10000, 千瓦)."""
        return _split_unit(self, unit)


def backwards(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """``pattern`` matched from the end of a text to its start (``regex.REVERSE``): a text
    holds a match of it searched so exactly where it holds one searched forwards (the spans it
    can match are the same; only which one a search returns differs), so it answers whether
    there is one, as a gate before the search forwards that gives the matches, where it
    costs less."""
    if pattern.flags & ~(regex.V0 | regex.U):  # a flag given apart from the source
        return regex.compile(pattern.pattern, pattern.flags | regex.REVERSE)
    return rules.compile_pattern("(?r)" + pattern.pattern)  # kept compiled


@functools.lru_cache(maxsize=1024)
def _split_unit(lex: Lexicon, unit: str) -> tuple[float, UnitInfo | None]:
    """:meth:`Lexicon.split_unit`, cached: the units written are few, and every number asks."""
    for mag, factor in lex._magnitudes_longest_first:
        if unit.startswith(mag) and unit[len(mag) :] in lex.units:
            return factor, lex.units[unit[len(mag) :]]
    return 1.0, lex.units.get(unit)


#: What in a pattern's source may read beyond its match: a lookaround, an anchor, a boundary.
_READS_CONTEXT = regex.compile(r"\(\?<?[=!]|[\^$]|\\[bBAZGmM]")


#: Arabic numerals: thousands separated by ",", "，" (a full-width comma folds to "，") or
#: one space (5 000), then decimals.
ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?![\d.])|\d+)(?:\.\d+)?"


#: Arabic digits with magnitude words between them (1万5千, 1亿2000万, 13万2): one number
#: before a base unit, never a number and a magnitude unit (not 1万 and 5千个).
COMPOUND = r"\d+(?:[万亿]零?\d+[千百十万]?)+"
#: A sign before Arabic digits: 负, or a minus or plus that follows no digit, letter, sign or
#: closing bracket (增长-22.2%, 提高+5%; in 2-3座 or 30%-40% the hyphen joins a range, in
#: 1+1+N a plus joins a code).
MINUS_PLUS = "-－−+＋"
SIGN = rf"(?:负|(?<![0-9A-Za-z%‰.)）\]])[{MINUS_PLUS}])?"


#: What joins a denominator to its numerator in a fraction or a percentage written in words
#: (三分之一, 百分之二十).
FRACTION_WORD = "分之"
#: A character the ``regex`` module reads as a digit (``\d``): Python's ``re``, whose Unicode
#: tables are older, reads fewer; every digit only the newer tables know lies beyond the Basic
#: Multilingual Plane, which the class takes whole, so it holds every digit of either engine.
ANY_DIGIT = r"\d\U00010000-\U0010FFFF"


def quantity_gate(cn: str, unit_chars: str, per_word: str | None) -> tuple[re.Pattern[str], regex.Pattern[str]]:
    """Where a number with a unit may stand, found by ``re`` several times faster than
    ``regex`` tries the ``quantity`` pattern at every character; and, searched backwards from
    such a place, the first character that can be part of no numeral. Every match of
    ``quantity`` holds a place of the gate, and nothing but numeral characters stands between
    its start and the first such place: a numeral's digit (Arabic, or Chinese: ``cn``, escaped)
    that one space at most parts from a character opening a unit (``unit_chars``, escaped),
    the fraction word of a fraction or a percentage, or the word that opens a rate written
    denominator first (``per_word``). Most paragraphs of a plan hold no such place
    (``quantities.quantity_matches``)."""
    words = [FRACTION_WORD] + ([per_word] if per_word else [])
    numeral = f"{ANY_DIGIT}{cn}"
    places = [rf"(?<=[{numeral}])(?= ?[{unit_chars}])"]
    places += [rf"(?<={re.escape(w[0])})(?={re.escape(w[1:])})" for w in words]
    heads = "".join(regex.escape(w[0]) for w in words)
    gate = re.compile(rf"[{numeral}{heads}](?:{'|'.join(places)})")  # one class first: re skips to its characters
    # the characters of a numeral's SIGN, ARABIC (separators, point), COMPOUND and of ``cn``
    return gate, regex.compile(rf"(?r)[^\d{cn}点负{regex.escape(MINUS_PLUS)},， .]")


def _per_unit_first(table: dict[str, "UnitInfo"], book: dict) -> tuple[str, str] | None:
    """A rate written with its denominator first, before the number (每立方米35微克 is
    35 微克/立方米): the pattern of ``每`` and a denominator, and of the numerators, of the
    table's Chinese rate units. The pair read must be a unit of the table (checked when read)."""
    word = book.get("per_word")
    pairs = [u.split("/") for u in table if "/" in u and regex.fullmatch(r"\p{Han}+/\p{Han}+", u)]
    if not word or not pairs:
        return None
    return regex.escape(word) + rf"(?P<den>{_alt(d for _, d in pairs)})", _alt(n for n, _ in pairs)


def _word_list(patterns: list[regex.Pattern[str]]) -> regex.Pattern[str] | re.Pattern[str] | None:
    """The words one of which every match of one of ``patterns`` holds, as one pattern (by the
    engine that searches a list of words faster); None when there are none."""
    words = required_words(patterns)
    return compiled_quicker(rules.alternation(words)) if words else None


def _class_gate(pattern: regex.Pattern[str]) -> regex.Pattern[str] | re.Pattern[str] | None:
    """The class one of whose characters every match of ``pattern`` holds, as one pattern (by
    the engine that searches it faster); None when there is none, or none written out."""
    cls = required_class(pattern)
    listed = written_out(cls) if cls else None
    return compiled_quicker(listed) if listed else None


def opening_chars(words: list[str]) -> str:
    """The characters that open one of ``words``, escaped for a class."""
    return "".join(regex.escape(c) for c in sorted({w[0] for w in words}))


def opening_class(words: list[str]) -> str:
    """A lookahead for the characters that open one of ``words``, set before an alternation
    of them: at a position where none opens, the engine fails on one test instead of one per
    word (一 in 进一步 before the units of the table). It only states what the alternation
    needs, so the pattern matches what it matched without it."""
    return "(?=[" + opening_chars(words) + "])"


def _alt(words) -> str:
    return rules.alternation(list(words))


def _unit_table(book: dict) -> dict[str, UnitInfo]:
    """The base units, with each compound written with 每 for / (微克每立方米) added as the
    same unit."""
    table: dict[str, UnitInfo] = {}
    per = book.get("per_word")
    for u in book["table"]:
        info = UnitInfo(u["unit"], u["canonical"], float(u["factor"]), u["kind"], u.get("not_before", ""))
        table[info.unit] = info
        if per and "/" in info.unit and regex.fullmatch(r"[\p{Han}/]+", info.unit):
            word = info.unit.replace("/", per)
            table.setdefault(word, UnitInfo(word, info.canonical, info.factor, info.kind))
    return table


def _unit_alternation(table: dict[str, UnitInfo]) -> str:
    """Units longest first; a unit ending in a Latin letter may not be followed by another
    (5MWp is not 5 MW), nor a unit by what its ``not_before`` names."""

    def guarded(w: str) -> str:
        guards = ["[A-Za-z]"] if w[-1].isascii() and w[-1].isalpha() else []
        guards += [table[w].not_before] if table[w].not_before else []
        return regex.escape(w) + (f"(?!{'|'.join(guards)})" if guards else "")

    return "|".join(guarded(w) for w in sorted(table, key=lambda w: (-len(w), w)))


def lexicon(folder: str | Path | None = None) -> Lexicon:
    """The compiled extraction rulebooks of ``folder`` (default: the package's ``rules/``)."""
    return _compiled(Path(folder) if folder is not None else rules.rules_dir())


@functools.cache
def _compiled(folder: Path) -> Lexicon:
    return rules.kept_compiled("lexicon", folder, lambda: _build(folder))  # kept compiled on disk


def _build(folder: Path) -> Lexicon:
    def load(name: str) -> dict:
        return rules.load(name, folder)

    fragments = rules.fragments(folder)
    units_book = load("units")
    table = _unit_table(units_book["units"])
    words = {k: float(v) for k, v in units_book["magnitudes"]["words"].items()}
    after_digits = {k: float(v) for k, v in units_book["magnitudes"].get("after_digits", {}).items()}
    magnitudes = {**words, **after_digits}
    mag = _alt(words)
    digit_mag = _alt(magnitudes)
    base = _unit_alternation(table)
    cn = regex.escape(CN_NUMERAL_CHARS.replace("点", ""))
    # the lookahead lets the engine skip at once every position that cannot open a number
    numerator = rf"(?:{ARABIC}|[{cn}]+(?:点[{cn}]+)?)"  # of 百分之13.5, 千分之九点五
    first = _per_unit_first(table, units_book["units"])
    unit_opens = opening_class([*table, *magnitudes])
    quantity = regex.compile(
        rf"(?=[-－−+＋负每0-9{cn}])(?:(?P<pct>负?百{FRACTION_WORD}{numerator})"
        rf"|(?P<frac>负?[{cn}]+{FRACTION_WORD}{numerator})"
        rf"|(?P<num>{SIGN}{COMPOUND}) ?{unit_opens}(?P<unit>{base})"
        rf"|(?P<num>{SIGN}{ARABIC}) ?{unit_opens}(?P<unit>(?:{base})|(?:{digit_mag})(?:{base}))"  # 千克标准煤/吨 is a unit, not 千 and 克标准煤
        rf"|(?P<num>[{cn}]+?(?:点[{cn}]+?)?){unit_opens}(?P<unit>(?:{mag})?(?:{base}))"
        + (rf"|(?P<per>{first[0]})(?P<num>{ARABIC}|[{cn}]+?(?:点[{cn}]+?)?)(?P<unit>{first[1]})" if first else "")
        + ")"
    )
    gate, run_back = quantity_gate(cn, opening_chars([*table, *magnitudes]), units_book["units"].get("per_word") if first else None)
    bare_before = regex.compile(rf"(?P<num>{ARABIC})\s*(?P<joiner>{fragments['list_joiners']}|或|{fragments['range_joiner']})\s*$")
    unknown = units_book["unknown_units"]

    comp = load("comparators")["comparators"]
    word_to_symbol: dict[str, str] = {}
    prefixes, suffixes = [], []
    for row in comp["table"]:
        for w in row.get("prefix", []):
            word_to_symbol[w] = row["symbol"]
            prefixes.append(w)
        for w in row.get("suffix", []):
            word_to_symbol[w] = row["symbol"]
            suffixes.append(w)

    verbs = load("verbs")
    pred = verbs["predicate"]
    direction = verbs["direction"]
    change = list(direction["decrease"]) + list(direction["increase"]) + list(direction["change_nouns"])
    tail_patterns = (
        ("comparator", regex.compile(rf"(?:{_alt(prefixes)})$")),
        ("verb", regex.compile(rf"(?:{_alt(pred['level_verbs'] + change)})$")),
        ("adverb", regex.compile(rf"(?:{'|'.join(pred['adverbs'])})$")),
        ("baseline", rules.compile_pattern(pred["baseline_of"])),
        ("share_of", rules.compile_pattern(pred["share_of"])),
        ("year_of", rules.compile_pattern(pred["year_of"])),
    )
    build = verbs["build_verbs"]

    periods = load("periods")
    quals = load("qualifiers")
    excl = load("exclusions")
    ind = load("indicators")
    return Lexicon(
        units=table,
        magnitudes=magnitudes,
        quantity=quantity,
        quantity_gate=gate,
        numeral_run_back=run_back,
        unit_cut=rules.compile_pattern(unknown["after_unit"]),
        latin_unit=regex.compile(rf"(?<![A-Za-z0-9.])(?P<num>{ARABIC}) ?(?P<unit>{unknown['latin']})"),
        bare_quantity=rules.compile_pattern(units_book["bare_numbers"]["pattern"]),
        bare_number_before=bare_before,
        comparator_prefix=regex.compile(rf"(?:{_alt(prefixes)})\s*$"),
        comparator_suffix=regex.compile(rf"\s*(?:{_alt(suffixes)})"),
        comparator_of_word=word_to_symbol,
        default_comparator=comp["default"],
        decrease_words=tuple(direction["decrease"]),
        increase_words=tuple(direction["increase"]),
        level_after=tuple(direction["level_after"]),
        tail_patterns=tail_patterns,
        build_suffix=tuple(build["suffix"]),
        build_prefix=tuple(build["prefix"]),
        build_dropped=tuple(build["dropped"]),
        build_unnamed=tuple(build["unnamed"]),
        work_nouns=tuple(build["work_nouns"]),
        change_nouns=tuple(direction["change_nouns"]),
        build_any=regex.compile(f"(?!{_alt(build['nouns'])})(?:{_alt(build['suffix'] + build['prefix'] + build['dropped'])})"),
        verb_nouns=tuple(build["nouns"]),
        period_names={k: (int(v[0]), int(v[1])) for k, v in periods["periods"]["names"].items()},
        period_pattern=rules.compile_pattern(periods["periods"]["pattern"]),
        year_range=rules.compile_pattern(periods["year_phrases"]["range"]),
        year_list=rules.compile_pattern(periods["year_phrases"]["list"]),
        year_single=rules.compile_pattern(periods["year_phrases"]["single"]),
        baselines=tuple(rules.compile_pattern(p) for p in periods["baselines"]["patterns"]),
        not_target_years=tuple(rules.compile_pattern(p) for p in periods["not_target_years"]["patterns"]),
        past_phrases=rules.compile_pattern(periods["past_phrases"]["pattern"]),
        current_phrases=rules.compile_pattern(periods["current_phrases"]["pattern"]),
        year_mark=rules.compile_pattern(fragments["year"]),
        needs_year=frozenset(
            rules.compile_pattern(p)
            for p in (
                periods["periods"]["pattern"],
                *(periods["year_phrases"][k] for k in ("range", "list", "single")),
                *periods["baselines"]["patterns"],
                *periods["not_target_years"]["patterns"],
                periods["past_phrases"]["pattern"],
                periods["current_phrases"]["pattern"],
            )
            if always_holds(p, fragments["year"])
        ),
        title_quotes=tuple(periods["title_quotes"]["opening"]),
        year_choice=tuple(periods["year_choice"]["order"]),
        continued_tail=periods["year_choice"]["continued_tail"],
        horizon_years=int(periods["horizon"]["years"]),
        due_words=tuple(periods["horizon"]["due_words"]),
        per_year=regex.compile(_alt(quals["per_year"]["words"])),
        cumulative=regex.compile(_alt(quals["cumulative"]["words"])),
        aspirational=regex.compile(_alt(quals["aspirational"]["words"])),
        statement_breaks=tuple(quals["aspirational"]["statement_breaks"]),
        quote_pairs=tuple((a, b) for a, b in excl["quotes"]["pairs"]),
        context_exclusions=tuple(
            ContextRule(
                c["name"],
                rules.compile_pattern(c["pattern"]),
                *(rules.compile_pattern(c[k]) if c.get(k) else None for k in ("quantity", "numeral", "unit")),
            )
            for c in excl["context"]
        ),
        project_box=rules.compile_pattern(excl["project_boxes"]["pattern"]),
        bulletin_marks=rules.compile_pattern(excl["bulletin"]["marks"]),
        bulletin_aims=rules.compile_pattern(excl["bulletin"]["aims"]),
        # 各 opens a scope (各设区市), not 各类/各种/各项, which is part of a name (各类发电装机)
        strip_leading=regex.compile(rf"^(?:{_alt(ind['strip_leading']['words'])})(?<!各(?=[类种项]))"),
        qualifiers=tuple(rules.compile_pattern(p) for p in ind["qualifiers"]["patterns"]),
        example_list=rules.compile_pattern(ind["example_lists"]["pattern"]),
        list_categories=tuple(sorted(ind["example_lists"]["categories"], key=len, reverse=True)),
        measure_words=frozenset(ind["coordination"]["measure_words"]),
        measure_modifiers=frozenset(ind["coordination"]["measure_modifiers"]),
        place_suffixes=tuple(ind["coordination"]["place_suffixes"]),
        level_words=frozenset(ind["coordination"]["level_words"]),
        partitive_words=tuple(ind["shared_subjects"]["partitive_words"]),
        per_unit_words=tuple(ind["shared_subjects"]["per_unit_words"]),
        status_prefix=rules.compile_pattern(ind["sub_targets"]["status_prefix"]),
        scope_nouns=tuple(ind["sub_targets"]["scope_nouns"]),

        max_shortened_name=int(ind["shared_subjects"]["max_shortened_name"]),
        other_words=tuple(ind["shared_subjects"]["other_words"]),
        share_openers=tuple(ind["shared_subjects"]["share_openers"]),
        zone_name=regex.compile(r"\p{Han}{2,4}?(?:%s)" % _alt(ind["shared_subjects"]["zone_suffixes"])),
        scope_clause_ends=tuple(ind["scope_clauses"]["ends"]),
        total_heads=tuple(ind["scope_clauses"]["total_heads"]),
        max_topic=int(ind["scope_clauses"]["max_topic"]),
        object_measures=tuple(ind["coordination"]["object_measures"]),
        measure_suffixes=tuple(ind["coordination"]["measure_suffixes"]),
        share_words=tuple(ind["coordination"]["share_words"]),
        count_measures=tuple(ind["coordination"]["count_measures"]),
        continuations=tuple(ind["share_of_subject"]["continuations"]),
        share_breaks=tuple(ind["share_of_subject"]["breaks"]),
        sub_target=rules.compile_pattern(ind["sub_targets"]["pattern"]),
        level_verbs=tuple(pred["level_verbs"]),
        year=regex.compile(fragments["year"]),
        listed_year=regex.compile(rf"(?<![0-9〇零一二三四五六七八九])(?:{fragments['year']})(?=\s*年)"),
        list_joiners=tuple(ind["number_lists"]["list_joiners"]),
        range_joiners=tuple(ind["number_lists"]["range_joiners"]),
        phrase_closers=tuple(ind["number_lists"]["phrase_closers"]),
        construction_of_kind=dict(units_book["kinds"]["construction_after_words"]),
        relative_kinds=tuple(units_book["kinds"]["relative"]),
        distributive_words=tuple(ind["distribution"]["distributive_words"]),
        subject_joiners=tuple(ind["distribution"]["subject_joiners"]),
        each_words=tuple(ind["distribution"]["each_words"]),
        total_words=tuple(ind["distribution"]["total_words"]),
        quote_marks=regex.compile("[" + regex.escape(ind["cleaning"]["quote_marks"]) + "]"),
        edge_marks=regex.compile("^[{0}]+|[{0}]+$".format(regex.escape(ind["cleaning"]["edge_marks"]) + r"\s")),
        trailing_words=regex.compile(f"(?:{_alt(ind['cleaning']['trailing_words'])})+$"),
        trailing_phrases=(
            rules.compile_pattern("(?:" + "|".join(ind["cleaning"]["trailing_phrases"]) + ")+$")
            if ind["cleaning"].get("trailing_phrases")
            else None
        ),
        leading_phrases=(
            rules.compile_pattern("^(?:" + "|".join(ind["cleaning"]["leading_phrases"]) + ")+")
            if ind["cleaning"].get("leading_phrases")
            else None
        ),
        inner_phrases=(
            rules.compile_pattern("|".join(ind["cleaning"]["inner_phrases"])) if ind["cleaning"].get("inner_phrases") else None
        ),
        per_subject_kinds=tuple(ind["distribution"]["per_subject_kinds"]),
        max_elided_subject=int(ind["distribution"]["max_elided_subject"]),
        max_elided_single=int(ind["distribution"]["max_elided_single"]),
    )
