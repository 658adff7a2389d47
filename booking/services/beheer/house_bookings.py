"""The beheerder's view of a house's bookings: the day or week list, open requests, one booking.

Reads only. The actions on one booking (approve, reject, override, cancel) are booking
use cases (`booking/services/bookings.py`); `managed_booking` is what the beheer pages
check before offering or sending one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.errors import NotFound
from booking.extensions import db
from booking.models import Booking, House, Room, User
from booking.rules import slots
from booking.rules.permissions import Permission
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.services.availability import LONGEST_BOOKING
from booking.services.houses import house_for

OPEN_REQUESTS_SHOWN = 100


@dataclass(frozen=True)
class BookingFilter:
    room_id: int | None = None
    status: BookingStatus | None = None
    priority_class: PriorityClass | None = None
    tariff_group: TariffGroup | None = None


def _midnight(day: date) -> datetime:
    return slots.local_to_utc(datetime.combine(day, time(0)))


@dataclass(frozen=True)
class Period:
    """The day or the week (Monday to Sunday) the overview shows, around `day`."""

    day: date
    first: date
    after: date
    week: bool

    @classmethod
    def around(cls, day: date, *, week: bool) -> Period:
        if not week:
            return cls(day, day, day + timedelta(days=1), week=False)
        monday = day - timedelta(days=day.weekday())
        return cls(day, monday, monday + timedelta(days=7), week=True)

    @property
    def last(self) -> date:
        return self.after - timedelta(days=1)

    @property
    def step(self) -> timedelta:
        return self.after - self.first

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """From midnight of the first day to midnight after the last, Amsterdam time."""
        return _midnight(self.first), _midnight(self.after)


@dataclass(frozen=True)
class Overview:
    rows: list[Booking]
    requests: list[Booking]


def bookings_house(actor: User, slug: str) -> House:
    """The house whose bookings the actor may see in full."""
    return house_for(actor, slug, Permission.see_booking_details)


def _in_period(house_id: int, period: Period, filters: BookingFilter) -> list[Booking]:
    start, end = period.utc_bounds()
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .options(
            selectinload(Booking.room),
            selectinload(Booking.organiser),
            selectinload(Booking.organisation),
        )
        .where(
            Room.house_id == house_id,
            Booking.start < end,
            Booking.start > start - LONGEST_BOOKING,
            Booking.end > start,
        )
        .order_by(Booking.start, Room.name, Booking.id)
    )
    if filters.room_id is not None:
        query = query.where(Booking.room_id == filters.room_id)
    if filters.status is not None:
        query = query.where(Booking.status == filters.status.value)
    if filters.priority_class is not None:
        query = query.where(Booking.priority_class == int(filters.priority_class))
    if filters.tariff_group is not None:
        query = query.where(Booking.tariff_group == filters.tariff_group.value)
    return list(db.session.scalars(query))


def _open_requests(house_id: int, now: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room, Room.id == Booking.room_id)
            .options(
                selectinload(Booking.room),
                selectinload(Booking.organiser),
                selectinload(Booking.organisation),
            )
            .where(
                Room.house_id == house_id,
                Booking.status == BookingStatus.aangevraagd.value,
                Booking.end > now,
            )
            .order_by(Booking.start, Booking.id)
            .limit(OPEN_REQUESTS_SHOWN)
        )
    )


def overview(
    actor: User, slug: str, period: Period, filters: BookingFilter | None, now: datetime
) -> Overview:
    """Bookings overlapping the period, and the requests waiting for the actor's decision.

    `filters` None: the filter form was not valid, so no rows (the page shows why). The
    requests are listed only to those who may decide them (manage_building).
    """
    house = bookings_house(actor, slug)
    rows = _in_period(house.id, period, filters) if filters is not None else []
    may_decide = actor.can(Permission.manage_building, house.id)
    return Overview(rows, _open_requests(house.id, now) if may_decide else [])


def _of_house(house: House, booking_id: int) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house.id:
        raise NotFound(booking_id)
    return booking


def house_booking(actor: User, slug: str, booking_id: int) -> Booking:
    """One booking of the house, in full; a booking of another house is not found."""
    return _of_house(bookings_house(actor, slug), booking_id)


def managed_booking(actor: User, slug: str, booking_id: int) -> Booking:
    """One booking of a house the actor manages (manage_building), before acting on it."""
    return _of_house(house_for(actor, slug, Permission.manage_building), booking_id)
