"""The extraction stages as pure functions of the normalised text and its structure: numbers
with units, year phrases and baselines, then targets. The spaCy components
(:mod:`.pipeline`) are thin wrappers that put these results on a Doc; the records path
(:func:`read_structured`) calls them directly, so extracting a plan never imports spaCy nor
builds a Doc whose tokens nothing reads. jieba's dictionary is loaded only when a sentence
is really cut into words (:class:`Segmenter`)."""

from __future__ import annotations

import functools
import io
from bisect import bisect_right
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import regex

from .. import rules
from ..structure.jurisdiction import own_name_length
from ..structure.outline import DocumentStructure
from ..text.spans import SENTENCE_BREAKS
from .frames import Paragraph
from .lexicon import Lexicon, lexicon
from .quantities import Quantity, find_quantities, quote_spans
from .records import Draft
from .tables import table_targets
from .targets import paragraph_targets
from .tense import exclude_past, written_year_by_horizon
from .timescope import Baseline, YearPhrase, find_time_scopes
from .years import ParagraphYears, YearContext, adds_to_carry, carry_continued

COARSE_WORDS = regex.compile(r"\p{Han}+|[A-Za-z]+|\d+(?:\.\d+)?|\s|.", regex.S)
_BREAK = regex.compile(rf"[{SENTENCE_BREAKS}]")
_BREAK_BACK = regex.compile(rf"(?r)[{SENTENCE_BREAKS}]")

Region = tuple[int, int]


# --- jieba ---------------------------------------------------------------------------------


@functools.cache
def keep_jieba(userdict: str) -> Any:
    """A jieba tokenizer of our own with a user dictionary (its text), built on first use.

    Loading jieba's main dictionary is the largest start-up cost of the tool, so it is paid
    only when a sentence is really segmented (coordinated subjects), and once per process and
    dictionary: the cache is keyed by the dictionary's text and survives ``rules.clear_caches``
    (hence the ``keep_`` name). Our own instance, because the global one is process-wide state
    that other code may change."""
    import logging

    from .jieba_dictionary import jieba, tokenizer  # jieba imported without pkg_resources there

    jieba.setLogLevel(logging.WARNING)  # jieba reports dictionary loading on stderr otherwise
    tk = tokenizer()  # its dictionary read by first character as sentences need it, not 0.6 s at once
    tk.load_userdict(io.StringIO(userdict))
    return tk


@functools.cache
def userdict_text(folder: str | None = None) -> str:
    """The text of a rules folder's jieba user dictionary, read once per process."""
    return rules.userdict_path(folder).read_text("utf-8")


def jieba_tokenizer(folder: str | Path | None = None) -> Any:
    """The jieba tokenizer with the user dictionary of a rules folder."""
    return keep_jieba(rules.userdict_path(folder).read_text("utf-8"))


class Segmenter:
    """Words of a span of the text, as the jieba tokenizer cuts the sentence around it: a
    sentence that holds a number with a unit is cut by jieba, any other into runs of Chinese,
    Latin and digits. jieba cuts a sentence as the runs of its word characters and the
    stretches between them (``jieba_blocks``), each on its own; only the blocks a span touches
    are cut, and remembered, so a plan whose targets never need words never loads jieba's
    dictionary, and a subject in one clause of a long sentence pays for that clause alone."""

    def __init__(self, text: str, quantity: regex.Pattern[str], userdict: str) -> None:
        self.text = text
        self.quantity = quantity
        self.userdict = userdict
        self._blocks: dict[int, tuple[list[int], bool]] = {}  # sentence start -> its blocks, whether jieba cuts them
        self._words: dict[int, list[tuple[int, int]]] = {}  # block start -> its words

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos``: it ends after a break mark, as the tokenizer cuts. The
        marks are searched from ``pos`` both ways: a plan asks for a few sentences only."""
        before = _BREAK_BACK.search(self.text, 0, pos)
        after = _BREAK.search(self.text, pos)
        return (before.start() + 1 if before else 0), (after.start() + 1 if after else len(self.text))

    def words(self, block: str, by_jieba: bool) -> list[str]:
        if by_jieba:
            return [w for w in keep_jieba(self.userdict).lcut(block) if w]
        return COARSE_WORDS.findall(block)

    def _bounds(self, a: int, b: int) -> tuple[list[int], bool]:
        """The starts of the blocks of sentence ``[a, b)`` followed by its end, and whether
        jieba cuts it: then its blocks are jieba's, else the sentence is one block."""
        found = self._blocks.get(a)
        if found is None:
            sentence = self.text[a:b]
            by_jieba = self.quantity.search(sentence) is not None
            bounds, pos = [], a
            for block in jieba_blocks(sentence) if by_jieba else [sentence]:
                bounds.append(pos)
                pos += len(block)
            found = self._blocks[a] = (bounds + [b], by_jieba)
        return found

    def _spans(self, start: int, end: int, by_jieba: bool) -> list[tuple[int, int]]:
        spans = self._words.get(start)
        if spans is None:
            spans, pos = [], start
            for w in self.words(self.text[start:end], by_jieba):
                spans.append((pos, pos + len(w)))
                pos += len(w)
            self._words[start] = spans
        return spans

    def __call__(self, start: int, end: int, fallback: str) -> list[str]:
        """The words overlapping ``[start, end)``, clipped to it; ``fallback`` cut alone when
        it is not found in the text (start < 0)."""
        if start < 0:
            return keep_jieba(self.userdict).lcut(fallback)
        out, pos = [], start
        while pos < end:
            a, b = self.sentence(pos)
            bounds, by_jieba = self._bounds(a, b)
            for s0, e0 in zip(bounds, bounds[1:]):
                if s0 < end and e0 > start:
                    out += [self.text[max(s, start) : min(e, end)] for s, e in self._spans(s0, e0, by_jieba) if s < end and e > start]
            pos = b
        return out


