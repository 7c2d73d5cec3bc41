"""Turning the words before (and after) a number into an indicator name (ANNOTATION.md
`indicator`): scope words, hedges and conditions dropped; verb-object constructions turned
into thing plus verb noun; coordinated subjects completed with their shared measure."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import regex

from ..text.alternation import quicker_engine
from .checks import bracket_chars, bracket_pairs
from .lexicon import Lexicon



@functools.lru_cache(maxsize=4096)
def clean(head: str, lex: Lexicon, examples: bool = True) -> str:
    """Drop conditions, example lists (unless ``examples`` is false), leading scope words and
    hedges, a trailing 等 and quotation marks; keep everything else as written. Cached: the
    same heads and names come back (in a plan, and across plans of a batch), each a dozen
    substitutions."""
    s = head
    if lex.any_qualifier is None or lex.any_qualifier.search(s):  # else none of them changes it
        for pattern in lex.qualifiers:
            s = pattern.sub("", s)
    s = lex.quote_marks.sub("", s)
    for _ in range(8):
        before = s
        s = lex.edge_marks.sub("", s)
        s = lex.strip_leading.sub("", s)
        if examples:
            s = without_examples(s, lex)
        if s == before:
            break
    return lex.trailing_words.sub("", s)


@functools.lru_cache(maxsize=4096)
def repaired(name: str, lex: Lexicon) -> str:
    """A finished name without what a cut too late leaves at its end (a due year, a verb of
    reaching, a comparator word: indicators.yaml ``trailing_phrases``), at its start (a time
    phrase, a count of things in scope: ``leading_phrases``) or anywhere (a due phrase:
    ``inner_phrases``), so that the self-checks find nothing to flag. Done once on the
    finished name, not on heads, whose verbs the other steps still read. "" when nothing would
    be left (共计, an opening bracket alone)."""
    cut = name
    for _ in range(4):  # 规模2025年) -> 规模2025年 -> 规模
        before = cut
        if lex.any_repair is None or lex.any_repair.search(cut):  # else none of them changes it
            for edge in (lex.trailing_phrases, lex.leading_phrases, lex.inner_phrases):
                if edge is not None:
                    cut = lex.edge_marks.sub("", edge.sub("", cut))
        cut = without_unpaired_edges(cut)
        if cut == before:
            break
    return cut


def without_unpaired_edges(name: str) -> str:
    """A name without a bracket at either edge that has no partner in it (新增电动汽车) ->
    新增电动汽车, )美丽河湖 -> 美丽河湖): the cut fell inside a bracket. The pairs are those of
    the self-check that brackets balance (checks.yaml)."""
    if name[:1] not in bracket_chars() and name[-1:] not in bracket_chars():
        return name  # each step only drops a bracket standing at an edge
    return _drop_unpaired_edges(name)


def _drop_unpaired_edges(name: str) -> str:
    for opening, closing in bracket_pairs():
        if name.endswith(opening):
            name = name[:-1]
        if name.startswith(closing):
            name = name[1:]
        if name.endswith(closing) and name.count(opening) < name.count(closing):
            name = name[:-1]
        if name.startswith(opening) and name.count(opening) > name.count(closing):
            name = name[1:]
    return name


def examples_as_subjects(head: str, n: int, lex: Lexicon) -> tuple[list[str], str] | None:
    """A、B和C等主要污染物排放总量分别下降x、y、z: when a 分别 pairs as many values as the
    examples listed before 等, they are the subjects, and the measure is what follows 等 without
    the name of the set they belong to (indicators.yaml example_lists ``categories``)."""
    full = clean(head, lex, examples=False)
    word, i = max(((w, full.rfind(w)) for w in lex.total_words), key=lambda found: found[1])
    if i <= 0:
        return None
    items = split_subjects(full[:i], lex.subject_joiners)
    measure = full[i + len(word) :]
    measure = measure[len(next((c for c in lex.list_categories if measure.startswith(c)), "")) :]
    if len(items) != n or len(measure) < 2:
        return None
    return [item + measure for item in items], measure


def without_examples(phrase: str, lex: Lexicon) -> str:
    """A phrase names its whole without the examples listed before it (有色、化工等重点行业 ->
    重点行业; 新增或更新公交、出租等车辆中 -> 新增或更新车辆中): the shortest name."""
    return lex.example_list.sub("", phrase, count=1)


def build_verb(head: str, lex: Lexicon) -> tuple[int, str] | None:
    """The verb governing a verb-object head: the leftmost build verb, moved right while the
    object itself starts with another one (老旧小区改造完成既有建筑节能改造 -> 完成)."""
    m = lex.build_any.search(head)
    if not m:
        return None
    pos, verb = m.start(), m.group(0)
    while True:
        nxt = lex.build_any.match(head, pos + len(verb))
        if not nxt or nxt.end() >= len(head):
            break
        pos, verb = nxt.start(), nxt.group(0)
    if pos + len(verb) >= len(head):
        return None
    return pos, verb


def trailing_build_verb(name: str, lex: Lexicon) -> str:
    """The verb noun of building that ends ``name``, the longest (充电站建成并投运 -> 建成并投运),
    "" when none does."""
    return next((v for v in lex.build_suffix_longest_first if name.endswith(v)), "")


def object_indicator(head: str, lex: Lexicon, stock: bool = False) -> str:
    """建设绿色工业园区 -> 绿色工业园区建设; 新增绿色建筑面积 stays; 建立X -> X; of a running
    total (``stock``: 累计建成X) a plain verb of making is not named."""
    found = build_verb(head, lex)
    if not found:
        return head
    pos, verb = found
    obj = head[pos + len(verb) :]
    if verb in lex.build_prefix:
        return head
    if verb in lex.build_suffix and not (stock and verb in lex.build_unnamed):
        return obj + verb
    return obj


def drop_leading_verb(head: str, lex: Lexicon) -> str:
    """The number of things built (建设“无废细胞”数量) is named without the verb; a prefix verb
    stays, being part of the name as written (新增…数量)."""
    m = lex.build_any.match(head)
    if m and m.group(0) not in lex.build_prefix and m.end() < len(head):
        return head[m.end() :]
    return head


def with_shared_subject(head: str, previous: str, lex: Lexicon) -> str:
    """A head that only names part of the measure of the target before it in its sentence:
    a shortened name of the same measure (多式联运货运量增长10%,运量达到… -> 多式联运货运量),
    or a measure opened by a partitive word (人均, 单位, 在建) that the earlier target's
    subject governs (公共机构单位建筑面积能耗下降5%、人均综合能耗下降6% -> 公共机构人均综合能耗),
    or a share of the earlier measure (…,占全社会用电量比重…: ``share_openers``)."""
    if 2 <= len(head) <= lex.max_shortened_name < len(previous) and previous.endswith(head):
        return previous
    if head.startswith(lex.share_openers) and not previous.startswith(lex.share_openers):
        return previous + head  # …发电量达到…,占全社会用电量比重… -> …发电量占全社会用电量比重
    if not head.startswith(lex.partitive_words) or previous.startswith(lex.partitive_words):
        return head
    cut = min((i for w in lex.partitive_words if (i := previous.find(w)) > 0), default=-1)
    if cut < 0:  # …装机容量达到…、在建装机容量…: the subject is what precedes the same measure
        word = next(w for w in lex.partitive_words if head.startswith(w))
        cut = previous.find(head[len(word) :]) if len(head) > len(word) else -1
    if cut <= 0:
        return head
    subject = previous[:cut]
    return head if subject in head else subject + head


def drop_unnamed_verb(head: str, lex: Lexicon) -> str:
    """A plain verb of making opening a head is not named (建成近零碳园区达20个 -> 近零碳园区),
    but a status of things is (建成及在建…装机容量)."""
    verbs = lex.build_unnamed_longest_first
    if head.startswith(lex.verb_nouns) or not head.startswith(verbs):  # one test in C: most heads open with none
        return head
    for verb in verbs:
        if head.startswith(verb):
            rest = head[len(verb) :]
            if len(rest) >= 2 and not rest.startswith(lex.list_joiners):
                return rest
    return head


def with_verb(obj: str, verb: str | None, lex: Lexicon, stock: bool = False) -> str:
    """A counted object with the verb that governs it: 建成 + 绿色物流园区 -> 绿色物流园区建成;
    of a running total (``stock``) a plain verb of making is not named."""
    if not verb or verb in lex.build_dropped or (stock and verb in lex.build_unnamed):
        return obj
    if verb in lex.build_prefix:
        return verb + obj
    return obj + verb


def counted_object(post: str, lex: Lexicon) -> str:
    """The thing after a count: cut at a following predicate and drop relative clauses
    (具有多式联运功能的绿色物流园区 -> 绿色物流园区), but not the things whose work is counted
    (35个废弃矿山的生态修复工作 -> 废弃矿山生态修复工作)."""
    for word in lex.continuations:
        i = post.find(word)
        if i > 0:
            post = post[:i]
            break
    if "的" in post:
        before, after = post.rsplit("的", 1)
        # the things counted and the work done on them (246个已关闭矿山的环境治理恢复工作) keep both
        work = next((after[: -len(w)] for w in lex.work_nouns if after.endswith(w)), after)
        post = before + after if work.endswith(lex.build_suffix + lex.build_prefix) and before else after
    return post


def split_subjects(head: str, separators: tuple[str, ...] | str = ("、",)) -> list[str]:
    """Split on the separator words (、, or 、/和/以及 …) outside brackets, longest word first."""
    seps = _longest_first((separators,) if isinstance(separators, str) else tuple(separators))
    if "(" not in head and "（" not in head:  # every separator is outside brackets: one split in C
        return [p for p in _separator_pattern(seps).split(head) if p]
    return _split_outside_brackets(head, list(seps))


@functools.lru_cache(maxsize=64)
def _longest_first(separators: tuple[str, ...]) -> tuple[str, ...]:
    """The separator words longest first: sorted once for each list, not for every head."""
    return tuple(sorted(separators, key=len, reverse=True))


def _split_outside_brackets(head: str, seps: list[str]) -> list[str]:
    """The walk over the characters that keeps count of open brackets."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(head):
        ch = head[i]
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
        sep = next((w for w in seps if head.startswith(w, i)), None) if depth == 0 else None
        if sep:
            parts.append("".join(cur))
            cur = []
            i += len(sep)
            continue
        cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return [p for p in parts if p]


