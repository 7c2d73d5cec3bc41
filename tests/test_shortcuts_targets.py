"""Shortcuts of the target stage and the records give what the long way gives: each is checked
against the step it stands for, on made-up text and phrases (no corpus sentence)."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_targets.extraction.lexicon import lexicon
from policy_targets.extraction.timescope import YearPhrase
from policy_targets.extraction.years import YearContext, choose, nearest_phrase, reading_at, readings
from policy_targets.text.spans import CLAUSE_BREAKS


def _phrases(starts: list[int], kinds: list[str]) -> list[YearPhrase]:
    years = itertools.count(2031)
    return [YearPhrase(a, a + 3, (y := next(years),), y, None, kind) for a, kind in zip(sorted(set(starts)), kinds)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 60).map(lambda n: n * 4), max_size=6),
    st.lists(st.sampled_from(["single", "current", "past", "list"]), min_size=6, max_size=6),
    st.integers(0, 250),
    st.booleans(),
    st.booleans(),
    st.permutations(["paragraph", "continued", "heading", "title", "none"]).flatmap(lambda order: st.integers(1, 5).map(lambda n: order[:n])),
)
def test_the_year_reading_read_in_the_orders_turn_is_the_one_chosen_of_every_reading(
    starts: list[int], kinds: list[str], pos: int, heading: bool, title: bool, order: list[str]
) -> None:
    """``reading_at`` reads the sources one by one in the rulebook's order and stops at the
    first that has a reading: the reading ``choose`` takes of all of them."""
    phrases = _phrases(starts, kinds)
    ends = [p.end for p in phrases]
    near_heading = YearPhrase(0, 3, (2040,), 2040, None, "single")
    context = YearContext(lambda offset: near_heading if heading else None, YearPhrase(0, 3, (2050,), 2050, None, "single") if title else None)
    assert reading_at(phrases, ends, pos, context, order) == choose(readings(phrases, ends, pos, context), order)


def test_a_paragraph_without_year_phrases_has_none_in_force_at_its_end() -> None:
    """The shortcut of ``in_force_at_end`` for a paragraph with no phrase is what the nearest
    phrase before its end is then: none."""
    from policy_targets.extraction.years import ParagraphYears

    text = "乙镇新建公园三个。"
    assert ParagraphYears(text, 0, len(text), [], [], False).in_force_at_end() is None is nearest_phrase([], [], len(text))


def _drop_unnamed_verb_long_way(head: str) -> str:
    """``indicators.drop_unnamed_verb`` as it read before its one-test gate."""
    lex = lexicon()
    if head.startswith(lex.verb_nouns):
        return head
    for verb in lex.build_unnamed_longest_first:
        rest = head[len(verb) :]
        if head.startswith(verb) and len(rest) >= 2 and not rest.startswith(lex.list_joiners):
            return rest
    return head


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["建成", "建设", "打造", "并投运", "区", "花园", "书屋", "、", "和", "数量", "甲"]), max_size=5).map("".join))
def test_a_head_without_a_plain_verb_of_making_is_kept_as_the_loop_keeps_it(head: str) -> None:
    from policy_targets.extraction.indicators import drop_unnamed_verb

    assert drop_unnamed_verb(head, lexicon()) == _drop_unnamed_verb_long_way(head)


def _scope_start_long_way(text: str, cs: int, lo: int) -> int:
    """Where ``_scope_clause`` starts the clause before ``cs``: the walk back a character at a
    time to the last clause break after ``lo``."""
    a = cs - 1
    while a > lo and text[a - 1] not in CLAUSE_BREAKS:
        a -= 1
    return a


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="丙丁中，,。；\n2三总容量达"), st.data())
def test_the_scope_clause_is_found_by_one_search_where_the_walk_finds_it(text: str, data: st.DataObject) -> None:
    """The clause before a number that frames its indicator (``frames._scope_clause``): the
    backward search for the last break gives the start the walk gives, and the clause is
    taken or not as the walk's clause is."""
    from policy_targets.extraction.frames import _scope_clause

    lex = lexicon()
    cs = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, max(cs, 0)))
    head = "总容量"
    got = _scope_clause(text, cs, lo, "predicate", lex, head)
    if cs - 1 <= lo or text[cs - 1] not in "，,":
        assert got is None
        return
    a = _scope_start_long_way(text, cs, lo)
    clause = text[a : cs - 1]
    frames_it = clause.endswith(lex.scope_clause_ends) or (head.startswith(lex.total_heads) and len(clause) <= lex.max_topic)
    expected = None if any(ch.isdigit() for ch in clause) else a if frames_it else None
    assert got == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="戊己()（）【】“”《》率"))
