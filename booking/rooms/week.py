"""The week grid of a room: half-hour rows, one column per day, busy or free or closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from booking.models import Booking, Room
from booking.rules.slots import AMSTERDAM, local_to_utc_lenient
from booking.services import availability

ROW_MINUTES = 30


class CellState(StrEnum):
    """What a half hour of the grid shows; the template picks its look by the value."""

    vrij = "vrij"
    bezet = "bezet"
    gesloten = "gesloten"
    voorbij = "voorbij"


@dataclass(frozen=True)
class Cell:
    day: date
    start: time
    state: CellState
    booking: Booking | None = None


@dataclass(frozen=True)
class WeekGrid:
    monday: date
    days: list[date]
    rows: list[tuple[time, list[Cell]]]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_grid(room: Room, monday: date, now: datetime) -> WeekGrid:
    days = [monday + timedelta(days=i) for i in range(7)]
    periods = room.house.opening_hours
    if not periods:
        return WeekGrid(monday, days, [])
    first = min(p.opens for p in periods)
    last = max(p.closes for p in periods)
    week_start = local_to_utc_lenient(datetime.combine(monday, time(0)))
    week_end = local_to_utc_lenient(datetime.combine(monday + timedelta(days=7), time(0)))
    taken = availability.busy(room.id, week_start, week_end)
    rows = []
    moment = datetime.combine(monday, first)
    while moment.time() < last and moment.date() == monday:
        slot = moment.time()
        rows.append((slot, [_cell(room, day, slot, taken, now) for day in days]))
        moment += timedelta(minutes=ROW_MINUTES)
    return WeekGrid(monday, days, rows)


def _cell(room: Room, day: date, slot: time, taken: list[Booking], now: datetime) -> Cell:
    start = local_to_utc_lenient(datetime.combine(day, slot))
    end = start + timedelta(minutes=ROW_MINUTES)
    open_now = any(
        p.weekday == day.weekday()
        and p.opens <= slot
        and (datetime.combine(day, slot) + timedelta(minutes=ROW_MINUTES)).time() <= p.closes
        for p in room.house.opening_hours
    )
    if not open_now:
        return Cell(day, slot, CellState.gesloten)
    for booking in taken:
        if booking.start < end and start < booking.end:
            return Cell(day, slot, CellState.bezet, booking)
    if end <= now.astimezone(UTC):
        return Cell(day, slot, CellState.voorbij)
    return Cell(day, slot, CellState.vrij)


def this_week(now: datetime) -> date:
    return monday_of(now.astimezone(AMSTERDAM).date())
