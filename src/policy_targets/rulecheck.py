"""Run the examples and counterexamples that every rule in ``rules/*.yaml`` carries.

A rule is a mapping with a ``pattern`` (regex: examples must match, counterexamples must not)
or with examples of the form ``{text, expect}``, checked by the evaluator registered below
for that rulebook section. A rule without examples is reported as unfinished.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from . import rules

#: Evaluators for ``{text, expect}`` examples, by (rulebook, top-level key). Each returns the
#: value to compare with ``expect``. Filled lazily to keep imports one-directional.
Evaluator = Callable[[dict[str, Any], str], Any]


def _evaluators() -> dict[tuple[str, str], Evaluator]:
    from .text import normalize
    from .structure import responsible

    def units(rule: dict[str, Any], text: str) -> list[str] | None:
        block = responsible.find_block(text)
        return list(block.units) if block else None

    def category(rule: dict[str, Any], text: str) -> str:
        from .dataset.build import category_of

        return category_of(text)

    return {
        ("categories", "categories"): category,
        ("structure", "responsible_units"): units,
        ("normalization", "fold"): lambda rule, text: normalize.fold_chars(text),
        ("normalization", "zero_width"): lambda rule, text: normalize.fold_chars(text),
        ("normalization", "scripts"): lambda rule, text: normalize.fold_chars(text),
        ("normalization", "glosses"): lambda rule, text: normalize.normalize(text).text,
        **_extraction_evaluators(),
    }


def _extraction_evaluators() -> dict[tuple[str, str], Any]:
    """How the examples of each extraction rulebook are checked: through the extractor."""
    from .api import extract

    def first(field):
        def run(rule, text):
            recs = extract(text, doc_id="example")
            return recs[0][field] if recs else None

        return run

    def value_unit(rule, text):
        recs = extract(text, doc_id="example")
        return [recs[0]["value"], recs[0]["unit"]] if recs else None

    def years(rule, text):
        recs = extract(text, doc_id="example")
        r = recs[0] if recs else {}
        return [r.get("target_year"), r.get("period_start"), r.get("baseline_year")]

    def all_years(rule, text):
        return [r["target_year"] for r in extract(text, doc_id="example")]

    def flag(rule, text):
        recs = extract(text, doc_id="example")
        return bool(recs[0][rule["field"]]) if recs else None

    def values(rule, text):
        return [r["value"] for r in extract(text, doc_id="example")]

    def indicators(rule, text):
        return [r["indicator"] for r in extract(text, doc_id="example")]

    def first_quantity(rule, text):
        """[exclusion reason, unit] of the first number with a unit the extractor reads."""
        from .api import run_pipeline
        from .structure.documents import prepare

        with run_pipeline(prepare(text, "example")) as doc:
            qs = doc._.quantities
            return [qs[0].excluded, qs[0].unit] if qs else None

    def table_cell(rule, text):
        from .extraction.lexicon import lexicon
        from .extraction.tables import read_cell

        cell = read_cell(text, lexicon())
        return [cell.value, cell.comparator, cell.cumulative] if cell else None

    def segmentation(rule, text):
        from .extraction.pipeline import jieba_tokenizer

        return jieba_tokenizer().lcut(text)

    return {
        ("units", "magnitudes"): value_unit,
        ("units", "units"): value_unit,
        ("units", "bare_numbers"): value_unit,
        ("units", "unknown_units"): first_quantity,
        ("units", "approximate"): first_quantity,
        ("units", "per_unit_first"): value_unit,
        ("comparators", "comparators"): first("comparator"),
        ("verbs", "direction"): first("direction"),
        ("verbs", "predicate"): first("indicator"),
        ("verbs", "build_verbs"): first("indicator"),
        ("periods", "periods"): years,
        ("periods", "year_phrases"): years,
        ("periods", "baselines"): years,
        ("periods", "not_target_years"): years,
        ("periods", "past_phrases"): values,
        ("periods", "current_phrases"): values,
        ("periods", "title_quotes"): years,
        ("periods", "year_choice"): all_years,
        ("periods", "horizon"): values,
        ("qualifiers", "per_year"): flag,
        ("qualifiers", "cumulative"): flag,
        ("qualifiers", "aspirational"): flag,
        ("exclusions", "quotes"): values,
        ("exclusions", "context"): values,
        ("exclusions", "bulletin"): values,
        ("exclusions", "modifiers"): values,
        ("indicators", "strip_leading"): indicators,
        ("indicators", "qualifiers"): indicators,
        ("indicators", "example_lists"): indicators,
        ("indicators", "coordination"): indicators,
        ("indicators", "share_of_subject"): indicators,
        ("indicators", "sub_targets"): indicators,
        ("indicators", "number_lists"): indicators,
        ("indicators", "distribution"): indicators,
        ("indicators", "scope_clauses"): indicators,
        ("indicators", "shared_subjects"): indicators,
        ("indicators", "cleaning"): indicators,
        ("units", "kinds"): value_unit,
        ("segmentation", "userdict"): segmentation,
        ("tables", "cells"): table_cell,
        ("catalogue", "entries"): catalogue_case,
        ("catalogue", "kinds"): catalogue_case,
        ("catalogue", "scope"): catalogue_case,
    }


def parse_catalogue_case(case: str) -> tuple[str, str, str | None, str]:
    """A catalogue example ``"indicator | unit | scope=… | dir=…"`` as (indicator, unit,
    direction, scope)."""
    indicator, unit, *rest = [p.strip() for p in case.split(" | ")]
    options = dict(p.split("=", 1) for p in rest)
    return indicator, unit, options.get("dir"), options.get("scope", "")


def catalogue_case(rule: dict[str, Any], example: Any, is_example: bool) -> str | None:
    """Judge one catalogue example: a string must give the entry's id and the scope it names
    (a counterexample: not the entry's id); ``{text, expect}`` must give ``expect`` (an id, or
    [id, scope]; a counterexample: something else). Returns the problem, or None."""
    from .extraction.catalogue import match

    text = example["text"] if isinstance(example, dict) else example
    indicator, unit, direction, scope = parse_catalogue_case(text)
    got = match(indicator, unit, direction)
    if isinstance(example, dict):
        expect = example["expect"]
        value = [got.indicator_id, got.scope] if isinstance(expect, list) else got.indicator_id
        ok = (value == expect) == is_example
        return None if ok else f"{text!r} gave {value!r} ({got.rule}), {'expected' if is_example else 'must not give'} {expect!r}"
    if is_example:
        ok = (got.indicator_id, got.scope) == (rule["id"], scope)
        return None if ok else f"{text!r} gave {got.indicator_id!r} scope {got.scope!r} ({got.rule}), expected {rule['id']!r} scope {scope!r}"
    return None if got.indicator_id != rule["id"] else f"counterexample {text!r} gave {rule['id']!r} ({got.rule})"


catalogue_case.judges = True  # type: ignore[attr-defined]  # it is given the whole example


@dataclass(frozen=True)
class Case:
    book: str
    path: str
    kind: str  # "example" or "counterexample"
    example: Any
    rule: dict[str, Any]

    @property
    def id(self) -> str:
        text = self.example["text"] if isinstance(self.example, dict) else str(self.example)
        return f"{self.book}:{self.path}:{self.kind}:{text[:30]}"

    def run(self) -> None:
        """Raise AssertionError when the rule does not behave as its example says."""
        if self.book == "fragments":  # a fragment matches its examples as a whole
            name = self.path.split(".")[-1]
            source = rules.fragments()[name]
            if "chars" in self.rule:
                source = f"[{source}]"
            found = rules.compile_pattern(source).fullmatch(self.example) is not None
            want = self.kind == "example"
            assert found == want, f"{self.path}: fragment {'missed' if want else 'matched'} {self.example!r}"
            return
        if self.book == "checks":  # an example is a record the check flags, a counterexample one it passes
            from .extraction.checks import example_fails

            want = self.kind == "example"
            assert example_fails(self.rule, self.example) == want, f"{self.path}: {'missed' if want else 'flagged'} {self.example!r}"
            return
        if "pattern" in self.rule and not isinstance(self.example, dict):
            found = rules.compile_pattern(self.rule["pattern"]).search(self.example) is not None
            want = self.kind == "example"
            assert found == want, f"{self.path}: pattern {'missed' if want else 'matched'} {self.example!r}"
            if want and "prefilter" in self.rule:  # a text the pattern matches never skips it
                assert rules.compile_pattern(self.rule["prefilter"]).search(self.example), f"{self.path}: prefilter missed {self.example!r}"
            return
        top = self.path.split(".")[0].split("[")[0]
        evaluator = _evaluators().get((self.book, top))
        assert evaluator is not None, f"no evaluator for {self.book}.{top}"
        if getattr(evaluator, "judges", False):  # examples that carry more than a text
            problem = evaluator(self.rule, self.example, self.kind == "example")
            assert problem is None, f"{self.path}: {problem}"
            return
        got = evaluator(self.rule, self.example["text"])
        expect = self.example.get("expect")
        if self.kind == "example":
            assert got == expect, f"{self.path}: {self.example['text']!r} gave {got!r}, expected {expect!r}"
        elif "expect" in self.example:
            assert got == expect, f"{self.path}: {self.example['text']!r} gave {got!r}, expected {expect!r}"
        else:
            assert not got, f"{self.path}: counterexample {self.example['text']!r} gave {got!r}"


def rulebooks() -> list[str]:
    return rules.rulebooks()


def cases() -> Iterator[Case]:
    for book in rulebooks():
        yield from _walk(book, rules.load(book), "")


def unfinished() -> list[str]:
    """Rules that carry no examples: every mapping that holds data of its own (a word list, a
    pattern, a table) rather than only further rules. Rows of a table (list items with no
    ``name``) are the data of the rule that holds the table."""
    out = []
    for book in rulebooks():
        out.extend(f"{book}:{p}" for p in _unfinished(rules.load(book), ""))
    return out


_NOT_DATA = ("description", "examples", "counterexamples", "name")


def _walk(book: str, node: Any, path: str) -> Iterator[Case]:
    if isinstance(node, dict):
        for kind, key in (("example", "examples"), ("counterexample", "counterexamples")):
            for ex in node.get(key, []) or []:
                yield Case(book, path or "<top>", kind, ex, node)
        for k, v in node.items():
            if k not in ("examples", "counterexamples"):
                yield from _walk(book, v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            name = v.get("id", v.get("name", i)) if isinstance(v, dict) else i
            yield from _walk(book, v, f"{path}[{name}]")


def _is_rules(value: Any) -> bool:
    """A rule (a mapping with examples or a description), a mapping of rules, or a list of
    rules: something that holds rules rather than data."""
    if isinstance(value, dict):
        return "examples" in value or "description" in value or (
            bool(value) and all(_is_rules(v) or isinstance(v, (int, float)) for v in value.values())
        )
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and ("name" in v or "examples" in v) for v in value)


def _unfinished(node: Any, path: str) -> Iterator[str]:
    if isinstance(node, dict):
        # a number alone (a limit such as max_rows) is a setting, not a rule to show by example
        data = [k for k, v in node.items() if k not in _NOT_DATA and not _is_rules(v) and not isinstance(v, (int, float))]
        if data and not node.get("examples"):
            yield path or "<top>"
        for k, v in node.items():
            if k not in _NOT_DATA and _is_rules(v):
                yield from _unfinished(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _unfinished(v, f"{path}[{v.get('name', i)}]")
