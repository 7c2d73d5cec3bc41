"""One search that stands for several: the alternation of a list of patterns, tried before
them, so that a text none of them matches costs one search instead of one each.

A text that the alternation misses holds a match of none of the patterns, so skipping them
there changes nothing. The alternation is not built when joining the patterns could change
what one of them means: an inline flag (in the ``regex`` module's version 0 it applies to
the whole pattern) or a backreference (group numbers shift when patterns are joined). Nor is
it built for patterns that are not all anchored at the start of the text: the regex module
then tries every alternative at every position, which costs more than the patterns one by
one (measured on the standalone-line forms: three times as much).
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

#: What may not be joined: an inline flag group ``(?i)``/``(?i:…)``, a numbered or named
#: backreference, or a conditional on a group.
_UNJOINABLE = regex.compile(r"\(\?[a-zA-Z-]+[:)]|\\[1-9]|\\g<|\(\?P=|\(\?\(")


def any_of(patterns: Sequence[regex.Pattern[str]]) -> regex.Pattern[str] | None:
    """A pattern that matches somewhere in every text where one of ``patterns`` does; None
    when there is nothing to gain (fewer than two, or one not anchored at the start) or they
    cannot be joined safely."""
    if len(patterns) < 2 or not all(p.pattern.startswith("^") for p in patterns):
        return None
    if any(p.flags & ~(regex.V0 | regex.U) or _UNJOINABLE.search(p.pattern) for p in patterns):
        return None
    try:
        return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns), regex.V0)
    except regex.error:
        return None
