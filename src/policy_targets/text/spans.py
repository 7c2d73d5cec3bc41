"""Clause and sentence bounds: the one home of the punctuation that ends a clause or a
sentence, shared by the quantity finder, the target frames, the records and the tokenizer.

Bounds are searched at most a fixed distance from a position so that time stays linear on
text without punctuation (a plan pasted as one paragraph).
"""

from __future__ import annotations

import regex

#: Characters that end a clause; bullets (●■◆▲★•) that a page sets between items end one too.
CLAUSE_BREAKS = "，,。；;：:！？!?\n●■◆▲★•"
#: Characters that end a sentence.
SENTENCE_BREAKS = "。！？!?\n"
#: The longest clause read around a number, each way.
MAX_CLAUSE = 300


def _marks(chars: str) -> tuple[regex.Pattern[str], regex.Pattern[str]]:
    """Patterns of one mark of ``chars``, searched forwards and backwards: one search in C
    instead of a Python step a character."""
    cls = "[" + "".join(regex.escape(c) for c in chars) + "]"
    return regex.compile(cls), regex.compile("(?r)" + cls)


_CLAUSE_MARK, _CLAUSE_MARK_BACK = _marks(CLAUSE_BREAKS)
_SENTENCE_MARK, _SENTENCE_MARK_BACK = _marks(SENTENCE_BREAKS)


def _after_last(back: regex.Pattern[str], text: str, pos: int, lo: int) -> int:
    """Just after the last mark in ``text[lo:pos]``; ``lo`` when there is none (``pos`` when
    ``pos <= lo``)."""
    if pos <= lo:
        return pos
    m = back.search(text, lo, pos)
    return m.end() if m else lo


def _first(mark: regex.Pattern[str], text: str, pos: int, hi: int) -> int:
    """The first mark in ``text[pos:hi]``; ``hi`` when there is none (``pos`` when ``pos >= hi``)."""
    if pos >= hi:
        return pos
    m = mark.search(text, pos, hi)
    return m.start() if m else hi


def clause_bounds(text: str, pos: int, start: int, end: int) -> tuple[int, int]:
    """The clause around ``pos`` within ``[start, end)``, at most MAX_CLAUSE characters each way."""
    lo, hi = max(start, pos - MAX_CLAUSE), min(end, pos + MAX_CLAUSE)
    return _after_last(_CLAUSE_MARK_BACK, text, pos, lo), _first(_CLAUSE_MARK, text, pos, hi)


def sentence_start(text: str, pos: int, start: int = 0, limit: int | None = None) -> int:
    """Start of the sentence holding ``pos``, not before ``start`` nor more than ``limit``
    characters back."""
    lo = start if limit is None else max(start, pos - limit)
    return _after_last(_SENTENCE_MARK_BACK, text, pos, lo)


#: The longest ``sentence`` a record carries: every record repeats it, so an unbounded
#: sentence (a plan pasted as lines with no full stop) makes output and memory grow with the
#: square of the input.
MAX_RECORD_SENTENCE = 400


def _clause_start(text: str, pos: int, lo: int) -> int:
    return _after_last(_CLAUSE_MARK_BACK, text, pos, lo)


def _clause_end(text: str, pos: int, hi: int) -> int:
    """End of the clause holding ``pos``, after its closing mark (not a closing newline)."""
    b = _first(_CLAUSE_MARK, text, pos, hi)
    return b + 1 if b < hi and text[b] != "\n" else b


def sentence_bounds(text: str, pos: int, limit: int = MAX_RECORD_SENTENCE) -> tuple[int, int]:
    """``[start, end)`` of the sentence holding ``pos``, with its closing mark (not a closing
    newline), when it is at most ``limit`` characters; else the clause holding ``pos`` with
    as many whole clauses before and after it as fit in ``limit``; a clause longer than that
    is cut to ``limit`` characters around ``pos``. Never looks further than ``limit`` from
    ``pos``, so the cost per record is bounded whatever the text."""
    lo, hi = max(0, pos - limit), min(len(text), pos + limit + 1)
    a = sentence_start(text, pos, 0, limit)
    b = _first(_SENTENCE_MARK, text, pos, hi)
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
