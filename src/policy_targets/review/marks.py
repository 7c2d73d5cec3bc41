"""Highlights nested inside a paragraph, so that every highlight is one element.

Several targets often share one evidence span (分别 constructions, coordinated subjects), and
a missed gold record may overlap a prediction. HTML elements must nest, so spans are laid
out as a tree: a span inside another becomes its child; a span that crosses the end of
another is cut there, and only its first piece is its ``head`` (the element that carries its
id and label), the rest are continuation pieces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Union


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: Any  # what the span stands for (a view of a target, a number, a heading)
    head: bool = True
    order: int = 0  # tie-break: of equal spans, the higher order is the outer one, so that
    # the labels after them read in order


@dataclass(frozen=True)
class Node:
    span: Span
    children: tuple[Union[str, "Node"], ...]


Segment = Union[str, Node]


def _sort_key(s: Span) -> tuple[int, int, int]:
    return s.start, -s.end, -s.order


def clip(spans: list[Span], start: int, end: int) -> list[Span]:
    """The parts of ``spans`` inside ``[start, end)``; a part that does not hold its span's
    start is a continuation piece."""
    out = []
    for s in spans:
        a, b = max(s.start, start), min(s.end, end)
        if a < b:
            out.append(replace(s, start=a, end=b, head=s.head and a == s.start))
    return out


def nest(text: str, base: int, spans: list[Span]) -> tuple[Segment, ...]:
    """The segments of ``text`` (which starts at document offset ``base``), with ``spans``
    (document offsets, all inside the text) nested as a tree of nodes."""
    return tuple(_build(text, base, base, base + len(text), sorted(spans, key=_sort_key)))


def _build(text: str, base: int, lo: int, hi: int, spans: list[Span]) -> list[Segment]:
    out: list[Segment] = []
    pos = lo
    while spans:
        outer, later = spans[0], spans[1:]
        if outer.start > pos:
            out.append(text[pos - base : outer.start - base])
        inner: list[Span] = []
        rest: list[Span] = []
        for s in later:
            if s.start >= outer.end:
                rest.append(s)
            elif s.end <= outer.end:
                inner.append(s)
            else:  # crosses the end of ``outer``: cut it there
                inner.append(replace(s, end=outer.end))
                rest.append(replace(s, start=outer.end, head=False))
        start = max(outer.start, pos)
        out.append(Node(outer, tuple(_build(text, base, start, outer.end, inner))))
        pos = outer.end
        spans = sorted(rest, key=_sort_key)
    if pos < hi:
        out.append(text[pos - base : hi - base])
    return out