@functools.lru_cache(maxsize=64)
def _separator_pattern(seps: tuple[str, ...]) -> regex.Pattern[str] | re.Pattern[str]:
    """The separator words as one pattern, in the order given: at each position the first that
    opens there, as the walk of :func:`split_subjects` takes it; by Python's ``re`` when it
    reads them alike (``quicker_engine``: a plain list of words), which splits faster."""
    return quicker_engine(regex.compile("|".join(regex.escape(w) for w in seps)))


def measure_tail(tokens: list[str], lex: Lexicon) -> str:
    """The run of measure words ending the last coordinated subject (装机, 水质达标率 …)."""
    tail: list[str] = []
    for tok in reversed(tokens):
        if tok in lex.measure_words or (len(tok) >= 2 and tok.endswith(lex.measure_suffixes)):
            tail.insert(0, tok)
        else:
            break
    return "".join(tail)


def ends_with_measure(subject: str, lex: Lexicon) -> bool:
    """Whether ``subject`` ends with a measure word (…装机容量, …水质达标率)."""
    return subject.endswith(lex.long_measure_words)


def names_a_measure(head: str, lex: Lexicon) -> bool:
    """Whether a whole head is the name of a measure (…节能量, …处理率) rather than a verb and
    its object: a build verb inside it is then part of the name (节能降碳改造形成节能量)."""
    return ends_with_measure(head, lex) or (len(head) >= 3 and head.endswith(lex.measure_suffixes))


