"""Assembling targets from the quantities, year phrases and baselines of one paragraph.

For each number (or list of numbers joined by 、/和) this module reads the clause around it:
the words before the number are peeled from the end (comparators, verbs, adverbs, baselines)
until the indicator remains; the words after it tell a predicate target (…达到9%左右,) from a
counted object (建成8个…园区), a share of a subject (90%以上的泊位,具备…) or a size that
only describes something (30万千瓦及以上煤电机组), which is no target. 分别 pairs values with
years or with coordinated subjects. Field values come from ``attributes``.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from . import attributes

from . import indicators
from .lexicon import Lexicon
from ..text.spans import CLAUSE_BREAKS, clause_bounds, sentence_start
from .quantities import Quantity
from .records import Draft
from .timescope import Baseline, YearPhrase

_LIST_JOINERS = ("、", "和", "及", "与", "或", "以及", "/")
_RANGE_JOINERS = ("—", "–", "-", "－", "~", "～", "至", "到")
_SUB_OPEN = ("(其中", "（其中")
MAX_SENTENCE = 1000  # the longest sentence read back from a number


@dataclass(frozen=True)
class Paragraph:
    """One paragraph's text region and what the earlier components found in it."""

    text: str  # the whole document text
    start: int
    end: int  # end of the part that can hold targets (before a closing unit block)
    quantities: list[Quantity]
    phrases: list[YearPhrase]
    baselines: list[Baseline]
    units_at: Callable[[int], tuple[str, ...]]
    tokens_of: Callable[[int, int, str], list[str]]

    @functools.cached_property
    def time_spans(self) -> list[tuple[int, int]]:
        return sorted([(y.start, y.end) for y in self.phrases] + [(b.start, b.end) for b in self.baselines])

    @functools.cached_property
    def baseline_starts(self) -> list[int]:
        return [b.start for b in self.baselines]

    @functools.cached_property
    def phrase_ends(self) -> list[int]:
        return [y.end for y in self.phrases]  # phrases are sorted and do not overlap


def paragraph_targets(p: Paragraph, lex: Lexicon) -> list[Draft]:
    text = p.text
    groups = _lists(text, [q for q in p.quantities if q.excluded is None])
    drafts: list[Draft] = []
    consumed = p.start  # text before this belongs to earlier targets
    for gi, group in enumerate(groups):
        first, last = group[0], group[-1]
        if first.start < consumed:
            continue
        nxt = groups[gi + 1][0].prefix_start if gi + 1 < len(groups) else p.end
        cs, ce = clause_bounds(text, first.prefix_start, p.start, p.end)
        sub_open = _sub_target_open(text, cs, first.prefix_start)
        pre_start = max(sub_open if sub_open is not None else cs, consumed)
        post_end = min(ce, nxt)
        post = _post(text[last.ext_end : post_end])
        construction = _construction(post, last)
        if construction is None:
            continue  # a size describing a noun: a threshold or a project size
        head, tail = _peel(text[pre_start : first.prefix_start], lex)
        head, tail = _restore_object_verb(head, tail, last, lex)
        head_end = pre_start + len(head)
        head_start = _after_time_phrases(p, pre_start, head_end, lex)
        head_clean = indicators.clean(text[head_start:head_end], lex)
        has_verb = any(c == "verb" for c, _ in tail)
        if construction == "count":
            verb = _governing_build_verb(text[cs : first.start], lex)
            if verb is None and not post.endswith(lex.build_suffix):
                continue  # a count of things no verb builds: 鼓励20家景区…
            indicator = _count_indicator(post, verb, head_clean if not (verb or has_verb) else "", lex)
            end = consumed = post_end
        elif construction == "share":
            prop, end = _share_property(text, post, post_end, p.end, lex)
            indicator = head_clean + prop
            consumed = end
        else:
            parent = drafts[-1].indicator if drafts else ""
            follows_list = text[pre_start : pre_start + 1] in _LIST_JOINERS
            indicator = _predicate_indicator(head_clean, has_verb, sub_open is not None, follows_list, parent, lex)
            end = consumed = last.ext_end
        if not indicator:
            continue
        evidence = (_evidence_start(text[head_start:head_end], head_clean, head_start, first.prefix_start), end)
        drafts.extend(_expand(p, lex, group, indicator, tail, construction, cs, pre_start, head_end, evidence, head_clean))
    return drafts


def _post(after: str) -> str:
    """The words right after a number, up to the next clause break or number. A bracket or a
    list joiner there means the number ends its phrase (…900万千瓦（其中…）, …下降5%、…)."""
    if after.startswith(("(", "（", ")", "）") + _LIST_JOINERS + _RANGE_JOINERS):
        return ""
    return after.strip(" " + "".join(_LIST_JOINERS))


