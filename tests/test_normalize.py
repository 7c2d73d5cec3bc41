"""Normalisation: what it changes, and the offset map back to the raw file."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_targets.structure.documents import normalize_plan as normalize
from policy_targets.text.normalize import fold_chars, t2s


def _source_ok(norm_char: str, raw_char: str) -> bool:
    """A normalised character comes from its raw character: the same, its simplified form,
    its ASCII fold, the newline that a carriage return became, or the decimal point that a
    full stop or 、 between digits stood for."""
    candidates = {raw_char, t2s(raw_char), fold_chars(raw_char), fold_chars(t2s(raw_char))}
    if raw_char in "\r\u2028\u2029\x0b\x0c\x85":
        candidates.add("\n")
    if raw_char in "。、":
        candidates.add(".")
    return norm_char in candidates


TEXT = st.lists(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list("国際發達萬千瓦％０１２３４５６７８９　 \n\n。，、（）(责任单位:市发展改革委)—7[bookmark: _Toc1]PM_{2.5}₃")),
        # mirror-page debris: glosses, anti-scraping runs, @@ injections, decimal full stops
        st.sampled_from(["(dá)", "(qu)(qu)", "【wàn】", " x5 U+ c; m2 Q@ h ", "@@", "@@@@", "7。5%", "20 25年", "(PM2.5)", "(GDP)"]),
    ),
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_offset_map_is_monotonic_and_points_at_the_source(raw: str) -> None:
    n = normalize(raw)
    offs = list(n.offsets)
    assert len(offs) == len(n.text)
    assert all(a < b for a, b in zip(offs, offs[1:])), "offsets must strictly increase"
    assert all(0 <= o < len(raw) for o in offs)
    for ch, o in zip(n.text, offs):
        assert _source_ok(ch, raw[o]), (ch, raw[o])


def test_traditional_is_simplified_and_offsets_survive() -> None:
    raw = "到2025年和2030年,可再生能源裝機容量分別達到600萬千瓦和1000萬千瓦。"
    n = normalize(raw)
    assert n.text == "到2025年和2030年,可再生能源装机容量分别达到600万千瓦和1000万千瓦。"
    assert n.script == "traditional"
    start = n.text.index("600万千瓦")
    a, b = n.raw_span(start, start + len("600万千瓦"))
    assert raw[a:b] == "600萬千瓦"


def test_full_width_forms_fold_to_ascii_but_chinese_punctuation_stays() -> None:
    n = normalize("到２０２５年，比重达到９％左右（其中海上４１０万千瓦）")
    assert n.text == "到2025年，比重达到9%左右（其中海上410万千瓦）"


def test_subscripts_and_markup_are_written_plainly() -> None:
    assert normalize("确保 PM_{2.5}浓度稳定保持在 24 微克/立方米以下").text == "确保PM2.5浓度稳定保持在24微克/立方米以下"
    assert normalize("NOx、VOCs、COD、NH₃-N 减排量").text == "NOx、VOCs、COD、NH3-N减排量"


def test_debris_is_removed() -> None:
    raw = "[bookmark: _Toc1][bookmark: _Toc2]一、总体要求\n正文第一句,\n\n— 7 —\n\n继续。\n【版权声明】本网为公益类网站\n- 1.任务。"
    assert normalize(raw).text == "一、总体要求\n正文第一句,继续。\n1.任务。"


def test_pdf_wraps_are_joined_and_paragraphs_kept() -> None:
    raw = (
        "滨州市碳达峰工作方案\n\n为深入贯彻落实党中央决策部 署,制定本方案。\n"
        "一、总体要求\n聚焦重点领域,推进城乡建设\n绿色低碳发展、\n绿色低碳技术创新。\n"
        "(二)加快制造业高质量发展\n1.推动升级。支持探索推广二氧化\n碳捕集利用与封存技术。(责任单位:市工业和信息化局)\n"
        "2.构建绿色制造体系。"
    )
    assert normalize(raw).text.split("\n") == [
        "滨州市碳达峰工作方案",
        "为深入贯彻落实党中央决策部署,制定本方案。",
        "一、总体要求",
        "聚焦重点领域,推进城乡建设绿色低碳发展、绿色低碳技术创新。",
        "(二)加快制造业高质量发展",
        "1.推动升级。支持探索推广二氧化碳捕集利用与封存技术。(责任单位:市工业和信息化局)",
        "2.构建绿色制造体系。",
    ]


def test_header_lines_stay_apart() -> None:
    raw = "青岛市人民政府关于印发实施方案的通知\n各区、市人民政府:\n现将方案印发给你们。\n青岛市人民政府\n2024年7月6日\n国家碳达峰试点(青岛)实施方案\n为落实部署,制定本方案。"
    assert len(normalize(raw).text.split("\n")) == 7


def test_empty_and_blank_text() -> None:
    assert normalize("").text == ""
    assert normalize("\n\n \u3000\n").text == ""


def test_seed_plans_normalise_without_debris(seed_documents) -> None:
    for doc in seed_documents.values():
        text = doc.text
        assert "[bookmark" not in text and "【版权声明】" not in text
        assert "\n\n" not in text
        assert not any(unicodedata.east_asian_width(c) == "F" and c.isdigit() for c in text)
    assert seed_documents["qingdao-carbon-peak"].normalized.script == "traditional"
    assert seed_documents["binzhou-carbon-peak"].normalized.script == "simplified"


#: Traditional and simplified characters, Han characters outside the basic CJK block (which
#: the script count reads last) and other characters.
MIXED = st.lists(st.sampled_from(["國", "国", "發", "发", "萬", "万", "電", "电", "㐀", "々", "〇", "𠀀", "a", "1", " ", "，", "\n"]), max_size=400).map("".join)


def test_the_basic_and_the_other_han_characters_are_the_han_characters() -> None:
    """The script count reads the basic CJK block with the standard library's re and the
    other Han characters with regex: together, exactly the characters of ``\\p{Han}``, each
    counted once."""
    from policy_targets.text.normalize import _BASIC_HAN, _HAN, _OTHER_HAN

    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000)
    basic, other = "".join(_BASIC_HAN.findall(every)), "".join(_OTHER_HAN.findall(every))
    assert sorted(basic + other) == sorted("".join(_HAN.findall(every)))


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_script_counts_stop_early_without_changing_the_answer(raw: str) -> None:
    """The counts of changed and of Chinese characters stop once the answer is sure: the
    answer is the one of the full counts (traditional when more than 5 % of the Chinese
    characters changed)."""
    from policy_targets.text.normalize import _HAN, _changed, _script

    simplified = t2s(raw)
    changed = sum(a != b for a, b in zip(raw, simplified))
    assert _changed(raw, simplified, float("inf")) == changed
    han = len(raw) - len(_HAN.sub("", raw))
    expected = "traditional" if changed and han and changed > 0.05 * han else "simplified"
    assert _script(raw, simplified) == expected


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_folding_translates_only_what_the_table_changes(raw: str) -> None:
    from policy_targets.text.normalize import _fold_table, fold_text

    assert fold_text(raw) == raw.translate(_fold_table())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\t", "中", "，", "a", "1", "\n"]), max_size=60).map("".join))
def test_spaces_are_dropped_and_collapsed_in_one_pass_as_in_two(text: str) -> None:
    """One pass drops the spaces next to Chinese and keeps the first of a run elsewhere: what
    dropping the ones, then collapsing the others, gives (the offsets too)."""
    import regex

    from policy_targets.text.normalize import _SPACES, CJK
    from policy_targets.text.textmap import MappedText

    cjk_space = regex.compile(rf"(?<=[{CJK}])[ \t]+|[ \t]+(?=[{CJK}])")
    multi_space = regex.compile(r"[ \t]{2,}")
    mt = MappedText.identity(text)
    two = mt.delete(cjk_space).sub(multi_space, lambda m: [(m.start(), m.start() + 1)])
    one = mt.delete(_SPACES)
    assert (one.text, list(one.offsets)) == (two.text, list(two.offsets))