def jieba_blocks(sentence: str) -> list[str]:
    """The blocks jieba cuts a sentence into before cutting each on its own (``Tokenizer.cut``):
    runs of the characters of its words and the stretches between them, in order, none empty.
    Cutting them one by one gives the words cutting the sentence gives."""
    from .jieba_dictionary import jieba  # jieba imported without pkg_resources there

    return [block for block in jieba.re_han_default.split(sentence) if block]


# --- stages --------------------------------------------------------------------------------


def by_region(regions: list[Region], objects: list, start=lambda o: o.start) -> list[list]:
    """Objects (sorted by start) grouped by the region that holds their start, in one pass."""
    out: list[list] = [[] for _ in regions]
    starts = [a for a, _ in regions]
    for obj in objects:
        i = bisect_right(starts, start(obj)) - 1
        if i >= 0 and start(obj) < regions[i][1]:
            out[i].append(obj)
    return out


def quantities_stage(text: str, st: DocumentStructure, lex: Lexicon) -> tuple[list[Region], list[tuple[int, int]], list[Quantity]]:
    """Numbers with units and comparator words, in the regions of the plan's paragraphs
    (a unit block closing a paragraph ends its region); excluded ones carry their reason.
    Returns the regions, the quoted spans and the quantities."""
    blocks = sorted(it.block_start for it in st.items if it.block_start is not None)
    regions, quotes, found = [], [], []
    for p in st.paragraphs:
        i = bisect_right(blocks, p.end) - 1
        end = blocks[i] if i >= 0 and p.start <= blocks[i] < p.end else p.end
        q_spans = quote_spans(text, p.start, end, lex)
        qs = find_quantities(text, p.start, end, lex, q_spans)
        if qs and any(q.excluded is None for q in qs):  # the place of the paragraph matters only then
            reason = _section_exclusion(st, p.start, lex)
            if reason:
                qs = [q if q.excluded else replace(q, excluded=reason) for q in qs]
        regions.append((p.start, end))
        quotes.extend(q_spans)
        found.extend(qs)
    return regions, quotes, found


def _section_exclusion(st: DocumentStructure, offset: int, lex: Lexicon) -> str | None:
    """Why no number at ``offset`` is a target by the place it stands in: a box of projects
    (``project_boxes``) or a section that reviews the past (``review_section``); None else."""
    box = st.in_box(offset)
    if box is not None and lex.project_box.search(box.title) is not None:
        return "project_boxes"
    return "review_section" if st.in_review(offset) else None


def time_scopes_stage(
    text: str, st: DocumentStructure, lex: Lexicon, regions: list[Region], quotes: list[tuple[int, int]], quantities: list[Quantity]
) -> tuple[list[YearPhrase], list[Baseline], list[Quantity]]:
    """Year phrases and baselines of each region, and the quantities again, those governed by
    a phrase of the past excluded (``tense``)."""
    phrases, baselines, phrases_by_region = [], [], []
    for (start, end), region_quotes in zip(regions, by_region(regions, sorted(quotes), start=lambda q: q[0])):
        ph, bl = find_time_scopes(text, start, end, lex, region_quotes)
        phrases.extend(ph)
        baselines.extend(bl)
        phrases_by_region.append(ph)
    # both are years the plan cannot have been written before: the later one is the better
    known = [y for y in (st.written_year, written_year_by_horizon(text, phrases, lex)) if y]
    written_year = max(known) if known else None
    kept = []
    for ph, qs in zip(phrases_by_region, by_region(regions, quantities)):
        kept.extend(exclude_past(qs, ph, written_year))  # 截至2020年底…达到 in a later plan
    return phrases, baselines, kept


