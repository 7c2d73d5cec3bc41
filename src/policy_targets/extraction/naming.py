"""The indicator of a frame (ANNOTATION.md `indicator`), in one home: the candidate names a
frame can have, and the one the contract picks.

By construction, a predicate names the words before the number, a count names the thing
counted after it, a share names the subject before and the property after. ``candidates``
proposes, in the contract's order of preference, the part of the measure before it (其中海上…),
the name with the clause that scopes it, with the subject a coordinated sibling shares, and by
the construction alone (an elided head takes the previous target's name there);
``indicator_of`` takes the first that breaks none
of the indicator checks of ``rules/checks.yaml`` (no year phrase, verb of reaching, gloss, site
junk, leading count, clause break or value in a name) and, when every one breaks some, the
first, which its record's ``flags`` then show. Word-level steps (cleaning, verb nouns,
coordinated subjects) are in ``indicators``."""

from __future__ import annotations

from . import indicators
from ..structure.jurisdiction import leading_place_length
from .checks import name_passes
from .frames import Frame
from .lexicon import Lexicon


def indicator_of(frame: Frame, parent: str, lex: Lexicon, sibling: str = "", enclosing: str | None = None) -> str:
    """The indicator of ``frame``: the first candidate that keeps the contract's indicator
    checks, else the first candidate. With none (its only name was debris: an opening bracket
    before a restated number, 共计) it is the previous target's, as an elided head is; with no
    previous target, the name as written, to be flagged: a record is never dropped for a flag."""
    offered = candidates(frame, parent, lex, sibling, enclosing)
    for name in offered:
        if name_passes(name):
            return name
    if offered:
        return offered[0]
    return parent or _unscoped(frame, frame.head_clean, parent, lex)


def candidates(frame: Frame, parent: str, lex: Lexicon, sibling: str = "", enclosing: str | None = None) -> list[str]:
    """The names ``frame`` can have, most preferred first, each once and repaired
    (``indicators.repaired``: what a cut too late leaves at a name's end). ``parent`` is the
    previous target's indicator in the paragraph, which elided heads (到2030年力争达到50%) and
    lists build on; ``sibling`` is the same when that target stands in the same sentence, whose
    subject a head that names only part of a measure shares (…能耗下降5%、人均综合能耗下降6%);
    ``enclosing``, for a sub-target that is a part of the measure before it (其中海上…), is that
    measure."""
    head = frame.head_clean
    out: list[str] = []
    # the year phrase that dates this very target, standing inside its name (甲市2017年细颗粒物
    # 年均浓度较2013年下降15%): it says when, not what, so it leaves the name
    phrase = frame.year.phrase
    dating = frame.text[phrase.start : phrase.end] if phrase and frame.head_start < phrase.start and phrase.end <= frame.head_end else ""

    def offer(name: str) -> None:
        if dating and dating in name and not name.startswith(dating):
            name = name.replace(dating, "", 1)
        name = indicators.repaired(name, lex) if name else name
        own = frame.paragraph.own_place(name)
        if own and len(name) - own >= 2:  # 甲市秸秆综合利用率 in 甲市's own plan, as 全市…
            name = indicators.clean(name[own:].removeprefix("的"), lex)
        place = leading_place_length(name)
        if place and name[place : place + 1] == "的":  # 乙县的优良天数比率 -> 乙县优良天数比率
            name = name[:place] + name[place + 1 :]
        if name and name not in out:
            out.append(name)

    if enclosing is not None:
        counted = lex.construction_of_kind.get(frame.group[0].kind) == "count"
        offer(_joined(head, lex.status_prefix.sub("", enclosing), counted, lex))
    shared = indicators.with_shared_subject(head, sibling, lex) if frame.construction == "predicate" and sibling and head else head
    place = _carried_place(frame, head, sibling, lex)
    unscoped = _unscoped(frame, shared, parent, lex)  # built once, offered alone and after a place or scope
    if place:  # 甲市优良天数300天,PM2.5浓度为35微克/立方米 -> 甲市PM2.5浓度
        offer(place + unscoped)
    if frame.scope:
        offer(indicators.clean(frame.scope, lex) + unscoped)
    offer(unscoped)
    if shared != head:  # else the same name again
        offer(_unscoped(frame, head, parent, lex))
    return out


def _carried_place(frame: Frame, head: str, sibling: str, lex: Lexicon) -> str:
    """The place that opens the name of the target before, when this one follows it after a
    comma in the same sentence and names no place of its own: the clause goes on about the
    same place (甲市优良天数300天,PM2.5浓度为35微克/立方米). Another place, or a semicolon
    between them, starts another subject."""
    if not (sibling and head and frame.construction == "predicate") or frame.clause_start < 1:
        return ""
    if frame.text[frame.clause_start - 1] not in "，,":
        return ""
    zone = lex.zone_name.match(sibling)
    place = leading_place_length(sibling) or (zone.end() if zone else 0)
    if not place or leading_place_length(head) or lex.zone_name.match(head) or head.startswith(sibling[:place]) or head.startswith(lex.other_words):
        return ""
    return sibling[:place]


def _unscoped(frame: Frame, head: str, parent: str, lex: Lexicon) -> str:
    stock = frame.cumulative
    if frame.construction == "count":
        return count_indicator(frame.post, frame.build_verb, head if not (frame.build_verb or frame.has_verb) else "", lex, stock)
    if frame.construction == "share":
        return head + share_property(frame, lex)
    return predicate_indicator(head, frame.has_verb, frame.follows_list, parent, lex, stock)


