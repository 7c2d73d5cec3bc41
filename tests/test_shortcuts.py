"""Shortcuts taken for speed give what the long way gives: each is checked against the
step it stands for, on any input (or on the inputs that reach it)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from("，：；（）！？ＡＺａｚ０９　全角"))))
def test_folding_by_array_gives_what_the_fold_table_gives(text: str) -> None:
    """The array look-up that folds a whole text is the fold table's ``str.translate``,
    on any character (outside the Basic Multilingual Plane and lone surrogates included)."""
    from policy_targets.text.normalize import _fold_table, fold_text

    assert fold_text(text) == text.translate(_fold_table())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙丙、,，;；。.)）x "))
def test_a_block_body_without_brackets_splits_as_the_bracket_walk_splits_it(body: str) -> None:
    """The one-pass split of a responsible-unit body with no opening bracket gives the names
    the walk that tracks brackets gives."""
    from policy_targets.structure.responsible import _book, _split_outside_brackets

    assert _book().splitter.split(body) == _split_outside_brackets(body, _book())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙丙、,，;；。.()（）x "))
def test_a_block_body_splits_outside_brackets_as_a_walk_over_every_character_does(body: str) -> None:
    """The split that reads only the brackets and separators gives the names a walk over every
    character gives, keeping count of the brackets open."""
    from policy_targets.structure.responsible import _book, _split_outside_brackets

    book = _book()
    names, depth, current = [], 0, ""
    for ch in body:
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
        if depth == 0 and (ch in book.separators or ch in "。."):
            names, current = names + [current], ""
        else:
            current += ch
    assert _split_outside_brackets(body, book) == names + [current]


_Y = r"(?:19|20)\d{2}"


@pytest.mark.parametrize(
    "pattern, holds",
    [
        (rf"比(?P<y>{_Y})年", True),
        (rf"(?:到|至)?\s*({_Y})+年", True),
        (rf"[(|]({_Y})", True),  # a bar inside a class is no alternation
        (rf"\(({_Y})", True),  # nor is an escaped bracket a group
        (rf"比(?P<y>{_Y})?年", False),  # optional
        (rf"({_Y}){{0,2}}年", False),
        (rf"去年|(?P<y>{_Y})年", False),  # an alternative without it
        (rf"(?:比({_Y}))?年", False),  # inside an optional group
        (rf"(?=({_Y}))", False),  # inside a lookahead
    ],
)
def test_a_pattern_needs_a_part_only_when_every_match_runs_through_it(pattern: str, holds: bool) -> None:
    from policy_targets.extraction.required import always_holds

    assert always_holds(pattern, _Y) is holds


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789二〇一九零年比较以为基数到至、和与截止底末前起(（)）十四五期间去今内"))
def test_a_pattern_that_needs_a_year_never_matches_where_no_year_stands(text: str) -> None:
    """The year phrases, baselines and not-target years that time scopes skip in a paragraph
    without a year: the skip is sound, and it covers those patterns."""
    from policy_targets.extraction.lexicon import lexicon

    lex = lexicon()
    assert {lex.year_single, lex.year_range, lex.year_list, *lex.baselines} <= lex.needs_year
    if lex.year_mark.search(text) is None:
        assert not [p.pattern for p in lex.needs_year if p.search(text)]
    yearless = [lex.period_pattern, lex.past_phrases, lex.current_phrases, *lex.baselines, *lex.not_target_years]
    if any(p.search(text) for p in yearless if p not in lex.needs_year):
        assert lex.yearless_any is not None and lex.yearless_any.search(text)  # the skip of a yearless paragraph is sound


_PROSE_ALPHABET = st.sampled_from(["中", "国", "碳", "。", "a", " ", "\n", "𠀀", "〇"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PROSE_ALPHABET, max_size=1200).map("".join))
def test_han_in_words_is_the_length_of_the_runs_of_four_or_more(text: str) -> None:
    """Runs of Han counted by the run give what matching runs of four or more gives, and the
    prose check that stops early decides as the full count does."""
    import regex

    from policy_targets.text.reading import _PLAINLY_PROSE, _in_words, _plainly_prose

    full = sum(len(w) for w in regex.findall(r"\p{Han}{4,}", text))
    assert _in_words(text) == full
    assert _plainly_prose(text) is (full >= _PLAINLY_PROSE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["中", "a", "å", "¹", "´", "“", "—", "1", " "]), max_size=200).map("".join))
def test_mojibake_is_looked_at_only_where_western_letters_are_a_large_share(text: str) -> None:
    """The letter count that stops once the Western letters are too few to be mojibake leaves
    alone every text the full count leaves alone."""
    import regex

    from policy_targets.text.mojibake import _WESTERN, MIN_WESTERN_SHARE, repair

    letters = len(regex.findall(r"\p{L}", text))
    western = len(regex.findall(_WESTERN.pattern.rstrip("+"), text))
    if letters == 0 or western < MIN_WESTERN_SHARE * letters:
        assert repair(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="(（〔【[)）〕】]甲,"))
def test_a_line_is_unclosed_as_a_walk_over_its_characters_finds(line: str) -> None:
    from policy_targets.structure.paragraphs import _CLOSING, _OPENERS, _unclosed

    depth = 0
    for ch in line:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSING and depth:
            depth -= 1
    assert _unclosed(line) is (depth > 0)


def test_an_alternation_is_not_built_where_joining_would_change_a_pattern() -> None:
    import regex

    from policy_targets.text.alternation import any_of

    assert any_of([regex.compile("^甲"), regex.compile("^(?i)abc")]) is None  # a flag for the whole
    assert any_of([regex.compile("^甲"), regex.compile(r"^(a)\1")]) is None  # group numbers shift
    assert any_of([regex.compile("^甲")]) is None  # nothing to gain
    assert any_of([regex.compile("^甲"), regex.compile("乙")]) is None  # tried everywhere: slower
    joined = any_of([regex.compile("^第(?P<num>[一二三])章"), regex.compile(r"^(?P<num>\d)、")])
    assert joined is not None and joined.search("2、加快") and not joined.search("加快2、")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="关于印发方案的通知人民政府办公厅2024年3月1日(（)）〔〕号责任单位:| 甲乙"))
def test_a_line_is_standalone_as_one_of_the_forms_says(line: str) -> None:
    """The joiner tries the forms the standard library's re reads first, then the others:
    the answer is the one of trying each form as written."""
    import re

    from policy_targets import rules
    from policy_targets.structure.paragraphs import _LineKind, _standalone_forms

    engines = {isinstance(p, re.Pattern) for p in _standalone_forms()}
    assert engines == {True, False}  # both kinds are in the rulebook
    forms = [rules.compile_pattern(s["pattern"]) for s in rules.load("structure")["standalone_lines"]]
    assert _LineKind(line).standalone == any(p.search(line) for p in forms)
    assert _LineKind(line + "方案").standalone == any(p.search(line + "方案") for p in forms)


def _scan_every_position(g, text: str) -> list:
    """Leftmost-longest names tried at every position: what the gazetteer's scan stands for."""
    from policy_targets.structure.gazetteer import Mention

    out, i = [], 0
    while i < len(text):
        for n in range(min(g.longest, len(text) - i), 1, -1):
            piece = text[i : i + n]
            if piece in g.names or piece in g.shorts:
                out.append(Mention(i, i + n, piece, (g.names if piece in g.names else g.shorts)[piece], piece in g.names))
                i += n
                break
        else:
            i += 1
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["北京市", "海淀", "区", "上海", "浦东新区", "省", "的", "。", "𠀀", "中", "\n"]), min_size=0, max_size=400).map("".join))
def test_the_gazetteer_scan_finds_what_trying_every_position_finds(text: str) -> None:
    """Short texts and long ones alike."""
    from policy_targets.structure.gazetteer import gazetteer

    g = gazetteer()
    for t in (text, text * 20):
        assert g.scan(t) == _scan_every_position(g, t)