def _construction(post: str, last: Quantity) -> str | None:
    """predicate (…达到9%左右,), share (90%以上的泊位…), count (建成8个…园区) or None for a
    size followed by the noun it describes (30万千瓦及以上煤电机组)."""
    if not post:
        return "predicate"
    if last.kind == "percent":
        return "share"
    if last.kind == "count":
        return "count"
    return None


def _count_indicator(post: str, verb: str | None, subject: str, lex: Lexicon) -> str:
    """The thing counted, with the verb that builds it (绿色物流园区建成); a post that already
    ends in a verb noun is taken as written (技改项目建设, 机组关停)."""
    if post.endswith(lex.build_suffix):
        return subject + indicators.clean(post, lex)
    return subject + indicators.clean(indicators.with_verb(indicators.counted_object(post, lex), verb, lex), lex)


def _predicate_indicator(head: str, has_verb: bool, sub_target: bool, follows_list: bool, parent: str, lex: Lexicon) -> str:
    """The indicator before a predicate number: a verb-object head becomes thing plus verb
    noun; an empty head repeats the previous indicator (到2030年力争达到50%); a sub-target
    (其中海上…) names its part of the enclosing indicator."""
    indicator = head
    if head and not has_verb and not indicators.ends_with_measure(head, lex):
        indicator = indicators.object_indicator(head, lex)
    elif head.endswith(lex.count_measures):
        indicator = indicators.drop_leading_verb(head, lex)  # 建设无废细胞数量 -> 无废细胞数量
    if sub_target:
        return indicator + parent
    if not indicator:
        return parent
    if follows_list and parent and not has_verb:
        return _parallel(parent, indicator, lex)
    return indicator


def _evidence_start(raw_head: str, head_clean: str, head_start: int, number_start: int) -> int:
    """Evidence is the shortest span holding the indicator and the number: it starts where the
    cleaned indicator starts in the raw head (after 全市, 确保 …), else at the number."""
    i = raw_head.find(head_clean[:2]) if head_clean else -1
    return head_start + i if i >= 0 else number_start


def _lists(text: str, qs: list[Quantity]) -> list[list[Quantity]]:
    """Quantities joined only by 、/和/及/与 form one list (…分别达到2470万千瓦、500万千瓦和30万千瓦);
    so do the two ends of a range (30%—35%), each becoming a record of the same indicator."""
    groups: list[list[Quantity]] = []
    for q in qs:
        if groups:
            gap = text[groups[-1][-1].ext_end : q.prefix_start].strip()
            if gap in _LIST_JOINERS + _RANGE_JOINERS and q.kind == groups[-1][-1].kind:
                groups[-1].append(q)
                continue
        groups.append([q])
    return groups


def _sub_target_open(text: str, cs: int, pos: int) -> int | None:
    """Start of the words inside an open (其中 … bracket before ``pos``, if any."""
    for opener in _SUB_OPEN:
        i = text.rfind(opener, cs, pos)
        if i >= 0 and not any(c in text[i:pos] for c in ")）"):
            return i + 1
    return None


def _peel(pre: str, lex: Lexicon) -> tuple[str, list[tuple[str, str]]]:
    """Peel comparator words, verbs, adverbs, baselines and 达到X的 off the end of the text
    before a number; return what remains and the peeled (category, word) pairs, nearest first."""
    s = pre.rstrip()
    tail: list[tuple[str, str]] = []
    changed = True
    while changed and s:
        changed = False
        for category, pattern in lex.tail_patterns:
            m = pattern.search(s)
            if m and m.end() == len(s) and m.start() < len(s):
                tail.append((category, m.group(0)))
                s = s[: m.start()].rstrip()
                changed = True
                break
    return s, tail


def _restore_object_verb(
    head: str, tail: list[tuple[str, str]], q: Quantity, lex: Lexicon
) -> tuple[str, list[tuple[str, str]]]:
    """累计实施既有建筑节能改造和能效提升6380万平方米: when the head opens with a build verb,
    a change verb right before an absolute amount belongs to the object, not to the number.
    Not when a baseline stands between them (面积比2023年增长2亿平方米): the verb then governs
    the amount."""
    if not tail or tail[0][0] != "verb" or q.kind in ("percent", "points") or len(tail) > 1:
        return head, tail
    word = tail[0][1]
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


