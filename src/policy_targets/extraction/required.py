"""Words that every match of a pattern holds, read from the regex engine itself: a text that
holds none of them holds no match, and a search for the words alone rules it out.

The ``regex`` module finds no such text for an alternation (``今年…|本年…|…年内``) and so
tries every alternative at every character: 5 ms over the bench plans' paragraphs without a
year for the phrases that need none, where each alternative alone, which has its own
required text (``catalogue.required_text``), is skipped to at once. The required texts of
the alternatives, joined as a list of words, are searched by Python's ``re``, which skips to
their first characters (``text.alternation.quicker_engine``): 0.6 ms for the same paragraphs.

An alternative without a required text that opens with a group of alternatives
(``(?:去年|上年|前年)(?!同期)``) is read as each of them followed by the rest, which matches
where it matches. Where one has no required text even so, there are no words (None): the
callers then search as before.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from .catalogue import required_text

#: How deep alternatives opening an alternative are unfolded before giving up.
_MAX_DEPTH = 3


def required_words(patterns: Iterable[regex.Pattern[str]]) -> tuple[str, ...] | None:
    """Words one of which every match of every pattern holds, sorted; None when an
    alternative of one of them has none."""
    words: set[str] = set()
    for pattern in patterns:
        for alternative in alternatives(pattern.pattern):
            found = _required(alternative, pattern.flags, 0)
            if found is None:
                return None
            words.update(found)
    return tuple(sorted(words))


def _required(source: str, flags: int, depth: int) -> list[str] | None:
    """The required texts of ``source``: its own, else those of the alternatives of the
    group that opens it, each followed by the rest of ``source``."""
    try:
        text = required_text(regex.compile(source, flags))
    except regex.error:
        return None
    if text:
        return [text]
    opening = _opening_group(source)
    if opening is None or depth >= _MAX_DEPTH:
        return None
    inner, rest = opening
    out: list[str] = []
    for alternative in alternatives(inner):
        found = _required(alternative + rest, flags, depth + 1)
        if found is None:
            return None
        out += found
    return out


def alternatives(source: str) -> list[str]:
    """The alternatives of a pattern's top level: ``source`` split at the bars that stand
    outside every group and class (escaped characters skipped)."""
    out, start = [], 0
    for i, ch, depth in _top_level(source):
        if ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
    return out + [source[start:]]


def _opening_group(source: str) -> tuple[str, str] | None:
    """``(inner, rest)`` when ``source`` opens with a non-capturing group ``(?:inner)`` that no
    quantifier follows; None else."""
    if not source.startswith("(?:"):
        return None
    for i, ch, depth in _top_level(source):
        if ch == ")" and depth == 0:
            rest = source[i + 1 :]
            return None if rest[:1] in ("?", "*", "+", "{") else (source[3:i], rest)
    return None


def _top_level(source: str) -> Iterable[tuple[int, str, int]]:
    """Each character of ``source`` that is neither escaped nor inside a class, with the depth
    of the groups open after it (a closing bracket counts as closed)."""
    depth, i, in_class = 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            i += 2 if source.startswith("^]", i + 1) else 1 if source.startswith("]", i + 1) else 0  # a ] first is literal
        else:
            depth += ch == "("
            depth -= ch == ")"
            yield i, ch, depth
        i += 1
