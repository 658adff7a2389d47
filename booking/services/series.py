"""Recurring bookings: book every free occurrence of a series, list the others with why.

Each occurrence is judged and placed exactly like a single booking (services/bookings.py);
only the series row and the one mail for the whole series are this module's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from booking.database import begin_write
from booking.errors import RuleViolation, SlotTaken
from booking.extensions import db
from booking.mail.booking_mails import notify_series_booked
from booking.models import Booking, BookingSeries, Room, User
from booking.rules import horizon, slots
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.recurrence import Recurrence, expand
from booking.rules.residents import Resident
from booking.rules.tariff import Activity
from booking.services import audit, request_notices
from booking.services.availability import alternatives
from booking.services.bookings import Booked, check_title, place, split_overlapping
from booking.services.organisations.namens import booking_organisation
from booking.services.quotes import horizon_months, judge, load_room

TAKEN = Message(N_("De ruimte is dan al bezet."))


@dataclass(frozen=True)
class OccurrenceConflict:
    """A date of the series that was not booked, and why."""

    start: datetime
    end: datetime
    reasons: list[Message]
    conflicts: list[Booking] = field(default_factory=list)


@dataclass
class SeriesBooked:
    series: BookingSeries
    occurrences: list[Booked]
    conflicts: list[OccurrenceConflict]


def create_series(
    organiser: User,
    room_id: int,
    start: datetime,
    end: datetime,
    title: str,
    public: bool,
    activity: Activity,
    recurrence: Recurrence,
    *,
    now: datetime,
    on_behalf: Resident | None = None,
    organisation_id: int | None = None,
) -> SeriesBooked:
    """Book every free occurrence; list the others with their reasons (DESIGN section 4).

    Refused as a whole (a `RecurrenceError` for the rule itself) only when no date at all
    can be booked. `on_behalf`: staff book the series for a resident without an account
    (services/on_behalf.py); every occurrence then carries the resident, as a single
    booking does (`services/bookings.create_booking`). `organisation_id`: every occurrence
    is booked namens that organisation, as a single booking is.
    """
    begin_write()
    organisation = booking_organisation(organiser, organisation_id)
    title = check_title(title)
    room = load_room(room_id)
    too_far = horizon.until_beyond_horizon(recurrence.until, now, horizon_months(room.house))
    if too_far is not None:
        raise RuleViolation(too_far)
    expansion = expand(start, end, recurrence, today=now.astimezone(slots.AMSTERDAM).date())
    local_start, local_end = start.astimezone(slots.AMSTERDAM), end.astimezone(slots.AMSTERDAM)
    series = BookingSeries(
        room_id=room.id,
        organiser_id=organiser.id,
        freq=recurrence.freq.value,
        interval=recurrence.interval,
        until=recurrence.until,
        local_start=local_start.time(),
        local_end=local_end.time(),
        title=title,
    )
    db.session.add(series)
    db.session.flush()
    booked: list[Booked] = []
    conflicts: list[OccurrenceConflict] = [
        OccurrenceConflict(
            slots.local_to_utc_lenient(datetime.combine(day, local_start.time())),
            slots.local_to_utc_lenient(datetime.combine(day, local_end.time())),
            [Message(N_("Deze tijd bestaat niet door de overgang naar zomertijd."))],
        )
        for day in expansion.skipped
    ]
    for occ_start, occ_end in expansion.occurrences:
        outcome = _book_occurrence(
            organiser, room, occ_start, occ_end, series, now, title, public, activity
        )
        if isinstance(outcome, OccurrenceConflict):
            conflicts.append(outcome)
        else:
            if on_behalf is not None:
                outcome.booking.book_for(on_behalf)
            if organisation is not None:
                outcome.booking.organisation_id = organisation.id
            booked.append(outcome)
    if not booked:
        db.session.delete(series)
        first = conflicts[0] if conflicts else None
        if first and first.conflicts:
            raise SlotTaken(first.conflicts, alternatives(room, start, end, now))
        raise RuleViolation(
            first.reasons if first else [Message(N_("Geen enkele datum kon worden geboekt."))]
        )
    conflicts.sort(key=lambda c: c.start)
    db.session.flush()
    audit.record(
        AuditAction.series_created,
        AuditObject.booking_series,
        series.id,
        actor_id=organiser.id,
        house_id=room.house_id,
        occurrences=len(booked),
        conflicts=len(conflicts),
    )
    notify_series_booked(series, [b.booking for b in booked], conflicts)
    request_notices.announce_requests([b.booking for b in booked])
    return SeriesBooked(series, booked, conflicts)


def _book_occurrence(
    organiser: User,
    room: Room,
    start: datetime,
    end: datetime,
    series: BookingSeries,
    now: datetime,
    title: str,
    public: bool,
    activity: Activity,
) -> Booked | OccurrenceConflict:
    """One date of the series: booked, or the conflict that kept it out."""
    judged = judge(room, start, end, activity, now)
    if judged.problems:
        return OccurrenceConflict(start, end, judged.problems)
    displaceable, blocking = split_overlapping(judged, now)
    if blocking:
        return OccurrenceConflict(start, end, [TAKEN], blocking)
    try:
        return place(organiser, judged, title, public, activity, series.id, displaceable, now)
    except SlotTaken as taken:
        return OccurrenceConflict(start, end, [TAKEN], taken.conflicts)
