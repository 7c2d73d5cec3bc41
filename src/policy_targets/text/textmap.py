"""Text edits that remember where every character came from.

Each normalisation step rewrites the text; a researcher still needs to see any extracted
figure highlighted in the original file. A :class:`MappedText` carries, for every character,
the offset of the raw character it stems from, and every edit keeps that array in step.
Offsets live in an ``array('q')`` so that a 50 MB notice costs 8 bytes a character, not an
object per character; the standard library's array copies slices as fast as NumPy here and
spares every run the 0.05-0.15 s of importing NumPy.
"""

from __future__ import annotations

import difflib
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Union

import regex

#: A replacement piece: new literal text (mapped to the start of the match) or a kept span
#: ``(start, end)`` of the current text whose characters keep their own offsets.
Piece = Union[str, tuple[int, int]]


#: The offset map's element type: signed 64-bit, whatever the size of the raw file.
_CODE = "q"
#: The identity map is cut from a shared one up to this many characters (8 bytes each).
_IDENTITY_MAX = 1 << 20
#: The shared identity map: grown to the longest text asked for, never changed in place.
_identity_cache = [array(_CODE)]


def _offsets(values: Iterable[int] = ()) -> array:
    return array(_CODE, values)


def _identity(n: int) -> array:
    """``0 … n-1``, cut from a shared map (a copy of memory) rather than built from Python
    integers, which takes a tenth of normalising a text; a text longer than
    ``_IDENTITY_MAX`` builds its own. The shared map is replaced, never extended in place, so
    that threads see only whole maps."""
    cached = _identity_cache[0]
    if len(cached) < n <= _IDENTITY_MAX:
        cached = cached + _offsets(range(len(cached), n))
        _identity_cache[0] = cached
    return cached[:n] if n <= len(cached) else _offsets(range(n))


@dataclass(frozen=True)
class MappedText:
    text: str
    offsets: array  # offsets[i] = raw offset of text[i]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, _identity(len(text)))

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text):
            raise ValueError("offset map and text differ in length")

    def sub(self, pattern: regex.Pattern[str], repl: Callable[[regex.Match[str]], Sequence[Piece]]) -> MappedText:
        """Replace every match of ``pattern`` by the pieces ``repl`` returns."""
        text, offsets = self.text, self.offsets
        texts: list[str] = []
        out = _offsets()
        last = 0
        for m in pattern.finditer(text):
            start = m.start()
            texts.append(text[last:start])
            out += offsets[last:start]
            for piece in repl(m):
                if isinstance(piece, str):
                    if piece:
                        texts.append(piece)
                        out += _offsets((offsets[start] if start < len(offsets) else self._end_offset(),)) * len(piece)
                else:
                    a, b = piece
                    texts.append(text[a:b])
                    out += offsets[a:b]
            last = m.end()
        if not texts:
            return self  # no match
        texts.append(text[last:])
        out += offsets[last:]
        return MappedText("".join(texts), out)

    def replace_spans(self, spans: Sequence[tuple[int, int]], new: str) -> MappedText:
        """Replace each of the sorted, disjoint ``spans`` by ``new``, mapped to the span's first
        character: for edits found by reading the text rather than by one pattern."""
        if not spans:
            return self
        texts: list[str] = []
        out = _offsets()
        last = 0
        for a, b in spans:
            texts += [self.text[last:a], new]
            out += self.offsets[last:a]
            out += _offsets((self.offsets[a] if a < len(self.offsets) else self._end_offset(),)) * len(new)
            last = b
        texts.append(self.text[last:])
        out += self.offsets[last:]
        return MappedText("".join(texts), out)

    def keep(self, spans: Sequence[tuple[int, int]]) -> MappedText:
        """The text made of ``spans`` of this one, in order, each character keeping its offset:
        for an edit worked out by reading the whole text (the line joiner's), with no
        pattern to run over it."""
        out = _offsets()
        for a, b in spans:
            out += self.offsets[a:b]
        return MappedText("".join([self.text[a:b] for a, b in spans]), out)

    def delete(self, pattern: regex.Pattern[str]) -> MappedText:
        return self.sub(pattern, lambda m: ())

    def translate(self, table: dict[int, str], apply: Callable[[str], str] | None = None) -> MappedText:
        """One-for-one character replacement: offsets are unchanged. ``apply``: a faster
        function that gives the same as ``str.translate`` with ``table``."""
        new = self.text.translate(table) if apply is None else apply(self.text)
        if len(new) != len(self.text):
            raise ValueError("translate() table must map characters one for one")
        return MappedText(new, self.offsets)

    def replace_aligned(self, new_text: str) -> MappedText:
        """Take ``new_text`` (a character-level conversion of this text, such as OpenCC's) and
        carry the offsets across. Lines of equal length map one for one; the rare line whose
        length changed is aligned with difflib, replaced runs mapping to their first source."""
        if len(new_text) == len(self.text):
            return MappedText(new_text, self.offsets)
        old_lines = self.text.split("\n")
        new_lines = new_text.split("\n")
        if len(old_lines) != len(new_lines):
            return MappedText(new_text, _align(self.text, new_text, self.offsets))
        out = _offsets()
        pos = 0
        for i, (old, new) in enumerate(zip(old_lines, new_lines)):
            seg = self.offsets[pos : pos + len(old)]
            out += seg if len(old) == len(new) else _align(old, new, seg)
            pos += len(old)
            if i < len(old_lines) - 1:
                out += self.offsets[pos : pos + 1]
                pos += 1
        return MappedText(new_text, out)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering the normalised ``[start, end)``; one character's read
        straight from its offset (every record asks for its number's), without a slice to scan."""
        if end == start + 1 and 0 <= start < len(self.offsets):
            at = self.offsets[start]
            return at, at + 1
        if end <= start or start >= len(self.offsets):
            anchor = self.offsets[start] if start < len(self.offsets) else self._end_offset()
            return anchor, anchor
        seg = self.offsets[start:end]
        return min(seg), max(seg) + 1

    def _end_offset(self) -> int:
        return self.offsets[-1] + 1 if len(self.offsets) else 0


def _align(old: str, new: str, offsets: array) -> array:
    out = _offsets([0]) * len(new)
    fallback = offsets[0] if len(offsets) else 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out[j1:j2] = offsets[i1:i2]
        elif j2 > j1:
            out[j1:j2] = _offsets((offsets[i1] if i1 < len(offsets) else (offsets[-1] if len(offsets) else fallback),)) * (j2 - j1)
    return out


def keep_groups(*groups: int | str) -> Callable[[regex.Match[str]], list[Piece]]:
    """A replacement that keeps only the named/numbered groups, in order."""

    def repl(m: regex.Match[str]) -> list[Piece]:
        return [m.span(g) for g in groups if m.start(g) >= 0]

    return repl