def test_a_name_with_no_bracket_is_balanced_as_the_walk_over_each_pair_finds(name: str) -> None:
    """The brackets check answers at once for a name holding no bracket character of any
    pair, as the walk over every pair does."""
    from policy_targets.extraction.checks import _brackets, checks

    params = next(c.params for c in checks() if c.kind == "brackets")

    def walk() -> bool:
        for opening, closing in params["pairs"]:
            depth = 0
            for ch in name:
                depth += (ch == opening) - (ch == closing)
                if depth < 0:
                    return True
            if depth:
                return True
        return False

    assert _brackets(params, {"indicator": name}, None) == walk()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["年均", "每年", "年平均", "庚", "浓度", "下降", "，"]), max_size=6).map("".join), st.sampled_from(["", "庚年均浓度", "每年"]))
def test_a_clause_without_a_per_year_word_is_not_per_year_as_the_scan_finds(clause: str, indicator: str) -> None:
    from policy_targets.extraction.attributes import per_year

    lex = lexicon()
    assert per_year(lex, clause, indicator) == any(m.group(0) not in indicator for m in lex.per_year.finditer(clause))


def test_the_word_lists_of_the_tail_go_to_re_and_the_others_stay() -> None:
    """The comparator words and the verbs (plain lists anchored at the end) are searched by
    ``re``; the adverbs (with lookbehinds and a Unicode class) and the baselines stay."""
    import re

    from policy_targets.extraction.frames import _tail_engines

    engines = dict(_tail_engines(lexicon()))
    assert isinstance(engines["comparator"], re.Pattern) and isinstance(engines["verb"], re.Pattern)
    assert not isinstance(engines["adverb"], re.Pattern) and not isinstance(engines["baseline"], re.Pattern)


def _tail_words() -> list[str]:
    lex = lexicon()
    return [w for w, _ in lex.comparator_of_word.items()][:12] + ["提高到", "下降", "达到", "稳定在", "为", "占"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_tail_words() + ["辛", "壬", " ", "\n", "年", "均", "比2031年"]), max_size=6).map("".join))
def test_each_tail_pattern_is_found_by_its_engine_where_regex_finds_it(text: str) -> None:
    """Whatever engine searches a tail pattern finds the match ``regex`` finds, and the peel
    leaves the head and the tail it left with ``regex`` alone."""
    from policy_targets.extraction.frames import _peel, _tail_engines

    lex = lexicon()
    for (category, original), (_, engine) in zip(lex.tail_patterns, _tail_engines(lex)):
        found, expected = engine.search(text), original.search(text)
        assert (found.span() if found else None) == (expected.span() if expected else None), category
    s, tail, changed = text.rstrip(), [], True
    while changed and s:
        changed = False
        for category, pattern in lex.tail_patterns:
            m = pattern.search(s)
            if m and m.end() == len(s) and m.start() < len(s):
                tail.append((category, m.group(0)))
                s, changed = s[: m.start()].rstrip(), True
                break
    assert _peel(text, lex) == (s, tail)


def test_records_that_share_a_sentence_read_its_raw_span_once_and_alike() -> None:
    """The raw span of a sentence kept for the next target in it gives the records made
    without any kept span."""
    from policy_targets.api import read_plan
    from policy_targets.extraction.records import to_record
    from policy_targets.structure.documents import prepare

    plan = "癸县 发展规划\n到2031年,癸县公园绿地面积达到120公顷、林地面积达到300公顷,湿地保护率达到60%。\n到2032年，新建充电桩800个，换电站20座。\n"
    document = prepare(plan, "shortcut")
    drafts = read_plan(document).targets
    kept: dict[tuple[int, int], tuple[int, int]] = {}
    assert [to_record(document, d, kept) for d in drafts] == [to_record(document, d) for d in drafts]
    assert 0 < len(kept) < len(drafts) >= 4


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="子丑()（）,"))
def test_the_words_after_a_number_end_where_the_walk_over_their_brackets_ends_them(after: str) -> None:
    from policy_targets.extraction.frames import _unmatched_close

    depth, expected = 0, len(after)
    for i, ch in enumerate(after):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if not depth:
                expected = i
                break
            depth -= 1
    assert _unmatched_close(after) == expected


def test_the_raw_span_of_one_character_is_its_offset_as_the_slice_gives_it() -> None:
    """``MappedText.raw_span`` reads one character's span from its offset where it scanned a
    slice of the offsets: the same at every position of a normalised text (full-width and
    traditional characters folded, spaces dropped), and past its end."""
    from policy_targets.structure.documents import prepare

    document = prepare("寅縣　生態規劃\n到２０３１年，森林覆蓋率達到　６５％。\n", "offsets")
    offsets = document.normalized.offsets
    for pos in range(len(document.text) + 3):
        seg = offsets[pos : pos + 1]
        end = offsets[-1] + 1
        assert document.normalized.raw_span(pos, pos + 1) == ((min(seg), max(seg) + 1) if seg else (end, end)), pos


