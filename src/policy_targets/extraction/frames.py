"""The frame of a number: everything around a number (or a list of numbers) that later steps
read, found once and named, before any indicator is built or any field resolved.

A frame holds the number group (407、262、84万千瓦 or the two ends of 30%—35%), its clause,
the words before it with the comparators, verbs, adverbs and baselines peeled off the end
(``head`` and ``tail``), the words right after it (``post``), the construction those words
make — a predicate (…达到9%左右,), a share of a subject (90%以上的泊位…) or a count of things
(建成8个…园区) — and the year phrase and baseline that govern it. A size followed by the
noun it describes (30万千瓦及以上煤电机组) has no construction and so no frame.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import regex

from ..text.alternation import quicker_engine
from ..text.spans import CLAUSE_BREAKS, clause_bounds, sentence_start
from . import attributes, indicators
from .lexicon import Lexicon
from .quantities import Quantity
from .timescope import Baseline, YearPhrase
from .years import YearContext, YearReading, reading_at

MAX_SENTENCE = 1000  # the longest sentence read back from a number
#: A clause break, searched backwards from a position.
_CLAUSE_BREAK_BACK = regex.compile("(?r)[" + "".join(regex.escape(c) for c in CLAUSE_BREAKS) + "]")


@dataclass
class Paragraph:
    """One paragraph's text region and what the earlier components found in it. Not frozen,
    though nothing changes one once made: one is made for every paragraph holding a number, and
    a frozen dataclass sets each of its fields through ``object.__setattr__``."""

    text: str  # the whole document text
    start: int
    end: int  # end of the part that can hold targets (before a closing unit block)
    quantities: list[Quantity]
    phrases: list[YearPhrase]
    baselines: list[Baseline]
    units_at: Callable[[int], tuple[str, ...]]
    tokens_of: Callable[[int, int, str], list[str]]
    in_table: bool = False  # a row of an indicator table (``structure.tables``)
    years: YearContext = YearContext()  # what outside the paragraph could date its numbers
    own_place: Callable[[str], int] = lambda name: 0  # length of the plan's own place opening a name
    # Read by every frame of the paragraph, so set once when it is made: as cached properties
    # their first reading (a lock taken in functools) cost more than building them.
    time_spans: list[tuple[int, int]] = field(init=False, repr=False, compare=False)
    baseline_starts: list[int] = field(init=False, repr=False, compare=False)
    phrase_ends: list[int] = field(init=False, repr=False, compare=False)  # phrases are sorted and do not overlap

    def __post_init__(self) -> None:
        self.time_spans = sorted([(y.start, y.end) for y in self.phrases] + [(b.start, b.end) for b in self.baselines])
        self.baseline_starts = [b.start for b in self.baselines]
        self.phrase_ends = [y.end for y in self.phrases]


@dataclass
class Frame:
    """A number group in its context, in document offsets."""

    paragraph: Paragraph
    group: list[Quantity]
    construction: str  # predicate, share or count
    clause_start: int
    clause_end: int
    pre_start: int  # where the words that may name the indicator start
    head_start: int  # the head: pre text after opening year phrases, before the peeled tail
    head_end: int
    head_clean: str  # the head with scope words, conditions and marks dropped (indicators.clean)
    tail: list[tuple[str, str]]  # peeled (category, word) pairs, nearest the number first
    post: str  # words right after the number up to the clause end or next number
    post_end: int
    end: int  # where this frame's text ends: later frames start after it
    sub_target: bool  # inside an open (其中 … bracket
    follows_list: bool  # the words start right after a list joiner (…下降5%、人均…)
    build_verb: str | None  # the build verb governing a count (建成8个…)
    year: YearReading  # the reading of the target year chosen (``years``)
    baseline: int | None
    sentence_start: int
    cumulative: bool  # a running total (累计…) in the clause before: asked by the naming and the record
    scope_start: int | None = None  # a clause framing the indicator (一次能源消费中,煤炭占比…)

    @property
    def scope(self) -> str:
        return self.paragraph.text[self.scope_start : self.clause_start - 1] if self.scope_start is not None else ""

    @property
    def text(self) -> str:
        return self.paragraph.text

    @property
    def phrase(self) -> YearPhrase | None:
        """The year phrase that dates the frame (None for no year)."""
        return self.year.phrase

    @property
    def head(self) -> str:
        return self.paragraph.text[self.head_start : self.head_end]

    @property
    def clause_before(self) -> str:
        return self.paragraph.text[self.clause_start : self.group[0].start]

    @property
    def sentence_before(self) -> str:
        return self.paragraph.text[self.sentence_start : self.group[0].start]

    @property
    def has_verb(self) -> bool:
        return any(c == "verb" for c, _ in self.tail)


def frames(p: Paragraph, lex: Lexicon) -> Iterator[Frame]:
    """The frames of a paragraph in document order. Text before the end of one frame belongs
    to it, so a later number never takes an earlier target's words for its own."""
    text = p.text
    groups = number_groups(text, [q for q in p.quantities if q.excluded is None], lex)
    consumed = p.start
    for gi, group in enumerate(groups):
        first, last = group[0], group[-1]
        if first.start < consumed:
            continue
        number_start = first.prefix_start  # the number with its comparator word
        nxt = groups[gi + 1][0].prefix_start if gi + 1 < len(groups) else p.end
        cs, ce = clause_bounds(text, number_start, p.start, p.end)
        sub_open = _sub_target_open(text, cs, number_start, lex)
        pre_start = max(sub_open if sub_open is not None else cs, consumed)
        if text[pre_start : pre_start + 1] in ")）" and text.startswith(lex.list_joiners, pre_start + 1):
            pre_start += 1  # a list going on after a closed part (…（其中…）、换电站…)
        post_end = min(ce, nxt)
        after = _after_restated(text, last, post_end) if len(group) > 1 else text[last.ext_end : post_end]
        cut = _unmatched_close(after)
        post_end -= len(after) - cut
        post = _post(after[:cut], lex)
        construction = _construction(post, last, lex)
        if construction is None:
            continue  # a size describing a noun: a threshold or a project size
        pre = text[pre_start:number_start]
        head, tail = _peel(pre, lex)
        head, tail = _restore_object_verb(pre, head, tail, last, lex)
        if construction == "share" and not tail and indicators.names_a_measure(indicators.clean(head, lex), lex):
            construction = "predicate"  # 森林覆盖率65%连续…: the rate names itself; what follows is news
        head_end = pre_start + len(head)
        head_start = _after_time_phrases(p, pre_start, head_end, lex)
        head_text = text[head_start:head_end]
        verb = None
        if construction == "count":
            verb = _governing_build_verb(text[cs : first.start], lex)
            if verb is None and not post.endswith(lex.build_suffix):
                continue  # a count of things no verb builds: 鼓励20家景区…
            end = post_end
        elif construction == "share":
            end = _share_end(text, post_end, p.end, lex)
        else:
            end = last.ext_end
        consumed_before, consumed = consumed, end
        ss = sentence_start(text, first.start, p.start, MAX_SENTENCE)
        scope_start = _scope_clause(text, cs, max(consumed_before, ss), construction, lex, head_text)
        yield Frame(
            paragraph=p,
            group=group,
            construction=construction,
            clause_start=cs,
            clause_end=ce,
            pre_start=pre_start,
            head_start=head_start,
            head_clean=indicators.clean(head_text, lex),
            head_end=head_end,
            tail=tail,
            post=post,
            post_end=post_end,
            end=end,
            sub_target=sub_open is not None,
            follows_list=text[pre_start : pre_start + 1] in lex.list_joiners,
            build_verb=verb,
            year=reading_at(p.phrases, p.phrase_ends, first.start, p.years, lex.year_choice),
            baseline=_baseline(p, first.start, cs, ss),
            sentence_start=ss,
            cumulative=attributes.cumulative(lex, text[cs : first.start]),
            scope_start=scope_start,
        )


