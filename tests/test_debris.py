"""Mirror-page debris: the wild pages are all read, and debris injected into gold sentences
changes no record.

`corpus/wild` holds real pages from mirror and aggregator sites (no gold). The floor here is
that every one of them is read: none refused as not Chinese, none failing. The property tests
take the evidence sentences of the gold files (read at test time), damage them the way such
pages do — pronunciation glosses after characters, anti-scraping runs, @@ injections and
spliced foreign sentences between characters, a full stop for a decimal point — and expect the records of the clean
sentence.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from policy_targets.api import extract, extract_document
from policy_targets.errors import InputError
from policy_targets.structure.documents import load_document
from policy_targets.text.alternation import character_list
from policy_targets.text.normalize import normalize
from policy_targets.text.reading import decode_report

ROOT = Path(__file__).resolve().parents[1]
WILD = ROOT / "corpus" / "wild" / "raw"
GOLD_DIRS = (ROOT / "corpus" / "gold", ROOT / "corpus" / "dev" / "gold", ROOT / "corpus" / "dev2" / "gold")
FIELDS = ("value", "unit", "indicator", "target_year")


def _fields(text: str) -> list[tuple]:
    return [tuple(r[f] for f in FIELDS) for r in extract(text, doc_id="s")]


def _gold_sentences() -> list[str]:
    """Evidence strings of the gold files that give at least one record on their own, Han
    characters on both sides of some position (where debris can be put)."""
    out: set[str] = set()
    for folder in GOLD_DIRS:
        for path in sorted(folder.glob("*.jsonl")):
            for line in path.read_text("utf-8").splitlines():
                evidence = json.loads(line)["evidence"]
                if "(" not in evidence and regex.search(r"\p{Han}\p{Han}", evidence):
                    out.add(normalize(evidence).text)
    return sorted(out)


SENTENCES = _gold_sentences()
#: Sentences whose records are those of the clean text, computed once per sentence.
_CLEAN: dict[str, list[tuple]] = {}


def _clean(sentence: str) -> list[tuple]:
    if sentence not in _CLEAN:
        _CLEAN[sentence] = _fields(sentence)
    return _CLEAN[sentence]


def _han_gaps(text: str) -> list[int]:
    """Positions between two Han characters."""
    return [i for i in range(1, len(text)) if regex.match(r"\p{Han}", text[i - 1]) and regex.match(r"\p{Han}", text[i])]


def _gloss(char: str, rnd: random.Random) -> str:
    style = rnd.choice((Style.TONE, Style.NORMAL))
    reading = pinyin(char, style=style, heteronym=False)[0][0]
    opener, closer = rnd.choice((("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")))
    return (opener + reading + closer) * rnd.randint(1, 3)


def _jammer(rnd: random.Random) -> str:
    letters, digits, signs = "abcdefghkmnpqrstuvwxyzABCDEFGHKLMNPQRSTUVWXYZ", "0123456789", "#$%&*+/:;<=>@[]^`{}~"
    tokens = [rnd.choice(letters) + rnd.choice(digits + signs + " ").strip() for _ in range(rnd.randint(3, 6))]
    tokens += [rnd.choice(signs) + rnd.choice(letters), rnd.choice(letters) + rnd.choice(signs)]
    rnd.shuffle(tokens)
    return " " + " ".join(tokens) + " "


def _foreign(rnd: random.Random) -> str:
    words = "click here to read more about our latest offers and download the free app today now".split()
    return " " + " ".join(rnd.choice(words) for _ in range(rnd.randint(5, 9))).capitalize() + rnd.choice([".", "!", ""]) + " "


def _inject(sentence: str, kind: str, rnd: random.Random) -> str:
    if kind == "decimal":
        points = [m.start() for m in regex.finditer(r"(?<=\d)\.(?=\d{1,3}(?![\d年]))", sentence)]
        i = rnd.choice(points)
        return sentence[:i] + "。" + sentence[i + 1 :]
    gaps = _han_gaps(sentence)
    chosen = sorted(rnd.sample(gaps, min(len(gaps), rnd.randint(1, 3))), reverse=True)
    for i in chosen:
        junk = {
            "gloss": lambda: _gloss(sentence[i - 1], rnd),
            "jammer": lambda: _jammer(rnd),
            "at": lambda: "@" * rnd.randint(2, 6),
            "foreign": lambda: _foreign(rnd),
        }[kind]()
        sentence = sentence[:i] + junk + sentence[i:]
    return sentence


@pytest.mark.parametrize("kind", ["gloss", "jammer", "at", "foreign", "decimal"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_injected_debris_gives_the_records_of_the_clean_sentence(kind: str, data) -> None:
    pool = [s for s in SENTENCES if regex.search(r"(?<=\d)\.(?=\d{1,3}(?![\d年]))", s)] if kind == "decimal" else SENTENCES
    sentence = data.draw(st.sampled_from(pool))
    clean = _clean(sentence)
    damaged = _inject(sentence, kind, random.Random(data.draw(st.integers(0, 2**32 - 1))))
    assert damaged != sentence
    assert _fields(damaged) == clean, damaged


def test_gold_sentences_were_found() -> None:
    assert len(SENTENCES) > 300
    assert sum(1 for s in SENTENCES if _clean(s)) > 300


@pytest.fixture(scope="module")
def wild_results() -> dict[str, tuple[list[dict] | None, InputError | None]]:
    out: dict[str, tuple[list[dict] | None, InputError | None]] = {}
    for path in sorted(WILD.glob("*.txt")):
        try:
            out[path.name] = (extract_document(load_document(path)), None)
        except InputError as exc:
            out[path.name] = (None, exc)
    return out


def test_every_wild_page_is_read(wild_results) -> None:
    assert len(wild_results) >= 100
    refused = {name: str(err) for name, (_, err) in wild_results.items() if err is not None}
    assert refused == {}


def test_no_wild_indicator_holds_a_gloss_or_an_injection(wild_results) -> None:
    gloss = regex.compile(r"[(（\[【][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）\]】]|@@")
    bad = [r["indicator"] for records, _ in wild_results.values() for r in records or [] if gloss.search(r["indicator"])]
    assert bad == []


def test_a_page_of_gbk_read_as_latin1_is_repaired_with_a_warning() -> None:
    plan = "到2027年,全市新建公共建筑光伏覆盖率达到55%,新增储能装机30万千瓦。\n"
    damaged = plan.encode("gbk").decode("latin-1").encode("utf-8")
    decoded = decode_report(damaged, "page.txt")
    assert decoded.text == plan
    assert [w.kind for w in decoded.warnings] == ["mojibake"] and decoded.warnings[0].warning


def test_gbk_read_as_latin1_then_half_fixed_as_utf8_is_repaired() -> None:
    """A page that went through a UTF-8 "fix" after the wrong decoding: byte pairs that looked
    like UTF-8 were collapsed into one character (ÐÂ¸ → и), so one character may stand for
    more bytes than it shows; the repair finds the reading of the most common characters."""
    import ftfy

    plan = "形成上中下游融通发展的新格局,到2026年新建绿色工厂20家,单位产值能耗下降12%。\n"
    damaged = ftfy.fix_encoding(plan.encode("gbk").decode("latin-1"))
    assert damaged != plan.encode("gbk").decode("latin-1")  # the fix collapsed some pairs
    assert decode_report(damaged.encode("utf-8")).text == plan


def test_a_page_of_utf8_read_as_cp1252_is_repaired_with_a_warning() -> None:
    plan = "到2028年,农村生活污水治理率达到45%。\n"
    import ftfy.bad_codecs  # noqa: F401  (registers the codec browsers decode "windows-1252" with)

    damaged = plan.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
    decoded = decode_report(damaged, "page.txt")
    assert "农村生活污水治理率" in decoded.text and decoded.warnings


def test_a_plan_quoting_western_names_is_not_repaired() -> None:
    plan = "到2026年,与Société Générale合作的绿色债券规模达到50亿元,新建充电桩3000个。\n"
    assert decode_report(plan.encode("utf-8")) == decode_report(plan.encode("utf-8"))
    assert decode_report(plan.encode("utf-8")).text == plan and not decode_report(plan.encode("utf-8")).warnings


def test_a_bilingual_plan_is_read_for_its_chinese_part() -> None:
    chinese = "到2026年,全县森林覆盖率达到62%。"
    english = " By 2026 the forest coverage of the county shall reach 62 percent, and the share of clean heating shall rise." * 6
    assert decode_report((chinese + english).encode("utf-8")).text.startswith(chinese)


def test_a_page_glossing_every_character_is_read() -> None:
    plan = "到2027年,全市绿色出行比例达到75%。"
    glossed = "".join(c + (f"({pinyin(c, style=Style.NORMAL)[0][0]})" if regex.match(r"\p{Han}", c) else "") for c in plan)
    assert _fields(decode_report(glossed.encode("utf-8")).text) == _fields(plan)


def test_english_with_a_chinese_title_is_still_refused() -> None:
    text = "Notes on the 碳达峰 plans: renewable capacity, emissions and the timeline of the provinces.\n" * 5
    with pytest.raises(InputError) as info:
        decode_report(text.encode("utf-8"), "notes.txt")
    assert info.value.kind == "not_chinese"


def test_kept_characters_keep_their_raw_offsets_around_removed_debris() -> None:
    raw = "全縣綠(lǜ)色建(jian)(jian)築占比達(dá)@@到7。5%"
    n = normalize(raw)
    assert n.text == "全县绿色建筑占比达到7.5%"
    start = n.text.index("7.5%")
    a, b = n.raw_span(start, start + 4)
    assert raw[a:b] == "7。5%"
    assert raw[n.offsets[n.text.index("到")]] == "到"


def _mojibake_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    plan = "到2027年,全市新建公共建筑光伏覆盖率达到55%,新增储能装机30万千瓦。\n"
    (folder / "page.txt").write_bytes(plan.encode("gbk").decode("latin-1").encode("utf-8"))
    return folder


def test_extract_records_a_repaired_mojibake_as_a_warning_and_reads_the_plan(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policy_targets.cli import app

    out, errors = tmp_path / "t.jsonl", tmp_path / "e.jsonl"
    result = CliRunner().invoke(app, ["extract", str(_mojibake_folder(tmp_path)), "-o", str(out), "--errors-file", str(errors)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["value"] for line in out.read_text("utf-8").splitlines()] == [55, 30]
    (warning,) = [json.loads(line) for line in errors.read_text("utf-8").splitlines()]
    assert warning["kind"] == "mojibake" and warning["level"] == "warning"


def test_review_lists_a_plan_read_with_a_warning_apart_from_failures(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from policy_targets.cli import app

    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["review", str(_mojibake_folder(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text("utf-8")
    assert "Plans read with a warning (1)" in index and "could not be read" not in index


def _debris_rules_with_prefilter() -> list[dict]:
    from policy_targets import rules

    return [r for r in rules.load("normalization")["debris"] if "prefilter" in r]


def test_a_prefilter_passes_over_no_line_its_pattern_matches() -> None:
    """A debris rule's prefilter only spares work: on every line of the wild pages (where the
    debris is, converted and folded as normalisation does before removing it) and on the
    rule's own examples, a line the pattern matches in is one the prefilter matches in."""
    from policy_targets import rules
    from policy_targets.text.normalize import fold_chars, t2s

    lines = [line for p in sorted(WILD.glob("*.txt")) for line in fold_chars(t2s(decode_report(p.read_bytes(), p.name).text)).split("\n")]
    checked = 0
    for rule in _debris_rules_with_prefilter():
        pattern, prefilter = rules.compile_pattern(rule["pattern"]), rules.compile_pattern(rule["prefilter"])
        for line in lines + list(rule["examples"]):
            if pattern.search(line):
                checked += 1
                assert prefilter.search(line), f"{rule['name']}: prefilter passes over {line!r}"
    assert checked >= 10  # the wild pages hold such debris: the property was tried


