"""Mojibake that can be undone: the bytes of a Chinese page decoded in the wrong encoding.

Mirror sites re-publish pages whose bytes went through a Western decoder: UTF-8 read as
Latin-1 or cp1252 (``å¹´`` for 年), or GBK read as Latin-1 (``Äê`` for 年), sometimes with the
byte pairs that happened to be valid UTF-8 decoded as such (``ˮ`` for 水). Such a page is
valid UTF-8 and would be refused as "not Chinese prose". The UTF-8 case is ftfy's
(maintained, and it knows the sloppy variants of cp1252); the GBK case is undone here by
turning every character back into the bytes it was read from and decoding them as GB18030.
A repair is kept only when it gives clearly more Chinese than the text had.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

#: Characters a Western decoder makes of the high bytes of GBK or UTF-8.
_WESTERN = regex.compile(r"[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_HAN = regex.compile(r"\p{Han}")
_LETTER = regex.compile(r"\p{L}")
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
    letters = len(_LETTER.findall(text))
    western = len(_WESTERN.findall(text))
    if letters == 0 or western < MIN_WESTERN_SHARE * letters:
        return None
    han = _han(text)
    for attempt in (_utf8_as_western, _gbk_as_western):
        fixed = attempt(text)
        if fixed is not None and _han(fixed.text) >= max(2 * han, 10) and _undecodable(fixed.text) <= 0.05 * _han(fixed.text):
            return fixed
    return None


def _han(text: str) -> int:
    return len(_HAN.findall(text))


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


def _byte_form(ch: str) -> bytes:
    """The bytes a Western decoder read ``ch`` from: one byte for Latin-1 and cp1252
    characters, else the character's UTF-8 (a byte pair the decoder took for UTF-8)."""
    if ord(ch) < 0x100:
        return bytes([ord(ch)])
    try:
        return ch.encode("cp1252")
    except UnicodeEncodeError:
        return ch.encode("utf-8")


def _gbk_as_western(text: str) -> Repair | None:
    parts = []
    for part in _KEPT.split(text):
        if len(part) == 1 and _KEPT.fullmatch(part):
            parts.append(part)
        else:
            parts.append(b"".join(_byte_form(ch) for ch in part).decode("gb18030", errors="replace"))
    return Repair("".join(parts), "GBK bytes read as Latin-1")
