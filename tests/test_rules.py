"""Every rule in rules/*.yaml behaves as its own examples and counterexamples say."""

import pytest

from policy_targets import rulecheck

CASES = list(rulecheck.cases())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_example(case: rulecheck.Case) -> None:
    case.run()


def test_every_rule_has_examples() -> None:
    assert rulecheck.unfinished() == []


def test_rulebooks_carry_cases() -> None:
    books = {c.book for c in CASES}
    assert {"normalization", "structure"} <= books
    assert sum(c.kind == "counterexample" for c in CASES) >= 20
