"""Shortcuts in reading a plan (normalisation and structure) give what the long way gives.

``text.alternation.quicker_engine`` hands ``re`` the patterns anchored at the start of every
line, with ``\\p{Han}``, ``\\s`` and ``\\S`` spelled out as the classes the installed ``regex``
gives them; the debris rules are scanned by the engine it picks. Each spec below compares with
``regex`` on sentences written for it.
"""

from __future__ import annotations

import re
import sys
from array import array
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import regex

from policy_targets import rules
from policy_targets.text import normalize
from policy_targets.text.alternation import alternatives, quicker_engine, spelled_classes, spelled_out
from policy_targets.text.textmap import MappedText


def _every_character() -> str:
    return array("I", range(sys.maxunicode + 1)).tobytes().decode("utf-32-le", "surrogatepass")


@pytest.mark.parametrize("name", sorted(spelled_classes()))
def test_spelled_classes_hold_exactly_what_regex_matches(name: str) -> None:
    every = _every_character()
    spelled = re.compile(f"[{spelled_classes()[name]}]+")
    assert [m.span() for m in spelled.finditer(every)] == [m.span() for m in regex.finditer(f"(?:{name})+", every)]


@pytest.mark.parametrize(
    "source, text",
    [
        (r"^\p{Han}{2,8}\s*[0-9]+号$", "某地〇二号文 12号"),
        (r"^[\p{Han}\s]+$", "第三章 二〇三〇年目标"),
        (r"^[^\p{Han}\s]+", "ABC-7 然后"),
        (r"^[]\p{Han}]+", "]名称]"),  # a ] first in a class is the character
        (r"^\\p{Han}", "\\p{Han}"),  # an escaped backslash, then plain letters
        (r"(?m)^[ \t]*\S+[ \t]*$", "第一行\n  二行 \n\n末行甲乙"),
    ],
)
def test_spelled_out_patterns_find_what_regex_finds(source: str, text: str) -> None:
    spelled = re.compile(spelled_out(source))
    original = regex.compile(source)
    assert [m.span() for m in spelled.finditer(text)] == [m.span() for m in original.finditer(text)]
    assert any(True for _ in original.finditer(text))  # the sentence holds a match to compare


def test_spelled_out_leaves_other_properties_and_escapes() -> None:
    assert spelled_out(r"\P{Han}\w\d\\s[\S]") == r"\P{Han}\w\d\\s[\S]"
    assert spelled_out(r"[\s]") == "[" + spelled_classes()[r"\s"] + "]"
    assert spelled_out(r"\S") == "[^" + spelled_classes()[r"\s"] + "]"


def test_alternatives_split_only_at_the_top_level() -> None:
    assert alternatives(r"^a|^[|]b|(?:c|d)|\|e|[]|]f") == ["^a", "^[|]b", "(?:c|d)", r"\|e", "[]|]f"]


def _debris_removed_both_ways(page: str, monkeypatch: pytest.MonkeyPatch) -> MappedText:
    """The page with its debris removed by the rules as scanned, checked to be what the rules
    as written (every one by ``regex``) remove, offsets included."""
    quick = normalize.remove_debris(MappedText.identity(page))
    as_written = tuple(
        replace(rule, pattern=rules.compile_pattern(r["pattern"])) for rule, r in zip(normalize._debris(), rules.load("normalization")["debris"])
    )
    monkeypatch.setattr(normalize, "_debris", lambda: as_written)
    long_way = normalize.remove_debris(MappedText.identity(page))
    monkeypatch.undo()
    assert quick.text == long_way.text and list(quick.offsets) == list(long_way.offsets)
    return quick


