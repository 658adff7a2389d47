"""Confirm a quote: book exactly what it showed, or refuse because the calendar changed.

The booking form and `POST /api/v1/bookings` (with `calendar_token`) come here. The check
and the booking share one write transaction, so nothing can slip in between on SQLite; on
PostgreSQL the exclusion constraint still refuses an overlap that raced in.
"""

from __future__ import annotations

from datetime import datetime

from booking.models import User
from booking.rules.recurrence import Recurrence
from booking.rules.residents import Resident
from booking.rules.tariff import Activity
from booking.services import series as series_service
from booking.services.bookings import Booked, create_booking
from booking.services.series import SeriesBooked
from booking.services.slot_outcomes import check_unchanged


def book_as_shown(
    organiser: User,
    room_id: int,
    start: datetime,
    end: datetime,
    title: str,
    public: bool,
    activity: Activity,
    recurrence: Recurrence | None,
    shown: str | None,
    *,
    now: datetime,
    on_behalf: Resident | None = None,
    organisation_id: int | None = None,
) -> Booked | SeriesBooked:
    """Book one slot or a series as quoted. `shown` is the quote's fingerprint
    (`CalendarQuote.fingerprint`); None skips the check (an API client that sends none).
    `on_behalf`: staff book for a resident (services/on_behalf.py); `organisation_id`:
    booked namens an organisation of the organiser (services/organisations/namens.py)."""
    if shown is not None:
        check_unchanged(room_id, start, end, activity, recurrence, shown, now=now)
    if recurrence is not None:
        return series_service.create_series(
            organiser,
            room_id,
            start,
            end,
            title,
            public,
            activity,
            recurrence,
            now=now,
            on_behalf=on_behalf,
            organisation_id=organisation_id,
        )
    return create_booking(
        organiser,
        room_id,
        start,
        end,
        title,
        public,
        activity,
        now=now,
        on_behalf=on_behalf,
        organisation_id=organisation_id,
    )
