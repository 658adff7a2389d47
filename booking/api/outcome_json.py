"""JSON of a quote's calendar outcomes (services/slot_outcomes.py), per date.

A booking in the way shows its title only when it is public or the caller is staff of the
house, and never who organises it (DESIGN section 10, like `busy_json`).
"""

from __future__ import annotations

from typing import Any

from booking.api.serialise import alternative_json, iso
from booking.i18n import say
from booking.models import Booking, User
from booking.rules.slot_outcome import summary
from booking.rules.statuses import BookingStatus
from booking.services.slot_outcomes import CalendarQuote, DateOutcome, shown_title, shows_details


def calendar_json(calendar: CalendarQuote, viewer: User | None) -> dict[str, Any]:
    details = shows_details(viewer, calendar.quote.room)
    return {
        "outcomes": [date_outcome_json(d, details) for d in calendar.dates],
        "bookable_dates": calendar.bookable,
        "series_problems": [say(m) for m in calendar.problems],
        "calendar_token": calendar.fingerprint,
    }


def date_outcome_json(found: DateOutcome, details: bool) -> dict[str, Any]:
    outcome = found.outcome
    until = outcome.provisional_until
    return {
        "start": iso(outcome.start),
        "end": iso(outcome.end),
        "outcome": outcome.kind.value,
        "label": say(summary(outcome)),
        "bookable": outcome.bookable,
        "provisional_until": None if until is None else iso(until),
        "reasons": [say(m) for m in outcome.reasons],
        "displaces": [_in_the_way(b, details) for b in found.displaced],
        "taken_by": [_in_the_way(b, details) for b in found.blocking],
        "alternatives": [alternative_json(a) for a in found.alternatives],
    }


def _in_the_way(booking: Booking, details: bool) -> dict[str, Any]:
    return {
        "start": iso(booking.start),
        "end": iso(booking.end),
        "title": shown_title(booking, details),
        "status": BookingStatus(booking.status).value,
    }
