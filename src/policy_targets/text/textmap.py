"""Text edits that remember where every character came from.

Each normalisation step rewrites the text; a researcher still needs to see any extracted
figure highlighted in the original file. A :class:`MappedText` carries, for every character,
the offset of the raw character it stems from, and every edit keeps that array in step.
Offsets live in a NumPy array so that a 50 MB notice costs 8 bytes a character, not an
object per character.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Union

import numpy as np
import regex

#: A replacement piece: new literal text (mapped to the start of the match) or a kept span
#: ``(start, end)`` of the current text whose characters keep their own offsets.
Piece = Union[str, tuple[int, int]]


#: Spans up to this long are bounded in plain Python (a record's number, a short evidence).
_SHORT_SPAN = 32


@dataclass(frozen=True)
class MappedText:
    text: str
    offsets: np.ndarray  # offsets[i] = raw offset of text[i]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, np.arange(len(text), dtype=np.int64))

    def __post_init__(self) -> None:
        if len(self.offsets) != len(self.text):
            raise ValueError("offset map and text differ in length")

    def sub(self, pattern: regex.Pattern[str], repl: Callable[[regex.Match[str]], Sequence[Piece]]) -> MappedText:
        """Replace every match of ``pattern`` by the pieces ``repl`` returns."""
        texts: list[str] = []
        maps: list[np.ndarray] = []
        last = 0
        changed = False
        for m in pattern.finditer(self.text):
            changed = True
            texts.append(self.text[last : m.start()])
            maps.append(self.offsets[last : m.start()])
            for piece in repl(m):
                if isinstance(piece, str):
                    if piece:
                        texts.append(piece)
                        anchor = self.offsets[m.start()] if m.start() < len(self.offsets) else self._end_offset()
                        maps.append(np.full(len(piece), anchor, dtype=np.int64))
                else:
                    a, b = piece
                    texts.append(self.text[a:b])
                    maps.append(self.offsets[a:b])
            last = m.end()
        if not changed:
            return self
        texts.append(self.text[last:])
        maps.append(self.offsets[last:])
        return MappedText("".join(texts), np.concatenate(maps) if maps else np.zeros(0, dtype=np.int64))

    def replace_spans(self, spans: Sequence[tuple[int, int]], new: str) -> MappedText:
        """Replace each of the sorted, disjoint ``spans`` by ``new``, mapped to the span's first
        character: for edits found by reading the text rather than by one pattern."""
        if not spans:
            return self
        texts: list[str] = []
        maps: list[np.ndarray] = []
        last = 0
        for a, b in spans:
            texts += [self.text[last:a], new]
            maps += [self.offsets[last:a], np.full(len(new), self.offsets[a] if a < len(self.offsets) else self._end_offset(), dtype=np.int64)]
            last = b
        texts.append(self.text[last:])
        maps.append(self.offsets[last:])
        return MappedText("".join(texts), np.concatenate(maps))

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
        maps: list[np.ndarray] = []
        pos = 0
        for i, (old, new) in enumerate(zip(old_lines, new_lines)):
            seg = self.offsets[pos : pos + len(old)]
            maps.append(seg if len(old) == len(new) else _align(old, new, seg))
            pos += len(old)
            if i < len(old_lines) - 1:
                maps.append(self.offsets[pos : pos + 1])
                pos += 1
        return MappedText(new_text, np.concatenate(maps) if maps else np.zeros(0, dtype=np.int64))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering the normalised ``[start, end)``."""
        if end <= start or start >= len(self.offsets):
            anchor = int(self.offsets[start]) if start < len(self.offsets) else self._end_offset()
            return anchor, anchor
        if end - start <= _SHORT_SPAN:  # NumPy's reductions cost more than they save here
            seg = self.offsets[start:end].tolist()
            return min(seg), max(seg) + 1
        seg = self.offsets[start:end]
        return int(seg.min()), int(seg.max()) + 1

    def _end_offset(self) -> int:
        return int(self.offsets[-1]) + 1 if len(self.offsets) else 0


def _align(old: str, new: str, offsets: np.ndarray) -> np.ndarray:
    out = np.empty(len(new), dtype=np.int64)
    fallback = int(offsets[0]) if len(offsets) else 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out[j1:j2] = offsets[i1:i2]
        elif j2 > j1:
            out[j1:j2] = offsets[i1] if i1 < len(offsets) else (int(offsets[-1]) if len(offsets) else fallback)
    return out


def keep_groups(*groups: int | str) -> Callable[[regex.Match[str]], list[Piece]]:
    """A replacement that keeps only the named/numbered groups, in order."""

    def repl(m: regex.Match[str]) -> list[Piece]:
        return [m.span(g) for g in groups if m.start(g) >= 0]

    return repl