def shared_measure(subjects: list[str], tokens_of: Callable[[str], list[str]], lex: Lexicon) -> str:
    """The measure the coordinated subjects share, written once after the last of them.

    It is the run of measure words ending the last subject (水质达标率), with the words that
    qualify a measure before it (抽检合格率, 发电装机, 行业能耗占比: ``measure_modifiers``),
    and the substance before a measure that names one (二氧化硫浓度), so long as a subject
    of the last item remains before them; a share (占…比例) is shared whole.
    Where the last subject says 的 (甲镇、乙乡的PM10平均浓度) the measure is all that follows."""
    last = subjects[-1]
    share = min((i for w in lex.share_openers if (i := last.find(w)) > 0 and not last.startswith(lex.share_words, i)), default=-1)
    if share > 0:  # A和B占地区生产总值的比例: the share of each
        return last[share:]
    last_tokens = tokens_of(last)
    tail = measure_tail(last_tokens, lex)
    if not tail:
        return ""
    parallel = after_parallel_subject(subjects, lex)
    if parallel and parallel.endswith(tail) and len(parallel) > len(tail):
        return parallel
    if tail == last:  # PM10、臭氧浓度: the substance is the subject, the measure is shared
        return next((m for m in sorted(lex.object_measures, key=len, reverse=True) if last.endswith(m) and len(last) > len(m)), tail)
    if "的" in last:
        after = last.rsplit("的", 1)[1]
        if after.endswith(tail) and len(after) > len(tail):
            return after
    i = len(last_tokens) - 1
    covered = 0
    while i >= 0 and covered < len(tail):
        covered += len(last_tokens[i])
        i -= 1
    if i > 0 and tail.startswith(lex.object_measures):
        tail = last_tokens[i] + tail  # 甲市二氧化硫浓度: a concentration names its substance
        i -= 1
    while i > 0:  # a modifier of one word, or of two (重点工程 is cut 重点/工程)
        if last_tokens[i] in lex.measure_modifiers:
            tail, i = last_tokens[i] + tail, i - 1
        elif i > 1 and last_tokens[i - 1] + last_tokens[i] in lex.measure_modifiers:
            tail, i = last_tokens[i - 1] + last_tokens[i] + tail, i - 2
        else:
            break
    return tail


