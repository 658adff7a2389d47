"""Staff book for a resident who is not online (DESIGN sections 3 and 13).

A beheerder, sociaal beheerder or the gemeente books for someone who phoned or walked in:
the resident needs no account. The booking — one date or a series — is judged exactly like
any other: it goes through `services/quoted_booking.book_as_shown` (and so
`bookings.create_booking` or `series.create_series`), with the same quote, per-date
outcome, tariff group, class, status and displacement. Its organiser is the staff member;
the resident's name and optional phone and e-mail are kept on every booking
(`Booking.book_for`). Mails about the booking go to the resident's e-mail when one was
given (`mail/booking_mails.recipient`).
"""

from __future__ import annotations

from datetime import datetime

from booking.errors import InvalidInput, NotFound
from booking.extensions import db
from booking.models import Booking, House, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.permissions import Permission
from booking.rules.recurrence import Recurrence
from booking.rules.residents import Resident, ResidentError, check_resident
from booking.rules.tariff import Activity
from booking.services import audit, bookings, slot_outcomes
from booking.services.beheer.access import chosen_room
from booking.services.houses import house_for
from booking.services.quoted_booking import book_as_shown
from booking.services.series import SeriesBooked

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
    recurrence: Recurrence | None = None,
    *,
    now: datetime,
) -> slot_outcomes.CalendarQuote:
    """The quote the resident would get, with what the calendar says on each date (of the
    series, if `recurrence`), for a room of this house. Raises `RecurrenceError` for a
    repetition that cannot be expanded."""
    house = on_behalf_house(actor, slug)
    room = chosen_room(house, room_id)
    return slot_outcomes.calendar_quote(room.id, start, end, activity, recurrence, now=now)


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
    recurrence: Recurrence | None = None,
    shown: str | None = None,
) -> bookings.Booked | SeriesBooked:
    """Book one slot, or a series, for the resident; refused like any booking (422, 409),
    and 400 for a resident that is not one (no name, a phone number that is not one).

    `shown`: the fingerprint of the per-date outcome the staff member saw; when the
    calendar changed since, nothing is booked (RuleViolation, code ``agenda_veranderd``).
    """
    house = on_behalf_house(actor, slug)
    room = chosen_room(house, room_id)
    who = resident(who.name, who.phone, who.email)  # whoever calls, the same checks
    start, end = slot
    booked = book_as_shown(
        actor,
        room.id,
        start,
        end,
        title,
        public,
        activity,
        recurrence,
        shown,
        now=now,
        on_behalf=who,
    )
    if isinstance(booked, bookings.Booked):
        made, series = [booked], {}
    else:
        made, series = booked.occurrences, {"series_id": booked.series.id}
    for one in made:
        audit.record(
            AuditAction.booked_on_behalf,
            AuditObject.booking,
            one.booking.id,
            actor_id=actor.id,
            house_id=house.id,
            with_phone=bool(who.phone),
            with_email=bool(who.email),
            **series,
        )
    return booked


def confirmation(actor: User, slug: str, booking_id: int) -> Booking:
    """A booking of this house, for its printable confirmation; 404 for any other."""
    house = on_behalf_house(actor, slug)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house.id:
        raise NotFound(booking_id)
    return booking
