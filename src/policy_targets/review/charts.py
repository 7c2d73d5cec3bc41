"""Horizontal bar charts laid out for SVG. Geometry is computed here, in whole pixels, so that
the template only places shapes and the bytes never depend on a browser or a font."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

ROW = 22  # pixels per bar
LABEL_WIDTH = 190
BAR_WIDTH = 300
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: str  # as printed beside the bar
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    row: int = ROW


def bar_chart(title: str, items: Sequence[tuple[str, float]], digits: int = 0, scale_max: float | None = None) -> Chart:
    """One bar per ``(label, value)``, in the order given; bars are scaled to the largest
    value, or to ``scale_max`` (1 for scores) when given."""
    top = scale_max if scale_max is not None else max((v for _, v in items), default=0)
    bars = tuple(
        Bar(label, f"{value:.{digits}f}", i * ROW, round(BAR_WIDTH * value / top) if top else 0)
        for i, (label, value) in enumerate(items)
    )
    return Chart(title, bars, LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH, max(1, len(bars)) * ROW)
