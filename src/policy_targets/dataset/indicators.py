"""The dataset seen through the indicator catalogue: targets grouped by catalogue entry (plans,
target years, value range per unit), the indicators no entry matched, the share of records
that got an id, and the catalogue itself as a Markdown page (``docs/catalogue.md``).

All pure functions of rows (records or dataset rows) and the catalogue rulebook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import rules
from ..extraction.catalogue import catalogue, match

#: The catalogue's categories in the order the page lists them.
CATEGORY_ORDER = ("energy", "air", "water", "soil", "waste", "ecology", "transport", "buildings", "industry", "emissions", "economy")


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def catalogue_markdown() -> str:
    """``docs/catalogue.md``: every entry by category, with its kind, unit, direction and the
    forms its examples show. Written from rules/catalogue.yaml by ``policy-targets catalogue
    --markdown``; a test keeps the committed page current."""
    book = rules.load("catalogue")
    entries = book["entries"]
    count = Counter(e["category"] for e in entries)
    out = [
        "# Indicator catalogue",
        "",
        "Generated from `rules/catalogue.yaml` by `policy-targets catalogue --markdown > docs/catalogue.md`;",
        "do not edit by hand. Each target record carries the `indicator_id` of the entry its indicator",
        "matches (null when none fits its unit) and the `scope` its indicator names beyond the entry.",
        "",
        f"{len(entries)} entries: " + ", ".join(f"{c} {count[c]}" for c in CATEGORY_ORDER if count[c]) + ".",
        "",
        "Units that fit each kind (besides the entry's own units):",
        "",
        "| kind | always | any unit of kind | only as a change (not a level) |",
        "|---|---|---|---|",
    ]
    for kind, fit in book["kinds"]["fits"].items():
        shown = lambda words: ", ".join(f"`{w}`" if w else "(no unit)" for w in words) or "—"  # noqa: E731
        out.append(f"| {kind} | {shown(fit['always'])} | {shown(fit['unit_kinds'])} | {shown(fit['as_change'])} |")
    for category in CATEGORY_ORDER:
        rows = [e for e in entries if e["category"] == category]
        if not rows:
            continue
        out += ["", f"## {category}", "", "| id | name | English | kind | unit | direction | written as | not this entry |", "|---|---|---|---|---|---|---|---|"]
        for e in rows:
            units = ", ".join(f"`{u}`" if u else "(no unit)" for u in [e["unit"], *e.get("units", [])])
            forms = "; ".join(_cell(str(x if isinstance(x, str) else x["text"]).split(" | ")[0]) for x in e["examples"])
            nots = "; ".join(_cell(str(x if isinstance(x, str) else x["text"]).split(" | ")[0]) for x in e["counterexamples"])
            out.append(f"| `{e['id']}` | {_cell(e['name'])} | {_cell(e['en'])} | {e['kind']} | {units} | {e['direction']} | {forms} | {nots} |")
    return "\n".join(out) + "\n"


def catalogue_listing() -> str:
    """One line per entry for the terminal: id, category, kind, unit, Chinese name."""
    lines = [f"{e.id}\t{e.category}\t{e.kind}\t{e.unit or '-'}\t{e.name}" for e in catalogue().entries]
    return "\n".join(lines) + "\n"


def unmatched(records: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, int, str]]:
    """The (indicator, unit) of records that got no id, most frequent first, with the count and the
    catalogue rule (``unit_mismatch:…`` when an entry named it but its unit did not fit).
    Records without an ``indicator_id`` field (older outputs, gold) are matched here."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for r in records:
        if "indicator_id" in r:
            found, why = r["indicator_id"], r.get("catalogue_rule", "")
        else:
            m = match(r["indicator"], r["unit"], r.get("direction"))
            found, why = m.indicator_id, m.rule
        if not found:
            counts[(r["indicator"], r["unit"], why)] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(ind, unit, n, why) for (ind, unit, why), n in ranked]


