"""Clause and sentence bounds: the one home of the punctuation that ends a clause or a
sentence, shared by the quantity finder, the target frames, the records and the tokenizer.

Bounds are searched at most a fixed distance from a position so that time stays linear on
text without punctuation (a plan pasted as one paragraph).
"""

from __future__ import annotations

#: Characters that end a clause.
CLAUSE_BREAKS = "，,。；;：:！？!?\n"
#: Characters that end a sentence.
SENTENCE_BREAKS = "。！？!?\n"
#: The longest clause read around a number, each way.
MAX_CLAUSE = 300


def clause_bounds(text: str, pos: int, start: int, end: int) -> tuple[int, int]:
    """The clause around ``pos`` within ``[start, end)``, at most MAX_CLAUSE characters each way."""
    lo, hi = max(start, pos - MAX_CLAUSE), min(end, pos + MAX_CLAUSE)
    a = pos
    while a > lo and text[a - 1] not in CLAUSE_BREAKS:
        a -= 1
    b = pos
    while b < hi and text[b] not in CLAUSE_BREAKS:
        b += 1
    return a, b


def sentence_start(text: str, pos: int, start: int = 0, limit: int | None = None) -> int:
    """Start of the sentence holding ``pos``, not before ``start`` nor more than ``limit``
    characters back."""
    lo = start if limit is None else max(start, pos - limit)
    a = pos
    while a > lo and text[a - 1] not in SENTENCE_BREAKS:
        a -= 1
    return a


def sentence_at(text: str, pos: int) -> str:
    """The whole sentence holding ``pos``, with its closing mark (not a closing newline)."""
    a = sentence_start(text, pos)
    b = pos
    while b < len(text) and text[b] not in SENTENCE_BREAKS:
        b += 1
    if b < len(text) and text[b] != "\n":
        b += 1
    return text[a:b]