_QUANTITY_PIECES = ["一", "进一步", "两三", "十", "万", "亿", "5", "1.5", "30", "-", " ", "%", "百分之", "分之", "点",
                    "吨", "千瓦", "万千瓦", "个", "家", "标准煤", "每", "立方米", "微克", "kW", "MWp", "年", "以上", "、"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_QUANTITY_PIECES), max_size=30).map("".join))
def test_the_quantity_pattern_finds_what_it_finds_without_the_lookahead_before_units(text: str) -> None:
    """The lookahead for the characters that open a unit only states what the units need."""
    import regex

    from policy_targets.extraction.lexicon import lexicon, opening_class

    lex = lexicon()
    ahead = opening_class([*lex.units, *lex.magnitudes])
    assert ahead in lex.quantity.pattern
    plain = regex.compile(lex.quantity.pattern.replace(ahead, ""))
    assert [(m.span(), m.groupdict()) for m in lex.quantity.finditer(text)] == [(m.span(), m.groupdict()) for m in plain.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["Ⓠ", "级", "量级", "以", "为重点", "第", "由", "下降到", "已经", "完成了", "在", "之间的", "提出",
                              "任务", "指标", "共", "类", "A", "-", "，", "计划", "两三"]), max_size=16).map("".join),
    st.sampled_from([("5个", "个"), ("两三个", "个"), ("10级", "级"), ("30%", "%"), ("几十项", "项")]),
)
def test_the_joined_exclusion_patterns_rule_out_what_each_rule_rules_out(window: str, quantity: tuple[str, str]) -> None:
    """The first context rule that excludes a quantity is the one the rules tried one by one
    give, whether or not the joined patterns find the clause."""
    from policy_targets.extraction.lexicon import lexicon
    from policy_targets.extraction.quantities import context_exclusion

    lex = lexicon()
    assert lex.unconditioned_exclusions is not None  # the rulebook's clause patterns can be joined
    text, unit = quantity
    one_by_one = next((r.name for r in lex.context_exclusions if r.excludes(window, text, unit)), None)
    assert context_exclusion(window, text, unit, lex) == one_by_one


