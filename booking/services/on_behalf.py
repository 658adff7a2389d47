"""Staff book for a resident who is not online (DESIGN sections 3 and 13).

A beheerder, sociaal beheerder or the gemeente books for someone who phoned or walked in:
the resident needs no account. The booking is judged exactly like any other — it goes
through `services/bookings.create_booking`, with the same quote, tariff group, class,
status and displacement — and its organiser is the staff member; the resident's name and
optional phone and e-mail are kept on the booking (`Booking.book_for`). Mails about the
booking go to the resident's e-mail when one was given (`mail/booking_mails.recipient`).
"""

from __future__ import annotations

from datetime import datetime

from booking.errors import InvalidInput, NotFound
from booking.extensions import db
from booking.models import Booking, House, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.permissions import Permission
from booking.rules.residents import Resident, ResidentError, check_resident
from booking.rules.tariff import Activity
from booking.services import audit, bookings, quotes
from booking.services.beheer.access import chosen_room
from booking.services.houses import house_for

RESIDENT_FIELDS = {"name": "resident_name", "phone": "resident_phone", "email": "resident_email"}
"""The form field of each part of the resident, for the error the page shows on it."""


def on_behalf_house(actor: User, slug: str) -> House:
    """The house, if the actor may book for residents there; 404 otherwise."""
    return house_for(actor, slug, Permission.book_on_behalf)


def resident(name: str | None, phone: str | None, email: str | None) -> Resident:
    """The resident as stored; a wrong field is `InvalidInput` (400) on that form field."""
    try:
        return check_resident(name, phone, email)
    except ResidentError as error:
        raise InvalidInput(RESIDENT_FIELDS[error.field], error.message) from error


def quote_for_resident(
    actor: User,
    slug: str,
    room_id: int | None,
    start: datetime,
    end: datetime,
    activity: Activity,
    *,
    now: datetime,
) -> quotes.QuoteResult:
    """The quote the resident would get, for a room of this house."""
    house = on_behalf_house(actor, slug)
    return quotes.quote(chosen_room(house, room_id).id, start, end, activity, now=now)


def book_for_resident(
    actor: User,
    slug: str,
    room_id: int | None,
    slot: tuple[datetime, datetime],
    title: str,
    public: bool,
    activity: Activity,
    who: Resident,
    *,
    now: datetime,
) -> bookings.Booked:
    """Book one slot for the resident; refused like any booking (422, 409), and 400 for a
    resident that is not one (no name, a phone number that is not one)."""
    house = on_behalf_house(actor, slug)
    room = chosen_room(house, room_id)
    who = resident(who.name, who.phone, who.email)  # whoever calls, the same checks
    start, end = slot
    booked = bookings.create_booking(
        actor, room.id, start, end, title, public, activity, now=now, on_behalf=who
    )
    audit.record(
        AuditAction.booked_on_behalf,
        AuditObject.booking,
        booked.booking.id,
        actor_id=actor.id,
        house_id=house.id,
        with_phone=bool(who.phone),
        with_email=bool(who.email),
    )
    return booked


def confirmation(actor: User, slug: str, booking_id: int) -> Booking:
    """A booking of this house, for its printable confirmation; 404 for any other."""
    house = on_behalf_house(actor, slug)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house.id:
        raise NotFound(booking_id)
    return booking
