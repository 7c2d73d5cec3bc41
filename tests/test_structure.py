"""Document structure of the seed plans: metadata, items and their responsible units."""

import pytest

from policy_targets.structure.documents import prepare

ITEM_COUNTS = {
    "binzhou-carbon-peak": 47,
    "qingdao-carbon-peak": 34,
    "weihai-pollution-carbon": 27,
    "yantai-carbon-peak": 55,
    "zibo-pollution-carbon": 24,
}


def test_item_counts(seed_documents) -> None:
    got = {doc_id: len(doc.structure.items) for doc_id, doc in seed_documents.items()}
    assert got == ITEM_COUNTS


def test_every_unit_block_in_the_text_is_an_item(seed_documents) -> None:
    for doc in seed_documents.values():
        labelled = doc.text.count("责任单位") + doc.text.count("责任部门")
        with_units = [it for it in doc.structure.items if it.units]
        assert len(with_units) >= labelled


@pytest.mark.parametrize(
    "doc_id,needle,units",
    [
        ("binzhou-carbon-peak", "风光储输一体化基地,总容量达到2118万千瓦", ["市发展改革委", "市工业和信息化局", "市自然资源规划局", "市海洋发展渔业局", "市住房城乡建设局", "市科技局", "国网滨州供电公司", "各县(市、区)政府", "各市属开发区管委会"]),
        ("binzhou-carbon-peak", "形成千亿级新能源产业集群", ["市发展改革委", "市工业和信息化局", "市自然资源规划局", "市海洋发展渔业局", "市住房城乡建设局", "市科技局", "国网滨州供电公司", "各县(市、区)政府", "各市属开发区管委会"]),
        ("binzhou-carbon-peak", "规模以上单位工业增加值能耗下降25%以上", []),
        ("binzhou-carbon-peak", "共建绿色低碳创新联合体", ["市科技局", "市发展改革委", "各县(市、区)政府", "各市属开发区管委会"]),
        ("qingdao-carbon-peak", "每年滚动推进500个以上技改项目建设", ["市工业和信息化局", "市发展改革委", "市财政局"]),
        ("qingdao-carbon-peak", "碳交易提供资金存管", ["市发展改革委", "市委金融办", "市生态环境局", "市住房城乡建设局", "青岛金融监管局", "人民银行青岛市分行", "青岛证监局"]),
        ("qingdao-carbon-peak", "加强组织领导", []),
        ("weihai-pollution-carbon", "核能供热面积分别达到650万平方米", ["市发展改革委", "市自然资源和规划局", "市生态环境局", "市住房城乡建设局", "各区市政府", "国家级开发区管委", "综保区管委"]),
        ("weihai-pollution-carbon", "增设1个试点建设专项工作小组", ["各有关部门", "单位"]),
        ("weihai-pollution-carbon", "PM2.5浓度稳定保持在24微克", []),
        ("yantai-carbon-peak", "核电装机容量达到1300万千瓦", ["市发展改革委", "市自然资源和规划局", "市生态环境局", "市海洋发展和渔业局", "烟台供电公司", "有关区市政府", "管委"]),
        ("yantai-carbon-peak", "建设20家左右绿色低碳领域科创平台", ["市科技局", "市发展改革委", "市工业和信息化局", "市生态环境局", "各区市政府", "管委"]),
        ("yantai-carbon-peak", "非化石能源消费比重提高到15%左右", []),
        ("zibo-pollution-carbon", "新增50家以上国家、省、市级绿色工厂", ["市工业和信息化局", "市发展改革委", "市生态环境局"]),
        ("zibo-pollution-carbon", "依法加快城市建成区重污染企业搬迁改造", ["市生态环境局", "市发展改革委", "市工业和信息化局", "市农业农村局", "各区县(含高新区、经济开发区、文昌湖省级旅游度假区,下同)"]),
        ("zibo-pollution-carbon", "充分释放热电联产工业余热等供热能力", ["市住房城乡建设局", "市农业农村局", "市生态环境局", "市工业和信息化局", "市发展改革委"]),
    ],
)
def test_units_of_sample_items(seed_documents, doc_id: str, needle: str, units: list[str]) -> None:
    doc = seed_documents[doc_id]
    offset = doc.text.index(needle)
    assert list(doc.structure.units_at(offset)) == units


def test_metadata(seed_documents) -> None:
    meta = {
        d: (s.structure.title, s.structure.jurisdiction.name if s.structure.jurisdiction else None, s.structure.issuer, s.structure.doc_number, s.structure.date)
        for d, s in seed_documents.items()
    }
    assert meta["binzhou-carbon-peak"] == ("滨州市碳达峰工作方案", "滨州市", "滨州市人民政府", "滨政字〔2023〕84号", "2023-11-30")
    assert meta["qingdao-carbon-peak"] == ("国家碳达峰试点(青岛)实施方案", "青岛市", "青岛市人民政府", None, "2024-07-06")
    assert meta["weihai-pollution-carbon"] == ("威海市减污降碳协同创新试点实施方案", "威海市", "威海市人民政府", "威政字〔2024〕52号", "2024-09-21")
    assert meta["yantai-carbon-peak"][:2] == ("国家碳达峰试点（烟台）实施方案", "烟台市")
    assert meta["zibo-pollution-carbon"][:2] == ("淄博市减污降碳协同增效实施方案", "淄博市")
    assert seed_documents["zibo-pollution-carbon"].structure.jurisdiction.admin_code == "370300"