_SEGMENTED_PIECES = ["光伏", "装机容量", "达到", "300万千瓦", "和", "、", "，", "。", "！", "(", ")", "PM2.5", " ", "\n", "甲乙两地",
                     "单位", "GDP", "能耗", "下降", "13.5%", "《", "》", "风电", "-"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_SEGMENTED_PIECES), max_size=24).map("".join), st.data())
def test_words_of_a_span_are_those_of_its_sentence_cut_whole(text: str, data) -> None:
    """The segmenter cuts only jieba's blocks that a span touches: the words are those of the
    whole sentence cut by jieba (or into runs when it holds no quantity), clipped to the span."""
    from policy_targets.extraction.lexicon import lexicon
    from policy_targets.extraction.stages import COARSE_WORDS, Segmenter, jieba_blocks, keep_jieba, userdict_text
    from policy_targets.text.spans import SENTENCE_BREAKS

    lex = lexicon()
    tk = keep_jieba(userdict_text())
    assert [w for b in jieba_blocks(text) for w in tk.lcut(b)] == tk.lcut(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    segmenter = Segmenter(text, lex.quantity, userdict_text())
    breaks = [i for i, ch in enumerate(text) if ch in SENTENCE_BREAKS]
    expected, pos = [], start
    while pos < end:  # the long way: each sentence, ending after a break mark, cut whole
        a = max((i + 1 for i in breaks if i < pos), default=0)
        b = min((i + 1 for i in breaks if i >= pos), default=len(text))
        assert segmenter.sentence(pos) == (a, b)
        sentence = text[a:b]
        words = [w for w in tk.lcut(sentence) if w] if lex.quantity.search(sentence) else COARSE_WORDS.findall(sentence)
        at = a
        for w in words:
            if at < end and at + len(w) > start:
                expected.append(text[max(at, start) : min(at + len(w), end)])
            at += len(w)
        pos = b
    assert segmenter(start, end, text[start:end]) == expected


_NAME_PIECES = ["（", "）", "(", ")", "【", "】", "“", "”", "《", "》", "、", "和", "以及", "及", "光伏", "装机", "其中", "除", "含",
                "到2025年", "2030年底前", "正常工况下", "的前提下", "等", " ", "，", "提出", "达到", "今年", "15个", "市"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=14).map("".join))
def test_the_joined_cleaning_patterns_find_every_text_one_of_them_changes(text: str) -> None:
    """Cleaning a head and repairing a name skip their substitutions where the joined patterns
    find nothing: sound, since then none of them matches."""
    from policy_targets.extraction.lexicon import lexicon

    lex = lexicon()
    repairs = [p for p in (lex.trailing_phrases, lex.leading_phrases, lex.inner_phrases, lex.edge_marks) if p is not None]
    for joined, patterns in ((lex.any_qualifier, lex.qualifiers), (lex.any_repair, repairs)):
        assert joined is not None  # the rulebook's patterns can be joined
        if any(p.search(text) for p in patterns):
            assert joined.search(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=14).map("".join))
