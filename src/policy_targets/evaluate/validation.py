"""Reading target JSONL files (gold or predictions) against the record schema.

A bad line is reported as ``file:line: field: problem``; reading never stops at the first
error and never loses the good lines.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import orjson


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@functools.cache
def schema() -> dict[str, Any]:
    return json.loads(resources.files("policy_targets.evaluate").joinpath("schema/target.schema.json").read_text("utf-8"))


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema())


def problems_of(record: Any) -> list[tuple[str, str]]:
    """(field, message) pairs for one parsed record; empty when valid."""
    out = []
    for err in sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path)):
        path = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            missing = err.message.split("'")[1] if "'" in err.message else "?"
            out.append((missing, "missing"))
        else:
            out.append((path or "<record>", err.message))
    return out


def read_records(path: str | Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """All valid records of a JSONL file, in file order, and the problems of the others."""
    name = str(path)
    records: list[dict[str, Any]] = []
    issues: list[Problem] = []
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                issues.append(Problem(name, lineno, "<line>", f"invalid JSON: {exc}"))
                continue
            found = problems_of(record)
            if found:
                issues.extend(Problem(name, lineno, f, m) for f, m in found)
            else:
                records.append(record)
    return records, issues


def read_folder(folder: str | Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Records of every ``*.jsonl`` file in a folder, files in name order."""
    records: list[dict[str, Any]] = []
    issues: list[Problem] = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        r, p = read_records(path)
        records.extend(r)
        issues.extend(p)
    return records, issues