def test_box_contents_stay_in_the_box() -> None:
    text = (
        "三、重点任务\n(一)能源\n1.甲。(责任单位:市发展改革委)\n2.乙。(责任单位:市科技局)\n"
        "专栏1:重点项目\n1.光伏项目:某200万千瓦项目。\n2.风电项目。\n3.储能项目。\n"
        "一、改造工程\n1.某工程;\n(二)节能\n1.丙。(责任单位:市财政局)"
    )
    doc = prepare(text, "t")
    inside = doc.text.index("3.储能项目")
    assert doc.structure.in_box(inside) is not None
    assert doc.structure.in_box(doc.text.index("一、改造工程")) is not None
    after = doc.text.index("1.丙")
    assert doc.structure.in_box(after) is None
    assert doc.structure.section_at(after) == ("三、重点任务", "(二)节能", "1.丙")
    assert doc.structure.units_at(after) == ("市财政局",)


def test_several_blocks_under_one_heading_split_items() -> None:
    doc = prepare("(一)夯实基础\n研究制定方案。(责任单位:市统计局)\n按照原则推进。(责任单位:市发展改革委、市生态环境局)", "t")
    assert doc.structure.units_at(doc.text.index("研究")) == ("市统计局",)
    assert doc.structure.units_at(doc.text.index("按照")) == ("市发展改革委", "市生态环境局")


_ISSUE_ALPHABET = list("某市省人民政府办公厅、近日已于12日联合印发发布转发《》关于方案的通知,。 (") + ["实施方案", "十四五"]


def _issue_lines(seed: int) -> list[str]:
    """Lines put together from the issue sentence's own words, a third of them holding one."""
    import random

    rng = random.Random(seed)
    lines = []
    for _ in range(50):
        line = "".join(rng.choice(_ISSUE_ALPHABET) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.3:  # a sentence that reports an issue, somewhere in the line
            cut = rng.randint(0, len(line))
            line = line[:cut] + "某县人民政府近日印发《某某节能工作方案》" + line[cut:]
        lines.append(line)
    return lines


def _issue_pattern():
    from policy_targets import rules

    return rules.compile_pattern(rules.load("structure")["metadata"]["issue_sentence"]["pattern"])


def _found(matches) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("seed", range(40))
def test_the_issue_sentence_lookahead_changes_no_match(seed: int) -> None:
    """``issue_sentence`` opens with a lookahead for a verb reached through the subject's
    characters (to spare trying every subject length at each character): it finds what the
    pattern without it finds, on lines put together from the pattern's own words."""
    import regex

    from policy_targets import rules

    pattern = _issue_pattern()
    fragments = rules.fragments()
    head = "(?=" + fragments["issue_subject_chars"] + "*?(?:" + fragments["issue_verbs"] + "))"
    assert pattern.pattern.startswith(head)
    plain = regex.compile(pattern.pattern[len(head) :], pattern.flags)
    found = 0
    for line in _issue_lines(seed):
        matches = _found(plain.finditer(line))
        assert _found(pattern.finditer(line)) == matches
        found += len(matches)
    assert found  # the lines hold issue sentences, not only text without one


def test_the_issue_verbs_are_written_in_subject_characters() -> None:
    """What lets ``metadata.issue_sentences`` look for a sentence only in a run of subject
    characters that holds a verb: a verb lies inside such a run."""
    from policy_targets import rules
    from policy_targets.structure.metadata import _subject_runs

    verbs = rules.fragments()["issue_verbs"].split("|")
    assert len(verbs) > 1 and all(_subject_runs().fullmatch(verb) for verb in verbs)


@pytest.mark.parametrize("seed", range(40))
def test_issue_sentences_are_the_matches_the_search_finds(seed: int) -> None:
    """Trying the issue sentence only in the runs of subject characters that hold a verb finds
    the matches ``finditer`` finds, groups included."""
    from policy_targets.structure.metadata import issue_sentences

    pattern = _issue_pattern()
    found = 0
    for line in _issue_lines(seed):
        matches = _found(pattern.finditer(line))
        assert _found(issue_sentences(line)) == matches
        found += len(matches)
    assert found


def test_issue_sentences_are_the_matches_the_search_finds_in_the_corpus() -> None:
    """The same on every line of the corpus texts, as the opening lines are read (and whole)."""
    from pathlib import Path

    from policy_targets.structure.metadata import issue_sentences

    pattern = _issue_pattern()
    root = Path(__file__).resolve().parents[1]
    texts = [p.read_text("utf-8") for corpus in ("corpus/raw", "corpus/dev/raw", "corpus/dev2/raw", "corpus/wild/raw") for p in sorted((root / corpus).glob("*.txt"))]
    lines = [line for text in texts for line in text.split("\n") if line]
    found = 0
    for line in lines:
        matches = _found(pattern.finditer(line))
        assert _found(issue_sentences(line)) == matches, line
        found += len(matches)
    assert found
