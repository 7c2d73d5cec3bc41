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

import functools
import re
import sys
import warnings
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

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
#: A list of words that must end the text: ``(?:达到|提高到)$``, the words before a number
#: peeled off one category at a time (``frames._peel``).
_ENDING_WORDS = regex.compile(rf"\(\?:{_PLAIN}+(?:\|{_PLAIN}+)*\)\$")
#: A list of words each a single character (``<|&``).
_CHARACTER_LIST = regex.compile(rf"{_PLAIN}(?:\|{_PLAIN})*")
#: A pattern that is one of a few characters: a class of them, no range, escape or negation.
_CHARACTERS = regex.compile(r"\[[^\\\[\]^-]+\]")
#: What the two engines read differently, or what only ``regex`` reads, besides a flag: a
#: Unicode property (``\p``, ``\X``); a class shorthand (``\d``, ``\w``, ``\b`` follow the
#: Unicode version of each engine: regex knows digits Python does not yet; regex's ``\s``
#: leaves out ``\x1c``-``\x1f``, which Python counts as spaces); ``\K``, ``\G``.
_ENGINE_SPECIFIC = regex.compile(r"\\[dDsSwWbBpPXKG]")


#: The one inline flag a pattern handed to ``re`` may carry: multiline at its very start,
#: which both engines apply to the whole pattern.
_MULTILINE = "(?m)"
#: What the engines read differently (:data:`_ENGINE_SPECIFIC`) but ``re`` reads alike once
#: spelled out as the class of characters ``regex`` itself gives it (:func:`spelled_out`):
#: the Han script and white space. Not ``\d``: the digits of other scripts beyond the
#: basic plane make ``re`` test each of some thirty ranges at every character (measured:
#: a date form 2.6 times as slow).
_SPELLED = (r"\p{Han}", r"\s")
#: Spelled out besides in a pattern anchored at the start of every line (``(?m)^`` in each
#: alternative), whose classes are tried only where a line starts: ``\d``, which elsewhere costs
#: ``re`` more than it spares (above); here it moves a page-number line, a navigation line and
#: a list of related links to ``re`` (measured over the bench plans and the wild pages: 0.6-0.7
#: of regex's time).
_SPELLED_IN_LINES = (r"\d",)
#: The complements spelled out as the negated class of their own (outside a class only: in
#: one, ``[\S\n]``, they are left to ``regex``).
_COMPLEMENTS = {r"\S": r"\s"}
#: What opens a line-anchored alternative that ``regex`` finds faster than ``re`` (measured:
#: 2-10 times): a literal character, or a class of ASCII letters or digits (``[0-9]``), after ``^`` and
#: any spaces; ``regex`` looks for it, ``re`` tries every position.
_LITERAL_OPENING = regex.compile(r"\^(?:\[ \\t\][*+])?+(?:[^\\\[(.^$|]|\\[^pPdDsSwWbBXKGAZ]|\[[0-9A-Za-z][0-9A-Za-z-]*\])")


def quicker_engine(pattern: regex.Pattern[str]) -> regex.Pattern[str] | re.Pattern[str]:
    """``pattern`` compiled by the standard library's ``re`` where ``re`` searches it faster and
    reads it alike; else ``pattern`` itself. Faster (measured on the bench plans): a list of
    words (also one that must end the text, ``(?:达到|提高到)$``) or one of a few characters,
    where ``re`` skips to the words' first characters and ``regex`` tries each word at every
    character (1.4-3x over a plan; the words before a number 0.80 -> 0.28 ms a round); a pattern anchored
    at the start of the text, which both try at one position but ``re`` in fewer steps (2-3x
    on a line); and a pattern anchored at the start of every line (``(?m)^`` in each of its
    alternatives), which both try at every character but ``re`` in fewer steps (1.5-4x over a
    plan), unless an alternative opens with a literal that ``regex`` looks for
    (:data:`_LITERAL_OPENING`). Alike: no flag but a leading ``(?m)`` (:func:`flagged`) and
    nothing of :data:`_ENGINE_SPECIFIC` once ``\\p{Han}``, ``\\s`` and ``\\S`` are spelled out as
    ``regex``'s own ranges (:func:`spelled_out`), and ``re`` compiles it without a warning; a pattern ``re``
    cannot compile (a lookbehind of varying width, a group name used twice) stays with
    ``regex``. Other shapes stay too: where ``regex`` finds a literal inside the pattern or a
    lookbehind opens it, ``re`` is up to 20 times slower."""
    source = pattern.pattern
    lines = source.startswith(_MULTILINE)
    if lines:  # multiline, given inline at the start and nowhere else, is no other flag
        body = source[len(_MULTILINE) :]
        if pattern.flags & ~(regex.V0 | regex.U | regex.M) or _FLAGGED.search(body) or not _line_anchored(body):
            return pattern
    elif flagged(pattern):
        return pattern
    elif not (source.startswith("^") or _WORD_LIST.fullmatch(source) or _ENDING_WORDS.fullmatch(source) or _CHARACTERS.fullmatch(source)):
        return pattern
    source = spelled_out(source, lines)
    if _ENGINE_SPECIFIC.search(source):
        return pattern
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # re's warning of a set that a later Python will read otherwise
        try:
            return rules.compile_re(source)
        except (re.error, Warning):
            return pattern


