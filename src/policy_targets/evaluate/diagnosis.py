"""Which stage decided an error, so that a reader of ``evaluate --errors`` sees which
mechanism to fix rather than a flat list of sentences.

- a spurious prediction or a wrong field is decided by the construction that made the
  record: its provenance field ``rule``;
- a missed gold record is explained by the quantities the extractor found in the plan: a
  number at that place that an exclusion rule set aside (and which rule), a number that was
  a candidate but did not become a target with these fields (time scope, unit or indicator
  differ), or no number found there at all (the number reader or the unit table).

Quantities arrive as plain mappings (``text``, ``value``, ``unit``, ``excluded``) so that the
scorer stays independent of the extractor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

NO_RULE = "(no rule recorded)"
NOT_RUN = "not known (predictions read from a file)"
NEVER_FOUND = "never found as a number with a unit"
CANDIDATE = "found as a candidate number, no target made of it"


def missed_stage(
    gold: Mapping[str, Any], quantities: Sequence[Mapping[str, Any]] | None, spurious: Sequence[Mapping[str, Any]], tolerance: float
) -> str:
    """Why a gold record has no matching prediction. First the predictions of its plan that
    no gold took: one with the same value tells which field kept it from matching (the
    time scope for the year, the unit table for the unit, the indicator builder for the
    name). Then the quantities of the plan whose value matches (within the scorer's
    ``tolerance``) and whose text is in the evidence: all excluded names the exclusion rule."""
    near = [p for p in spurious if _same_value(p, gold, tolerance)]
    for p in near:
        differ = [f for f in ("target_year", "unit") if p.get(f) != gold.get(f)]
        if differ:
            return "predicted with another " + " and ".join(differ) + f" · {rule_stage(p)}"
    if near:
        return f"predicted with an indicator too different · {rule_stage(near[0])}"
    if quantities is None:
        return NOT_RUN
    evidence = gold.get("evidence", "")
    here = [q for q in quantities if _same_value(q, gold, tolerance) and q["text"] and q["text"] in evidence]
    reasons = {q["excluded"] for q in here}
    if here and None not in reasons:
        return "excluded: " + ", ".join(sorted(reasons))
    if here:
        return CANDIDATE
    return NEVER_FOUND


def _same_value(a: Mapping[str, Any], b: Mapping[str, Any], tolerance: float) -> bool:
    return abs(float(a["value"]) - float(b["value"])) <= tolerance + 1e-9


def rule_stage(record: Mapping[str, Any]) -> str:
    return record.get("rule") or NO_RULE
