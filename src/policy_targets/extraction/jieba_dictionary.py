"""jieba's main dictionary, read one part at a time.

jieba keeps its prefix dictionary (every word and every prefix of a word, with its frequency:
half a million entries) in one marshal file that a process loads whole: about 0.6 s, the
largest single start-up cost of the tool, although a plan only ever cuts a few sentences into
words. Every look-up jieba makes while cutting a sentence is of a fragment of that sentence,
so the entries it needs all begin with one of its characters. This module keeps the same
dictionary on disk (beside the checked rulebooks, :func:`~policy_targets.rules.cache_root`)
split by first character, and :class:`Tokenizer` adds a character's part to its plain
``FREQ`` dict before the first sentence that holds the character is cut: look-ups stay
jieba's own dict look-ups. The parts are one file, mapped into memory and read by slices:
unpickling all 11 k of them (9 MB) was a tenth of a real plan's start-up, and forked workers
share the mapped pages.

The entries and the total are jieba's own (built by ``Tokenizer.gen_pfdict`` from the file
jieba ships), so the words are the same; only the loading differs.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import pickle
import struct
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
    ``suggest_freq`` of its segments; each loads what they name first. ``parts`` gives each
    first character's part as a (start, end) slice of ``blob`` after ``base``, marshalled."""

    def __init__(self, total: int, parts: dict[str, tuple[int, int]], blob: bytes | mmap.mmap, base: int = 0) -> None:
        super().__init__()
        self.total = total
        self.initialized = True
        self._parts = dict(parts)  # what is not yet in FREQ, by first character
        self._blob = blob
        self._base = base

    def _load(self, text: str) -> None:
        if not self._parts:
            return
        for ch in set(text):
            span = self._parts.pop(ch, None)
            if span is not None:
                self.FREQ.update(marshal.loads(self._blob[self._base + span[0] : self._base + span[1]]))

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        self._load(sentence)
        return super().get_DAG(sentence)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        self._load(word[:1])
        super().add_word(word, freq, tag)

    def suggest_freq(self, segment: Any, tune: bool = False) -> int:
        self._load(segment if isinstance(segment, str) else "".join(segment))
        return super().suggest_freq(segment, tune)


def pack(entries: Iterable[tuple[str, int]]) -> tuple[dict[str, tuple[int, int]], bytes]:
    """The entries grouped by first character, each group marshalled: the (start, end) of
    each group in the blob, and the blob."""
    parts: dict[str, dict[str, int]] = {}
    for word, freq in entries:
        parts.setdefault(word[:1], {})[word] = freq
    index, chunks, pos = {}, [], 0
    for first, part in parts.items():
        chunk = marshal.dumps(part)
        index[first] = (pos, pos + len(chunk))
        chunks.append(chunk)
        pos += len(chunk)
    return index, b"".join(chunks)


#: The head of the parts file: the length of the pickled (total, index) that follows it.
_HEAD = struct.Struct("<Q")


def _write_parts(path: Path) -> None:
    """Build the parts with jieba's own parser and write them at ``path`` atomically: the
    head, the pickled (total, index, length of the blob), then the blob."""
    freq, total = jieba.Tokenizer.gen_pfdict(jieba.Tokenizer().get_dict_file())
    index, blob = pack(freq.items())
    head = pickle.dumps((total, index, len(blob)), protocol=pickle.HIGHEST_PROTOCOL)
    rules.write_atomically(path, _HEAD.pack(len(head)) + head + blob)
    rules.prune_older(path)


def _read_parts(path: Path) -> tuple[int, dict[str, tuple[int, int]], mmap.mmap, int]:
    """The total, the index, the mapped file and where its blob starts. Raises ValueError
    (or OSError, struct.error) on a file that is not one or was cut short."""
    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    (size,) = _HEAD.unpack(mapped[: _HEAD.size])
    try:
        total, index, length = pickle.loads(mapped[_HEAD.size : _HEAD.size + size])
    except (pickle.UnpicklingError, EOFError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not a parts file") from exc
    base = _HEAD.size + size
    if base + length != len(mapped):
        raise ValueError(f"{path}: parts file cut short")
    return total, index, mapped, base


def _parts_at(path: Path) -> tuple[int, dict[str, tuple[int, int]], mmap.mmap, int] | None:
    """The parts file at ``path`` read, or None when there is none or it is damaged."""
    try:
        return _read_parts(path)
    except (OSError, ValueError, struct.error):
        return None


def tokenizer() -> jieba.Tokenizer:
    """A fresh tokenizer of jieba's default dictionary, read by parts from the split cache
    (built from jieba's file on first use), or loaded whole by jieba when no cache can be
    kept (``POLICY_TARGETS_CACHE=""``) or written."""
    path = rules.kept_path(f"jieba-{jieba.__version__}", [Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)], ".parts")
    if path is not None:
        found = _parts_at(path)
        if found is None:
            with contextlib.suppress(OSError):
                _write_parts(path)
            found = _parts_at(path)
        if found is not None:
            return Tokenizer(*found)
    tk = jieba.Tokenizer()
    tk.initialize()
    return tk