def test_debris_rules_of_a_line_are_scanned_by_re_and_remove_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules moved to ``re`` (lines of their own) remove what ``regex`` removes from a
    made-up page: a bullet, a source line, a masthead line, an app advertisement."""
    page = "\n".join(
        [
            "某某晚报",
            "• 推进屋顶光伏建设",
            "文章来源：某某网站",
            "到二〇三〇年，新建建筑全部达到绿色建筑标准。",
            "  — 7 —",
            "下载某某客户端",
            "  二、重点任务",
        ]
    )
    assert sum(isinstance(r.pattern, re.Pattern) for r in normalize._debris()) >= 4
    quick = _debris_removed_both_ways(page, monkeypatch)
    assert "推进屋顶光伏建设" in quick.text and "某某晚报" not in quick.text and "— 7 —" not in quick.text


@pytest.mark.parametrize(
    "line",
    ["某县人民政府办公室", "二〇三一年五月六日", "某某委〔2031〕9号", "关于推进绿色出行的实施方案", "(此页无正文)", "甲乙", "推进绿色出行,鼓励公共交通"],
)
def test_a_line_is_standalone_exactly_when_a_form_as_written_finds_it(line: str) -> None:
    from policy_targets.structure.paragraphs import _is_standalone

    forms = [rules.compile_pattern(s["pattern"]) for s in rules.load("structure")["standalone_lines"]]
    for text in (line, " " + line, line + "。"):
        assert _is_standalone(text) == any(p.search(text) for p in forms)


_MIXED = "\x00\x07\x08\t\n\x0b\x0c\r\x0e\x1f\x20\x7e\x7f\x80\x9f\xa0\xe5\xff\u0100\u0152\u2014\u201c\u201d\u2122\u3000甲乙。\U00020000\ud800"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_MIXED, max_size=60))
def test_control_characters_are_counted_as_a_class_of_them_counts(text: str) -> None:
    from policy_targets.text.reading import _control_count

    assert _control_count(text) == sum(map(len, regex.findall(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]+", text)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_MIXED, max_size=60))
def test_western_characters_are_counted_as_their_runs_count(text: str) -> None:
    from policy_targets.text import mojibake

    runs = re.compile(mojibake._WESTERN.pattern + "+")
    assert mojibake._western(text) == sum(map(len, runs.findall(text)))


def test_a_plan_quoting_western_names_is_read_as_it_was() -> None:
    """A sentence of my own with quotation marks, a dash and a Latin-1 name: no repair."""
    from policy_targets.text import mojibake

    text = "“绿色出行”——推广公共交通,与 Zürich 的做法相近。" * 5
    assert mojibake._western(text) == 25
    assert mojibake.repair(text) is None


def _labelled_block() -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """The labelled 责任单位 block as the rulebook writes it (its runs without brackets taken
    whole) and as it reads with each character of them tried as an end."""
    source = next(b["pattern"] for b in rules.load("structure")["responsible_units"]["blocks"] if b["name"] == "labelled")
    assert "]++|" in source
    return rules.compile_pattern(source), regex.compile(source.replace("]++|", "]|"))


@pytest.mark.parametrize(
    "paragraph",
    [
        "推广节能灶具。(责任单位:县住建局、县商务局)",
        "推广节能灶具。(责任单位:县住建局(牵头)、各乡镇(街道))。  ",
        "推广节能灶具(责任单位:县住建局)后再定。",
        "(责任部门：县水务局、县农业农村局〕",
        "推广节能灶具。(责任单位:县住建局、县商务局",
        "推广节能灶具。(责任单位:县住建局(牵头、县商务局)",
        "〔牵头单位：县能源局；配合单位：县财政局〕(另见附件)",
        "【责任主体:各园区】",
        "(责任单位:" + "县住建局、" * 60 + "各镇)",
        "(责任单位:" + "县住建局、" * 60,
    ],
)
def test_the_labelled_block_finds_what_it_finds_trying_every_end(paragraph: str) -> None:
    quick, long_way = _labelled_block()
    m, n = quick.search(paragraph), long_way.search(paragraph)
    assert (m and (m.span(), m.span("body"))) == (n and (n.span(), n.span("body")))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "（", "）", "〔", "〕", "【", "】", "[", "]", "责任单位", ":", "：", "县局", "、", "。", ".", " ", "\n"]), max_size=30).map("".join))
def test_the_labelled_block_finds_what_it_finds_trying_every_end_in_made_up_strings(text: str) -> None:
    quick, long_way = _labelled_block()
    m, n = quick.search(text), long_way.search(text)
    assert (m and (m.span(), m.span("body"))) == (n and (n.span(), n.span("body")))


@pytest.mark.parametrize(
    "lines",
    [
        ["推进绿色出行。", "指标|2030年|目标", "公交分担率｜40%", "加快充电设施建设"],
        ["推进绿色出行。", "加快充电设施建设", "完善慢行系统"],
        ["|", "甲", "乙｜"],
    ],
)
def test_lines_holding_a_bar_are_found_as_a_search_a_line_finds_them(lines: list[str]) -> None:
    from policy_targets.structure import tables

    for pattern in tables._forms()[:2]:  # the bar, a character class; the column gap, a pattern
        assert tables._lines_holding(lines, (pattern,)) == {i for i, line in enumerate(lines) if pattern.search(line)}


def test_a_class_of_a_few_characters_is_read_as_its_characters() -> None:
    from policy_targets.text.alternation import character_list

    assert character_list("[|｜]") == "|｜" and character_list("<|&") == "<&"
    assert character_list("[a-z]") is None and character_list("[^|]") is None and character_list(r"[\d]") is None


def _heading_the_long_way(line: str) -> tuple[str, int | None] | None:
    """The first heading rule of the rulebook, in its order, whose pattern as written finds
    ``line``, with its number: what match_heading answered before it asked only the rules the
    line's first character leaves."""
    from policy_targets.structure import outline

    for h in rules.load("structure")["headings"]:
        m = rules.compile_pattern(h["pattern"]).search(line)
        if m:
            groups = m.groupdict()
            return h["name"], outline._to_int(groups.get("num") or groups.get("circled"))
    return None


