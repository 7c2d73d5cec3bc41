"""The rules that decide a target's comparator, direction and qualifiers, in one place.

Each function takes the words found around a number and returns the field value of
ANNOTATION.md. The word lists live in ``rules/comparators.yaml``, ``rules/verbs.yaml`` and
``rules/qualifiers.yaml``.
"""

from __future__ import annotations

from .lexicon import Lexicon


def comparator(lex: Lexicon, own_suffix: str, list_suffix: str, prefix: str, range_end: str = "") -> str:
    """A value's own suffix (以上) wins; else the suffix written once after the last value of
    its list; else a prefix (不低于) before the first value; else, for an end of a range
    (建成2-3座, ANNOTATION v3), ``>=`` for the lower and ``<=`` for the upper; else the default (=)."""
    for word in (own_suffix, list_suffix, prefix):
        if word:
            return lex.comparator_of_word[word]
    return RANGE_ENDS.get(range_end, lex.default_comparator)


#: The comparator of each end of a range with no comparator word (ANNOTATION.md v3).
RANGE_ENDS = {"low": ">=", "high": "<="}


def direction(lex: Lexicon, tail: list[tuple[str, str]], head: str = "") -> str:
    """The verb nearest the number decides: a change verb gives increase or decrease, unless
    it ends in 至/到/为 (降至, 提高到), which states a level; any other verb states a level.
    ``tail`` holds the (category, word) pairs peeled off before the number, nearest first.
    With no verb there, a change verb opening the head governs its object and the amount
    (减少二氧化碳排放100万吨)."""
    verbs = [word for category, word in tail if category == "verb"]
    for word in verbs:
        if word in lex.change_nouns:
            return _change(lex, word) or "level"  # 下降幅度达到16%: the change noun decides
    if verbs:
        return _change(lex, verbs[0]) or "level"
    return _change(lex, head, opening=True) or "level"


def _change(lex: Lexicon, word: str, opening: bool = False) -> str | None:
    for verbs, name in ((lex.decrease_words, "decrease"), (lex.increase_words, "increase")):
        if not word.startswith(verbs):
            continue  # one test in C for the whole list: most words open with none of them
        for v in verbs:
            if word.startswith(v):
                rest = word[len(v) :]
                if opening:
                    return name if rest and not rest.startswith(lex.level_after) else None
                return "level" if word.endswith(lex.level_after) else name
    return None


def per_year(lex: Lexicon, clause_before: str, indicator: str = "") -> bool:
    """年均/每年 before the number — unless it is part of the indicator's name (PM2.5年均浓度 is
    an annual mean, not a yearly amount; as 年 in 年消费能力 in the gold notes)."""
    if lex.per_year.search(clause_before) is None:  # one search says so for most clauses
        return False
    return any(m.group(0) not in indicator for m in lex.per_year.finditer(clause_before))


def continues_verb(lex: Lexicon, between: str, tail: list[tuple[str, str]], prefix: str, build_verb: str | None) -> bool:
    """Whether a target's clause has no predicate of its own — no verb, comparator or adverb
    before its number — and follows the one before it across a comma only (…建成A 50座,
    B 600个): it goes on that clause's verb, and its hedge. A semicolon or 其中 starts a
    statement of its own."""
    return not tail and not prefix and build_verb is None and not any(mark in between for mark in lex.statement_breaks)


def cumulative(lex: Lexicon, clause_before: str) -> bool:
    return lex.cumulative.search(clause_before) is not None


def aspirational(lex: Lexicon, clause_before: str, sentence_before: str, carried: bool = False) -> bool:
    """力争/争取/力求 in the clause before the number, or before a time phrase earlier in the
    sentence (力争到2030年,…), which hedges the whole sentence. ``carried``: the clause goes on
    the hedged verb of the clause before it (力争建成充电站50座,充电桩600个)."""
    if carried or lex.aspirational.search(clause_before):
        return True
    for m in lex.aspirational.finditer(sentence_before):
        if any(p.match(sentence_before, m.end()) for p in (lex.year_single, lex.year_range, lex.year_list, lex.period_pattern)):
            return True
    return False