def test_names_split_and_lose_unpaired_edges_as_the_walks_do(text: str) -> None:
    """Subjects without brackets split in one pass as the walk that counts brackets splits them,
    and a name whose edges are no brackets is left as the edge steps leave it."""
    from policy_targets.extraction import indicators
    from policy_targets.extraction.lexicon import lexicon

    seps = sorted(lexicon().subject_joiners, key=len, reverse=True)
    plain = text.replace("(", "").replace("（", "")
    assert indicators.split_subjects(plain, tuple(seps)) == indicators._split_outside_brackets(plain, seps)
    assert indicators.without_unpaired_edges(text) == indicators._drop_unpaired_edges(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["同比", "环比", "增长", "完成了", "了", "较上年", "比上", "年", "。", "，", "\n", "8%", "确保", "甲"]), max_size=20).map("".join))
def test_a_paragraph_without_a_bulletin_mark_has_no_sentence_of_a_bulletin(text: str) -> None:
    from policy_targets.extraction.lexicon import lexicon
    from policy_targets.extraction.quantities import _in_bulletin, may_hold_bulletin

    lex = lexicon()
    assert not lex.bulletin_marks_in_context  # the rulebook's marks read no context: the skip is taken
    start, end = min(2, len(text)), len(text)
    if not may_hold_bulletin(text, start, end, lex):
        assert not any(_in_bulletin(text, pos, start, end, lex) for pos in range(start, end))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["单位", "地区生产总值", "能耗", "降低", "PM2.5", "浓度", "森林", "覆盖率", "新能源", "汽车", "充电桩",
                                 "光伏", "装机", "容量", "（", "）", "市", "的"]), max_size=8).map("".join))
def test_a_catalogue_pattern_that_matches_nowhere_has_no_longest_span(text: str) -> None:
    """The search that rules a pattern out before the scan for overlapping matches gives the
    span the scan alone gives, for every pattern of the catalogue."""
    from policy_targets.extraction.catalogue import _best_span, catalogue

    for entry in catalogue().entries:
        for _, pattern, _ in entry.searches:
            spans = [(m.end() - m.start(), m.start(), m.end()) for m in pattern.finditer(text, overlapped=True) if m.end() > m.start()]
            assert _best_span(pattern, text) == (max(spans)[1:] if spans else None)


_YEARS = st.sampled_from([None, 2019, 2024, 2026, 2031])


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "indicator": st.lists(st.sampled_from(["湖泊", "水质", "达标率", "达到", "比", "占比", "倍", "2027年", "（", "）", "(", "-", "ab", "1"]), max_size=6).map("".join),
            "value": st.sampled_from([0.5, 12, 100, 135, 2026, 3.6]),
            "unit": st.sampled_from(["", "%", "年", "个", "万吨"]),
            "direction": st.sampled_from(["level", "increase", "decrease"]),
            "target_year": _YEARS,
            "period_start": _YEARS,
            "baseline_year": _YEARS,
        }
    ),
    _YEARS,
)
def test_a_records_flags_are_the_checks_it_fails_one_by_one(record: dict, written_year: int | None) -> None:
    """The flags read with the record checks' tests looked up once are the names of the checks
    the record fails, each asked in the rulebook's order."""
    from policy_targets.extraction.checks import checks, fails, record_flags

    assert record_flags(record, written_year) == [c.name for c in checks() if fails(c, record, written_year)]


@pytest.mark.parametrize(
    "pattern, alternatives",
    [
        ("去年|今年以来|[一二]+年来", ["去年", "今年以来", "[一二]+年来"]),
        ("(?:去年|上年)度?|近年", ["(?:去年|上年)度?", "近年"]),  # a bar inside a group stays
        ("[|，]以来|目前", ["[|，]以来", "目前"]),  # nor splits a class
        (r"\|以来|[]|]至今", [r"\|以来", "[]|]至今"]),  # nor an escaped bar, nor a class opening with ]
    ],
)
def test_a_pattern_splits_into_the_alternatives_of_its_top_level(pattern: str, alternatives: list[str]) -> None:
    from policy_targets.text.alternation import alternatives as split

    assert split(pattern) == alternatives