def coverage(records: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(records whose indicator gets an id, records): gold records are matched with their
    own indicator, unit and direction."""
    total = hit = 0
    for r in records:
        total += 1
        hit += match(r["indicator"], r["unit"], r.get("direction")).indicator_id is not None
    return hit, total


@dataclass(frozen=True)
class EntryGroup:
    """The targets of one catalogue entry across the dataset."""

    indicator_id: str
    name: str
    targets: int
    plans: int
    years: tuple[int, ...]
    ranges: tuple[tuple[str, float, float], ...]  # (unit, min, max) per canonical unit
    values: tuple[tuple[str, str, float, int | None], ...]  # (plan, unit, value, year): each plan's own level target, for charts

    def range_text(self) -> str:
        """The value range per unit as people read it: ``18–35 ug/m3; 5–10 %``."""
        return "; ".join(f"{_number(lo)}–{_number(hi)} {u}" if lo != hi else f"{_number(lo)} {u}" for u, lo, hi in self.ranges)


def _plan(row: Mapping[str, Any]) -> str:
    corpus = row.get("corpus") or ""
    return f"{corpus}/{row['doc_id']}" if corpus else str(row["doc_id"])


def _unit_of(row: Mapping[str, Any]) -> tuple[str, float]:
    if row.get("unit_canonical") is not None and row.get("value_canonical") is not None:
        return str(row["unit_canonical"]), float(row["value_canonical"])
    return str(row["unit"]), float(row["value"])


def group_by_entry(rows: Iterable[Mapping[str, Any]]) -> list[EntryGroup]:
    """Targets grouped by catalogue entry, the most targets first: plans, target years,
    value range per unit (canonical when the dataset has it), and one value per plan and
    unit for the charts: its first level target without a scope (the plan's own), else its
    first level target."""
    names = {e.id: e.name for e in catalogue().entries}
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for r in rows:
        if r.get("indicator_id"):
            grouped.setdefault(r["indicator_id"], []).append(r)
    out = []
    for entry_id, members in grouped.items():
        ranges: dict[str, list[float]] = {}
        levels: dict[tuple[str, str], list[tuple[bool, float, int | None]]] = {}  # (has a scope, value, year) in order
        for r in members:
            unit, value = _unit_of(r)
            ranges.setdefault(unit, []).append(value)
            if r.get("direction") == "level":
                levels.setdefault((_plan(r), unit), []).append((bool(r.get("scope")), value, r.get("target_year")))
        per_plan = {key: min(values, key=lambda sv: sv[0])[1:] for key, values in levels.items()}  # the first unscoped, else the first
        out.append(
            EntryGroup(
                entry_id,
                names.get(entry_id, entry_id),
                len(members),
                len({_plan(r) for r in members}),
                tuple(sorted({r["target_year"] for r in members if r.get("target_year") is not None})),
                tuple((u, min(v), max(v)) for u, v in sorted(ranges.items())),
                tuple((plan, unit, value, year) for (plan, unit), (value, year) in sorted(per_plan.items())),
            )
        )
    return sorted(out, key=lambda g: (-g.targets, g.indicator_id))


def _number(value: float) -> str:
    """A value without exponent: whole numbers with thousands separators (50,000,000 kW)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.2f}"


def entry_table_markdown(groups: list[EntryGroup]) -> list[str]:
    """The Markdown table of targets by catalogue entry."""
    out = ["| indicator_id | name | targets | plans | target years | value range |", "|---|---|---|---|---|---|"]
    for g in groups:
        years = ", ".join(map(str, g.years)) or "—"
        out.append(f"| `{g.indicator_id}` | {_cell(g.name)} | {g.targets} | {g.plans} | {years} | {_cell(g.range_text())} |")
    return out


# --- the chart of values per plan -----------------------------------------------------------

#: Geometry of the small-multiple chart, in whole pixels so that the bytes never depend on a
#: renderer: label column, bar column, value column, row height, plans shown per entry.
_LABEL, _BAR, _VALUE, _ROW, _MAX_PLANS = 230, 260, 130, 18, 40


def _main_unit(group: EntryGroup) -> str | None:
    """The unit most of an entry's per-plan values are in (the first in order on a tie)."""
    counts = Counter(unit for _, unit, _, _ in group.values)
    return min(counts, key=lambda u: (-counts[u], u)) if counts else None


def entries_svg(groups: list[EntryGroup], top: int = 10) -> str:
    """One SVG of the ``top`` most common entries: for each, a bar per plan of its level
    target in the entry's main unit, with its year (largest first, at most 40 plans), so that what plans
    commit to can be compared at a glance. Standalone (inline styles), for summary.md and the
    review index alike."""
    from xml.sax.saxutils import escape

    width = _LABEL + _BAR + _VALUE
    parts: list[str] = []
    y = 0
    for g in [g for g in groups if g.values][:top]:
        unit = _main_unit(g)
        bars = sorted(((v, plan, year) for plan, u, v, year in g.values if u == unit), key=lambda b: (-b[0], b[1]))[:_MAX_PLANS]
        high = max((v for v, _, _ in bars), default=0) or 1
        title = f"{g.indicator_id} — {g.name} ({unit or 'no unit'}): each plan's level target (year)"
        parts.append(f'<text x="0" y="{y + 14}" font-weight="bold">{escape(title)}</text>')
        y += 20
        for value, plan, year in bars:
            w = max(0, round(_BAR * value / high))
            label = plan if len(plan) <= 34 else "…" + plan[-33:]
            parts.append(
                f'<g transform="translate(0,{y})"><text x="{_LABEL - 6}" y="{_ROW - 5}" text-anchor="end">{escape(label)}</text>'
                f'<rect x="{_LABEL}" y="3" width="{w}" height="{_ROW - 6}" fill="#4a7fb5"></rect>'
                f'<text x="{_LABEL + w + 4}" y="{_ROW - 5}">{_number(value)}{f" ({year})" if year else ""}</text></g>'
            )
            y += _ROW
        y += 12
    height = max(y, _ROW)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="11" role="img" aria-label="Values per plan of the {top} most common catalogue entries">\n'
        + "\n".join(parts)
        + "\n</svg>\n"
    )


