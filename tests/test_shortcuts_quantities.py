"""Specs of the shortcuts of the quantity and time-scope stages: each gives what the long way
gives, on sentences written for these tests."""

from __future__ import annotations

import random
import re
import sys

import pytest
import regex

from policy_targets.extraction.lexicon import ANY_DIGIT, lexicon
from policy_targets.extraction.quantities import quantity_matches

LEX = lexicon()

#: Sentences of our own that hold numbers of every form the quantity pattern reads, and some
#: that hold numerals but no number with a unit.
SENTENCES = [
    "示例镇计划新建充电桩1,250个，改造老旧管网36.5公里。",
    "到2031年，示范园区光伏装机达到12 000千瓦以上，储能规模不低于3万5千千瓦时。",
    "森林覆盖率提高到百分之四十二点五，湿地保护率达到三分之二。",
    "年均浓度控制在每立方米28微克以内，较基准下降-3.5%。",
    "新增绿色建筑二百三十万平方米，其中超低能耗建筑不少于五十栋。",
    "推进一批重点项目，进一步完善体制机制，统筹兼顾，十分重要。",
    "第一章 总则 第二节 主要任务",
    "实施方案共计三十二条，由各部门分工负责。",
    "两三个试点县先行先试，约1.2万亿元投资带动产业升级。",
    "供热面积增长+8.6%，能耗强度负增长，下降负2.1%。",
    "编号为A-17的项目于2027年投运，装机5 MW，另有300MWp待建。",
    "",
]


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_quantity_matches_are_those_of_the_whole_scan(sentence: str) -> None:
    text = "前文。" + sentence + "后文。"
    start, end = 3, 3 + len(sentence)
    assert _spans(quantity_matches(text, start, end, LEX)) == _spans(LEX.quantity.finditer(text, start, end))


def test_quantity_matches_skip_a_paragraph_without_a_number() -> None:
    text = "加强组织领导，压实主体责任，营造良好氛围。"
    assert LEX.quantity_gate.search(text) is None
    assert list(quantity_matches(text, 0, len(text), LEX)) == []


def test_quantity_matches_on_random_texts() -> None:
    """Texts drawn from numeral characters, unit openers, signs, separators and other words:
    where the gate's reasoning had a gap (a numeral character it forgets), spans would differ."""
    pieces = list("0123456789一二三四五六七八九十百千万亿两零〇点负-+－., ，%个吨米元家亩项分之每立方微克") + ["千瓦", "平方米", "公里", "以上", "提高", "的", "和", "。"]
    rng = random.Random(20311)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 18)))
        for start, end in ((0, len(text)), (1, len(text)), (0, max(0, len(text) - 1))):
            assert _spans(quantity_matches(text, start, end, LEX)) == _spans(LEX.quantity.finditer(text, start, end)), (text, start, end)


def test_the_gate_reads_every_digit_the_regex_engine_reads() -> None:
    """``re``'s Unicode tables are older than ``regex``'s: the gate's digit class must hold
    every character ``regex`` reads as ``\\d``."""
    digit, gate_digit = regex.compile(r"\d"), re.compile(f"[{ANY_DIGIT}]")
    missed = [c for c in range(sys.maxunicode + 1) if digit.match(chr(c)) and not gate_digit.match(chr(c))]
    assert missed == []


def test_number_before_is_the_forward_search() -> None:
    """The backward search only says whether there is a number and joiner at the window's
    end; the match returned is the forward search's, on windows of numbers, joiners and words."""
    from policy_targets.extraction.quantities import _number_before

    pieces = ["17", "3.5", "1,200", "、", "和", "或", "至", "—", " ", "分别达到", "万吨", "个", "，", "八"]
    rng = random.Random(4711)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))
        for lo in range(0, min(len(text), 4)):
            want = LEX.bare_number_before.search(text, lo, len(text))
            got = _number_before(text, lo, len(text), LEX)
            assert (got and got.span(), got and got.groupdict()) == (want and want.span(), want and want.groupdict()), text


