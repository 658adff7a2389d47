"""Reporting periods of the statistics: Amsterdam dates, both inclusive, and their arithmetic.

A board reports on a month or a quarter; a query needs the UTC bounds of Amsterdam
midnights; a trend is per day up to two months and per ISO week beyond. All of that is
pure and lives here.

A period a person typed is checked here too, but the checks *return* a `Message` instead
of raising: `booking.services.reach` (`parse_day`, `make_period`) turns a problem into
`InvalidInput` at the field it is about, and a form turns it into its field's error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from booking.rules import dates
from booking.rules.messages import N_, Message
from booking.rules.slots import AMSTERDAM

DAILY_TREND_MAX_DAYS = 62
MIN_YEAR, MAX_YEAR = dates.MIN_YEAR, dates.MAX_YEAR  # one window for every typed date
PERIOD_CODE = "ongeldige_periode"
"""The code of every refused period in the JSON error (DESIGN section 10)."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OUT_OF_RANGE = Message(N_("Kies een datum tussen 2000 en 2100."))


def summer_time_utc(year: int) -> tuple[datetime, datetime]:
    """[start, end) of Amsterdam's summer time in `year`, in UTC: 01:00 UTC on the last
    Sundays of March and October (the EU rule since 1996). The statistics' SQL compares a
    stored moment with these two instants instead of working the rule out per row."""

    def last_sunday_0100(month: int) -> datetime:
        last = date(year, month, 31)
        last -= timedelta(days=(last.weekday() + 1) % 7)
        return datetime.combine(last, time(1), UTC)

    return last_sunday_0100(3), last_sunday_0100(10)


@dataclass(frozen=True)
class Period:
    """Amsterdam dates, both inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight before `first` up to the one after `last`."""
        return _midnight_utc(self.first), _midnight_utc(self.last + timedelta(days=1))

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    @property
    def weekly(self) -> bool:
        """A trend per day up to two months; per ISO week (Monday first) beyond."""
        return self.days > DAILY_TREND_MAX_DAYS


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), AMSTERDAM).astimezone(UTC)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


# A period a person typed -------------------------------------------------------------------


def read_day(text: str | None, what: str) -> date | Message:
    """A date typed as YYYY-MM-DD (what date inputs send), or why it is none.

    `what` names the date in the message ("van", "tot", a field's label), so a typo, a day
    that does not exist and a year like 9999 each get one clear Dutch sentence.
    """
    text = (text or "").strip()
    if not _ISO_DATE.fullmatch(text):
        return Message(N_("Vul de datum '%(what)s' in als JJJJ-MM-DD."), {"what": what})
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return Message(N_("De datum '%(what)s' bestaat niet."), {"what": what})
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return _OUT_OF_RANGE
    return day


def period_problem(first: date, last: date) -> Message | None:
    """Why first..last is no period to report on, or None: from before to, at most two
    years (a longer range would only be slow), within 2000-2100."""
    for day in (first, last):
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            return _OUT_OF_RANGE
    if first > last:
        return Message(N_("De begindatum ligt na de einddatum."))
    if last >= _add_years(first, 2):
        return Message(N_("Kies een periode van hoogstens twee jaar."))
    return None


# The quick choices ---------------------------------------------------------------------------


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def this_month(today: date) -> Period:
    return Period(today.replace(day=1), today)


def previous_month(today: date) -> Period:
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last)


def this_quarter(today: date) -> Period:
    return Period(_quarter_start(today), today)


def previous_quarter(today: date) -> Period:
    last = _quarter_start(today) - timedelta(days=1)
    return Period(_quarter_start(last), _month_end(last))


def year_to_date(today: date) -> Period:
    """1 January up to today: where the rendement overview opens."""
    return Period(date(today.year, 1, 1), today)


def default_period(today: date) -> Period:
    """The last full quarter: what a board reports on."""
    return previous_quarter(today)


def today_amsterdam(now: datetime) -> date:
    return now.astimezone(AMSTERDAM).date()
