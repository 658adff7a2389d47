"""A booking series as one VEVENT with RRULE and EXDATEs, when that is exact.

STACK.md section 4: a client expands an RRULE by its own rules (DST, short months, the
fifth weekday), so a series is folded into one rule only when the rule's expansion gives
exactly the stored occurrences, at the same wall-clock times; otherwise `series_plan`
answers None and `services/calendar.py` writes one VEVENT per occurrence.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from booking.models import Booking, BookingSeries
from booking.rules.slots import AMSTERDAM, NonexistentLocalTime, local_to_utc

TZID = "Europe/Amsterdam"
MAX_SERIES_OCCURRENCES = 500
"""More expanded dates than a series can ever have (the rules cap it at 400): stop there."""
_ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class SeriesPlan:
    """A series that one VEVENT with RRULE and EXDATEs describes exactly."""

    series: BookingSeries
    active: list[Booking]
    start: datetime
    """Local (Amsterdam) start of the anchor occurrence: the VEVENT's DTSTART."""
    end: datetime
    rule: dict[str, object]
    exdates: list[datetime]
    """Local starts of the expanded dates without an active booking."""
    last_start: datetime
    """Local start of the last expanded date, for the VTIMEZONE range."""


def _nth_weekday(day: date) -> int:
    """As the booking rules do: the 5th weekday of a month is "the last" one."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def _by_day_candidates(day: date) -> list[int]:
    """The ordinals that could have produced `day`: a 4th weekday may also be the last."""
    nth = _nth_weekday(day)
    days_in_month = month_calendar.monthrange(day.year, day.month)[1]
    if nth == 4 and day.day + 7 > days_in_month:
        return [4, -1]
    return [nth]


def _expanded_dates(series: BookingSeries, anchor: datetime, by_day: int | None) -> list[date]:
    """The dates the RRULE we would write yields, expanded in wall time like a client does."""
    until = datetime.combine(series.until, time(23, 59, 59), tzinfo=anchor.tzinfo)
    if series.freq == "weekly":
        dates = rrule(WEEKLY, interval=series.interval, dtstart=anchor, until=until)
    else:
        assert by_day is not None
        dates = rrule(
            MONTHLY,
            interval=series.interval,
            dtstart=anchor,
            until=until,
            byweekday=weekday(anchor.weekday(), by_day),
        )
    found: list[date] = []
    for moment in dates:
        if len(found) == MAX_SERIES_OCCURRENCES:
            break
        found.append(moment.date())
    return found


def _wall_clock_times(
    day: date,
    series: BookingSeries,
    end_offset: timedelta,
) -> tuple[datetime, datetime] | None:
    """UTC start and end of the series on `day`, or None if the wall-clock time is missing."""
    try:
        start = local_to_utc(datetime.combine(day, series.local_start))
        end = local_to_utc(datetime.combine(day + end_offset, series.local_end))
    except NonexistentLocalTime:
        return None
    return (start, end) if end > start else None


def _same_everywhere(active: Sequence[Booking]) -> bool:
    """Everything one VEVENT states once must be equal for every active occurrence."""
    first = active[0]
    return all(
        (b.status, b.title, b.public, b.room_id, b.organiser_id)
        == (first.status, first.title, first.public, first.room_id, first.organiser_id)
        for b in active
    )


def _try_rule(
    series: BookingSeries,
    anchor_local: datetime,
    end_offset: timedelta,
    active: Sequence[Booking],
    by_day: int | None,
) -> SeriesPlan | None:
    dates = _expanded_dates(series, anchor_local, by_day)
    if not dates or len(dates) >= MAX_SERIES_OCCURRENCES:
        return None
    by_date: dict[date, Booking] = {}
    for booking in active:
        day = booking.start.astimezone(AMSTERDAM).date()
        if day in by_date:
            return None
        by_date[day] = booking
    if not set(by_date) <= set(dates):
        return None  # an occurrence the rule would not produce (moved to another day)
    exdates: list[datetime] = []
    for day in dates:
        expected = _wall_clock_times(day, series, end_offset)
        if expected is None:
            return None  # a DST gap: clients would move it, we cannot say EXDATE exactly
        booking = by_date.get(day)
        if booking is None:
            exdates.append(expected[0].astimezone(AMSTERDAM))
        elif (booking.start, booking.end) != expected:
            return None  # moved to another time of that day
    rule: dict[str, object] = {
        "FREQ": "WEEKLY" if series.freq == "weekly" else "MONTHLY",
        "INTERVAL": series.interval,
    }
    if by_day is not None:
        rule["BYDAY"] = f"{by_day:+d}{_ICAL_WEEKDAYS[anchor_local.weekday()]}"
    last = local_to_utc(datetime.combine(dates[-1], series.local_start))
    rule["UNTIL"] = last
    end = _wall_clock_times(dates[0], series, end_offset)
    assert end is not None
    return SeriesPlan(
        series,
        list(active),
        anchor_local,
        end[1].astimezone(AMSTERDAM),
        rule,
        exdates,
        last.astimezone(AMSTERDAM),
    )


def ambiguous(naive_local: datetime) -> bool:
    """A wall-clock time that happens twice (the autumn hour)."""
    first = naive_local.replace(tzinfo=AMSTERDAM, fold=0).utcoffset()
    return first != naive_local.replace(tzinfo=AMSTERDAM, fold=1).utcoffset()


def series_plan(series: BookingSeries) -> SeriesPlan | None:
    """One RRULE for the whole series, or None when single events are the only exact answer.

    Exact means: every active occurrence sits on a date the rule yields, at the series'
    wall-clock times, and shares status, title, public flag, room and organiser; every
    other date the rule yields (cancelled, displaced, never booked) becomes an EXDATE.
    Cancelled rows themselves carry nothing into the VEVENT, so they cannot differ.
    """
    if series.timezone != TZID or series.freq not in ("weekly", "monthly"):
        return None
    rows = sorted(series.bookings, key=lambda b: (b.start, b.id))
    active = [b for b in rows if b.is_active]
    if not active or not _same_everywhere(active):
        return None
    anchor = next(
        (
            b
            for b in rows
            if b.start.astimezone(AMSTERDAM).time().replace(tzinfo=None) == series.local_start
            and b.end.astimezone(AMSTERDAM).time().replace(tzinfo=None) == series.local_end
        ),
        None,
    )
    if anchor is None:
        return None
    anchor_local = datetime.combine(
        anchor.start.astimezone(AMSTERDAM).date(), series.local_start, tzinfo=AMSTERDAM
    )
    end_offset = anchor.end.astimezone(AMSTERDAM).date() - anchor_local.date()
    candidates: list[int | None] = (
        [None] if series.freq == "weekly" else list(_by_day_candidates(anchor_local.date()))
    )
    plans = [
        p
        for c in candidates
        if (p := _try_rule(series, anchor_local, end_offset, active, c)) is not None
    ]
    return min(plans, key=lambda p: len(p.exdates)) if plans else None
