"""The cells of a calendar: what each half hour of a room on a local day is.

Pure: the staff house calendar (`services/house_calendar.py`) and the public room week grid
(`rooms/week.py`) both ask this module, so they never disagree about whether a slot is
free. A half hour is, in this order of precedence:

1. ``bezet``: an active booking overlaps it (a booking is always shown, even in a closure);
2. ``gesloten``: a closure of the house or room overlaps it (with the closure's reason);
3. ``buiten``: it does not lie inside one opening period of that weekday;
4. ``voorrang``: a voorrangsblok overlaps it (only residents' activities may book it);
5. ``voorbij``: it has ended;
6. ``vrij``: anyone may start a booking there.

Every row of the window is exactly one cell; `runs` merges neighbouring equal cells into
the blocks a calendar draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from booking.rules.messages import N_, Message
from booking.rules.priority import PriorityBlock
from booking.rules.slots import Closure, OpeningPeriod, as_utc, local_to_utc_lenient
from booking.rules.statuses import BookingStatus

ROW_MINUTES = 30
DEFAULT_WINDOW = (time(8, 0), time(22, 0))
SUGGESTED_HOURS = 2


class CellKind(StrEnum):
    """What a half hour shows; the templates pick their label and pattern by the value."""

    vrij = "vrij"
    bezet = "bezet"
    gesloten = "gesloten"
    buiten = "buiten"
    voorrang = "voorrang"
    voorbij = "voorbij"


NOT_BOOKABLE = frozenset({CellKind.gesloten, CellKind.buiten, CellKind.voorrang})


@dataclass(frozen=True)
class BookingSpan:
    """A booking as a calendar needs it (UTC start and end)."""

    id: int
    start: datetime
    end: datetime
    status: BookingStatus
    title: str
    public: bool


@dataclass(frozen=True)
class RoomDayRules:
    """What decides a room's day besides its bookings."""

    opening: Sequence[OpeningPeriod]
    closures: Sequence[Closure]
    blocks: Sequence[PriorityBlock]


class Cell(NamedTuple):
    """A NamedTuple, not a dataclass: a week's calendar makes a few thousand of them and a
    frozen dataclass's constructor was a tenth of the page's time."""

    day: date
    start: time  # local wall clock
    end: time  # local wall clock; time(0) at midnight is written as time.max by `window_rows`
    kind: CellKind
    reason: str = ""  # a closure's own reason, else ""
    booking: BookingSpan | None = None

    @property
    def key(self) -> tuple[object, ...]:
        return (self.kind, self.reason, self.booking.id if self.booking else None)