def _heading(line: str) -> tuple[str, int | None] | None:
    from policy_targets.structure import outline

    found = outline.match_heading(line)
    return found and (found[0].name, found[1])


@pytest.mark.parametrize(
    "line",
    [
        "第七章 保障措施",
        "第二节 推进绿色出行",
        "第三批公交线路",
        "六、加强组织实施",
        "六是加强组织实施",
        "（八）完善慢行系统",
        "(8)完善慢行系统",
        "(2031年修订)",
        "11.推广节能灶具。",
        "3.5万辆新能源车",
        "⑦推广节能灶具",
        "专栏4 公交优先示范",
        "——2031年,公交分担率达到40%。",
        "推广节能灶具。",
        " 六、加强组织实施",
        "",
    ],
)
def test_a_heading_is_read_as_the_rules_in_order_read_it(line: str) -> None:
    from policy_targets.structure import outline

    assert _heading(line) == _heading_the_long_way(line)
    assert outline.is_heading(line) == (_heading_the_long_way(line) is not None)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="第一二六十章节部分、.．(（)）〔12９٣①⑦专栏—-– 年甲。", max_size=12))
def test_a_heading_is_read_as_the_rules_in_order_read_it_in_made_up_lines(line: str) -> None:
    from policy_targets.structure import outline

    assert _heading(line) == _heading_the_long_way(line)
    assert outline.is_heading(line) == (_heading_the_long_way(line) is not None)


def test_the_rules_a_first_character_leaves_hold_every_heading_example() -> None:
    """Each heading rule's own examples open with a character that leaves the rule to try,
    and a character no heading opens with leaves none (the gate does spare searches)."""
    from policy_targets.structure import outline

    for h in rules.load("structure")["headings"]:
        for example in h["examples"]:
            assert h["name"] in [r.name for r in outline._rules_opening_with(example[:1])]
    assert outline._rules_opening_with("推") == ()
    assert len(outline._rules_opening_with("")) == len(outline._heading_rules())


