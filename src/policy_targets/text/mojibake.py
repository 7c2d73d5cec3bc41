"""Mojibake that can be undone: the bytes of a Chinese page decoded in the wrong encoding.

Mirror sites re-publish pages whose bytes went through a Western decoder: UTF-8 read as
Latin-1 or cp1252 (``å¹´`` for 年), or GBK read as Latin-1 (``Äê`` for 年), sometimes with the
byte pairs that happened to be valid UTF-8 decoded as such (``ˮ`` for 水). Such a page is
valid UTF-8 and would be refused as "not Chinese prose". The UTF-8 case is ftfy's
(maintained, and it knows the sloppy variants of cp1252); the GBK case is undone here by
turning every character back into the bytes it was read from and decoding them as GBK,
choosing, where a character may stand for more than one byte string, the reading that gives
the most common characters.
A repair is kept only when it gives clearly more Chinese than the text had.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import regex

#: A character a Western decoder makes of the high bytes of GBK or UTF-8: a plain class of
#: characters, which the standard library's ``re`` counts in a long text faster than ``regex``
#: (every plan is counted through), one at a time (:func:`_western`).
_WESTERN = re.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_HAN = regex.compile(r"\p{Han}+")
_LETTER = regex.compile(r"\p{L}+")
#: Punctuation the damaged page kept as itself (not read byte by byte): the decoding of the
#: bytes around it restarts after it.
_KEPT = regex.compile(r"([\u2010-\u2027\u3000-\u303f\uff00-\uffef])")
#: A text is looked at only when this share of its letters are what a Western decoder makes
#: of high bytes: a Chinese plan quoting a French name is not mojibake.
MIN_WESTERN_SHARE = 0.3


@dataclass(frozen=True)
class Repair:
    text: str
    what: str  # e.g. "GBK bytes read as Latin-1"


def repair(text: str) -> Repair | None:
    """The text with its mojibake undone, or None when it has none that can be undone."""
    western = _western(text)
    letters = 0
    for m in _LETTER.finditer(text):  # only as far as the letters outnumber the western ones
        letters += m.end() - m.start()
        if western < MIN_WESTERN_SHARE * letters:
            return None
    if letters == 0:
        return None
    han = _han(text)
    for attempt in (_utf8_as_western, _gbk_as_western):
        fixed = attempt(text)
        if fixed is not None and _han(fixed.text) >= max(2 * han, 10) and _undecodable(fixed.text) <= 0.05 * _han(fixed.text):
            return fixed
    return None


def _count(runs: regex.Pattern[str] | re.Pattern[str], text: str) -> int:
    """The characters of ``text`` that ``runs`` (a character class repeated) matches: counted
    by the run, not one match object a character."""
    return sum(map(len, runs.findall(text)))


def _western(text: str) -> int:
    """How many characters of ``text`` are :data:`_WESTERN`'s: the number of replacements
    ``re`` makes deleting each, which it counts without a match object or string a match;
    a plan's quotation marks and dashes are such characters, in many short runs, which
    :func:`_count` would each turn into a string (measured: 2.7 against 1.1 ms over the
    bench plans)."""
    return _WESTERN.subn("", text)[1]


def _han(text: str) -> int:
    return _count(_HAN, text)


def _undecodable(text: str) -> int:
    """Bytes the repair could not decode: a wrong guess leaves many, a right one a few
    (where the damaged page lost a byte)."""
    return text.count("\ufffd")


def _utf8_as_western(text: str) -> Repair | None:
    import ftfy

    fixed, steps = ftfy.fix_encoding_and_explain(text)
    if not steps or fixed == text:
        return None
    return Repair(fixed, "UTF-8 bytes read as " + ("cp1252" if any("1252" in str(s) for s in steps) else "Latin-1"))


#: How likely a GBK byte pair is in a plan: GB2312's first level holds the 3,755 most common
#: characters, its second level the rarer ones, A1–A9 the punctuation; the rest of GBK is
#: rare, and an undecodable byte is what a wrong guess leaves.
_LEVEL_ONE, _LEVEL_TWO, _SYMBOL, _RARE, _BROKEN = 3, 1, 2, -2, -10
#: The cost of reading a collapsed pair where one byte would do: paid back only by the
#: alignment it restores.
_INSERTED = -9


@functools.cache
def _char_weights() -> dict[str, float]:
    """How common each character is in Chinese: log10 of the summed frequencies of the words
    of jieba's dictionary (shipped with jieba, which the tokenizer uses) that contain it.
    Loaded only for a page that needs a GBK repair."""
    import jieba

    counts: dict[str, int] = {}
    path = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, freq = line.split(" ", 2)[:2]
            for ch in word:
                counts[ch] = counts.get(ch, 0) + int(freq)
    return {ch: math.log10(1 + n) for ch, n in counts.items()}


def _decoded_score(lead: int, trail: int, char: str) -> float:
    """A GBK byte pair's score: its GB2312 level, plus half the log frequency of its character
    (which tells 新格 from 懈帽 where both readings are aligned)."""
    return _pair_score(lead, trail) + 0.5 * _char_weights().get(char, 0.0)


def _pair_score(lead: int, trail: int) -> int:
    if 0xA1 <= trail <= 0xFE:
        if 0xB0 <= lead <= 0xD7:
            return _LEVEL_ONE
        if 0xD8 <= lead <= 0xF7:
            return _LEVEL_TWO
        if 0xA1 <= lead <= 0xA9:
            return _SYMBOL
    return _RARE


def _byte_forms(ch: str) -> list[bytes]:
    """The bytes a Western decoder may have read ``ch`` from. A Latin-1 character is one byte,
    or — where a later "fix" took the pair for UTF-8 and collapsed it — C2/C3 and a byte; a
    character past Latin-1 is its UTF-8 (a byte pair the decoder took for UTF-8), each of
    whose bytes may again have been such a collapsed pair; a cp1252 sign is its byte."""
    o = ord(ch)
    if o < 0x80:
        return [bytes([o])]
    if o < 0x100:
        return [bytes([o]), (b"\xc2" + bytes([o])) if o < 0xC0 else (b"\xc3" + bytes([o - 0x40]))]
    try:
        return [ch.encode("cp1252")]
    except UnicodeEncodeError:
        pass
    forms = [b""]
    for b in ch.encode("utf-8"):
        alternatives = [bytes([b])] + ([b"\xc2" + bytes([b])] if 0x80 <= b < 0xC0 else [b"\xc3" + bytes([b - 0x40])] if b >= 0xC0 else [])
        forms = [f + a for f in forms for a in alternatives]
    return forms


def _feed(pending: int | None, data: bytes) -> tuple[int | None, float, str]:
    """Decode ``data`` as GBK after a pending lead byte: (new pending byte, score, text)."""
    score, out = 0.0, []
    for b in data:
        if pending is not None:
            if 0x40 <= b <= 0xFE and b != 0x7F:
                char = bytes([pending, b]).decode("gbk", errors="replace")
                out.append(char)
                score += _decoded_score(pending, b, char)
                pending = None
                continue
            out.append("\ufffd")
            score += _BROKEN
            pending = None
        if b < 0x80:
            out.append(chr(b))
        elif 0x81 <= b <= 0xFE:
            pending = b
        else:
            out.append("\ufffd")
            score += _BROKEN
    return pending, score, "".join(out)


def _gbk_as_western(text: str) -> Repair | None:
    """The GBK reading of the text's bytes that gives the most common characters: a dynamic
    programme over the bytes each character may stand for (see :func:`_byte_forms`), with
    the pending lead byte as its state. Punctuation the page kept as itself is passed
    through, and the decoding restarts after it."""
    # best[state] = (score, pieces); pieces is a linked list (text, previous) to keep it linear
    best: dict[int | None, tuple[float, tuple | None]] = {None: (0, None)}
    for ch in text:
        nxt: dict[int | None, tuple[float, tuple | None]] = {}
        if _KEPT.fullmatch(ch):
            for state, (score, pieces) in best.items():
                cand = (score + (_BROKEN if state is not None else 0), (("\ufffd" if state is not None else "") + ch, pieces))
                if None not in nxt or cand[0] > nxt[None][0]:
                    nxt[None] = cand
        else:
            for state, (score, pieces) in best.items():
                for extra, form in enumerate(_byte_forms(ch)):
                    new_state, gained, decoded = _feed(state, form)
                    cand = (score + gained + _INSERTED * (len(form) - len(_byte_forms(ch)[0])), (decoded, pieces) if decoded else pieces)
                    if new_state not in nxt or cand[0] > nxt[new_state][0]:
                        nxt[new_state] = cand
        best = nxt
    score, pieces = max(((s + (_BROKEN if state is not None else 0), p) for state, (s, p) in best.items()), key=lambda sp: sp[0])
    out: list[str] = []
    while pieces is not None:
        out.append(pieces[0])
        pieces = pieces[1]
    return Repair("".join(reversed(out)), "GBK bytes read as Latin-1")
