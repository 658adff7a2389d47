"""Dates and moments that arrive as text, bounded to the years the app can reason about.

Python's calendar ends in the year 9999 and a week view, a booking or a CSV range near
either end overflows on the first `+ timedelta`; the database and zoneinfo have their own
limits. Every date a person types therefore passes through here first and must lie in
FIRST_DAY..LAST_DAY (2000-2100): far beyond any booking, report or closure a house has.
"""

import re
from datetime import date, datetime

from booking.rules.messages import N_, Message

MIN_YEAR = 2000
MAX_YEAR = 2100
FIRST_DAY = date(MIN_YEAR, 1, 1)
LAST_DAY = date(MAX_YEAR, 12, 31)

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# A date, then T or a space, then HH:MM with optional seconds, fraction and offset (or Z).
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
MOMENT_MAX_LENGTH = 40

OUT_OF_RANGE = Message(
    N_("Kies een datum tussen %(first_date)s en %(last_date)s."),
    {"first_date": FIRST_DAY.isoformat(), "last_date": LAST_DAY.isoformat()},
)


def in_range(day: date) -> bool:
    """True when the day (or the local date of a moment) lies in FIRST_DAY..LAST_DAY."""
    if isinstance(day, datetime):
        day = day.date()
    return FIRST_DAY <= day <= LAST_DAY


def parse_day(text: str | None) -> date | None:
    """A YYYY-MM-DD date in range; None for anything else (empty, typo, year 1 or 9999)."""
    text = (text or "").strip()
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if in_range(day) else None


def parse_month(text: str | None) -> tuple[int, int] | None:
    """A YYYY-MM month in range as (year, month); None for anything else."""
    match = _ISO_MONTH.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return year, month


def parse_moment(text: str | None) -> datetime | None:
    """An ISO 8601 date and time ("2026-12-03T10:00", optionally with seconds and an offset)
    whose date lies in range; naive stays naive. None for anything else."""
    text = (text or "").strip()
    if len(text) > MOMENT_MAX_LENGTH or not _ISO_MOMENT.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if in_range(moment) else None
