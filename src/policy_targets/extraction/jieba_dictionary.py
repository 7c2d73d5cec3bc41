"""jieba's main dictionary, read one part at a time.

jieba keeps its prefix dictionary (every word and every prefix of a word, with its frequency:
half a million entries) in one marshal file that a process loads whole: about 0.6 s, the
largest single start-up cost of the tool, although a plan only ever cuts a few sentences into
words. Every look-up jieba makes while cutting a sentence is of a fragment of that sentence,
so the entries it needs all begin with one of its characters. This module keeps the same
dictionary on disk (beside the checked rulebooks, :func:`~policy_targets.rules.cache_root`)
split by first character, and :class:`Tokenizer` adds a character's part to its plain
``FREQ`` dict before the first sentence that holds the character is cut: look-ups stay
jieba's own dict look-ups.

The entries and the total are jieba's own (built by ``Tokenizer.gen_pfdict`` from the file
jieba ships), so the words are the same; only the loading differs.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import rules


def _import_jieba() -> ModuleType:
    """jieba, imported without ``pkg_resources``. jieba's ``_compat`` imports it only to open
    the files jieba ships, and falls back to opening them by path when it is missing; the
    import (setuptools' whole resource machinery) was half of jieba's import time and a sixth
    of a real plan's start-up. Nothing else is changed: the entry that stands for the missing
    module is removed again, so that any later ``import pkg_resources`` works as usual."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba as module

        return module
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "import" raises ImportError
    try:
        import jieba as module
    finally:
        del sys.modules["pkg_resources"]
    return module


jieba = _import_jieba()


class Tokenizer(jieba.Tokenizer):
    """A jieba tokenizer of the default dictionary whose prefix dictionary is filled one
    first character at a time (:func:`tokenizer`). Every method that reads ``FREQ`` goes
    through ``get_DAG`` of the text it cuts, ``add_word`` of the word it adds or
    ``suggest_freq`` of its segments; each loads what they name first."""

    def __init__(self, total: int, parts: dict[str, bytes]) -> None:
        super().__init__()
        self.total = total
        self.initialized = True
        self._parts = dict(parts)  # what is not yet in FREQ, by first character

    def _load(self, text: str) -> None:
        if not self._parts:
            return
        for ch in set(text):
            blob = self._parts.pop(ch, None)
            if blob is not None:
                self.FREQ.update(marshal.loads(blob))

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        self._load(sentence)
        return super().get_DAG(sentence)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        self._load(word[:1])
        super().add_word(word, freq, tag)

    def suggest_freq(self, segment: Any, tune: bool = False) -> int:
        self._load(segment if isinstance(segment, str) else "".join(segment))
        return super().suggest_freq(segment, tune)


def pack(entries: Iterable[tuple[str, int]]) -> dict[str, bytes]:
    """The entries grouped by first character, each group marshalled."""
    parts: dict[str, dict[str, int]] = {}
    for word, freq in entries:
        parts.setdefault(word[:1], {})[word] = freq
    return {first: marshal.dumps(part) for first, part in parts.items()}


def _packed() -> dict[str, Any]:
    """The total and the parts of jieba's dictionary, built by jieba's own parser."""
    freq, total = jieba.Tokenizer.gen_pfdict(jieba.Tokenizer().get_dict_file())
    return {"total": total, "parts": pack(freq.items())}


def tokenizer() -> jieba.Tokenizer:
    """A fresh tokenizer of jieba's default dictionary, read by parts from the split cache
    (built from jieba's file on first use, :func:`~policy_targets.rules.kept`), or loaded
    whole by jieba when no cache can be kept (``POLICY_TARGETS_CACHE=""``)."""
    if rules.cache_root() is None:
        tk = jieba.Tokenizer()
        tk.initialize()
        return tk
    stored = rules.kept(f"jieba-{jieba.__version__}", [Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)], _packed)
    return Tokenizer(stored["total"], stored["parts"])
