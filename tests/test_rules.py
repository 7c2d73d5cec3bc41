"""Every rule in rules/*.yaml behaves as its own examples and counterexamples say, and a broken
rulebook is refused at load time with an error that names the file, the place and the rule."""

from pathlib import Path

import pytest
import yaml

from policy_targets import extract, rulecheck, rules
from policy_targets.errors import RuleError

CASES = list(rulecheck.cases())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_example(case: rulecheck.Case) -> None:
    case.run()


def test_every_rule_has_examples() -> None:
    assert rulecheck.unfinished() == []


def test_every_section_of_every_rulebook_is_checked() -> None:
    """The examples test reaches each top-level section that holds rules, in every rulebook."""
    reached = {(c.book, c.path.split(".")[0].split("[")[0]) for c in CASES}
    for book in rules.rulebooks():
        for section in rules.load(book):
            assert (book, section) in reached, f"{book}.{section} has no example that runs"


def test_a_rule_without_examples_is_reported(tmp_path: Path) -> None:
    book = {"words_only": {"description": "x", "words": ["甲"]}, "fine": {"words": ["乙"], "examples": ["乙"]}}
    assert list(rulecheck._unfinished(book, "")) == ["words_only"]


def test_rulebooks_carry_cases() -> None:
    books = {c.book for c in CASES}
    assert {"normalization", "structure", "fragments"} <= books
    assert sum(c.kind == "counterexample" for c in CASES) >= 20


def _edit(folder: Path, book: str, change) -> None:
    path = folder / f"{book}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def test_a_missing_key_is_named(rules_copy: Path) -> None:
    _edit(rules_copy, "verbs", lambda d: d["direction"].pop("level_after"))
    with pytest.raises(RuleError, match=r"^rules/verbs\.yaml: direction\.level_after: missing$"):
        rules.load("verbs")
    with pytest.raises(RuleError, match="direction.level_after: missing"):
        extract("到2025年,风电装机达到100万千瓦。")


def test_a_misspelt_key_is_named(rules_copy: Path) -> None:
    _edit(rules_copy, "comparators", lambda d: d["comparators"].update(defualt="="))
    with pytest.raises(RuleError, match=r"^rules/comparators\.yaml: comparators\.defualt: unknown key$"):
        rules.load("comparators")


def test_a_bad_regex_names_its_rule(rules_copy: Path) -> None:
    def unbalance(d):
        rule = next(r for r in d["context"] if r["name"] == "scope_frame")
        rule["pattern"] = "以(?:重点"

    _edit(rules_copy, "exclusions", unbalance)
    with pytest.raises(RuleError, match=r"^rules/exclusions\.yaml: context\[scope_frame\]\.pattern: bad regex: missing \)"):
        rules.load("exclusions")


def test_an_unknown_fragment_is_named(rules_copy: Path) -> None:
    _edit(rules_copy, "periods", lambda d: d["baselines"]["patterns"].append("较{yaer}年"))
    with pytest.raises(RuleError, match=r"^rules/periods\.yaml: baselines\.patterns\[\d+\]: unknown fragment \{yaer\}$"):
        rules.load("periods")


def test_a_rulebook_that_is_not_yaml_is_named(rules_copy: Path) -> None:
    (rules_copy / "units.yaml").write_text("units: [unclosed\n", "utf-8")
    with pytest.raises(RuleError, match=r"^rules/units\.yaml: line \d+: not valid YAML"):
        rules.load("units")


def test_a_new_plan_period_needs_only_its_name(rules_copy: Path) -> None:
    text = "“十七五”期间,全市海上风电装机容量达到800万千瓦。"
    assert extract(text) == [] or extract(text)[0]["target_year"] is None
    rules.clear_caches()
    _edit(rules_copy, "periods", lambda d: d["periods"]["names"].update({"十七五": [2036, 2040]}))
    rules.clear_caches()
    got = [(r["indicator"], r["target_year"], r["period_start"]) for r in extract(text)]
    assert got == [("海上风电装机容量", 2040, 2036)]


def test_a_shared_fragment_changes_every_pattern_that_references_it(rules_copy: Path) -> None:
    """The baseline words are written once: a new one is read both as a baseline and as a word
    peeled off the indicator."""
    text = "到2026年,单位工业增加值用水量相对2020年下降12%。"
    before = extract(text)
    assert not before or before[0]["baseline_year"] is None
    _edit(rules_copy, "fragments", lambda d: d["fragments"]["baseline_words"]["words"].append("相对"))
    rules.clear_caches()
    after = extract(text)[0]
    assert (after["indicator"], after["baseline_year"]) == ("单位工业增加值用水量", 2020)
