"""Which bookings a user may list: their own, and those of houses where they see details."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import Booking, House, Room, User
from booking.rules.permissions import Permission
from booking.rules.slots import local_day_bounds
from booking.services.availability import LONGEST_BOOKING


def visible_bookings(
    user: User,
    start: datetime,
    end: datetime,
    *,
    house_slug: str | None = None,
    room_id: int | None = None,
    now: datetime,
) -> list[Booking]:
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .join(House, House.id == Room.house_id)
        .options(selectinload(Booking.room).selectinload(Room.house))
        .where(Booking.start < end, Booking.start > start - LONGEST_BOOKING, Booking.end > start)
        .order_by(Booking.start, Booking.id)
    )
    if house_slug:
        query = query.where(House.slug == house_slug)
    if room_id:
        query = query.where(Booking.room_id == room_id)
    return list(db.session.scalars(query.where(_visibility(user, now))))


def _visibility(user: User, now: datetime) -> object:
    detail_houses = user.house_ids_with(Permission.see_booking_details)
    if detail_houses is None:
        return true()
    today_houses = user.house_ids_with(Permission.see_booking_details_today) or set()
    day_start, day_end = local_day_bounds(now)
    return or_(
        Booking.organiser_id == user.id,
        Room.house_id.in_(detail_houses or {-1}),
        and_(
            Room.house_id.in_(today_houses or {-1}),
            Booking.start >= day_start,
            Booking.start < day_end,
        ),
    )