def test_a_prefilter_answers_as_its_pattern_does_on_the_wild_pages() -> None:
    """The check a prefilter is read as (a character list looked for by ``str``, any other by
    the quicker engine) says a text holds a match exactly where the pattern finds one."""
    from policy_targets import rules
    from policy_targets.text.normalize import prefilter

    texts = [decode_report(p.read_bytes(), p.name).text for p in sorted(WILD.glob("*.txt"))]
    lists = 0
    for rule in _debris_rules_with_prefilter():
        check, pattern = prefilter(rule["prefilter"]), rules.compile_pattern(rule["prefilter"])
        lists += character_list(rule["prefilter"]) is not None
        for text in texts + list(rule["examples"]):
            assert check(text) == (pattern.search(text) is not None), rule["name"]
    assert lists  # a rule's prefilter is such a list: the shortcut is taken


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("<&|.\\[]()*+?^$甲a"), st.characters()), max_size=6), st.text(max_size=20))
def test_a_character_list_matches_where_one_of_its_characters_stands(source: str, text: str) -> None:
    """``character_list`` reads a pattern as a list of characters only when the pattern finds
    a match exactly in the texts that hold one of them."""
    chars = character_list(source)
    if chars is not None:
        assert (regex.compile(source).search(text) is not None) == any(c in text for c in chars)