def _scope_clause(text: str, cs: int, lo: int, construction: str, lex: Lexicon, head: str = "") -> int | None:
    """Start of the clause before ``cs`` when it frames the indicator: a clause of no number
    ending in 中 (在新增车辆中,新能源汽车比例…) names the whole the share is taken of, and a
    clause of no number before a head that opens with 总 (…一体化基地,总容量达到…) names what
    the total is of."""
    if construction == "count" or cs - 1 <= lo or text[cs - 1] not in "，,":
        return None
    mark = _CLAUSE_BREAK_BACK.search(text, lo, cs - 1)  # the last clause break before, in one search
    a = mark.end() if mark else lo
    clause = text[a : cs - 1]
    if any(map(str.isdigit, clause)):
        return None
    if clause.endswith(lex.scope_clause_ends) or (head.startswith(lex.total_heads) and len(clause) <= lex.max_topic):
        return a
    return None


def number_groups(text: str, qs: list[Quantity], lex: Lexicon) -> list[list[Quantity]]:
    """Quantities joined only by 、/和/及/与 form one list (…分别达到2470万千瓦、500万千瓦和30万千瓦);
    so do the two ends of a range (30%—35%), and a count with the count of the same things in
    another measure in brackets after it (4790户(6027台)…), each becoming a record of the same
    indicator."""
    groups: list[list[Quantity]] = []
    joiners = lex.list_joiners + lex.range_joiners
    for q in qs:
        if groups:
            gap = text[groups[-1][-1].ext_end : q.prefix_start].strip()
            restated = (
                gap in ("(", "（")
                and text[q.ext_end : q.ext_end + 1] in (")", "）")
                and lex.construction_of_kind.get(q.kind) == "count"
            )
            if (gap in joiners or restated) and q.kind == groups[-1][-1].kind:
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _after_restated(text: str, last: Quantity, post_end: int) -> str:
    """The text after a group's last number, past the bracket it stands in when it restates the
    number before it in another measure (4790户(6027台)小燃煤设施改造): the thing counted
    follows the bracket."""
    after = text[last.ext_end : post_end]
    if after[:1] in ")）" and last.prefix_start > 0 and text[last.prefix_start - 1] in "(（":
        return after[1:]
    return after


