"""The house calendar for staff (day and week) and the public room week grid.

Both ask `rules/calendar_grid.py` for every half hour, so the staff calendar and the
public grid agree on what is free. Closures come from `services/house_rules.closures_for`
(the same rows the quote judges), opening hours and voorrangsblokken from the same tables
as `house_rules.rules_for`.

A fixed number of queries however many rooms and bookings: the house, its rooms, its
opening hours, its closures, the voorrangsblokken of its rooms and the active bookings
of the period (bounded by the (room_id, start) index, like `services/availability.py`).

Who may see it: the house's staff who may see other organisers' booking details
(sociaal beheerder, beheerder, gemeente; DESIGN section 3). A gastheer sees the day sheet
of today, not the calendar; anyone else gets `Forbidden`, answered 404.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import Booking, House, OpeningHours, Room, User
from booking.models import PriorityBlock as PriorityBlockRow
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import calendar_grid as grid
from booking.rules import dates
from booking.rules.messages import N_, Message
from booking.rules.periods import today_amsterdam
from booking.rules.permissions import Permission
from booking.rules.priority import PriorityBlock
from booking.rules.slots import OpeningPeriod, local_to_utc_lenient
from booking.rules.statuses import BookingStatus
from booking.services.availability import LONGEST_BOOKING
from booking.services.house_rules import closures_for
from booking.services.houses import house_for
from booking.services.reach import parse_day

DAY_FIELD = "dag"
WEEK_FIELD = "week"
_ISO_WEEK = re.compile(r"([0-9]{4})-?W([0-9]{2})")
BAD_WEEK = Message(N_("Vul de week in als JJJJ-Www, bijvoorbeeld 2026-W49."))


@dataclass(frozen=True)
class RoomDay:
    room: Room
    day: date
    cells: list[grid.Cell]
    runs: list[grid.Run]


@dataclass(frozen=True)
class Calendar:
    house: House
    days: list[date]
    rooms: list[Room]
    rows: list[tuple[time, time]]
    grid: dict[tuple[int, date], RoomDay]
    today: date

    def of(self, room: Room, day: date) -> RoomDay:
        return self.grid[(room.id, day)]

    def day_table(self, day: date) -> list[list[grid.Run | None]]:
        """The day view's rows: per room the block that starts there (free half hours
        one by one), None where a block from above still covers it."""
        columns = [grid.split_free(self.of(r, day).runs, self.of(r, day).cells) for r in self.rooms]
        return grid.table_rows(columns, len(self.rows))


def read_day(text: str | None, now: datetime) -> date:
    """`?dag=JJJJ-MM-DD`, today (Amsterdam) when absent; anything else is a 400."""
    if text is None or not text.strip():
        return today_amsterdam(now)
    day = parse_day(text, DAY_FIELD)
    if not dates.in_range(day - timedelta(days=7)) or not dates.in_range(day + timedelta(days=7)):
        raise InvalidInput(DAY_FIELD, dates.OUT_OF_RANGE)
    return day


def read_week(week: str | None, day: str | None, now: datetime) -> date:
    """The Monday of `?week=JJJJ-Www`, else of the week around `?dag=`, else this week."""
    if week is None or not week.strip():
        found = read_day(day, now)
        return found - timedelta(days=found.weekday())
    match = _ISO_WEEK.fullmatch(week.strip())
    if not match:
        raise InvalidInput(WEEK_FIELD, BAD_WEEK)
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise InvalidInput(WEEK_FIELD, BAD_WEEK) from None
    if not (dates.in_range(monday - timedelta(days=7)) and dates.in_range(monday + timedelta(14))):
        raise InvalidInput(WEEK_FIELD, dates.OUT_OF_RANGE)
    return monday


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def house_calendar(actor: User, slug: str, first: date, days: int, now: datetime) -> Calendar:
    """The calendar of every active room of the house for `days` days from `first`."""
    house = house_for(actor, slug, Permission.see_booking_details)
    rooms = list(
        db.session.scalars(
            select(Room).where(Room.house_id == house.id, Room.active.is_(True)).order_by(Room.name)
        )
    )
    return _calendar(house, rooms, first, days, now)


def room_calendar(room: Room, first: date, days: int, now: datetime) -> Calendar:
    """The public week grid of one room: the same cells as the staff calendar."""
    return _calendar(room.house, [room], first, days, now)


def _calendar(house: House, rooms: list[Room], first: date, days: int, now: datetime) -> Calendar:
    day_list = [first + timedelta(days=i) for i in range(days)]
    opening = _opening(house.id)
    rows = grid.window_rows(*grid.window(opening))
    start = local_to_utc_lenient(datetime.combine(first, time(0)))
    end = local_to_utc_lenient(datetime.combine(first + timedelta(days=days), time(0)))
    spans = _bookings([r.id for r in rooms], start, end)
    blocks = _blocks([r.id for r in rooms])
    cells: dict[tuple[int, date], RoomDay] = {}
    for room in rooms:
        closures = closures_for(room, start, end)
        for day in day_list:
            rules = grid.RoomDayRules(opening, closures, _in_force(blocks.get(room.id, []), day))
            made = grid.day_cells(day, rows, rules, spans.get(room.id, []), now)
            cells[(room.id, day)] = RoomDay(room, day, made, grid.runs(made))
    return Calendar(house, day_list, rooms, rows, cells, today_amsterdam(now))


def _opening(house_id: int) -> tuple[OpeningPeriod, ...]:
    return tuple(
        OpeningPeriod(p.weekday, p.opens, p.closes)
        for p in db.session.scalars(select(OpeningHours).where(OpeningHours.house_id == house_id))
    )


def _bookings(
    room_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, list[grid.BookingSpan]]:
    """The active bookings of the rooms in [start, end), one query, by room."""
    if not room_ids:
        return {}
    query = (
        select(
            Booking.id,
            Booking.room_id,
            Booking.start,
            Booking.end,
            Booking.status,
            Booking.title,
            Booking.public,
        )
        .where(
            Booking.room_id.in_(room_ids),
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.start < end,
            Booking.start > start - LONGEST_BOOKING,
            Booking.end > start,
        )
        .order_by(Booking.start)
    )
    found: dict[int, list[grid.BookingSpan]] = {room_id: [] for room_id in room_ids}
    # Core rows, not ORM ones: a busy week holds a few hundred bookings and the ORM's row
    # handling was most of this query's time.
    for booking_id, room_id, start_at, end_at, status, title, public in (
        db.session.connection().execute(query).tuples()
    ):
        found[room_id].append(
            grid.BookingSpan(booking_id, start_at, end_at, BookingStatus(status), title, public)
        )
    return found


def _blocks(room_ids: Sequence[int]) -> dict[int, list[PriorityBlockRow]]:
    if not room_ids:
        return {}
    found: dict[int, list[PriorityBlockRow]] = {}
    for block in db.session.scalars(
        select(PriorityBlockRow).where(PriorityBlockRow.room_id.in_(room_ids))
    ):
        found.setdefault(block.room_id, []).append(block)
    return found


def _in_force(blocks: Sequence[PriorityBlockRow], day: date) -> tuple[PriorityBlock, ...]:
    """The voorrangsblokken valid on `day`, as `house_rules.RoomRules.blocks_on` reads them."""
    return tuple(
        PriorityBlock(b.weekday, b.starts, b.ends)
        for b in blocks
        if (b.valid_from is None or b.valid_from <= day)
        and (b.valid_until is None or day <= b.valid_until)
    )