def catalogue_summary_markdown(rows: list[Mapping[str, Any]], chart: str | None = None) -> list[str]:
    """The summary's section on the catalogue: the share of targets with an id, the targets
    grouped by entry, and (when given) the chart file of the ten most common entries."""
    groups = group_by_entry(rows)
    with_id = sum(1 for r in rows if r.get("indicator_id"))
    share = f"{with_id / len(rows):.1%}" if rows else "n/a"
    out = [
        "## Targets by catalogue entry",
        "",
        f"{with_id} of {len(rows)} targets ({share}) have a catalogue id (`indicator_id`, see `docs/catalogue.md`);"
        f" they fall into {len(groups)} entries. Value ranges are in the canonical unit when there is one.",
        "",
    ]
    out += entry_table_markdown(groups)
    if chart:
        out += ["", f"![Level targets per plan of the ten most common entries]({chart})"]
    return out


# --- measured on the gold sets ---------------------------------------------------------------

#: The file beside a gold folder (``corpus/dev2/indicator_ids.tsv`` for ``corpus/dev2/gold``)
#: that holds a hand-read catalogue id for every gold record of the set.
HAND_IDS = "indicator_ids.tsv"


@dataclass(frozen=True)
class CatalogueFigures:
    """How the catalogue does on one gold set: records whose indicator gets an id, and (when
    the set has hand-read ids) how many records get the id a reader gave them."""

    name: str
    gold: int
    with_id: int
    checked: int | None = None  # records with a hand-read id line
    agree: int | None = None  # … whose matched id (or none) is the hand-read one

    def to_json(self) -> dict[str, Any]:
        return {"gold": self.gold, "with_id": self.with_id, "coverage": self.with_id / self.gold if self.gold else None,
                "checked": self.checked, "agree": self.agree, "agreement": self.agree / self.checked if self.checked else None}


def _key(record: Mapping[str, Any]) -> tuple[str, str, str, str]:
    value = record["value"]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (str(record["doc_id"]), str(record["indicator"]), str(value), str(record["unit"]))


def read_hand_ids(path: str | Path) -> dict[tuple[str, str, str, str], list[str]]:
    """The hand-read ids of a ``indicator_ids.tsv`` (doc_id, indicator, value, unit,
    indicator_id; empty id = no entry is this indicator), by record key, in file order."""
    import csv

    out: dict[tuple[str, str, str, str], list[str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.setdefault((row["doc_id"], row["indicator"], row["value"], row["unit"]), []).append(row["indicator_id"])
    return out


def catalogue_figures(name: str, gold: list[Mapping[str, Any]], hand_ids: Path | None = None) -> CatalogueFigures:
    """Coverage of one gold set, and agreement with its hand-read ids when the file exists."""
    with_id, total = coverage(gold)
    if hand_ids is None or not hand_ids.is_file():
        return CatalogueFigures(name, total, with_id)
    hand = read_hand_ids(hand_ids)
    checked = agree = 0
    for g in gold:
        ids = hand.get(_key(g))
        if not ids:
            continue
        expected = ids.pop(0)
        checked += 1
        agree += (match(g["indicator"], g["unit"], g.get("direction")).indicator_id or "") == expected
    return CatalogueFigures(name, total, with_id, checked, agree)


def _share(part: int | None, whole: int | None) -> str:
    return f"{part / whole:.4f} ({part}/{whole})" if part is not None and whole else "—"


def catalogue_figures_markdown(figures: list[CatalogueFigures]) -> list[str]:
    """The table of evaluation.md (and the README): coverage per gold set and overall, and
    agreement with hand-read ids where a set has them."""
    gold = sum(f.gold for f in figures)
    with_id = sum(f.with_id for f in figures)
    checked = [f for f in figures if f.checked]
    names = [f.name for f in figures]
    out = [
        "## Indicator catalogue",
        "",
        "Share of gold records whose indicator (with its unit) gets a catalogue id, and, where a set has",
        f"hand-read ids (`{HAND_IDS}` beside its gold folder), the share of its records whose id (or none) is the hand-read one.",
        "",
        "| figure | " + " | ".join(names) + " | overall |",
        "|---|" + "---|" * (len(names) + 1),
        "| records with an id | " + " | ".join(_share(f.with_id, f.gold) for f in figures) + f" | {_share(with_id, gold)} |",
        "| agreement with hand-read ids | " + " | ".join(_share(f.agree, f.checked) for f in figures)
        + f" | {_share(sum(f.agree or 0 for f in checked), sum(f.checked or 0 for f in checked)) if checked else '—'} |",
    ]
    return out
