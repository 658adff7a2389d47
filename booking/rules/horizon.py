"""The booking horizon: how far ahead a house takes bookings (DESIGN section 13).

A house takes bookings up to `booking_horizon_months` months ahead (default 18): on
2026-01-31 with 1 month, the last bookable day is 2026-02-28 (the month's last day when
the day does not exist), and a booking must end by the midnight that closes that day,
Europe/Amsterdam wall-clock time.
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from booking.rules.messages import N_, Message
from booking.rules.slots import AMSTERDAM, require_aware

DEFAULT_MONTHS = 18
MIN_MONTHS = 1
MAX_MONTHS = 60


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_bookable_day(now: datetime, months: int, tz: tzinfo = AMSTERDAM) -> date:
    """The last local date on which a booking may take place."""
    require_aware(now)
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise ValueError(f"horizon of {months} months is outside {MIN_MONTHS}..{MAX_MONTHS}")
    return add_months(now.astimezone(tz).date(), months)


def last_bookable_moment(now: datetime, months: int, tz: tzinfo = AMSTERDAM) -> datetime:
    """The moment (UTC) by which every booking must have ended: the local midnight after
    the last bookable day."""
    after = last_bookable_day(now, months, tz) + timedelta(days=1)
    return datetime.combine(after, time(0), tz).astimezone(UTC)


def beyond_horizon(
    end: datetime, now: datetime, months: int, tz: tzinfo = AMSTERDAM
) -> Message | None:
    """The problem to show when a booking ending at `end` lies beyond the horizon."""
    require_aware(end)
    if end <= last_bookable_moment(now, months, tz):
        return None
    return horizon_message(now, months, tz)


def until_beyond_horizon(
    until: date, now: datetime, months: int, tz: tzinfo = AMSTERDAM
) -> Message | None:
    """The problem to show when a series runs past the horizon."""
    if until <= last_bookable_day(now, months, tz):
        return None
    return horizon_message(now, months, tz)


def horizon_message(now: datetime, months: int, tz: tzinfo = AMSTERDAM) -> Message:
    return Message(
        N_(
            "Dit huis neemt boekingen aan tot %(months)s maanden vooruit: "
            "de laatste dag die u kunt boeken is %(last_date)s."
        ),
        {"months": months, "last_date": last_bookable_day(now, months, tz).isoformat()},
    )
