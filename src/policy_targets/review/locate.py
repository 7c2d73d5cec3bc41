"""Finding a gold record's evidence in the normalised text.

Gold records carry no offsets: their evidence is a verbatim span of the simplified text in
which white space may be dropped (docs/annotation.md). So the search ignores white space, and
when the span is not found as written it is normalised the way plans are and searched again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Compact:
    """A text without its white space, and for each kept character its offset in the text."""

    text: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Compact:
        kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
        return cls("".join(ch for _, ch in kept), tuple(i for i, _ in kept))


def _squeeze(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def find_evidence(
    haystack: Compact,
    evidence: str,
    near: int = 0,
    normalise: Callable[[str], str] | None = None,
) -> tuple[int, int] | None:
    """The ``(start, end)`` of ``evidence`` in the text, white space ignored; of several
    places, the first at or after offset ``near`` (gold is in document order), else the
    first. None when the evidence is empty or not in the text."""
    for needle in _needles(evidence, normalise):
        starts = []
        i = haystack.text.find(needle)
        while i >= 0:
            starts.append(i)
            i = haystack.text.find(needle, i + 1)
        if not starts:
            continue
        positions = [haystack.offsets[s] for s in starts]
        k = bisect.bisect_left(positions, near)
        s = starts[k] if k < len(starts) else starts[0]
        return haystack.offsets[s], haystack.offsets[s + len(needle) - 1] + 1
    return None


def _needles(evidence: str, normalise: Callable[[str], str] | None) -> list[str]:
    out = [_squeeze(evidence)]
    if normalise is not None:
        out.append(_squeeze(normalise(evidence)))
    return [n for i, n in enumerate(out) if n and n not in out[:i]]
