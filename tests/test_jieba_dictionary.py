"""jieba's dictionary read by first character (extraction/jieba_dictionary.py) cuts every
sentence as jieba's own loading does, and holds the same entries once read whole."""

from __future__ import annotations

import io
import logging

import jieba
import pytest

from policy_targets.extraction import jieba_dictionary
from policy_targets.extraction.stages import userdict_text

SENTENCES = [
    "到2028年,甲乙两地的光伏和风电装机容量合计达到300万千瓦以上。",
    "新建公共建筑全面执行绿色建筑标准,既有居住建筑节能改造面积累计完成50万平方米。",
    "推动钢铁、水泥、平板玻璃等行业超低排放改造,工业固体废物综合利用率提高到八成。",
    "AT&T与X射线、PM2.5和CO₂并列时,拉丁字母与汉字混排也照常切分。",
    "",
]


@pytest.fixture(scope="module")
def both() -> tuple[jieba.Tokenizer, jieba.Tokenizer]:
    jieba.setLogLevel(logging.WARNING)
    own = jieba.Tokenizer()
    own.initialize()
    lazy = jieba_dictionary.tokenizer()
    assert isinstance(lazy, jieba_dictionary.Tokenizer)
    for tk in (own, lazy):
        tk.load_userdict(io.StringIO(userdict_text()))
    return own, lazy


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_words_are_jiebas_own(both, sentence: str) -> None:
    own, lazy = both
    assert lazy.lcut(sentence) == own.lcut(sentence)
    assert lazy.lcut(sentence, HMM=False) == own.lcut(sentence, HMM=False)
    assert lazy.lcut_for_search(sentence) == own.lcut_for_search(sentence)


def test_only_the_characters_cut_are_read_and_the_whole_is_jiebas_dictionary() -> None:
    own = jieba.Tokenizer()
    own.initialize()
    lazy = jieba_dictionary.tokenizer()
    lazy.lcut("碳达峰")
    assert 0 < len(lazy.FREQ) < len(own.FREQ) // 10
    assert set(lazy.FREQ) == {w for w in own.FREQ if w[0] in "碳达峰"}
    for tk in (own, lazy):
        tk.load_userdict(io.StringIO(userdict_text()))
        tk.suggest_freq(("节能", "降碳"))  # a segment whose characters no cut has read yet
    lazy._load("".join(lazy._parts))
    assert lazy.FREQ == own.FREQ and lazy.total == own.total


def test_without_a_cache_jieba_loads_its_dictionary_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY_TARGETS_CACHE", "")
    tk = jieba_dictionary.tokenizer()
    assert type(tk) is jieba.Tokenizer and tk.initialized and len(tk.FREQ) > 100_000


@pytest.mark.parametrize("damage", [b"", b"\x00" * 3, b"not a parts file at all", "cut"])
def test_a_damaged_parts_file_is_built_again(tmp_path, monkeypatch: pytest.MonkeyPatch, damage) -> None:
    """An empty, foreign or cut-short parts file (a full disk, a killed process) is written
    anew from jieba's dictionary, and the words are jieba's own."""
    monkeypatch.setenv("POLICY_TARGETS_CACHE", str(tmp_path))
    jieba_dictionary.tokenizer()
    (path,) = tmp_path.glob("jieba-*.parts")
    path.write_bytes(path.read_bytes()[:-100] if damage == "cut" else damage)
    tk = jieba_dictionary.tokenizer()
    assert isinstance(tk, jieba_dictionary.Tokenizer)
    own = jieba.Tokenizer()
    own.initialize()
    assert tk.lcut(SENTENCES[1]) == own.lcut(SENTENCES[1])
    assert path.stat().st_size > 1_000_000
