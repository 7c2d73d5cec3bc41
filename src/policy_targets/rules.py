"""Access to the rulebooks in ``rules/``.

Domain knowledge (units, comparator words, heading forms, debris patterns …) is data that a
domain expert edits without touching code. This module only finds and parses those files;
each step of the pipeline compiles the part it needs. The files are read once per process.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import regex
import yaml

#: Environment variable that points the tool at another rules folder (for experiments).
RULES_ENV = "POLICY_TARGETS_RULES"


def rules_dir() -> Path:
    """The folder holding the rulebooks.

    A source checkout keeps them at the repository top level (``rules/``) so that experts find
    them at once; a built wheel carries a copy inside the package.
    """
    override = os.environ.get(RULES_ENV)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "rules", here / "rules"):
        if (candidate / "normalization.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"rules folder not found next to {here}; set {RULES_ENV}")


@functools.cache
def load(name: str) -> dict[str, Any]:
    """Parse ``rules/<name>.yaml``."""
    path = rules_dir() / f"{name}.yaml"
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


@functools.cache
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile a rule pattern once (rules use the ``regex`` dialect: ``\\p{Han}`` …)."""
    return regex.compile(pattern, regex.V0)


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first so that 及以上 wins over 以上."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) for w in ordered)


def userdict_path() -> Path:
    """The jieba user dictionary (plain ``word freq tag`` lines)."""
    return rules_dir() / "jieba_userdict.txt"