def test_a_paragraph_with_no_target_and_no_year_ends_the_year_in_force_as_before() -> None:
    """``carry_continued`` passes over a paragraph with neither targets nor year phrases at
    once: the year in force goes no further, as the full step finds (the year that broke off
    dates the next line's target only when nothing stands between them)."""
    from policy_targets import extract

    head = "卯市生态建设方案\n到2031年,卯市生态建设取得显著成效。\n"
    target = "卯市公园绿地数量达到30个。\n"
    assert [(r["target_year"], r["year_source"]) for r in extract(head + target)] == [(2031, "continued")]
    assert [(r["target_year"], r["year_source"]) for r in extract(head + "加强组织领导。\n" + target)] == [(None, "none")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["辰", "巳", "、", "和", "以及", "及", "与", "午未", "."]), max_size=10).map("".join))
def test_subjects_split_by_the_quicker_engine_as_regex_splits_them(head: str) -> None:
    """The separator words (sorted once per list) split a head by ``re`` as ``regex`` splits
    it with the same words longest first."""
    import regex

    from policy_targets.extraction.indicators import split_subjects

    for separators in (lexicon().subject_joiners, ("、",), "、", ("及", "以及", ".")):
        seps = sorted((separators,) if isinstance(separators, str) else separators, key=len, reverse=True)
        slow = regex.compile("|".join(regex.escape(w) for w in seps))
        assert split_subjects(head, separators) == [p for p in slow.split(head) if p]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["申", "酉", "2031年", "达到", "(", "）", "，", "12", "率", "、"]), max_size=6).map("".join))
def test_a_name_passes_exactly_when_it_has_no_name_flags(name: str) -> None:
    """``checks.name_passes``, which the naming stage asks of each candidate, answers what an
    empty list of the names of the checks the name fails answers."""
    from policy_targets.extraction.checks import _indicator_failures, _no_name, checks, name_passes

    flags = [checks()[i].name for i in _indicator_failures(name)] + (["no_name"] if _no_name({}, {"indicator": name}, None) else [])
    assert name_passes(name) == (flags == [])


def test_a_frame_says_once_whether_its_clause_counts_a_running_total(monkeypatch) -> None:
    """``Frame.cumulative``, set when the frame is made and read by the naming and the record,
    is what ``attributes.cumulative`` says of the clause before the number."""
    from policy_targets import extract
    from policy_targets.extraction import attributes, targets

    seen = []
    drafts = targets._drafts

    def spy(frame, *args):
        seen.append(frame)
        return drafts(frame, *args)

    monkeypatch.setattr(targets, "_drafts", spy)
    records = extract("戌县行动方案\n到2031年,戌县累计建成充电桩900个,新建公园12个。\n")
    assert [r["cumulative"] for r in records] == [True, False]
    assert [f.cumulative for f in seen] == [attributes.cumulative(lexicon(), f.clause_before) for f in seen] == [True, False]


def test_a_paragraph_opens_a_section_where_the_heading_search_says_it_does() -> None:
    """``stages._heading_starts``: a paragraph start is among the headings' starts exactly
    when the last heading starting at or before it (``heading_at``) starts there, at every
    offset of a made-up plan with nested headings, body lines and a line of its own."""
    from policy_targets.extraction.stages import _heading_starts
    from policy_targets.structure.documents import prepare

    plan = (
        "丙县水资源保护行动方案\n一、总体要求\n到2031年，丙县地下水超采量下降20%。\n（一）节约用水\n"
        "农田灌溉水有效利用系数提高到0.62。\n工业用水重复利用率达到93%，\n城镇公共供水管网漏损率控制在8%以内。\n"
        "二、保障措施\n加强监督考核。\n"
    )
    st = prepare(plan, "headings").structure
    assert len(st.headings) >= 3
    starts = _heading_starts(st)
    for offset in range(len(plan) + 1):
        heading = st.heading_at(offset)
        assert (offset in starts) == (heading is not None and heading.start == offset)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["到2031年,辰市生态建设取得显著成效。", "辰市公园绿地数量达到30个。", "巳区公园绿地数量达到12个。", "加强组织领导。", "完善考核办法。", "到2032年,湿地保护率达到70%。"]), min_size=1, max_size=8))
def test_a_run_of_paragraphs_with_no_target_and_no_year_stands_as_its_first(lines: list[str]) -> None:
    """``years.adds_to_carry``: the targets stage leaves out every paragraph with neither
    targets nor year phrases that follows another such, and the plan's records are those read
    with every paragraph kept (a year that broke off, lists one entry a line, runs of empty
    lines between them)."""
    from unittest import mock

    from policy_targets import extract
    from policy_targets.extraction import stages

    plan = "辰市生态建设方案\n" + "\n".join(lines) + "\n"
    with mock.patch.object(stages, "adds_to_carry", lambda paragraphs, drafts, phrases: True):
        every = extract(plan)
    assert extract(plan) == every