def _post(after: str, lex: Lexicon) -> str:
    """The words right after a number, up to the next clause break or number (or a bracket
    closing one opened before the number: ``_unmatched_close``). A bracket, a list joiner or 等
    right after it means the number ends its phrase (…900万千瓦（其中…）, …下降5%、…,
    …达到57%等一系列目标)."""
    if after.startswith(lex.phrase_ends):
        return ""
    return after.strip(lex.post_edges)


def _unmatched_close(after: str) -> int:
    """Where ``after`` closes a bracket it did not open (…电动汽车)新华社…): the words of the
    number's phrase end there; its length when it closes none (at once when it holds no
    closing bracket, most words after a number: the walk would find none)."""
    if ")" not in after and "）" not in after:
        return len(after)
    depth = 0
    for i, ch in enumerate(after):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if not depth:
                return i
            depth -= 1
    return len(after)


def _construction(post: str, last: Quantity, lex: Lexicon) -> str | None:
    """predicate (…达到9%左右,), share (90%以上的泊位…), count (建成8个…园区) or None for a
    size followed by the noun it describes (30万千瓦及以上煤电机组); the unit kinds that make
    each construction are in rules/units.yaml."""
    if not post:
        return "predicate"
    construction = lex.construction_of_kind.get(last.kind)
    if construction == "share" and (post.startswith(lex.share_breaks) or lex.year_single.match(post)):
        return "predicate"  # …提高至24.1%“十四五”规划提出…: the next statement, not a property
    return construction