@pytest.mark.parametrize(
    "patterns, words",
    [
        (["今年以来|近年来"], ("今年以来", "近年来")),
        (["(?:去年|上年)(?!同期)"], ("上年", "去年")),  # the opening group unfolded over what follows
        (["(?:今年|本年度?)(?:上半年|一季度)|年内"], ("今年", "年内", "本年")),
        (["(?:去年|上年)?月份"], ("月份",)),
        ([r"(?<=[。；])\s*(?:甲方|乙方)\s*[:：]"], ("乙方", "甲方")),  # a group after a lookbehind unfolded in its place
        (["(?i)(?:ab|cd)ef"], None),  # a pattern that ignores case has no words: they would have to as well
        (["甲(?i:ab)乙"], None),  # nor one with an inline flag
        (["(?:去年|上年)?[一二]"], None),  # an optional opening group is not unfolded; [一二] holds no text
        (["近年", r"\d+"], None),  # every pattern must have words
    ],
)
def test_the_words_every_match_holds_are_read_from_each_alternative(patterns: list[str], words: tuple[str, ...] | None) -> None:
    import regex

    from policy_targets.extraction.required import required_words

    assert required_words([regex.compile(p) for p in patterns]) == words


_YEARLESS_TEXT = st.lists(
    st.sampled_from(["去年", "上年", "同期", "今年", "以来", "本年度", "上半年", "二季度", "年内", "十四五", "期间", "“", "”", "目前", "的",
                     "过去", "三年", "3", "-", "5月", "比", "较", "迄今", "截至", "新增", "规划", "甲", "，", "。"]),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_YEARLESS_TEXT)
def test_a_text_without_the_required_words_holds_no_phrase_that_needs_no_year(text: str) -> None:
    """The word lists searched before the patterns of time scopes that match where no year
    stands: where a list finds nothing, its patterns find nothing (the skips are sound), and
    every such pattern of the rulebook has one (the skips are taken)."""
    from policy_targets.extraction.lexicon import lexicon
    from policy_targets.extraction.timescope import may_hold_yearless

    lex = lexicon()
    assert lex.yearless_words is not None and set(lex.words_of_yearless) == {lex.period_pattern, lex.past_phrases, lex.current_phrases}
    for pattern, words in lex.words_of_yearless.items():
        if words.search(text) is None:
            assert pattern.search(text) is None
    found = lex.yearless_any.search(text) is not None
    assert may_hold_yearless(text, 0, len(text), lex) is found
    if lex.yearless_words.search(text) is None:
        assert not found


@pytest.mark.parametrize(
    "pattern, cls",
    [
        (r"(?<![a-z])\d+ ?(?P<u>(?:万|亿)?(?![A-Z])[A-Za-z][a-z]*)", "[A-Za-z]"),  # in a group, past a lookaround
        ("(?:甲|乙)[xy]", "[xy]"),  # a group of alternatives is passed over
        ("[xy]?甲[uv]+", "[uv]"),  # an optional class is no class every match holds
        ("甲(?:[xy]乙)*[uv]{0,2}", None),  # nor is one in an optional group, or repeated from none
        ("(?=[xy])甲", None),  # a lookahead's text is no part of the match
        ("[xy]甲|乙", None),  # an alternation at the top level
        ("(?i)[xy]甲", None),  # a flag
        (r"[\]x]甲", r"[\]x]"),  # an escaped bracket stays inside the class
    ],
)
def test_a_class_every_match_holds_is_read_where_no_match_passes_it_by(pattern: str, cls: str | None) -> None:
    import regex

    from policy_targets.extraction.required import required_class

    assert required_class(regex.compile(pattern)) == cls


@pytest.mark.parametrize(
    "cls, listed",
    [("[A-Ca-cμ]", "[ABCabcμ]"), ("[0-3‰]", "[0123‰]"), ("[xy]", "[xy]"), ("[^xy]", None), (r"[\dx]", None), ("[x-]", None), ("[一-龥]", None)],
)
def test_a_class_is_written_out_only_where_its_ranges_are_of_ascii_letters_or_digits(cls: str, listed: str | None) -> None:
    from policy_targets.extraction.required import written_out

    assert written_out(cls) == listed


_LATIN_PIECES = ["5", "30", "1.5", "2,000", " ", "万", "亿", "MW", "MWp", "kV", "a", "Z", "μg", "‰", "·", "/", ".", "PM2.5", "吨", "甲", "，"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LATIN_PIECES), max_size=20).map("".join))
def test_the_latin_unit_scan_skips_only_texts_where_it_finds_nothing(text: str) -> None:
    """The letters searched before the scan for numbers with a unit the table lacks: where
    they find nothing, the pattern finds nothing (the skip is sound), and the rulebook's
    pattern has them (the skip is taken)."""
    from policy_targets.extraction.lexicon import lexicon

    lex = lexicon()
    assert lex.latin_unit_letters is not None
    if lex.latin_unit_letters.search(text) is None:
        assert lex.latin_unit.search(text) is None
