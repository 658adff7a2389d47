"""The day sheet (dagoverzicht) of a house: one printable page for the door.

Everything that happens in the house on one Amsterdam day: the opening hours and closures
of that day, every booking with its room, organiser and the organiser's phone (for a
booking made on behalf of a resident, the resident's name and phone), and the host notes
of the day. It names organisers, so it is for the house's staff only (DESIGN section 3,
"see other organisers' booking details"): a gastheer sees today's sheet of their own
house, the sociaal beheerder, beheerder and gemeente any day's. Anyone else gets
`Forbidden`, answered 404.

A constant number of queries, however busy the day: the house, its rooms, its opening
hours, the closures, the bookings with their organisers, the notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Closure, House, OpeningHours, Room, User
from booking.rules.periods import Period, today_amsterdam
from booking.rules.permissions import Permission
from booking.rules.slots import local_to_utc
from booking.rules.statuses import ACTIVE_STATUSES, BookingStatus
from booking.services.host_notes import NoteView, notes
from booking.services.houses import house_for
from booking.services.reach import parse_day

DAY_FIELD = "dag"


@dataclass(frozen=True)
class SheetRow:
    """One booking on the sheet, as the door needs it."""

    booking_id: int
    start: datetime
    end: datetime
    room: str
    title: str
    organiser: str
    organisation: str
    phone: str
    booked_by: str  # the staff member who booked on behalf of a resident, else ""
    status: BookingStatus
    status_reason: str
    public: bool


@dataclass(frozen=True)
class SheetClosure:
    start: datetime
    end: datetime
    room: str  # "" when the whole house is closed
    reason: str


@dataclass(frozen=True)
class DaySheet:
    house: House
    day: date
    is_today: bool
    opening: list[tuple[time, time]]
    closures: list[SheetClosure]
    rows: list[SheetRow]  # active bookings: who comes through the door
    lapsed: list[SheetRow]  # cancelled, displaced or rejected: who need not come
    notes: list[NoteView]
    closed_all_day: bool  # no opening hours that day, or a house-wide closure over all
    made_at: datetime


def read_sheet_day(text: str | None, now: datetime) -> date:
    """The day asked for (YYYY-MM-DD), today in Amsterdam when none; bad text is 400."""
    if text is None or not text.strip():
        return today_amsterdam(now)
    return parse_day(text, DAY_FIELD)


def sheet_house(actor: User, slug: str, day: date, now: datetime) -> House:
    """The house, if the actor may see its organisers on that day (today: also a gastheer)."""
    permission = (
        Permission.see_booking_details_today
        if day == today_amsterdam(now)
        else Permission.see_booking_details
    )
    return house_for(actor, slug, permission)


def _bounds(day: date) -> tuple[datetime, datetime]:
    return (
        local_to_utc(datetime.combine(day, time(0))),
        local_to_utc(datetime.combine(day + timedelta(days=1), time(0))),
    )


def day_sheet(actor: User, slug: str, day: date, now: datetime) -> DaySheet:
    """The day sheet of one house and day, for the house's staff."""
    house = sheet_house(actor, slug, day, now)
    start, end = _bounds(day)
    rooms = {
        r.id: r.name
        for r in db.session.scalars(select(Room).where(Room.house_id == house.id).order_by(Room.id))
    }
    opening = [
        (o.opens, o.closes)
        for o in db.session.scalars(
            select(OpeningHours)
            .where(OpeningHours.house_id == house.id, OpeningHours.weekday == day.weekday())
            .order_by(OpeningHours.opens)
        )
    ]
    closures = [
        SheetClosure(
            c.starts_at, c.ends_at, rooms.get(c.room_id, "") if c.room_id else "", c.reason
        )
        for c in db.session.scalars(
            select(Closure)
            .where(Closure.house_id == house.id, Closure.starts_at < end, Closure.ends_at > start)
            .order_by(Closure.starts_at, Closure.id)
        )
    ]
    rows = _rows(house.id, rooms, start, end)
    return DaySheet(
        house=house,
        day=day,
        is_today=day == today_amsterdam(now),
        opening=opening,
        closures=closures,
        rows=[r for r in rows if r.status in ACTIVE_STATUSES],
        lapsed=[r for r in rows if r.status not in ACTIVE_STATUSES],
        notes=notes([house.id], Period(day, day)),
        closed_all_day=_closed_all_day(opening, closures, day),
        made_at=now,
    )


def _closed_all_day(
    opening: list[tuple[time, time]], closures: list[SheetClosure], day: date
) -> bool:
    """Whether a house-wide closure covers every opening period of the day."""
    if not opening:
        return True
    whole_house = [c for c in closures if not c.room]
    for opens, closes in opening:
        begin = local_to_utc(datetime.combine(day, opens))
        finish = (
            local_to_utc(datetime.combine(day + timedelta(days=1), time(0)))
            if closes == time(0)
            else local_to_utc(datetime.combine(day, closes))
        )
        if not any(c.start <= begin and c.end >= finish for c in whole_house):
            return False
    return True


def _rows(house_id: int, rooms: dict[int, str], start: datetime, end: datetime) -> list[SheetRow]:
    """Every booking of the house's rooms that touches the day, with its organiser: one query."""
    found = db.session.execute(
        select(Booking, User)
        .join(User, User.id == Booking.organiser_id)
        .where(
            Booking.room_id.in_(list(rooms) or [-1]),
            Booking.start < end,
            Booking.end > start,
        )
        .order_by(Booking.start, Booking.room_id, Booking.id)
    ).tuples()
    return [_row(booking, organiser, rooms) for booking, organiser in found]


def _row(booking: Booking, organiser: User, rooms: dict[int, str]) -> SheetRow:
    on_behalf = bool(booking.on_behalf_name)
    return SheetRow(
        booking_id=booking.id,
        start=booking.start,
        end=booking.end,
        room=rooms[booking.room_id],
        title=booking.title,
        organiser=booking.on_behalf_name if on_behalf else organiser.name,
        organisation="" if on_behalf else organiser.organisation,
        phone=booking.on_behalf_phone if on_behalf else organiser.phone,
        booked_by=organiser.name if on_behalf else "",
        status=BookingStatus(booking.status),
        status_reason=booking.status_reason,
        public=booking.public,
    )
