"""Plan metadata against a hand check: the jurisdiction read for each plan (its GB/T 2260
code and level) and whether a title, issuer and date were found where the text states one.

The hand check is ``jurisdictions.tsv`` beside a gold folder (corpus/dev/gold ->
corpus/dev/jurisdictions.tsv): one line per plan, ``doc_id``, ``jurisdiction``,
``admin_code``, ``level`` (empty where the text names no jurisdiction), then ``title``,
``issuer`` and ``date`` as ``yes`` or ``no`` (whether the text states one), and a ``note``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

CHECK_FILE = "jurisdictions.tsv"
COLUMNS = ("doc_id", "jurisdiction", "admin_code", "level", "title", "issuer", "date", "note")
STATED = ("title", "issuer", "date")


@dataclass
class PlacesReport:
    name: str
    plans: int = 0
    agree: int = 0
    level_agree: int = 0
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)  # doc_id, checked, read
    stated: dict[str, int] = field(default_factory=dict)  # field -> plans whose text states it
    found: dict[str, int] = field(default_factory=dict)  # field -> of those, plans where it was read
    unstated_found: dict[str, int] = field(default_factory=dict)  # read although the text does not state it

    @property
    def agreement(self) -> float | None:
        return self.agree / self.plans if self.plans else None

    def share(self, name: str) -> float | None:
        return self.found.get(name, 0) / self.stated[name] if self.stated.get(name) else None

    def to_json(self) -> dict[str, Any]:
        return {
            "plans": self.plans,
            "admin_code_agreement": self.agreement,
            "level_agreement": self.level_agree / self.plans if self.plans else None,
            "found_where_stated": {k: {"stated": self.stated.get(k, 0), "found": self.found.get(k, 0)} for k in STATED},
            "found_where_not_stated": {k: self.unstated_found.get(k, 0) for k in STATED},
            "disagreements": [{"doc_id": d, "checked": c, "read": r} for d, c, r in self.disagreements],
        }


def check_file(gold: Path | None) -> Path | None:
    """The hand check of a gold set, if it has one."""
    if gold is None:
        return None
    path = gold.parent / CHECK_FILE
    return path if path.is_file() else None


def read_check(path: Path) -> list[dict[str, str]]:
    """The hand check's lines; a malformed file is an error naming it and the line."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows or tuple(rows[0][: len(COLUMNS)]) != COLUMNS:
        raise InputError(str(path), "invalid_record", f"header must be {' '.join(COLUMNS)}")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        rec = dict(zip(COLUMNS, row + [""] * (len(COLUMNS) - len(row))))
        code = rec["admin_code"]
        if code and not (code.isdigit() and len(code) == 6):
            raise InputError(f"{path}:{n}", "invalid_record", f"admin_code: {code!r} is not six digits")
        if any(rec[k] not in ("yes", "no") for k in STATED):
            raise InputError(f"{path}:{n}", "invalid_record", "title, issuer and date must be yes or no")
        out.append(rec)
    return out


def score_places(name: str, checked: list[dict[str, str]], docs: list[dict[str, Any]]) -> PlacesReport:
    """Compare the documents' metadata (documents.jsonl lines) with the hand check; a plan
    that could not be read counts as read with nothing."""
    by_id = {d["doc_id"]: d for d in docs}
    report = PlacesReport(name)
    for rec in checked:
        doc = by_id.get(rec["doc_id"], {})
        report.plans += 1
        read_code = doc.get("admin_code") or ""
        if read_code == rec["admin_code"]:
            report.agree += 1
        else:
            report.disagreements.append((rec["doc_id"], f"{rec['jurisdiction']} {rec['admin_code']}".strip(), f"{doc.get('jurisdiction') or ''} {read_code}".strip()))
        if (doc.get("level") or "") == rec["level"]:
            report.level_agree += 1
        for k in STATED:
            if rec[k] == "yes":
                report.stated[k] = report.stated.get(k, 0) + 1
                report.found[k] = report.found.get(k, 0) + (1 if doc.get(k) else 0)
            elif doc.get(k):
                report.unstated_found[k] = report.unstated_found.get(k, 0) + 1
    return report


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f} %"


def places_markdown(reports: list[PlacesReport]) -> str:
    """The section of evaluation.md on plan metadata."""
    out = [
        "## Plan metadata: jurisdiction, title, issuer, date",
        "",
        f"Against the hand check `{CHECK_FILE}` of each set (read once from the raw text).",
        "",
        "| set | plans | admin_code agrees | level agrees | title found where stated | issuer found where stated | date found where stated |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in reports:
        cells = [f"{_pct(r.share(k))} ({r.found.get(k, 0)}/{r.stated.get(k, 0)})" for k in STATED]
        level = r.level_agree / r.plans if r.plans else None
        out.append(f"| {r.name} | {r.plans} | {_pct(r.agreement)} ({r.agree}/{r.plans}) | {_pct(level)} | " + " | ".join(cells) + " |")
    for r in reports:
        if r.disagreements:
            out += ["", f"{r.name}: admin_code differs for " + "; ".join(f"{d} (checked {c or 'none'}, read {x or 'none'})" for d, c, x in r.disagreements) + "."]
        extra = {k: v for k, v in r.unstated_found.items() if v}
        if extra:
            out += ["", f"{r.name}: read where the check says the text does not state it: " + ", ".join(f"{k} {v}" for k, v in sorted(extra.items())) + "."]
    return "\n".join(out) + "\n"