def targets_stage(
    text: str,
    st: DocumentStructure,
    lex: Lexicon,
    userdict: str,
    regions: list[Region],
    quantities: list[Quantity],
    phrases: list[YearPhrase],
    baselines: list[Baseline],
) -> list[Draft]:
    """The targets of each region that holds a candidate quantity, and of each indicator
    table where it starts, in document order."""
    tokens_of = Segmenter(text, lex.quantity, userdict)
    drafts: list[Draft] = []
    years = _year_context(st, lex)
    own_place = functools.partial(own_name_length, own=st.jurisdiction)
    paragraphs: list[ParagraphYears] = []
    heading_starts = _heading_starts(st)
    for (start, end), qs, ph, bl in zip(regions, by_region(regions, quantities), by_region(regions, phrases), by_region(regions, baselines)):
        table = st.table_at(start)
        made = table_targets(table, st, text, lex) if table is not None and table.start == start else []
        if qs and any(q.excluded is None for q in qs):  # most paragraphs hold no number at all
            para = Paragraph(text, start, end, qs, ph, bl, st.units_at, tokens_of, in_table=table is not None, years=years, own_place=own_place)
            made = made + paragraph_targets(para, lex)
        if adds_to_carry(paragraphs, made, ph):
            opens = start in heading_starts or table is not None
            paragraphs.append(ParagraphYears(text, start, end, ph, made, opens))
    if "continued" in lex.year_choice:
        return [d for made in carry_continued(paragraphs, lex.continued_tail, lex.due_words) for d in made]
    return [d for p in paragraphs for d in p.drafts]


def _heading_starts(st: DocumentStructure) -> frozenset[int]:
    """Where the plan's headings start: a paragraph opens a section when one starts where it
    does, which is when ``st.heading_at(start)`` (the last heading starting at or before it)
    starts there; one set look-up for each paragraph instead of a search of the headings."""
    return frozenset(h.start for h in st.headings)


def _year_context(st: DocumentStructure, lex: Lexicon) -> YearContext:
    """The year phrases outside a paragraph that ``years`` offers as readings: of the innermost
    heading above an offset that has one, and of the plan's title. Read only when
    ``year_choice`` can take them, so the contract's order costs nothing."""
    if set(lex.year_choice) <= {"paragraph", "continued", "none"}:
        return YearContext()
    cache: dict[str, YearPhrase | None] = {}

    def last_phrase(line: str | None) -> YearPhrase | None:
        if not line:
            return None
        if line not in cache:
            found = find_time_scopes(line, 0, len(line), lex, quote_spans(line, 0, len(line), lex))[0]
            cache[line] = next((p for p in reversed(found) if p.target_year is not None), None)
        return cache[line]

    def heading_phrase(offset: int) -> YearPhrase | None:
        return next((ph for ph in map(last_phrase, reversed(st.section_at(offset))) if ph is not None), None)

    return YearContext(heading_phrase, last_phrase(st.title))


@dataclass(frozen=True)
class Reading:
    """What the stages found in a text: the regions they read, quoted spans, quantities (with
    exclusion reasons), year phrases, baselines and target drafts, in offsets of the text."""

    regions: list[Region]
    quotes: list[tuple[int, int]]
    quantities: list[Quantity]
    year_phrases: list[YearPhrase]
    baselines: list[Baseline]
    targets: list[Draft]


def read_structured(text: str, st: DocumentStructure, rules_dir: str | None = None) -> Reading:
    """Every stage over a normalised text and its structure, with the rulebooks of a rules
    folder (None: the package's): the same results the spaCy pipeline leaves on its Doc."""
    lex = lexicon(rules_dir)
    regions, quotes, quantities = quantities_stage(text, st, lex)
    phrases, baselines, quantities = time_scopes_stage(text, st, lex, regions, quotes, quantities)
    drafts = targets_stage(text, st, lex, userdict_text(rules_dir), regions, quantities, phrases, baselines)
    return Reading(regions, quotes, quantities, phrases, baselines, drafts)