def test_a_prefilter_that_misses_an_example_is_reported() -> None:
    from policy_targets import rulecheck

    rule = {"name": "x", "pattern": "甲+乙", "prefilter": "甲甲", "examples": ["甲乙"]}
    with pytest.raises(AssertionError, match="prefilter missed"):
        rulecheck.Case("normalization", "debris[x]", "example", "甲乙", rule).run()
    rulecheck.Case("normalization", "debris[x]", "example", "甲甲乙", rule).run()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="相关推荐阅读开奖彩票棋牌新闻娱乐城 \n|.*", max_size=40))
def test_a_prefilter_that_lists_words_finds_them_with_either_engine(text: str) -> None:
    """A word-list prefilter is searched by the standard library's re; any other stays with
    regex. Both find the words where the rulebook's pattern finds them."""
    import re

    from policy_targets import rules
    from policy_targets.text.alternation import quicker_engine

    words = rules.compile_pattern("相关推荐|推荐阅读|开奖|娱乐城")
    assert isinstance(quicker_engine(words), re.Pattern)
    assert (quicker_engine(words).search(text) is None) == (words.search(text) is None)
    for pattern in (r"\d[.。](?:以上|左右)", "(?m)日报[ \t]*$", "a.b|c"):
        kept = rules.compile_pattern(pattern)
        assert quicker_engine(kept) is kept
