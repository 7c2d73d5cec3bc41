"""Which rulebook entries could be deleted without any test noticing?

Deletes one entry at a time from the extraction rulebooks (a word of a word list, a row of a
table, a pattern of a pattern list, a fragment word), in a copy of ``rules/``, and runs in
this process what could notice: the rulebooks' own examples (``rulecheck``) and the specs
(``tests/specs/*.jsonl``). Between mutations only the caches are cleared (the rulebooks are
read again, jieba's dictionary is kept), so a run takes minutes, not hours. A mutation is
noticed at its first failing check, or when the mutated rulebook is refused (a schema needs
at least one word). Survivors are printed; the target is none.

Run: ``.venv/bin/python tests/tools/mutate.py [--books units,verbs] [--limit N]``.
"""

from __future__ import annotations

import argparse
import copy
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

#: What is mutated: (rulebook, path to a list), each element deleted in turn.
TARGETS = {
    "comparators": ["comparators.table[*].prefix", "comparators.table[*].suffix"],
    "units": ["units.table", "magnitudes.words"],
    "verbs": ["direction.decrease", "direction.increase", "direction.level_after", "predicate.level_verbs", "predicate.adverbs", "build_verbs.suffix", "build_verbs.prefix", "build_verbs.dropped", "build_verbs.nouns", "build_verbs.work_nouns"],
    "indicators": ["strip_leading.words", "qualifiers.patterns", "coordination.measure_words", "coordination.measure_suffixes", "coordination.share_words", "coordination.count_measures", "coordination.measure_modifiers", "coordination.place_suffixes", "coordination.level_words", "share_of_subject.continuations", "share_of_subject.breaks", "example_lists.categories", "shared_subjects.other_words", "shared_subjects.zone_suffixes", "shared_subjects.share_openers"],
    "qualifiers": ["per_year.words", "cumulative.words", "aspirational.words"],
    "exclusions": ["context", "quotes.pairs"],
    "periods": ["periods.names", "periods.span_words", "periods.end_words", "baselines.patterns", "not_target_years.patterns"],
    "fragments": ["fragments.list_joiners.words", "fragments.baseline_words.words", "fragments.year_end.words"],
}


def _lists(node: Any, parts: list[str], where: str) -> Iterator[tuple[str, Any]]:
    """(label, container) for each list or mapping the dotted path names (``[*]``: every row)."""
    if not parts:
        yield where, node
        return
    head, rest = parts[0], parts[1:]
    if head.endswith("[*]"):
        for i, row in enumerate(node[head[:-3]]):
            yield from _lists(row, rest, f"{where}.{head[:-3]}[{i}]")
    else:
        yield from _lists(node[head], rest, f"{where}.{head}" if where else head)


def mutations(rules_dir: Path, books: list[str]) -> Iterator[tuple[str, str, Any]]:
    """(book, label, mutated data) for every single deletion."""
    for book in books:
        data = yaml.safe_load((rules_dir / f"{book}.yaml").read_text("utf-8"))
        for path in TARGETS[book]:
            for label, container in _lists(data, path.split("."), ""):
                keys = list(container) if isinstance(container, dict) else list(range(len(container)))
                for key in keys:
                    item = container[key]
                    shown = item.get("name") or item.get("unit") if isinstance(item, dict) else (key if isinstance(container, dict) else item)
                    mutated = copy.deepcopy(data)
                    target = next(c for lab, c in _lists(mutated, path.split("."), "") if lab == label)
                    del target[key]
                    yield book, f"{book}.yaml {label}: {shown}", mutated


USE_SPECS = True


def checks() -> Iterator[tuple[str, Any]]:
    """Every check that could notice, the extraction ones first (they notice most)."""
    import spec_runner
    from policy_targets import rulecheck

    for spec in spec_runner.load_specs() if USE_SPECS else []:
        if not spec.not_supported:
            yield spec.id, spec
    for case in rulecheck.cases():
        yield case.id, case


def noticed(book: str) -> str | None:
    """The first check that fails under the current rules, or None."""
    from policy_targets.errors import RuleError

    try:
        for name, check in checks():
            if hasattr(check, "problems"):
                if check.problems():
                    return name
            else:
                try:
                    check.run()
                except AssertionError:
                    return name
    except RuleError as exc:
        return f"refused: {exc}"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--books", default=",".join(TARGETS), help="rulebooks to mutate (comma-separated)")
    ap.add_argument("--limit", type=int, default=0, help="stop after this many mutations (0: all)")
    ap.add_argument("--no-specs", action="store_true", help="run only the rulebooks' own examples (the suite before specs)")
    args = ap.parse_args()
    global USE_SPECS
    USE_SPECS = not args.no_specs
    from policy_targets import rules

    source = rules.rules_dir()
    work = Path(tempfile.mkdtemp(prefix="pt-mutate-")) / "rules"
    shutil.copytree(source, work)
    os.environ[rules.RULES_ENV] = str(work)
    os.environ[rules.CACHE_ENV] = ""  # every mutation is checked afresh
    survivors, total, t0 = [], 0, time.perf_counter()
    try:
        for book, label, data in mutations(source, args.books.split(",")):
            if args.limit and total >= args.limit:
                break
            total += 1
            (work / f"{book}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
            rules.clear_caches()
            if noticed(book) is None:
                survivors.append(label)
                print(f"SURVIVED  {label}", flush=True)
            shutil.copy(source / f"{book}.yaml", work / f"{book}.yaml")
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)
        rules.clear_caches()
    print(f"{len(survivors)} of {total} deletions survived ({time.perf_counter() - t0:.0f} s)")
    sys.exit(1 if survivors else 0)


if __name__ == "__main__":
    main()
