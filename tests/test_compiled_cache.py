"""The catalogue and the lexicon kept compiled on disk (rules.kept_compiled): what a process
reads back is what it would have compiled, and an edit to a rulebook is never hidden by an
older entry."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import regex

from policy_targets import rules
from policy_targets.extraction import catalogue as catalogue_module
from policy_targets.extraction import lexicon as lexicon_module


def _plain(obj: Any) -> Any:
    """An object as plain data to compare: a pattern by its source and flags, a set in sorted
    order (its iteration order depends on the process's string hashes)."""
    if isinstance(obj, regex.Pattern):
        return ("pattern", obj.pattern, obj.flags)
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(map(repr, (_plain(v) for v in obj)))
    return obj


def _entries(cat: catalogue_module.Catalogue) -> list[tuple[str, list[tuple[str, str, int, str]]]]:
    return [(e.id, [(label, p.pattern, p.flags, needs) for label, p, needs in e.searches]) for e in cat.entries]


def test_the_kept_catalogue_and_lexicon_are_what_compiling_gives() -> None:
    catalogue_module.catalogue(), lexicon_module.lexicon()  # kept on disk, if not already
    rules.clear_caches()
    kept = catalogue_module.catalogue()  # read back from the disk
    built = catalogue_module._build()
    assert _entries(kept) == _entries(built)
    assert [p.pattern for p in (kept.before, kept.after, kept.other_head, kept.per_head)] == [
        p.pattern for p in (built.before, built.after, built.other_head, built.per_head)
    ]
    assert _plain(lexicon_module.lexicon()) == _plain(lexicon_module._build(rules.rules_dir()))
    for indicator, unit in [("新建建筑屋顶光伏覆盖率", "%"), ("农村生活污水治理率", "%"), ("新型储能装机规模", "万千瓦")]:
        assert catalogue_module.match(indicator, unit) == catalogue_module.match.__wrapped__(indicator, unit)


def test_an_edited_rulebook_is_compiled_again(rules_copy: Path) -> None:
    """A new entry in the catalogue of a rules folder makes a new cache entry: the next
    process (here: after clear_caches) sees it."""
    assert catalogue_module.match("乡村驿站充电车位", "个").indicator_id is None
    book = rules_copy / "catalogue.yaml"
    text = book.read_text("utf-8")
    entry = (
        "  - id: test_village_charging_bays\n"
        "    name: 乡村驿站充电车位数\n"
        "    en: Charging bays at village stations\n"
        "    category: transport\n"
        "    kind: count\n"
        "    unit: 个\n"
        "    direction: increase\n"
        "    patterns: ['乡村驿站充电车位']\n"
        '    examples: ["乡村驿站充电车位 | 个"]\n'
        '    counterexamples: ["城市驿站充电车位 | 个"]\n'
    )
    book.write_text(text.replace("entries:\n", "entries:\n" + entry, 1), "utf-8")
    rules.clear_caches()
    assert catalogue_module.match("乡村驿站充电车位", "个").indicator_id == "test_village_charging_bays"


def _in_process(code: str, cache: Path) -> str:
    """Run ``code`` in a new Python process whose cache folder is ``cache``; its output."""
    import os
    import subprocess
    import sys

    env = {**os.environ, rules.CACHE_ENV: str(cache)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout


def test_rule_patterns_compiled_in_one_process_are_read_back_by_the_next(tmp_path: Path) -> None:
    """The pattern store (rules.keep_pattern_store): what one process compiled, the next
    takes from the disk without compiling, the same pattern."""
    first = "from policy_targets import rules\nprint(rules.compile_pattern('甲(?:乙|丙)+丁').pattern)\n"
    assert _in_process(first, tmp_path).strip() == "甲(?:乙|丙)+丁"
    assert len(list(tmp_path.glob("patterns-*.pickle"))) == 1
    second = (
        "import regex\n"
        "from policy_targets import rules\n"
        "def refuse(*a, **k):\n"
        "    raise AssertionError('compiled again')\n"
        "regex.compile = refuse\n"
        "p = rules.compile_pattern('甲(?:乙|丙)+丁')\n"
        "print(bool(p.fullmatch('甲乙丙丁')), bool(p.fullmatch('甲丁')))\n"
    )
    assert _in_process(second, tmp_path).split() == ["True", "False"]



#: Patterns of the shapes handed to ``re`` (a class of ranges beyond the basic plane, a named
#: group, an inline flag, a lookahead), each with a text and what ``findall`` gives on it.
_RE_CASES = [
    ("(?m)^[ \\t]*[\\U00004e00-\\U00009fff\\U00020000-\\U0002a6df]{1,4}(?P<tail>[:：])", "甲乙:\n  丙：\n丁戊己庚辛:", [":", "："]),
    ("^(?:达到|提高到|不低于)(?=\\d)", "提高到5", ["提高到"]),
    ("[|｜]", "甲|乙｜丙", ["|", "｜"]),
]


def test_re_patterns_are_read_back_compiled_by_the_next_process(tmp_path: Path) -> None:
    """rules.compile_re: the code ``re`` compiled in one process is read back by the next,
    which compiles nothing, and gives the pattern ``re.compile`` gives (equal: same source,
    flags and engine code), finding the same."""
    sources = [source for source, _, _ in _RE_CASES]
    first = f"from policy_targets import rules\nfor s in {sources!r}:\n    rules.compile_re(s)\nprint('ok')\n"
    assert _in_process(first, tmp_path).strip() == "ok"
    second = (
        "import re\n"
        "real = re.compile\n"
        "from policy_targets import rules\n"
        f"cases = {_RE_CASES!r}\n"
        "def refuse(*a, **k):\n"
        "    raise AssertionError('compiled again')\n"
        "re.compile = refuse\n"
        "kept = [rules.compile_re(s) for s, _, _ in cases]\n"
        "re.compile = real\n"
        "print(all(k == re.compile(s) and k.findall(t) == f for k, (s, t, f) in zip(kept, cases)))\n"
    )
    assert _in_process(second, tmp_path).strip() == "True"


def test_a_damaged_re_entry_is_compiled_again(tmp_path: Path, monkeypatch) -> None:
    """An entry the engine refuses (another Python's code, a damaged file) is compiled the
    usual way, and kept anew."""
    import re

    monkeypatch.setenv(rules.CACHE_ENV, str(tmp_path))
    rules.keep_pattern_store.cache_clear()
    try:
        store = rules.keep_pattern_store()
        source = _RE_CASES[0][0]
        store.compiled[("re", source)] = (0, [999, 1, 2], 0, {}, (None,))
        assert rules.compile_re(source) == re.compile(source)
        assert store.compiled[("re", source)][1] != [999, 1, 2]
    finally:
        rules.keep_pattern_store.cache_clear()

def test_a_pattern_store_grown_past_its_limit_keeps_only_what_a_run_used(tmp_path: Path) -> None:
    """Patterns of rulebooks long edited away do not pile up: past the limit, the store is
    written back with the patterns of the run that wrote it."""
    store = rules._PatternStore(tmp_path / "patterns.pickle", {f"old{i}": regex.compile(f"old{i}") for i in range(rules.PATTERN_STORE_LIMIT)})
    store.compiled["新"] = regex.compile("新")
    store.used.add("新")
    store.added = True
    store.write()
    assert list(rules.read_cached(tmp_path / "patterns.pickle")) == ["新"]
    small = rules._PatternStore(tmp_path / "small.pickle", {"旧": regex.compile("旧")})
    small.compiled["新"] = regex.compile("新")
    small.added = True
    small.write()
    assert sorted(rules.read_cached(tmp_path / "small.pickle")) == ["新", "旧"]


def test_a_new_cache_entry_prunes_the_older_entries_of_its_name_only(tmp_path: Path) -> None:
    """Every version of the code or rulebooks (and every jieba install) writes an entry of its
    own: writing one leaves the ``KEPT_ENTRIES`` last written of its name and suffix, and
    nothing of another name, another suffix or another shape."""
    import os

    def entry(name: str, n: int, suffix: str = ".pickle") -> Path:
        path = tmp_path / f"{name}-{n:032x}{suffix}"
        path.write_bytes(b"old")
        os.utime(path, ns=(n * 10**9, n * 10**9))
        return path

    olds = [entry("lexicon", n) for n in range(1, 8)]
    others = [entry("lexicon-extra", 1), entry("lexicon", 1, ".parts"), entry("catalogue", 1)]
    stray = tmp_path / "lexicon-notes.pickle"
    stray.write_bytes(b"")
    new = tmp_path / f"lexicon-{'f' * 32}.pickle"
    rules.write_cached(new, {"新": 1})
    left = sorted(p for p in tmp_path.glob("lexicon-*.pickle") if p not in (new, stray, others[0]))
    assert left == olds[-(rules.KEPT_ENTRIES - 1) :]
    assert rules.read_cached(new) == {"新": 1}
    assert all(p.exists() for p in [*others, stray])
