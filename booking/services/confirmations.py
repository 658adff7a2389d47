"""What a destructive action would do, for its "Weet u het zeker?" page (read only).

Each function checks the same rights as the action itself (the POST endpoints call the
unchanged use cases), so a confirmation page answers 404 exactly where the action would,
and says what will happen: which booking, how many dates of a series, which closure,
which voorrangsblok, which tablet. A booking that can no longer be cancelled is refused
here already with the same reason the cancellation would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.errors import Forbidden, NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, Closure, House, Kiosk, PriorityBlock, Room, User
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.statuses import BookingStatus
from booking.services.bookings import visible_booking
from booking.services.houses import house_for


@dataclass(frozen=True)
class Cancellation:
    """The booking, and every date the cancellation would end (one, or the rest of a series)."""

    booking: Booking
    dates: list[Booking]


def _cancellable(booking: Booking, now: datetime) -> None:
    if not booking.is_active:
        raise RuleViolation(
            Message(
                N_("Deze boeking is al %(status_label)s."),
                {"status_label": BookingStatus(booking.status).value},
            )
        )
    if booking.end <= now:
        raise RuleViolation(
            Message(N_("Een boeking die al voorbij is kan niet meer worden geannuleerd."))
        )


def own_cancellation(booking_id: int, actor: User, now: datetime, *, series: bool) -> Cancellation:
    """The booking (or the rest of its series) about to be cancelled from "mijn boekingen":
    by its organiser, or by a beheerder of its house, exactly as the cancel endpoints allow."""
    booking = visible_booking(booking_id, actor, now)
    may_cancel = booking.organiser_id == actor.id or actor.can(
        Permission.manage_building, booking.room.house_id
    )
    if not may_cancel or (series and booking.series is None):
        raise Forbidden(booking_id)
    _cancellable(booking, now)
    if not series:
        return Cancellation(booking, [booking])
    assert booking.series is not None
    rest = [
        b
        for b in sorted(booking.series.bookings, key=lambda b: b.start)
        if b.start >= booking.start and b.is_active and b.end > now
    ]
    return Cancellation(booking, rest)


def staff_cancellation(actor: User, slug: str, booking_id: int, now: datetime) -> Cancellation:
    """A booking of a house the actor manages (manage_building), as the beheerder cancels it."""
    house = house_for(actor, slug, Permission.manage_building)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house.id:
        raise NotFound(booking_id)
    _cancellable(booking, now)
    return Cancellation(booking, [booking])


def closure_to_delete(actor: User, slug: str, closure_id: int) -> tuple[House, Closure]:
    house = house_for(actor, slug, Permission.manage_building)
    closure = db.session.get(Closure, closure_id)
    if closure is None or closure.house_id != house.id:
        raise NotFound(closure_id)
    return house, closure


def block_to_delete(actor: User, slug: str, block_id: int) -> tuple[House, PriorityBlock, Room]:
    house = house_for(actor, slug, Permission.manage_programme)
    block = db.session.get(PriorityBlock, block_id)
    room = db.session.get(Room, block.room_id) if block else None
    if block is None or room is None or room.house_id != house.id:
        raise NotFound(block_id)
    return house, block, room


def kiosk_to_revoke(actor: User, slug: str, kiosk_id: int) -> tuple[House, Kiosk]:
    house = house_for(actor, slug, Permission.manage_programme)
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.room.house_id != house.id:
        raise NotFound(kiosk_id)
    if kiosk.revoked_at is not None:
        raise RuleViolation(Message(N_("Deze tablet is al ontkoppeld.")))
    return house, kiosk