def anchored_at_start(pattern: regex.Pattern[str]) -> bool:
    """Whether ``pattern`` matches only at the start of the text: every alternative at its top
    level opens with ``^``, and no flag (multiline among them) may make ``^`` match elsewhere."""
    return not flagged(pattern) and all(a.startswith("^") for a in alternatives(pattern.pattern))


def _line_anchored(source: str) -> bool:
    """Whether every alternative of ``source`` opens with ``^`` and none with a literal that
    ``regex`` looks for (:data:`_LITERAL_OPENING`)."""
    return all(a.startswith("^") and not _LITERAL_OPENING.match(a) for a in alternatives(source))


def _tokens(source: str) -> Iterator[tuple[str, bool]]:
    """The pieces of a pattern, each with whether it stands inside a class: an escape (a
    property ``\\p{…}`` whole), the opening of a class (with its ``^``, and a ``]`` first in
    it, which is the character), any other character."""
    i, in_class = 0, False
    while i < len(source):
        c = source[i]
        if c == "\\":
            end = source.index("}", i) + 1 if source.startswith(("\\p{", "\\P{"), i) else i + 2
        elif c == "[" and not in_class:
            end = i + 1 + source.startswith("^", i + 1)
            end += source.startswith("]", end)
            yield source[i:end], False
            i, in_class = end, True
            continue
        else:
            end = i + 1
        yield source[i:end], in_class
        in_class = in_class and c != "]"
        i = end


def alternatives(source: str) -> list[str]:
    """The alternatives of a pattern's top level: ``source`` split at the bars that stand
    outside every group and class (escaped characters skipped)."""
    out, start = [], 0
    for i, ch, depth in top_level(source):
        if ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
    return out + [source[start:]]


def top_level(source: str) -> Iterable[tuple[int, str, int]]:
    """Each character of ``source`` that is neither escaped nor inside a class (the brackets
    that open and close a class included), with the depth of the groups open after it (a
    closing bracket counts as closed)."""
    depth, i, in_class = 0, 0, False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            if not in_class:
                yield i, ch, depth
        elif ch == "[":
            in_class = True
            yield i, ch, depth
            i += 2 if source.startswith("^]", i + 1) else 1 if source.startswith("]", i + 1) else 0  # a ] first is literal
        else:
            depth += ch == "("
            depth -= ch == ")"
            yield i, ch, depth
        i += 1


def spelled_out(source: str, lines: bool = False) -> str:
    """``source`` with each of :data:`_SPELLED` (and, for a pattern anchored at every line's
    start, ``lines``, of :data:`_SPELLED_IN_LINES`) replaced by the ranges of characters the
    installed ``regex`` matches with it (:func:`spelled_classes`): bare in a class, in a
    class of its own elsewhere; each of :data:`_COMPLEMENTS` outside a class by the negated
    class. Other properties and shorthands are left as they are."""
    names = (*_SPELLED, *_SPELLED_IN_LINES) if lines else _SPELLED
    if not any(name in source for name in (*names, *_COMPLEMENTS)):
        return source
    classes = spelled_classes()
    out = []
    for token, in_class in _tokens(source):
        if token in names:
            out.append(classes[token] if in_class else f"[{classes[token]}]")
        elif token in _COMPLEMENTS and not in_class:
            out.append(f"[^{classes[_COMPLEMENTS[token]]}]")
        else:
            out.append(token)
    return "".join(out)


@functools.cache
def spelled_classes() -> dict[str, str]:
    """Each of :data:`_SPELLED` and :data:`_SPELLED_IN_LINES` as the ranges of a class
    (``\\U00000030-\\U00000039…``): read from the installed ``regex`` itself, never typed by
    hand, so that the two engines read a pattern alike whatever Unicode version ``regex``
    follows. Kept on disk beside the rulebooks (``rules.kept``, renewed with ``regex``'s own
    module; named for the classes it holds), as reading every code point takes some 0.1 s."""
    import regex._regex as engine

    return rules.kept("spelled-classes-with-digits", [Path(engine.__file__)], _read_classes)


def _read_classes() -> dict[str, str]:
    every = array("I", range(sys.maxunicode + 1)).tobytes().decode("utf-32-le", "surrogatepass")
    names = (*_SPELLED, *_SPELLED_IN_LINES)
    return {name: "".join(_range(m.start(), m.end() - 1) for m in regex.finditer(f"(?:{name})+", every)) for name in names}


def _range(first: int, last: int) -> str:
    return f"\\U{first:08x}-\\U{last:08x}" if last > first else f"\\U{first:08x}"


def compiled_quicker(source: str) -> regex.Pattern[str] | re.Pattern[str]:
    """A rulebook pattern compiled once (:func:`~policy_targets.rules.compile_pattern`), handed
    to the engine that searches it faster (:func:`quicker_engine`)."""
    return quicker_engine(rules.compile_pattern(source))


def character_list(source: str) -> str | None:
    """The characters of a pattern that is a list of single characters (``<|&``) or one of a
    few characters (``[|｜]``), one of which a text holds exactly where the pattern matches in
    it; None for any other pattern. ``str``'s own search for each (``c in text``) is ten times
    as fast as either engine's search for the list over a plan that holds none of them."""
    if _CHARACTER_LIST.fullmatch(source):
        return source.replace("|", "")
    return source[1:-1] if _CHARACTERS.fullmatch(source) else None


def holds_any(text: str, chars: str) -> bool:
    """Whether ``text`` holds one of ``chars``: a search in C for each, several times faster
    than a class of characters in a pattern over a long text, so that a pass with nothing to
    find is skipped."""
    return any(c in text for c in chars)
