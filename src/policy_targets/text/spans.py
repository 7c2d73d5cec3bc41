"""Clause and sentence bounds: the one home of the punctuation that ends a clause or a
sentence, shared by the quantity finder, the target frames, the records and the tokenizer.

Bounds are searched at most a fixed distance from a position so that time stays linear on
text without punctuation (a plan pasted as one paragraph).
"""

from __future__ import annotations

#: Characters that end a clause; bullets (●■◆▲★•) that a page sets between items end one too.
CLAUSE_BREAKS = "，,。；;：:！？!?\n●■◆▲★•"
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


#: The longest ``sentence`` a record carries: every record repeats it, so an unbounded
#: sentence (a plan pasted as lines with no full stop) makes output and memory grow with the
#: square of the input.
MAX_RECORD_SENTENCE = 400


def _clause_start(text: str, pos: int, lo: int) -> int:
    a = pos
    while a > lo and text[a - 1] not in CLAUSE_BREAKS:
        a -= 1
    return a


def _clause_end(text: str, pos: int, hi: int) -> int:
    """End of the clause holding ``pos``, after its closing mark (not a closing newline)."""
    b = pos
    while b < hi and text[b] not in CLAUSE_BREAKS:
        b += 1
    return b + 1 if b < hi and text[b] != "\n" else b


def sentence_bounds(text: str, pos: int, limit: int = MAX_RECORD_SENTENCE) -> tuple[int, int]:
    """``[start, end)`` of the sentence holding ``pos``, with its closing mark (not a closing
    newline), when it is at most ``limit`` characters; else the clause holding ``pos`` with
    as many whole clauses before and after it as fit in ``limit``; a clause longer than that
    is cut to ``limit`` characters around ``pos``. Never looks further than ``limit`` from
    ``pos``, so the cost per record is bounded whatever the text."""
    lo, hi = max(0, pos - limit), min(len(text), pos + limit + 1)
    a = sentence_start(text, pos, 0, limit)
    b = pos
    while b < hi and text[b] not in SENTENCE_BREAKS:
        b += 1
    whole = (a == 0 or text[a - 1] in SENTENCE_BREAKS) and (b == len(text) or text[b] in SENTENCE_BREAKS)
    if b < len(text) and text[b] in SENTENCE_BREAKS and text[b] != "\n":
        b += 1
    if whole and b - a <= limit:
        return a, b
    start, end = _clause_start(text, pos, a), _clause_end(text, pos, b)
    if end - start > limit:  # one long clause: a window around the number
        start = max(start, min(pos - limit // 2, end - limit))
        return start, min(end, start + limit)
    while start > a:  # whole clauses before, then after, while they fit
        before = _clause_start(text, start - 1, a)
        if end - before > limit:
            break
        start = before
    while end < b:
        after = _clause_end(text, end, b)
        if after - start > limit:
            break
        end = after
    return start, end


def sentence_at(text: str, pos: int, limit: int = MAX_RECORD_SENTENCE) -> str:
    """The sentence holding ``pos`` as :func:`sentence_bounds` bounds it."""
    a, b = sentence_bounds(text, pos, limit)
    return text[a:b]
