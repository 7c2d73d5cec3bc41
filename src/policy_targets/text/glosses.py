"""Pronunciation glosses that mirror sites put after characters: 达(dá)到, 建(jian)(jian)筑.

Aggregator and mirror pages re-publish plans with the pinyin of some characters in brackets
after them, with or without tone marks, sometimes repeated. A gloss splits the indicator it
lands in (``森林覆盖率达(dá)到``) and, on a page glossing every character, outnumbers the
Chinese. A bracket of Latin letters is also a real part of a plan: ``(PM2.5)``, ``(GDP)``,
``(NOx)``. The two are told apart by the characters' own readings (pypinyin's dictionary):
a bracket is a gloss when its letters spell a reading of the character or characters just
before it, or when they are tone-marked pinyin syllables (which no plan writes in brackets
for any other reason). Pure functions of the text; the normaliser deletes the spans found.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import regex

from .. import rules

#: Letters a gloss is spelt with: Latin, the tone-marked vowels, ü and its tone forms.
_GLOSS_LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_TONE_MARKED = regex.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]")
_HAN = regex.compile(r"\p{Han}")


@functools.cache
def _settings() -> tuple[regex.Pattern[str], dict[str, str], int]:
    """The pattern of a run of bracketed Latin letters, the closer of each opener, and how
    many characters one gloss may spell (a word's gloss: 电力(diànlì))."""
    book = rules.load("normalization")["glosses"]
    closers = {pair[0]: pair[1] for pair in book["brackets"]}
    one = "|".join(f"{regex.escape(o)}[{_GLOSS_LETTERS}' ]{{1,40}}{regex.escape(c)}" for o, c in closers.items())
    return regex.compile(f"(?:{one})+"), closers, int(book["max_syllables"])


def _plain(syllables: str) -> str:
    """A spelling without tone marks, ü written v, lower case, no spaces or apostrophes:
    what the gloss and a dictionary reading are compared in (mirrors drop tones freely)."""
    s = unicodedata.normalize("NFD", syllables.lower()).replace("u\u0308", "v").replace("u:", "v")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace(" ", "").replace("'", "")


@functools.cache
def _pinyin_dict() -> dict[int, str]:
    """pypinyin's table of readings (code point -> readings), kept on disk: importing
    pypinyin costs 0.15 s of start-up, unpickling its table a few milliseconds."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise ImportError("pypinyin is not installed")
    source = Path(spec.origin).with_name("pinyin_dict.py")
    return rules.kept("pypinyin", [source], lambda: dict(importlib.import_module("pypinyin.pinyin_dict").pinyin_dict))


@functools.cache
def _readings(char: str) -> frozenset[str]:
    """The readings of one character (tone marks removed), empty for a character that has none."""
    pinyin_dict = _pinyin_dict()
    listed = pinyin_dict.get(ord(char), "")
    return frozenset(_plain(r) for r in listed.split(",") if r)


@functools.cache
def _toned_syllables() -> frozenset[str]:
    """Every tone-marked syllable of the dictionary: a bracket of these is a gloss wherever
    it stands (after a character the page broke, or inside a Latin token)."""
    pinyin_dict = _pinyin_dict()
    return frozenset(r for listed in pinyin_dict.values() for r in listed.split(",") if _TONE_MARKED.search(r))


def _spells(gloss: str, chars: Sequence[Sequence[str]]) -> bool:
    """True when ``gloss`` is a reading of the last character, or the readings of the last
    few characters in order; ``chars`` holds, per character, the forms it may have (the
    normalised character and the raw one it came from)."""

    @functools.cache
    def ends_with(rest: str, n: int) -> bool:
        if not rest:
            return n >= 1
        if n >= len(chars):
            return False
        forms = chars[len(chars) - 1 - n]
        for reading in {r for f in forms for r in _readings(f)}:
            if reading and rest.endswith(reading) and ends_with(rest[: -len(reading)], n + 1):
                return True
        return False

    return bool(gloss) and ends_with(gloss, 0)


def _all_toned(gloss: str) -> bool:
    parts = gloss.lower().split()
    return bool(parts) and all(_TONE_MARKED.search(p) and p in _toned_syllables() for p in parts)


def gloss_spans(text: str, source_char: Callable[[int], str] | None = None) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of ``text`` that are pronunciation glosses. ``source_char(i)``
    is the raw character ``text[i]`` came from (before script conversion), also tried as
    the glossed character; ``None`` when the text is its own source."""
    pattern, closers, max_syllables = _settings()
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        before: list[list[str]] = []
        i = m.start() - 1
        while i >= 0 and len(before) < max_syllables and _HAN.match(text[i]):
            forms = [text[i]] if source_char is None else list(dict.fromkeys((text[i], source_char(i))))
            before.insert(0, forms)
            i -= 1
        pos = m.start()
        while pos < m.end():  # each bracket of a run such as (jian)(jian)(jian)
            end = text.index(closers[text[pos]], pos + 1) + 1
            inner = text[pos + 1 : end - 1]
            if not ((before and _spells(_plain(inner), before)) or _all_toned(inner)):
                break  # not a gloss: nor is what follows it
            spans.append((pos, end))
            pos = end
    return spans
