"""Horizontal bar charts as plain geometry, drawn by templates/stats/_charts.html as SVG.

Server-rendered inline SVG needs no script (the Content-Security-Policy allows none
inline) and prints well. Bars carry their value as text at their end, so the chart reads
without colour; a suppressed cell gets no bar at all (its length would give the hidden
number away), only its "<5" or "x". The scale starts at zero and is the same for every
bar of a chart. Geometry lives here, not in the template, so it can be tested.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from booking.rules.suppression import Cell

WIDTH = 600
LABEL_WIDTH = 250
BAR_START = LABEL_WIDTH + 8
VALUE_ROOM = 64
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 4
BAR_FILL = "#0b5d4b"  # the product green: 8.4:1 against white (WCAG 1.4.11 needs 3:1)
TEXT_FILL = "#1a1a1a"  # 17:1 against white
FONT_SIZE = 14
LABEL_CHARS = 30  # longer names are cut with "…" here; the table beside has them whole


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int  # top of the row
    length: float  # 0 for a zero or a suppressed value
    hidden: bool

    @property
    def bar_y(self) -> int:
        return self.y + (ROW_HEIGHT - BAR_HEIGHT) // 2

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 5  # baseline, roughly centred on 14px text

    @property
    def value_x(self) -> float:
        return BAR_START + self.length + 6


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]

    width: int = WIDTH
    label_x: int = LABEL_WIDTH
    bar_x: int = BAR_START
    bar_height: int = BAR_HEIGHT
    bar_fill: str = BAR_FILL
    text_fill: str = TEXT_FILL
    font_size: int = FONT_SIZE
    label_chars: int = LABEL_CHARS

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * max(1, len(self.bars))


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, Cell]],
    fmt: Callable[[Cell], str],
) -> Chart:
    """One bar per (label, cell); the longest shown value fills the room for bars."""
    room = WIDTH - BAR_START - VALUE_ROOM
    largest = max((v for _, v in items if isinstance(v, int)), default=0)
    bars = []
    for row, (label, value) in enumerate(items):
        hidden = isinstance(value, str)
        length = 0.0 if isinstance(value, str) or not largest else round(room * value / largest, 1)
        bars.append(Bar(label, fmt(value), TOP + row * ROW_HEIGHT, length, hidden))
    return Chart(chart_id, title, description, bars)


@dataclass(frozen=True)
class Breakdown:
    """One breakdown of a page: its chart and the table of the same cells beside it."""

    id: str
    title: str
    category: str  # the heading of the label column
    rows: list[tuple[str, Cell]]
    chart: Chart


def breakdown(
    section_id: str,
    title: str,
    category: str,
    rows: Sequence[tuple[str, Cell]],
    fmt: Callable[[Cell], str],
    description: str,
) -> Breakdown:
    chart = bar_chart(f"grafiek-{section_id}", title, description, rows, fmt)
    return Breakdown(section_id, title, category, list(rows), chart)