@dataclass(frozen=True)
class Run:
    """Neighbouring equal cells: one block of the calendar."""

    day: date
    start: time
    end: time
    kind: CellKind
    reason: str
    booking: BookingSpan | None
    rows: int
    until: time | None = None  # a split free half hour: where its free stretch ends

    @property
    def bookable(self) -> bool:
        return self.kind is CellKind.vrij

    @property
    def suggested_end(self) -> time:
        """The end a free slot's link proposes: the end of the free stretch, at most
        SUGGESTED_HOURS after the start (the booker changes it on the form)."""
        end = self.until or self.end
        start_minute = self.start.hour * 60 + self.start.minute
        limit = start_minute + SUGGESTED_HOURS * 60
        end_minute = 24 * 60 if end == time.max else end.hour * 60 + end.minute
        minute = min(end_minute, limit, 24 * 60 - 1)
        return time(minute // 60, minute % 60)


def window(opening: Sequence[OpeningPeriod]) -> tuple[time, time]:
    """The hours a calendar shows: earliest opening to latest closing over the week, on the
    half hour; the default window when the house has no opening hours at all."""
    if not opening:
        return DEFAULT_WINDOW
    first = min(p.opens for p in opening)
    last = max(p.closes for p in opening)
    first = time(first.hour, first.minute - first.minute % ROW_MINUTES)
    minutes = last.hour * 60 + last.minute
    minutes = -(-minutes // ROW_MINUTES) * ROW_MINUTES
    last = time.max if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)
    return first, last


def window_rows(first: time, last: time) -> list[tuple[time, time]]:
    """The half hours from `first` to `last` (wall clock); the last one may end at time.max."""
    rows = []
    minute = first.hour * 60 + first.minute
    end_minute = 24 * 60 if last == time.max else last.hour * 60 + last.minute
    while minute < end_minute:
        following = min(minute + ROW_MINUTES, end_minute)
        rows.append((_clock(minute), time.max if following == 24 * 60 else _clock(following)))
        minute = following
    return rows


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


@lru_cache(maxsize=4096)
def _moment(day: date, clock: time) -> datetime:
    """UTC of a wall-clock time; cached, as every room of a calendar asks the same ones."""
    if clock == time.max:
        return local_to_utc_lenient(datetime.combine(day + timedelta(days=1), time(0)))
    return local_to_utc_lenient(datetime.combine(day, clock))


def _inside_opening(day: date, start: time, end: time, opening: Sequence[OpeningPeriod]) -> bool:
    last = time(23, 59) if end == time.max else end
    return any(
        p.weekday == day.weekday() and p.opens <= start and last <= p.closes for p in opening
    )


def cell(
    day: date,
    row: tuple[time, time],
    rules: RoomDayRules,
    bookings: Sequence[BookingSpan],
    now: datetime,
) -> Cell:
    """The one cell of a room's half hour; `bookings` are the room's active bookings."""
    start_clock, end_clock = row
    start, end = _moment(day, start_clock), _moment(day, end_clock)
    for booking in bookings:
        if as_utc(booking.start) < end and start < as_utc(booking.end):
            return Cell(day, start_clock, end_clock, CellKind.bezet, booking=booking)
    for closure in rules.closures:
        if closure.overlaps(start, end):
            return Cell(day, start_clock, end_clock, CellKind.gesloten, reason=closure.reason)
    if not _inside_opening(day, start_clock, end_clock, rules.opening):
        return Cell(day, start_clock, end_clock, CellKind.buiten)
    if any(block.overlaps(start, end) for block in rules.blocks):
        return Cell(day, start_clock, end_clock, CellKind.voorrang)
    if end <= as_utc(now):
        return Cell(day, start_clock, end_clock, CellKind.voorbij)
    return Cell(day, start_clock, end_clock, CellKind.vrij)


def day_cells(
    day: date,
    rows: Sequence[tuple[time, time]],
    rules: RoomDayRules,
    bookings: Sequence[BookingSpan],
    now: datetime,
) -> list[Cell]:
    """One cell per row, in order: the same cells as `cell` for each row (a property test
    holds them equal), computed with each moment converted once.

    A week's calendar draws a few thousand cells; asking `cell` for each one tested every
    booking, closure and voorrangsblok again with fresh conversions, which was most of the
    page's time. Here the rows' moments and which rows lie inside the opening hours are
    worked out once per day (every room shares them), only what touches the day's shown
    hours is kept, and each booking and block occurrence is turned into UTC once.
    """
    if not rows:
        return []
    shown = tuple(rows)
    moments = _row_moments(day, shown)
    weekday = day.weekday()
    inside = _inside_opening_rows(
        weekday, shown, tuple((p.opens, p.closes) for p in rules.opening if p.weekday == weekday)
    )
    # min and max, not first and last: in the spring gap a row may end before it starts
    shown_from = min(start for start, _ in moments)
    shown_until = max(end for _, end in moments)
    todays = [
        (as_utc(b.start), as_utc(b.end), b)
        for b in bookings
        if as_utc(b.start) < shown_until and shown_from < as_utc(b.end)
    ]
    closures = [c for c in rules.closures if c.overlaps(shown_from, shown_until)]
    blocked = [
        (_moment(day, b.start), local_to_utc_lenient(datetime.combine(day, b.end)))
        for b in rules.blocks
        if b.weekday == weekday
    ]
    now_utc = as_utc(now)
    found: list[Cell] = []
    for index, (start_clock, end_clock) in enumerate(shown):
        start, end = moments[index]
        made = None
        for booking_start, booking_end, booking in todays:
            if booking_start < end and start < booking_end:
                made = Cell(day, start_clock, end_clock, CellKind.bezet, "", booking)
                break
        if made is None:
            for closure in closures:
                if closure.overlaps(start, end):
                    made = Cell(day, start_clock, end_clock, CellKind.gesloten, closure.reason)
                    break
        if made is None:
            if not inside[index]:
                kind = CellKind.buiten
            elif any(b_start < end and start < b_end for b_start, b_end in blocked):
                kind = CellKind.voorrang
            elif end <= now_utc:
                kind = CellKind.voorbij
            else:
                kind = CellKind.vrij
            made = Cell(day, start_clock, end_clock, kind)
        found.append(made)
    return found


@lru_cache(maxsize=1024)
def _row_moments(
    day: date, rows: tuple[tuple[time, time], ...]
) -> tuple[tuple[datetime, datetime], ...]:
    """The UTC start and end of each row on `day`."""
    return tuple((_moment(day, start), _moment(day, end)) for start, end in rows)


@lru_cache(maxsize=1024)
def _inside_opening_rows(
    weekday: int, rows: tuple[tuple[time, time], ...], periods: tuple[tuple[time, time], ...]
) -> tuple[bool, ...]:
    """Per row: whether it lies inside one opening period of the weekday."""
    return tuple(
        any(
            opens <= start and (time(23, 59) if end == time.max else end) <= closes
            for opens, closes in periods
        )
        for start, end in rows
    )


def runs(cells: Sequence[Cell]) -> list[Run]:
    """Merge neighbouring cells that show the same thing (kind, reason, booking).

    A run is made once, when its last cell is known: a week has a few thousand cells and
    a few hundred runs."""
    found: list[Run] = []
    if not cells:
        return found
    first = last = cells[0]
    key = first.key
    count = 1
    for c in cells[1:]:
        c_key = c.key
        if c.start == last.end and c_key == key:
            last = c
            count += 1
            continue
        found.append(
            Run(first.day, first.start, last.end, first.kind, first.reason, first.booking, count)
        )
        first = last = c
        key = c_key
        count = 1
    found.append(
        Run(first.day, first.start, last.end, first.kind, first.reason, first.booking, count)
    )
    return found


def label(kind: CellKind, reason: str = "") -> Message:
    """The words a cell shows, so the calendar is readable without colour."""
    if kind is CellKind.gesloten:
        if reason:
            return Message(N_("gesloten: %(reason)s"), {"reason": reason})
        return Message(N_("gesloten"))
    return Message(_LABELS[kind])


_LABELS = {
    CellKind.vrij: N_("vrij"),
    CellKind.bezet: N_("bezet"),
    CellKind.buiten: N_("buiten openingstijden"),
    CellKind.voorrang: N_("alleen voor bewonersactiviteiten"),
    CellKind.voorbij: N_("voorbij"),
}


def clock_text(clock: time) -> str:
    """HH:MM, with 24:00 for the end of the day."""
    return "24:00" if clock == time.max else f"{clock:%H:%M}"


def split_free(found: Sequence[Run], cells: Sequence[Cell]) -> list[Run]:
    """The runs with every free half hour on its own, so each is a link that starts a
    booking there (and a touch target of its own)."""
    by_start = {c.start: c for c in cells}
    out: list[Run] = []
    for run in found:
        if run.kind is not CellKind.vrij:
            out.append(run)
            continue
        clock = run.start
        while clock != run.end:
            c = by_start[clock]
            out.append(Run(c.day, c.start, c.end, c.kind, c.reason, None, 1, run.end))
            clock = c.end
    return out


def table_rows(columns: Sequence[Sequence[Run]], row_count: int) -> list[list[Run | None]]:
    """For a table with rowspans: per row, per column, the run that starts there, or None
    where a run from above still covers the row. Each column's runs must cover all rows."""
    table: list[list[Run | None]] = [[None] * len(columns) for _ in range(row_count)]
    for index, column in enumerate(columns):
        row = 0
        for run in column:
            table[row][index] = run
            row += run.rows
        if row != row_count:
            raise ValueError("a column's runs must cover every row exactly once")
    return table