def _quote_spans_long_way(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for open_, close in LEX.quote_pairs:
        i = start
        while (a := text.find(open_, i, end)) >= 0 and (b := text.find(close, a + 1, end)) >= 0:
            spans.append((a, b + 1))
            i = b + 1
    return spans


@pytest.mark.parametrize(
    "text",
    [
        "推广“零碳工厂”模式，编制《示范区绿色发展规划（2026—2035年）》。",
        "全面开展节能诊断，不留死角。",
        "文件称‘先立后破’，并附〈说明〉，另有未闭合的“引号",
        "",
    ],
)
def test_quote_spans_skip_a_paragraph_without_an_opening_mark(text: str) -> None:
    from policy_targets.extraction.quantities import quote_spans

    for start, end in ((0, len(text)), (2, len(text)), (0, max(0, len(text) - 3))):
        assert quote_spans(text, start, end, LEX) == _quote_spans_long_way(text, start, end)


#: Sentences of our own with baselines (比, 以…为基数), years that are no due year (editions,
#: dates of issue) and due years, and without.
YEAR_SENTENCES = [
    "到2031年，示例县单位产值能耗比2026年下降12%。",
    "以2024年为基数，到2032年污水处理率提高到97%。",
    "与2025年底相比，2030年绿色建筑占比达到80%。",
    "本办法（2027年修订版）自2028年3月1日起施行。",
    "2026年至2030年，每年新建公园不少于6个。",
    "到2035年远景目标基本实现，到2030年和2033年分别达到85%和90%。",
    "“十六五”期间，清洁能源占比提高到45%。",
    "今年以来，全镇新增绿地2公顷。",
    "推进生态保护，建立长效机制。",
]


@pytest.mark.parametrize("sentence", YEAR_SENTENCES)
def test_the_not_due_gate_finds_where_a_baseline_or_year_not_due_stands(sentence: str) -> None:
    text = "前文。" + sentence
    if any(p.search(text, 3) for p in (*LEX.baselines, *LEX.not_target_years)):
        assert LEX.not_due_any is not None and LEX.not_due_any.search(text, 3)


#: Sentences of our own with numbers written without a unit after a verb of level, and without.
BARE_SENTENCES = [
    "到2031年，示例市人居环境指数提高到92以上。",
    "综合评分稳定在87.5左右，满意度不低于95。",
    "年度考核得分达到2030。",
    "能效水平达到先进值，建成示范工程3个。",
    "加强统筹协调，形成工作合力。",
    "指数降至4\n",
]


@pytest.mark.parametrize("sentence", BARE_SENTENCES)
def test_bare_numbers_gate_is_the_long_way(sentence: str) -> None:
    """A paragraph the backward search finds no bare number in is one the forward scan finds none in."""
    text = "上文。" + sentence
    for start in (0, 3, 5):
        forward = [m.span() for m in LEX.bare_quantity.finditer(text, start, len(text))]
        assert (LEX.bare_quantity_back.search(text, start, len(text)) is None) == (forward == [])


@pytest.mark.parametrize(
    ("sentences", "holds"),
    [
        (YEAR_SENTENCES, lambda s: any(p.search(s) for p in (*LEX.baselines, *LEX.not_target_years))),
        (BARE_SENTENCES, lambda s: LEX.bare_quantity.search(s) is not None),
    ],
    ids=["baseline or year not due", "bare number"],
)
def test_the_gates_sentences_hold_both_kinds(sentences: list[str], holds) -> None:
    """The gate specs above read both kinds of sentence: with what the gate looks for, and without."""
    held = [bool(holds(s)) for s in sentences]
    assert any(held) and not all(held)


def test_backwards_finds_a_match_where_forwards_does() -> None:
    """``lexicon.backwards``: on random texts of verbs, numbers, suffixes and marks, the
    reversed pattern finds a match exactly where the pattern does."""
    pieces = ["达到", "降至", "不低于", "约", "85", "4.5", "2030", "以上", "左右", "，", "。", "、", " ", "指数", "个", "\n"]
    rng = random.Random(97)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        for pattern, back in ((LEX.bare_quantity, LEX.bare_quantity_back), (LEX.bare_number_before, LEX.number_before_back)):
            want = pattern.search(text) is not None
            found += want
            assert (back.search(text) is not None) == want, text
    assert found > 100


#: Sentences of our own that report results against the year before or in the perfective, that
#: hold only the common word a mark needs (了), and that hold none.
BULLETIN_SENTENCES = [
    "前三季度，示例区空气优良天数比率为91.2%，同比上升1.4个百分点。",
    "全镇用水总量较上年减少6%，环比持平。",
    "示范园区单位产值能耗下降了4.3%，超过了年度目标。",
    "为了推进节能改造，新建光伏电站2座。",
    "到2032年，新能源汽车保有量达到8万辆。",
    "",
]


@pytest.mark.parametrize("sentence", BULLETIN_SENTENCES)
def test_bulletin_gate_is_the_marks_search(sentence: str) -> None:
    """``may_hold_bulletin``, which first asks the words every mark holds, answers what a
    search of the marks themselves answers."""
    from policy_targets.extraction.quantities import may_hold_bulletin

    assert LEX.bulletin_words is not None and not LEX.bulletin_marks_in_context
    text = "上文。" + sentence + "下文"
    for start, end in ((0, len(text)), (3, len(text) - 2), (5, len(text))):
        assert may_hold_bulletin(text, start, end, LEX) == (LEX.bulletin_marks.search(text, start, end) is not None)


def test_bulletin_sentences_hold_each_case() -> None:
    """The specs above read a sentence with a mark, one with a mark's word but no mark, and one
    with neither."""
    marks = [LEX.bulletin_marks.search(s) is not None for s in BULLETIN_SENTENCES]
    words = [LEX.bulletin_words.search(s) is not None for s in BULLETIN_SENTENCES]
    assert any(marks) and any(w and not m for w, m in zip(words, marks)) and not all(words)



_Y = r"(?:19|20)\d{2}"


@pytest.mark.parametrize(
    "pattern, held",
    [
        (rf"(?P<a>{_Y})年?[—至](?P<b>{_Y})年", 2),
        (rf"({_Y})年(?:[、和](?:{_Y})年)+", 2),  # the second inside a repeated group
        (rf"({_Y})年(?:[、和](?:{_Y})年)*", 1),  # a group that may not be there
        (rf"({_Y})年(?:[、和](?:{_Y})年|今年)", 1),  # an alternation inside the group
        (rf"比(?P<y>{_Y})年", 1),
        (rf"(?=({_Y}))({_Y})", 1),  # a lookahead's text is no part of the match
        (rf"({_Y})年|({_Y})年和({_Y})年", 0),  # an alternative holds fewer
        ("今年以来", 0),
    ],
)
def test_times_held_counts_the_groups_every_match_runs_through(pattern: str, held: int) -> None:
    from policy_targets.extraction.required import times_held

    assert times_held(pattern, _Y) == held


def test_years_held_agrees_with_needs_year() -> None:
    """The patterns that hold a year by ``years_held`` are those ``needs_year`` skips where no
    year stands, and the range and list of years hold two."""
    assert set(LEX.years_held) == set(LEX.needs_year)
    assert LEX.years_held[LEX.year_range] == LEX.years_held[LEX.year_list] == 2


#: Sentences of our own with no year, one year (twice written, overlapping forms), two years in
#: a range or a list, and years in a baseline.
COUNTED_YEAR_SENTENCES = [
    "推进生态保护，建立长效机制。",
    "到2031年，示例县绿地率达到45%。",
    "2027—2031年，每年新增公园3个。",
    "力争2029年和2033年分别达到60%和75%。",
    "以2026年为基数，二〇三〇年底前降低8%。",
    "编号20312032的项目，2031年投运。",
    "20262027年，试点先行。",
]


#: The long way of each gate of ``find_time_scopes``: the baselines and years not due searched
#: in every paragraph; every paragraph with a year taken to hold two.
_TIME_SCOPE_GATES = {
    "may_hold_not_due": lambda *args: True,
    "years_standing": lambda text, start, end, lex: 2 if LEX.year_mark.search(text, start, end) else 0,
}


@pytest.mark.parametrize("gate", sorted(_TIME_SCOPE_GATES))
@pytest.mark.parametrize("sentence", YEAR_SENTENCES + COUNTED_YEAR_SENTENCES)
def test_time_scope_gates_change_nothing(sentence: str, gate: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Skipping the baselines and years not due where their alternation finds none, and the
    patterns that hold more years than stand in a paragraph, changes no phrase or baseline."""
    from policy_targets.extraction import timescope

    text = "前文。" + sentence
    for start in (0, 3):
        quick = timescope.find_time_scopes(text, start, len(text), LEX, [])
        with monkeypatch.context() as m:
            m.setattr(timescope, gate, _TIME_SCOPE_GATES[gate])
            assert quick == timescope.find_time_scopes(text, start, len(text), LEX, [])


def test_years_standing_counts_to_two() -> None:
    from policy_targets.extraction.timescope import years_standing

    counts = [years_standing(s, 0, len(s), LEX) for s in COUNTED_YEAR_SENTENCES]
    assert counts == [0, 1, 2, 2, 2, 2, 2]


def test_years_standing_counts_to_the_most_a_pattern_holds() -> None:
    """Years side by side, overlapping forms and a text with fewer years than asked for,
    counted up to a bound of three, as a pattern holding three years would ask."""
    from types import SimpleNamespace

    from policy_targets.extraction.timescope import years_standing

    three = SimpleNamespace(year_mark=LEX.year_mark, most_years_held=3)
    for text, count in [("2026年、2028年和2031年", 3), ("202620272028", 3), ("二〇三一年至2033年", 2), ("无年份", 0), ("2031、2032、2033、2034", 3)]:
        assert years_standing(text, 0, len(text), three) == count
        assert years_standing(text, 0, len(text), LEX) == min(count, LEX.most_years_held)
