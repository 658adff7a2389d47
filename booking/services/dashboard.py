"""What a user sees first after logging in, by role and house."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Booking, House, Room, User, Visit
from booking.rules.permissions import Permission
from booking.rules.slots import local_day_bounds
from booking.rules.statuses import ACTIVE_STATUSES
from booking.services import request_notices


@dataclass(frozen=True)
class HouseSummary:
    house: House
    rooms: int
    bookings_this_week: int
    visits_today: int
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Overview:
    houses: list[HouseSummary] = field(default_factory=list)
    my_upcoming: list[Booking] = field(default_factory=list)
    sees_all_houses: bool = False
    waiting: request_notices.Waiting = field(default_factory=request_notices.Waiting)


def _counts(house_ids: list[int], now: datetime) -> tuple[dict[int, int], dict[int, int]]:
    active = [s.value for s in ACTIVE_STATUSES]
    week_end = now + timedelta(days=7)

    bookings = dict(
        db.session.execute(
            select(Room.house_id, func.count(Booking.id))
            .join(Booking, Booking.room_id == Room.id)
            .where(
                Room.house_id.in_(house_ids),
                Booking.status.in_(active),
                Booking.start >= now,
                Booking.start < week_end,
            )
            .group_by(Room.house_id)
        ).all()
    )
    day_start, day_end = local_day_bounds(now)
    visits = dict(
        db.session.execute(
            select(Visit.house_id, func.count(Visit.id))
            .where(
                Visit.house_id.in_(house_ids),
                Visit.visited_at >= day_start,
                Visit.visited_at < day_end,
                Visit.suspicious.is_(False),
            )
            .group_by(Visit.house_id)
        ).all()
    )
    return bookings, visits


def overview_for(user: User, now: datetime | None = None) -> Overview:
    now = now or datetime.now(UTC)
    house_ids = user.house_ids_with(Permission.see_today_totals)
    query = select(House).order_by(House.name)
    if house_ids is not None:
        query = query.where(House.id.in_(house_ids))
    houses = list(db.session.scalars(query)) if house_ids is None or house_ids else []
    bookings, visits = _counts([h.id for h in houses], now)
    upcoming = list(
        db.session.scalars(
            select(Booking)
            .where(Booking.organiser_id == user.id, Booking.end >= now)
            .order_by(Booking.start)
            .limit(10)
        )
    )
    summaries = [
        HouseSummary(
            house=h,
            rooms=len(h.rooms),
            bookings_this_week=bookings.get(h.id, 0),
            visits_today=visits.get(h.id, 0),
            roles=tuple(sorted(r.value for r in user.roles_in(h.id) if r != "initiatiefnemer")),
        )
        for h in houses
    ]
    return Overview(
        houses=summaries,
        my_upcoming=upcoming,
        sees_all_houses=house_ids is None,
        waiting=request_notices.waiting_for(user, now),
    )
