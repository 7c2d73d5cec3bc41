"""Words that every match of a pattern holds, read from the regex engine itself: a text that
holds none of them holds no match, and a search for the words alone rules it out.

The ``regex`` module finds no such text for an alternation (``今年…|本年…|…年内``) and so
tries every alternative at every character: 5 ms over the bench plans' paragraphs without a
year for the phrases that need none, where each alternative alone, which has its own
required text (:func:`engine_text`), is skipped to at once. The required texts of
the alternatives, joined as a list of words, are searched by Python's ``re``, which skips to
their first characters (``text.alternation.quicker_engine``): 0.6 ms for the same paragraphs.

An alternative without a required text that holds a group of alternatives at its top level
(``(?:去年|上年|前年)(?!同期)``) is read as each of them in the group's place, which matches
where it matches. Where one has no required text even so, there are no words (None): the
callers then search as before.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from .. import rules
from ..text.alternation import alternatives, flagged, top_level

#: How many groups of alternatives, one inside another, are unfolded before giving up.
_MAX_DEPTH = 3
#: Quantifiers that make what they follow optional.
_OPTIONAL = ("?", "*", "{0", "{,")
#: A group whose text is part of the match, non-capturing or captured (no lookaround, no
#: group of another kind), with its body.
_GROUP = regex.compile(r"\((?:\?:|\?P<\w+>|(?!\?))(?P<body>.*)\)", regex.DOTALL)
#: A range of ASCII letters or digits inside a class.
_ASCII_RANGE = regex.compile(r"([0-9A-Za-z])-([0-9A-Za-z])")


def engine_text(pattern: regex.Pattern[str]) -> str:
    """A text every match of ``pattern`` holds: the "required string" the regex engine finds
    when it compiles a pattern, to skip ahead to where a match can be. Read from the pattern's
    pickled form, which is the engine's own record of it; empty when there is none, or should
    that form ever change."""
    data = getattr(pattern, "_pickled_data", None)
    if not (isinstance(data, tuple) and len(data) == 11 and data[0] == pattern.pattern and isinstance(data[8], tuple)):
        return ""
    chars = data[8]
    return "".join(map(chr, chars)) if all(isinstance(c, int) for c in chars) else ""


def required_words(patterns: Iterable[regex.Pattern[str]]) -> tuple[str, ...] | None:
    """Words one of which every match of every pattern holds, sorted; None when an
    alternative of one of them has none, or when one has a flag or an inline flag (ignoring
    case, its words would have to as well; verbose, its text is no sequence of alternatives)."""
    words: set[str] = set()
    for pattern in patterns:
        if flagged(pattern):
            return None
        for alternative in alternatives(pattern.pattern):
            found = _required(alternative, 0)
            if found is None:
                return None
            words.update(found)
    return tuple(sorted(words))


def required_class(pattern: regex.Pattern[str]) -> str | None:
    """A class of characters (``[A-Za-z]``) one of which every match of ``pattern`` holds: one
    that stands, not made optional, at the top level of the pattern or of a group that stands
    so there (a lookaround's text is no part of the match), with no alternation at any level
    passed through. A text where none of its characters stands holds no match, which Python's
    ``re`` finds several times faster than ``regex`` tries the pattern at every character.
    None when there is none, or with a flag or an inline flag (as :func:`required_words`)."""
    if flagged(pattern):
        return None
    return _class_in(pattern.pattern, 0)


def _class_in(source: str, depth: int) -> str | None:
    """The first class ``required_class`` reads in ``source``, looking into its groups."""
    if depth > _MAX_DEPTH or len(alternatives(source)) > 1:
        return None
    opened = 0
    for i, ch, level in top_level(source):
        if (ch == "[" and level == 0) or (ch == "(" and level == 1):
            opened = i
        elif ch in "])" and level == 0 and not source.startswith(_OPTIONAL, i + 1):
            if ch == "]":
                return source[opened : i + 1]
            body = _GROUP.fullmatch(source, opened, i + 1)
            found = body and _class_in(body.group("body"), depth + 1)
            if found:
                return found
    return None


def written_out(cls: str) -> str | None:
    """``cls`` with its ranges of ASCII letters or digits written out as the characters they
    hold (``[A-Ca-cμ]`` → ``[ABCabcμ]``): the form ``text.alternation.quicker_engine`` hands to
    ``re``, where both engines read it alike. None for a class with an escape, a negation, a
    set inside it or another range."""
    body = cls[1:-1]
    if body.startswith("^") or any(c in body for c in "\\[]"):
        return None
    body = _ASCII_RANGE.sub(lambda m: "".join(map(chr, range(ord(m[1]), ord(m[2]) + 1))), body)
    return None if "-" in body or not body else f"[{body}]"


def _required(source: str, depth: int) -> list[str] | None:
    """The required texts of ``source``: its own, else those of ``source`` with the first
    group of its top level put as each of its alternatives in turn."""
    try:
        text = engine_text(rules.compile_pattern(source))  # kept compiled on disk, as the rulebooks' are
    except regex.error:
        return None
    if text:
        return [text]
    group = _first_group(source)
    if group is None or depth >= _MAX_DEPTH:
        return None
    before, inner, after = group
    out: list[str] = []
    for alternative in alternatives(inner):
        found = _required(before + alternative + after, depth + 1)
        if found is None:
            return None
        out += found
    return out


def always_holds(pattern: str, part: str) -> bool:
    """Whether every match of ``pattern`` holds a match of ``part`` (both regex sources), by
    the sufficient test of :func:`times_held`. A text with no match of ``part`` holds no match
    of such a pattern, which need not be tried there."""
    return times_held(pattern, part) > 0


def times_held(pattern: str, part: str, depth: int = 0) -> int:
    """How many matches of ``part``, none overlapping another, every match of ``pattern``
    holds (both regex sources), by a test that is sufficient, not complete: the groups at the
    top level of ``pattern`` that no quantifier makes optional, when ``pattern`` has no
    alternation at its top level, each count as many as they hold: one when it is ``part``
    itself or its body is, else what its body holds (a group of a group, to ``_MAX_DEPTH``).
    Every match runs through each such group in turn, so their matches stand side by side. A
    lookaround is no group here (its text is no part of the match)."""
    if depth > _MAX_DEPTH or len(alternatives(pattern)) > 1:
        return 0
    count, opened = 0, 0
    for i, ch, level in top_level(pattern):
        if ch == "(" and level == 1:
            opened = i
        elif ch == ")" and level == 0 and not pattern.startswith(_OPTIONAL, i + 1):
            group = _GROUP.fullmatch(pattern, opened, i + 1)
            if pattern[opened : i + 1] == part or (group and group.group("body") in (part, f"(?:{part})")):
                count += 1
            elif group:
                count += times_held(group.group("body"), part, depth + 1)
    return count


def _first_group(source: str) -> tuple[str, str, str] | None:
    """``(before, inner, after)`` for the first group of the top level of ``source`` that is
    a non-capturing group ``(?:inner)`` no quantifier follows (lookarounds, capturing and
    quantified groups are passed over); None when there is none."""
    opened = 0
    for i, ch, depth in top_level(source):
        if ch == "(" and depth == 1:
            opened = i
        elif ch == ")" and depth == 0:
            after = source[i + 1 :]
            if source.startswith("(?:", opened) and after[:1] not in ("?", "*", "+", "{"):
                return source[:opened], source[opened + 3 : i], after
    return None