def after_parallel_subject(subjects: list[str], lex: Lexicon) -> str:
    """What follows the last subject's own word when the subjects before it say which kind of
    word that is, "" otherwise: every one a place (甲市、乙市、丙县可吸入颗粒物年均浓度 ->
    可吸入颗粒物年均浓度), an administrative level (国家、省考核断面… -> 考核断面…), or words
    of two characters ending alike, abbreviations of one pattern (国考、省考断面… -> 断面…)."""
    earlier, last = subjects[:-1], subjects[-1]
    if all(s in lex.level_words for s in earlier):
        word = next((w for w in sorted(lex.level_words, key=len, reverse=True) if last.startswith(w)), "")
        return last[len(word) :].removeprefix("的") if word else ""
    if all(s.endswith(lex.place_suffixes) and len(s) >= 2 for s in earlier):
        ends = [last.find(sfx, 1) + len(sfx) for sfx in lex.place_suffixes if last.find(sfx, 1) > 0]
        return last[min(ends) :].removeprefix("的") if ends else ""
    if all(len(s) == 2 and s[-1] == last[1:2] for s in earlier) and len(last) > 2:
        return last[2:]
    return ""


def distribute(
    subjects: list[str], tokens_of: Callable[[str], list[str]], lex: Lexicon, total: bool, forced: bool = False
) -> tuple[list[str], str] | None:
    """Indicators for coordinated subjects sharing one measure, with that measure; None when
    the head is one indicator (a share of several kinds together, a total over a list).
    ``forced``: a 分别 construction pairs the subjects with as many values, whatever the
    measure. A relative clause before the list (大气污染较重的A、B…) and a 的 before the
    measure are dropped."""
    if len(subjects) < 2 or (total and not forced):
        return None
    subjects = [_after_category(_after_relative(subjects[0]), lex)] + subjects[1:]
    per_unit = _per_unit(subjects[0], tokens_of, lex)
    if per_unit:  # 单位国内生产总值能耗和二氧化碳排放 -> 单位国内生产总值二氧化碳排放
        subjects = subjects[:1] + [s if s.startswith(per_unit[:2]) else per_unit + s for s in subjects[1:]]
    last = subjects[-1]
    tail = shared_measure(subjects, tokens_of, lex)
    if tail and tail != last:
        parallel = tail == after_parallel_subject(subjects, lex)  # 国考、省考断面水质优良比例: a share each
        if not forced and not parallel and tail.endswith(lex.share_words) and not all(ends_with_measure(s, lex) for s in subjects):
            return None
        subject_of_last = last[: len(last) - len(tail)].removesuffix("的")
        return [s if ends_with_measure(s, lex) else s + tail for s in subjects[:-1]] + [subject_of_last + tail], tail
    if forced or all(ends_with_measure(s, lex) for s in subjects):
        return subjects, tail
    return None


def _per_unit(subject: str, tokens_of: Callable[[str], list[str]], lex: Lexicon) -> str:
    """单位 and the denominator after it (单位国内生产总值, 单位工业增加值), opening the first of
    several coordinated measures: an intensity that the later ones share. Only a subject that
    opens with such a word is cut into words (its first word is a prefix of it)."""
    if not subject.startswith(lex.per_unit_words):
        return ""
    tokens = tokens_of(subject)
    if len(tokens) > 2 and tokens[0] in lex.per_unit_words:
        return tokens[0] + tokens[1]
    return ""


def _after_category(subject: str, lex: Lexicon) -> str:
    """主要污染物化学需氧量 -> 化学需氧量: the name of the set a list belongs to, written before
    its first member (indicators.yaml example_lists ``categories``), names none of them."""
    word = next((c for c in lex.list_categories if subject.startswith(c)), "")
    return subject[len(word) :] if word and len(subject) - len(word) >= 2 else subject


def _after_relative(subject: str) -> str:
    """大气污染较重的石家庄 -> 石家庄: a 的-clause opening a list modifies all of it."""
    if "的" in subject:
        rest = subject.rsplit("的", 1)[1]
        if len(rest) >= 2:
            return rest
    return subject
