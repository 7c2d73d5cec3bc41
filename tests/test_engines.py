"""The standard library's re stands in for regex only where both read a pattern alike.

``text.alternation.quicker_engine`` hands a rulebook pattern to ``re`` when it is a list of
words or anchored at the start of the text and holds nothing the engines read differently;
every rulebook pattern it hands over must find what ``regex`` finds, on the corpus texts and
on made-up strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from policy_targets import rules
from policy_targets.text.alternation import quicker_engine
from policy_targets.text.reading import read_text

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("corpus/raw", "corpus/dev/raw", "corpus/dev2/raw", "corpus/wild/raw")


def _pattern_sources(node: object) -> Iterator[str]:
    """Every pattern and prefilter of a loaded rulebook, wherever it stands."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("pattern", "prefilter") and isinstance(value, str):
                yield value
            else:
                yield from _pattern_sources(value)
    elif isinstance(node, list):
        for value in node:
            yield from _pattern_sources(value)


def _moved() -> list[tuple[regex.Pattern[str], re.Pattern[str]]]:
    """The rulebook patterns and shared fragments that ``quicker_engine`` hands to re, beside
    their regex form."""
    names = sorted(p.stem for p in rules.rules_dir().glob("*.yaml") if p.stem != "fragments")
    sources = sorted({s for name in names for s in _pattern_sources(rules.load(name))} | set(rules.fragments().values()))
    pairs = [(p, quicker_engine(p)) for p in map(rules.compile_pattern, sources)]
    return [(p, q) for p, q in pairs if isinstance(q, re.Pattern)]


MOVED = _moved()


def _found(pattern: regex.Pattern[str] | re.Pattern[str], text: str) -> list[tuple]:
    return [(m.span(), m.groups(), sorted(m.groupdict().items())) for m in pattern.finditer(text)]


def test_every_shape_moved_is_in_the_rulebooks() -> None:
    """Anchored forms, word lists and classes of characters are moved: the specs below
    cover each."""
    assert any(q.pattern.startswith("^") for _, q in MOVED)
    assert any("|" in q.pattern and q.pattern[0] not in "^[" for _, q in MOVED)
    assert any(q.pattern.startswith("[") for _, q in MOVED)


@pytest.mark.parametrize(
    "source, moved",
    [
        ("相关推荐|推荐阅读|开奖", True),  # a list of words
        ("(?:达到|提高到)$", True),  # a list of words that must end the text
        ("(?:达到|提高.)$", False),  # not a list of words
        ("[|｜]", True),  # one of a few characters
        ("[a-z]", False),  # a range: not among the shapes measured
        ("[^|]", False),
        ("^第(?P<num>[一二三])章", True),  # anchored at the start
        (r"^(?P<num>\d{1,2})、", False),  # \d: regex knows digits Python does not yet
        (r"^专栏\s*一", True),  # \s spelled out as regex's spaces (Python counts \x1c-\x1f too)
        (r"^专栏\S+", True),  # and \S as the class of everything else
        (r"^专栏[\S\n]+", False),  # but not inside a class
        (r"^\w+", False),
        (r"^\p{Han}+", True),  # spelled out as the characters of regex's Han script
        (r"^\P{Han}+", False),  # only regex reads it
        (r"(?m)^[ \t]*\p{Han}{2,4}$", True),  # anchored at the start of every line
        (r"(?m)^[ \t]*[(（]?\s+$|^[-•]\S", True),  # every alternative anchored
        ("(?m)^甲$", False),  # a literal opening the line: regex looks for it
        ("(?m)^[0-9]+$", False),  # likewise a class of ASCII digits
        ("(?m)^[-•]+|[-•]+$", False),  # an alternative not anchored
        ("(?i)^甲", False),  # an inline flag
        ("^[-•](?m)甲", False),  # multiline given elsewhere than at the start
        ("^甲(?<=乙甲|丙丁甲)", False),  # re cannot read a lookbehind of varying width
        ("^[[甲]", False),  # re warns: a later Python reads the set otherwise
        ("^第(?P<n>一)章|^第(?P<n>二)节", False),  # re refuses a group name used twice
        ("甲.乙|丙", False),  # neither shape
    ],
)
def test_only_what_both_engines_read_alike_is_moved(source: str, moved: bool) -> None:
    pattern = regex.compile(source, regex.V0)
    result = quicker_engine(pattern)
    assert isinstance(result, re.Pattern) == moved
    assert moved or result is pattern


def test_moved_patterns_find_what_regex_finds_in_the_corpus() -> None:
    texts = [read_text(p) for corpus in CORPORA for p in sorted((ROOT / corpus).glob("*.txt"))]
    assert texts
    for p, q in MOVED:
        for text in texts:
            assert _found(q, text) == _found(p, text), p.pattern
            if p.pattern.startswith("^"):  # a line-level form: asked of each line
                for line in text.split("\n"):
                    assert _found(q, line) == _found(p, line), (p.pattern, line)


def _alphabet() -> str:
    """The characters of the moved patterns, and those where the engines are known to differ
    elsewhere (control separators, digits of other scripts, circled numbers, spaces), and
    those at the edges of the Han script (〇々 and radicals are Han, 〔ー and U+2E9A are not)."""
    own = {c for _, q in MOVED for c in q.pattern if not c.isascii() or c.isalnum()}
    return "".join(sorted(own)) + "\x1c\x1e\x1f\x85\u2028\n \t\u30000１٣\U00011f50①甲.、()|:〇々〆⺀\u2e9a㐀\U00020000豈〔ー"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_alphabet(), max_size=30))
def test_moved_patterns_find_what_regex_finds_in_made_up_strings(text: str) -> None:
    for p, q in MOVED:
        assert _found(q, text) == _found(p, text), p.pattern
