"""Patterns searched for less: the alternation of a list of patterns, tried before them, the
standard library's ``re`` for the shapes of pattern it searches faster than ``regex``, and
``str``'s own search for a list of single characters.

One search that stands for several: a text none of the patterns matches costs one search
instead of one each.

A text that the alternation misses holds a match of none of the patterns, so skipping them
there changes nothing. The alternation is not built when joining the patterns could change
what one of them means: an inline flag (in the ``regex`` module's version 0 it applies to
the whole pattern) or a backreference (group numbers shift when patterns are joined). Nor is
it built for patterns that are not all anchored at the start of the text: the regex module
then tries every alternative at every position, which costs more than the patterns one by
one (measured on the standalone-line forms: three times as much).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import regex

from .. import rules

#: An inline flag group, ``(?i)`` or ``(?i:…)``.
_INLINE_FLAG = r"\(\?[a-zA-Z-]+[:)]"
_FLAGGED = regex.compile(_INLINE_FLAG)
#: What may not be joined besides a flag: a numbered or named backreference, or a
#: conditional on a group.
_UNJOINABLE = regex.compile(r"\\[1-9]|\\g<|\(\?P=|\(\?\(")


def flagged(pattern: regex.Pattern[str]) -> bool:
    """Whether ``pattern`` carries a flag beyond ``regex``'s version 0, given or inline (with
    version 0, an inline flag applies to the whole pattern wherever it stands): its text then
    cannot be joined with others, handed to ``re``, or read for the words its matches hold."""
    return bool(pattern.flags & ~(regex.V0 | regex.U)) or _FLAGGED.search(pattern.pattern) is not None


def any_of(patterns: Sequence[regex.Pattern[str]], anchored: bool = True) -> regex.Pattern[str] | None:
    """A pattern that matches somewhere in every text where one of ``patterns`` does; None
    when there is nothing to gain (fewer than two, or, when ``anchored``, one not anchored at
    the start) or they cannot be joined safely. ``anchored=False`` is for callers that
    measured the unanchored alternation to pay (short spans, patterns that open with a
    literal or a lookahead the engine scans for)."""
    if len(patterns) < 2 or (anchored and not all(p.pattern.startswith("^") for p in patterns)):
        return None
    if any(flagged(p) or _UNJOINABLE.search(p.pattern) for p in patterns):
        return None
    try:  # through the pattern store: compiled once, not at every start
        return rules.compile_pattern("|".join(f"(?:{p.pattern})" for p in patterns))
    except regex.error:
        return None


#: A character that means nothing to a pattern but itself.
_PLAIN = r"[^\\.^$*+?{}\[\]()|]"
#: A pattern that is a list of words: no character but ``|`` that means anything to a pattern.
_WORD_LIST = regex.compile(rf"{_PLAIN}+(?:\|{_PLAIN}+)*")
#: A list of words each a single character (``<|&``).
_CHARACTER_LIST = regex.compile(rf"{_PLAIN}(?:\|{_PLAIN})*")
#: A pattern that is one of a few characters: a class of them, no range, escape or negation.
_CHARACTERS = regex.compile(r"\[[^\\\[\]^-]+\]")
#: What the two engines read differently, or what only ``regex`` reads, besides a flag: a
#: Unicode property (``\p``, ``\X``); a class shorthand (``\d``, ``\w``, ``\b`` follow the
#: Unicode version of each engine: regex knows digits Python does not yet; regex's ``\s``
#: leaves out ``\x1c``-``\x1f``, which Python counts as spaces); ``\K``, ``\G``.
_ENGINE_SPECIFIC = regex.compile(r"\\[dDsSwWbBpPXKG]")


def quicker_engine(pattern: regex.Pattern[str]) -> regex.Pattern[str] | re.Pattern[str]:
    """``pattern`` compiled by the standard library's ``re`` where ``re`` searches it faster and
    reads it alike; else ``pattern`` itself. Faster (measured on the bench plans): a list of
    words or one of a few characters, where ``re`` skips to the words' first characters and
    ``regex`` tries each word at every character (1.4-3x over a plan), and a pattern anchored
    at the start of the text, which both try at one position but ``re`` in fewer steps (2-3x
    on a line). Alike: no flag (:func:`flagged`) and nothing of :data:`_ENGINE_SPECIFIC`, and ``re`` compiles
    it without a warning; a pattern ``re`` cannot compile (a lookbehind of varying width, a
    group name used twice) stays with ``regex``. Other shapes stay too: where ``regex`` finds
    a literal inside the pattern or a lookbehind opens it, ``re`` is up to 20 times slower."""
    source = pattern.pattern
    if flagged(pattern) or _ENGINE_SPECIFIC.search(source):
        return pattern
    if not (source.startswith("^") or _WORD_LIST.fullmatch(source) or _CHARACTERS.fullmatch(source)):
        return pattern
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # re's warning of a set that a later Python will read otherwise
        try:
            return re.compile(source)
        except (re.error, Warning):
            return pattern


def compiled_quicker(source: str) -> regex.Pattern[str] | re.Pattern[str]:
    """A rulebook pattern compiled once (:func:`~policy_targets.rules.compile_pattern`), handed
    to the engine that searches it faster (:func:`quicker_engine`)."""
    return quicker_engine(rules.compile_pattern(source))


def character_list(source: str) -> str | None:
    """The characters of a pattern that is a list of single characters, one of which a text
    holds exactly where the pattern matches in it; None for any other pattern. ``str``'s own
    search for each (``c in text``) is ten times as fast as either engine's search for the
    list over a plan that holds none of them."""
    return source.replace("|", "") if _CHARACTER_LIST.fullmatch(source) else None