def count_indicator(post: str, verb: str | None, subject: str, lex: Lexicon, stock: bool = False) -> str:
    """The thing counted, with the verb that builds it (绿色物流园区建成); a post that already
    ends in a verb noun is taken as written (技改项目建设, 机组关停). ``stock``: the count is a
    running total (累计建成…), which names the things alone."""
    if post.endswith(lex.build_suffix):
        return subject + indicators.clean(post, lex)
    return subject + indicators.clean(indicators.with_verb(indicators.counted_object(post, lex), verb, lex, stock), lex)


def predicate_indicator(head: str, has_verb: bool, follows_list: bool, parent: str, lex: Lexicon, stock: bool = False) -> str:
    """The indicator before a predicate number: a verb-object head becomes thing plus verb
    noun (the thing alone for a running total, ``stock``); an empty head repeats the previous
    indicator (到2030年力争达到50%)."""
    indicator = head
    if head.endswith(lex.count_measures):
        indicator = indicators.drop_leading_verb(head, lex)  # 建设无废细胞数量 -> 无废细胞数量
    elif head and not has_verb and not indicators.names_a_measure(head, lex):
        indicator = indicators.object_indicator(head, lex, stock)
    else:
        indicator = indicators.drop_unnamed_verb(head, lex)  # 建成光伏装机容量达… -> 光伏装机容量
    if not indicator:
        return parent
    if parent and not has_verb:
        elided = _elided_thing(indicator, parent, lex)
        if elided:
            return elided
    if follows_list and parent and not has_verb:
        return parallel(parent, indicator, lex)
    return indicator


def _elided_thing(name: str, parent: str, lex: Lexicon) -> str:
    """A count that names only its verb (…建成充电站20座,2027年底前共建设35座) counts the things
    of the target before it: their name with this verb noun (充电站建设); "" otherwise."""
    verb = indicators.trailing_build_verb(name, lex)
    if not verb or len(indicators.clean(name[: -len(verb)], lex)) > 1:  # at most an adverb: 共, 再, 另
        return ""
    before = indicators.trailing_build_verb(parent, lex)
    thing = parent[: len(parent) - len(before)]
    return thing + verb if before and thing and not indicators.names_a_measure(thing, lex) else ""


def is_part(frame: Frame, lex: Lexicon) -> bool:
    """Whether a sub-target's words name a part of the enclosing measure (其中海上, 其中户用光伏)
    rather than a target of their own (其中…基地新增风电100万千瓦): no verb, no measure."""
    head = frame.head_clean
    return frame.sub_target and frame.construction == "predicate" and not frame.has_verb and not (
        lex.build_any.search(head) or indicators.names_a_measure(head, lex)
    )


def _joined(part: str, whole: str, counted: bool, lex: Lexicon) -> str:
    """A part named before the enclosing measure, written once where they overlap (户用光伏 +
    光伏装机规模 -> 户用光伏装机规模), also where the part's end stands inside the whole, whose
    subject it then replaces (屋顶光伏 of 新增分布式光伏装机 -> 新增屋顶光伏装机). Of an
    amount the part is a modifier (海上 ->
    海上光伏发电装机容量); of a count it names the things counted (其中换电站20座), unless it
    names a domain of them (其中公共领域2万辆: ``scope_nouns``); the whole's verb noun
    goes with them (公共充电桩建成, 其中快速充电桩… -> 快速充电桩建成)."""
    for k in range(min(len(part), len(whole)), 0, -1):
        if part.endswith(whole[:k]):
            return part + whole[k:]
    for k in range(min(len(part), len(whole)), 1, -1):  # 屋顶光伏 of 新增分布式光伏装机
        i = whole.find(part[-k:])
        if i > 0:
            lead = next((v for v in lex.build_prefix if whole.startswith(v)), "")
            return lead + part + whole[i + k :]
    if counted and not part.endswith(lex.scope_nouns):  # the things counted, built as the whole's are
        return part + indicators.trailing_build_verb(whole, lex)
    return part + whole


def share_property(frame: Frame, lex: Lexicon) -> str:
    """What a percentage of a subject achieves (100%实现清洁取暖 -> 清洁取暖); a next clause
    that opens with 具备/实现… belongs to it."""
    prop = frame.post.lstrip("的")
    for word in lex.continuations:
        if word in lex.level_verbs and (prop.startswith(word) or (word in lex.build_dropped and word in prop)):
            # 100%实现清洁取暖 -> 清洁取暖; 80%的老旧住宅完成节能改造 -> 老旧住宅节能改造,
            # but 80%以上单位达到创建要求 keeps its 达到
            prop = prop.replace(word, "", 1)
            break
    if frame.end > frame.post_end:
        prop += frame.text[frame.post_end + 1 : frame.end]
    return prop


def parallel(previous: str, head: str, lex: Lexicon) -> str:
    """新增风电100万千瓦、光伏发电700万千瓦 and 建成园区5个、社区20个: the second item shares
    the verb of the first (and the words before a prefix verb)."""
    if lex.build_any.search(head):
        return head
    for verb in lex.build_prefix:
        i = previous.find(verb)
        if i >= 0:
            return previous[: i + len(verb)] + head
    return head + indicators.trailing_build_verb(previous, lex)


def evidence_start(frame: Frame, lex: Lexicon) -> int:
    """Evidence is the shortest span holding the indicator and the number: it starts where the
    cleaned indicator starts in the raw head (after 全市, 确保 …), else at the number."""
    if frame.scope_start is not None:
        return frame.scope_start + (len(frame.scope) - len(frame.scope.lstrip()))
    raw_head, head_clean = frame.head, frame.head_clean
    i = raw_head.find(head_clean[:2]) if head_clean else -1
    return frame.head_start + i if i >= 0 else frame.group[0].prefix_start