def test_a_pattern_is_anchored_at_the_start_only_when_each_alternative_is() -> None:
    from policy_targets.text.alternation import anchored_at_start

    assert anchored_at_start(regex.compile("^甲|^[乙丙]"))
    assert not anchored_at_start(regex.compile("^甲|乙"))  # the second may match anywhere
    assert not anchored_at_start(regex.compile("(?m)^甲"))  # at every line's start
    assert not anchored_at_start(regex.compile("^甲", regex.M))
    assert not anchored_at_start(regex.compile("(?:^甲|乙)"))
    assert anchored_at_start(regex.compile(r"^\^|^[|]"))  # a | in a class splits nothing


@pytest.mark.parametrize(
    "line",
    ["（三）推进绿色出行。鼓励公共交通", "2.完善慢行系统;建设步道", "六、加强组织实施", "专栏4 公交优先示范工程" + "甲" * 50, "一、" + "乙" * 45 + "。丙"],
)
def test_a_heading_title_ends_where_the_first_full_stop_splits_it(line: str) -> None:
    """_title finds the first full stop or semicolon with re and cuts there: what regex's
    split at the first of them gave."""
    from policy_targets.structure.outline import _TITLE_MAX, _title

    head = regex.split(r"[。；;]", line, maxsplit=1)[0]
    assert _title(line) == (head if len(head) <= _TITLE_MAX else head[:_TITLE_MAX] + "…")


def test_digits_are_spelled_out_only_in_a_pattern_of_lines() -> None:
    assert spelled_out(r"^\d{4}年") == r"^\d{4}年"
    assert spelled_out(r"^\d{4}[\d年]", lines=True) == "^[" + spelled_classes()[r"\d"] + "]{4}[" + spelled_classes()[r"\d"] + "年]"
    assert isinstance(quicker_engine(regex.compile(r"(?m)^[ \t]*[—-]\s*\d+\s*[—-][ \t]*$|^[(（]\d+[)）]$")), re.Pattern)
    assert not isinstance(quicker_engine(regex.compile(r"^[ \t]*\d+年")), re.Pattern)  # one line: \d stays with regex


@pytest.mark.parametrize(
    "page",
    [
        "推进绿色出行。\n  — 12 —\n加快充电设施建设\n—٣—\n- 7 -\n— 2031 —年\n－ 5 －",
        "当前位置：首页 > 政策\n推进绿色出行。\n上一篇：某某方案\n2031年5月6日 星期三\n扫一扫",
        "推进绿色出行。\n相关新闻\n某地推进慢行系统建设\n2031-05-06\n另一条消息\n2031.5.7\n正文又起",
    ],
)
def test_line_rules_with_digits_scanned_by_re_remove_what_regex_removes(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page-number, navigation and related-list rules, handed to re with their digits
    spelled out, remove from made-up pages what the rules as written remove."""
    names = [r["name"] for r in rules.load("normalization")["debris"]]
    on_re = {n for n, r in zip(names, normalize._debris()) if isinstance(r.pattern, re.Pattern)}
    assert {"page_number_line", "web_navigation", "web_related_list"} <= on_re
    quick = _debris_removed_both_ways(page, monkeypatch)
    assert quick.text != page  # the page holds debris to remove


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\t", " \t ", "甲", "。", "“", "a", "7", "\n"]), max_size=40).map("".join))
def test_spaces_deleted_from_a_run_s_second_character_leave_what_keeping_its_first_left(text: str) -> None:
    """The spaces pass deletes a run away from Chinese from its second character on: what the
    pass that kept the first character of each such run as its replacement gave."""
    kept_first = regex.compile(rf"(?<=[{normalize.CJK}])[ \t]+|[ \t]+(?=[{normalize.CJK}])|(?P<run>[ \t]{{2,}})")
    mt = MappedText.identity(text)
    long_way = mt.sub(kept_first, lambda m: [(m.start(), m.start() + 1)] if m.start("run") >= 0 else [])
    quick = mt.delete(normalize._SPACES)
    assert (quick.text, list(quick.offsets)) == (long_way.text, list(long_way.offsets))
