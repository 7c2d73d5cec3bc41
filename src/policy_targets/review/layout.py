"""A plan's text as the page draws it: paragraphs and headings, each holding its highlights
as a tree (``marks.nest``), every highlight described by a :class:`Look` (element, id,
classes, the data attributes the filters read, the label after it). Kept apart from the
templates so that the templates only place what is decided here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .marks import Span, clip, nest
from .verdicts import Entry, NumberView, PlanView, show_value


@dataclass(frozen=True)
class Look:
    """How one highlight is drawn: the element, its id (heads only), classes, data
    attributes for the filters, and the label after it (heads only)."""

    tag: str
    id: str | None
    classes: str
    data: dict[str, str]
    label: str | None
    title: str = ""


def label(e: Entry) -> str:
    """What a reader needs beside a highlight to judge it without opening the record: the
    fields that decide matching, the rule that made it, and for an error what is wrong."""
    r = e.record
    parts = [r["indicator"], f"{show_value(r['value'])} {r['unit']}".strip(), r["comparator"], f"year {show_value(r['target_year'])}"]
    if r.get("binding"):
        parts.append(r["binding"])
    if e.kind != "missed":
        parts.append(f"rule {r.get('rule') or '—'}")
    if e.flags:
        parts.append("flags " + ", ".join(e.flags))
    text = " · ".join(parts)
    prefix = {"missed": "MISSED gold: ", "spurious": "spurious: ", "optional": "optional gold: "}.get(e.kind, "")
    extra = (" — " + "; ".join(e.diffs)) if e.diffs else ""
    why = (" — why: " + "; ".join(e.why)) if e.why else ""
    return prefix + text + extra + why


def _entry_look(e: Entry, head: bool) -> Look:
    data = {"kind": e.kind, "category": e.category, "year": e.year, "flags": " ".join(e.flags)}
    if not head:
        data["part-of"] = e.id
    return Look("mark", e.id if head else None, f"t k-{e.kind}" + ("" if head else " cont"), data, label(e) if head else None, label(e))


def _number_look(n: NumberView, head: bool) -> Look:
    return Look("span", n.id if head else None, "num", {"reason": n.reason}, n.reason if head else None, n.reason)


_RUN_IN = Look("strong", None, "runin", {}, None)


def _look(span: Span) -> Look:
    key = span.key
    if isinstance(key, Entry):
        return _entry_look(key, span.head)
    if isinstance(key, NumberView):
        return _number_look(key, span.head)
    return _RUN_IN


@dataclass(frozen=True)
class Piece:
    """A node of a paragraph as the template draws it."""

    look: Look
    children: tuple[Any, ...]


def _pieces(segments: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(s if isinstance(s, str) else Piece(_look(s.span), _pieces(s.children)) for s in segments)


@dataclass(frozen=True)
class BlockView:
    tag: str  # "p" or "h2"…"h6"
    id: str | None
    pieces: tuple[Any, ...]


def blocks(view: PlanView) -> tuple[list[BlockView], list[tuple[str, str, int]]]:
    """The plan's paragraphs with their highlights, and the outline: ``(element id, title,
    level)`` of every paragraph that opens with a heading. One sweep over spans sorted by
    start keeps this linear in the size of the plan."""
    spans: list[Span] = []
    for order, e in enumerate(view.entries):
        if e.start is not None and e.end is not None and e.end > e.start:
            spans.append(Span(e.start, e.end, e, order=order))
    base = len(spans)
    for k, n in enumerate(view.numbers):
        spans.append(Span(n.start, n.end, n, order=base + k))
    spans.sort(key=lambda s: (s.start, s.order))
    out: list[BlockView] = []
    outline: list[tuple[str, str, int]] = []
    active: list[Span] = []
    j = 0
    for b in view.material.blocks:
        while j < len(spans) and spans[j].start < b.end:
            active.append(spans[j])
            j += 1
        active = [s for s in active if s.end > b.start]
        inside = clip(active, b.start, b.end)
        head = b.title_length
        hid = None
        if b.level and head:
            hid = f"h{len(outline)}"
            outline.append((hid, b.text[:head], b.level))
        if head and head < len(b.text):
            inside.append(Span(b.start, b.start + head, None, order=-1))
        tag = f"h{min(6, b.level + 1)}" if b.level and head == len(b.text) else "p"
        out.append(BlockView(tag, hid, _pieces(nest(b.text, b.start, inside))))
    return out, outline
