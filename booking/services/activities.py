"""The activities of a house: the bookings its figures filter on and its notes are about.

Shared by the reach figures (the activity filter), the host notes (a note on one
activity) and the rendement (the booked hours), so "which bookings count" is decided
once: active bookings that hold their slot (bevestigd, onder voorbehoud; not requests)
and start in the period, in Amsterdam time, as the invoicing export counts them.
"""

from __future__ import annotations

from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Room
from booking.rules.periods import Period
from booking.rules.statuses import BookingStatus

COUNTED_STATUSES = (BookingStatus.bevestigd.value, BookingStatus.onder_voorbehoud.value)


def activities(house_id: int, period: Period, limit: int = 400) -> list[Booking]:
    """Bookings of the house starting in the period, to filter on or write a note about."""
    start, end = period.utc_bounds()
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room, Room.id == Booking.room_id)
            .where(
                Room.house_id == house_id,
                Booking.start >= start,
                Booking.start < end,
                Booking.status.in_(COUNTED_STATUSES),
            )
            .order_by(Booking.start, Booking.id)
            .limit(limit)
        )
    )


def house_booking(house_id: int, booking_id: int) -> Booking | None:
    """The booking, if it is one of this house's (of any status and time)."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house_id:
        return None
    return booking


def house_room(house_id: int, room_id: int) -> Room | None:
    room = db.session.get(Room, room_id)
    return room if room is not None and room.house_id == house_id else None
