"""Specs as data: sentences and the records they must give, in ``tests/specs/*.jsonl``.

One JSON object a line, in the shape of Recognizers-Text's Specs:

``{"input": "...", "results": [{"indicator": ..., "value": ..., "evidence": ...}],
"excluded": [{"text": "5万吨", "reason": "scale_class"}], "not_supported": "why", "comment": "..."}``

- ``results``: the records, in order; each compares only the fields it names (``evidence`` is
  the span the record points at), and the count must be equal;
- ``excluded``: every number that an exclusion rule set aside, with the rule's name
  (``Quantity.excluded``), in order; left out, exclusions are not checked;
- ``not_supported``: a known limitation. The spec is expected to fail (run as a strict xfail),
  so that fixing the limitation shows as a passing spec to unmark.

Used by ``tests/test_specs.py`` and by the mutation script (``tests/tools/mutate.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SPECS = Path(__file__).resolve().parent / "specs"


@dataclass(frozen=True)
class Spec:
    file: str
    line: int
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}:{self.data['input'][:16]}"

    @property
    def not_supported(self) -> str | None:
        return self.data.get("not_supported")

    def problems(self) -> list[str]:
        """What the extractor gets wrong on this spec ([] when it gives what the spec says)."""
        from policy_targets.api import records_of_with_quantities

        records, quantities = records_of_with_quantities(self.data["input"])
        out = []
        want = self.data.get("results", [])
        if len(records) != len(want):
            out.append(f"{len(records)} records, expected {len(want)}: {[(r['indicator'], r['value']) for r in records]}")
        for i, (got, exp) in enumerate(zip(records, want)):
            for field, value in exp.items():
                if got.get(field) != value:
                    out.append(f"record {i} {field}: got {got.get(field)!r}, expected {value!r}")
        if "excluded" in self.data:
            got_ex = [{"text": q.text, "reason": q.excluded} for q in quantities if q.excluded]
            if got_ex != self.data["excluded"]:
                out.append(f"excluded: got {got_ex}, expected {self.data['excluded']}")
        return out


def load_specs(folder: Path = SPECS) -> list[Spec]:
    specs = []
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                specs.append(Spec(path.name, n, json.loads(line)))
    return specs