def _sub_target_open(text: str, cs: int, pos: int, lex: Lexicon) -> int | None:
    """Start of the words of a sub-target before ``pos``: inside an open (其中 … bracket, or a
    clause opening with 其中 (…突破50万千瓦,其中分布式光伏30万千瓦)."""
    best = None
    for m in lex.sub_target.finditer(text, max(cs - 1, 0), pos):
        if not any(c in text[m.end() : pos] for c in ")）"):
            best = m.start("part")
    return best


def _peel(pre: str, lex: Lexicon) -> tuple[str, list[tuple[str, str]]]:
    """Peel comparator words, verbs, adverbs, baselines and 达到X的 off the end of the text
    before a number; return what remains and the peeled (category, word) pairs, nearest first."""
    s = pre.rstrip()
    tail: list[tuple[str, str]] = []
    changed = True
    while changed and s:
        changed = False
        for category, pattern in _tail_engines(lex):
            m = pattern.search(s)
            if m and m.end() == len(s) and m.start() < len(s):
                tail.append((category, m.group(0)))
                s = s[: m.start()].rstrip()
                changed = True
                break
    return s, tail


@functools.lru_cache(maxsize=8)
def _tail_engines(lex: Lexicon) -> tuple[tuple[str, regex.Pattern[str] | re.Pattern[str]], ...]:
    """``lex.tail_patterns``, each searched by the engine that searches it faster and reads it
    alike (``text.alternation.quicker_engine``: a list of words anchored at the end goes to
    Python's ``re``)."""
    return tuple((category, quicker_engine(pattern)) for category, pattern in lex.tail_patterns)


def _restore_object_verb(
    pre: str, head: str, tail: list[tuple[str, str]], q: Quantity, lex: Lexicon
) -> tuple[str, list[tuple[str, str]]]:
    """累计实施既有建筑节能改造和能效提升6380万平方米: when the head opens with a build verb,
    a change verb right before an absolute amount belongs to the object, not to the number —
    unless a baseline stands between them (…面积比2023年增长0.2亿平方米)."""
    if not tail or tail[0][0] != "verb" or q.kind in lex.relative_kinds:
        return head, tail
    word = tail[0][1]
    if not pre.startswith(head + word):
        return head, tail
    if not word.startswith(lex.increase_words + lex.decrease_words) or word.endswith(lex.level_after):
        return head, tail
    if indicators.build_verb(indicators.clean(head, lex), lex) is None:
        return head, tail
    return head + word, tail[1:]


def _after_time_phrases(p: Paragraph, start: int, end: int, lex: Lexicon) -> int:
    """The head starts after year phrases or baselines that open it (“十四五”期间规模以上…,
    2026年城镇…); a year further in belongs to the head's own words (由2020年的11%…)."""
    cut = start
    spans = p.time_spans
    for a, b in spans[bisect_left(spans, (start, start)) :]:
        if a >= end:
            break
        if b <= end and a >= cut and not indicators.clean(p.text[cut:a], lex):
            cut = b
    return cut


def _governing_build_verb(clause_before: str, lex: Lexicon) -> str | None:
    found = None
    for m in lex.build_any.finditer(clause_before):
        found = m.group(0)
    return found


def _share_end(text: str, post_end: int, end: int, lex: Lexicon) -> int:
    """A share's phrase runs to its clause end, and on through a next clause that opens with a
    continuation (…90%以上符合条件的泊位,具备向船舶供应岸电的能力)."""
    stop = post_end
    if stop < end and text[stop] in "，,":
        nb = stop + 1
        while nb < end and text[nb] not in CLAUSE_BREAKS:
            nb += 1
        if text[stop + 1 : nb].startswith(lex.continuations):
            stop = nb
    return stop


def _baseline(p: Paragraph, pos: int, clause_start: int, sentence_start: int) -> int | None:
    """The last baseline before ``pos`` in its sentence: 以…为基数 anywhere in the sentence,
    比2020年 only in the number's own clause."""
    i = bisect_right(p.baseline_starts, pos - 1) - 1
    while i >= 0 and p.baselines[i].start >= sentence_start:
        b = p.baselines[i]
        if b.basis or b.start >= clause_start:
            return b.year
        i -= 1
    return None
