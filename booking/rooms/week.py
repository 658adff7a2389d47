"""The week grid of a room: half-hour rows, one column per day.

Each half hour is judged by `rules/calendar_grid.py` through `services/house_calendar.py`,
the same cells the staff calendar shows: busy, free, closed (with the closure's reason),
outside opening hours, a voorrangsblok (only residents' activities), or past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from booking.models import Room
from booking.rules.calendar_grid import Cell, CellKind
from booking.rules.slots import AMSTERDAM
from booking.services.house_calendar import room_calendar

ROW_MINUTES = 30
CellState = CellKind  # the older name of the same vocabulary

__all__ = ["Cell", "CellState", "WeekGrid", "monday_of", "this_week", "week_grid"]


@dataclass(frozen=True)
class WeekGrid:
    monday: date
    days: list[date]
    rows: list[tuple[time, list[Cell]]]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_grid(room: Room, monday: date, now: datetime) -> WeekGrid:
    calendar = room_calendar(room, monday, 7, now)
    rows = [
        (start, [calendar.of(room, day).cells[index] for day in calendar.days])
        for index, (start, _end) in enumerate(calendar.rows)
    ]
    return WeekGrid(monday, calendar.days, rows)


def this_week(now: datetime) -> date:
    return monday_of(now.astimezone(AMSTERDAM).date())