def _share_property(text: str, post: str, post_end: int, end: int, lex: Lexicon) -> tuple[str, int]:
    """What a percentage of a subject achieves; a next clause opening with 具备/实现… belongs to it."""
    prop = post.lstrip("的")
    for word in lex.continuations:
        if prop.startswith(word) and word in lex.level_verbs:  # 100%实现清洁取暖 -> 清洁取暖
            prop = prop[len(word) :]
            break
    stop = post_end
    if stop < end and text[stop] in "，,":
        nb = stop + 1
        while nb < end and text[nb] not in CLAUSE_BREAKS:
            nb += 1
        nxt = text[stop + 1 : nb]
        if nxt.startswith(lex.continuations):
            prop += nxt
            stop = nb
    return prop, stop


def _parallel(previous: str, head: str, lex: Lexicon) -> str:
    """新增风电100万千瓦、光伏发电700万千瓦 and 建成园区5个、社区20个: the second item shares
    the verb of the first (and the words before a prefix verb)."""
    if lex.build_any.search(head):
        return head
    for verb in lex.build_prefix:
        i = previous.find(verb)
        if i >= 0:
            return previous[: i + len(verb)] + head
    for verb in sorted(lex.build_suffix, key=len, reverse=True):
        if previous.endswith(verb):
            return head + verb
    return head


def _governing_phrase(p: Paragraph, pos: int) -> YearPhrase | None:
    """The last year phrase ending before ``pos`` in the paragraph."""
    i = bisect_right(p.phrase_ends, pos) - 1
    return p.phrases[i] if i >= 0 else None


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


def _expand(
    p: Paragraph,
    lex: Lexicon,
    group: list[Quantity],
    indicator: str,
    tail: list[tuple[str, str]],
    construction: str,
    cs: int,
    pre_start: int,
    head_end: int,
    evidence: tuple[int, int],
    head_clean: str,
) -> list[Draft]:
    """One draft per value: 分别 pairs values with coordinated subjects or with listed years."""
    text = p.text
    first = group[0]
    ss = sentence_start(text, first.start, p.start, MAX_SENTENCE)
    clause_before = text[cs : first.start]
    sentence_before = text[ss : first.start]
    phrase = _governing_phrase(p, first.start)
    baseline = _baseline(p, first.start, cs, ss)
    direction = attributes.direction(lex, tail, head_clean)
    per_year = attributes.per_year(lex, clause_before, indicator)
    cumulative = attributes.cumulative(lex, clause_before)
    aspirational = attributes.aspirational(lex, clause_before, sentence_before)
    units = list(p.units_at(first.start))
    fenbie = "分别" in clause_before
    n = len(group)

    def tokens_of_last(subject: str) -> list[str]:
        i = text.rfind(subject, pre_start, head_end)
        return p.tokens_of(i, i + len(subject), subject) if i >= 0 else p.tokens_of(-1, -1, subject)

    subjects = indicators.split_subjects(indicator) if construction == "predicate" else [indicator]
    listed_years = phrase is not None and phrase.kind == "list"
    if fenbie and n > 1 and len(subjects) != n and not (listed_years and len(subjects) == 1) and construction == "predicate":
        joined = indicators.split_subjects(indicator, "、和与")  # A和B / A、B和C分别达到x、y和z
        if len(joined) == n and all(len(j) >= 2 for j in joined):
            subjects = joined
    names: list[str] = [indicator] * n
    years: list[int | None] = [phrase.target_year if phrase else None] * n
    note = ""
    if n > 1 and len(subjects) == n:
        names = indicators.distribute(subjects, tokens_of_last, lex, total=False, forced=True) or subjects
    elif n > 1 and listed_years:
        years = [phrase.years[i] if i < len(phrase.years) else phrase.years[-1] for i in range(n)]
        if n != len(phrase.years):
            note = f"{n} values for {len(phrase.years)} years: paired from the first year"
    elif n == 1 and len(subjects) > 1:
        split = indicators.distribute(subjects, tokens_of_last, lex, total="等" in head_clean)
        if split:
            names = split
            group = group * len(split)
            years = years * len(split)
    period_start = phrase.period_start if phrase else None
    drafts = []
    for i, q in enumerate(group):
        own = q.suffix
        listed = group[-1].suffix if len(set(id(x) for x in group)) > 1 else ""
        drafts.append(
            Draft(
                indicator=names[i] if i < len(names) else names[-1],
                value=q.value,
                unit=q.unit,
                comparator=attributes.comparator(lex, own, listed, q.prefix or first.prefix),
                direction=direction,
                target_year=years[i] if i < len(years) else years[-1],
                period_start=period_start,
                baseline_year=baseline,
                per_year=per_year,
                cumulative=cumulative,
                aspirational=aspirational,
                responsible_units=units,
                evidence_start=evidence[0],
                evidence_end=evidence[1],
                anchor=q.start,
                note=note,
            )
        )
    return drafts
