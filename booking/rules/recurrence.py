"""Recurring bookings: expand a series into occurrences at the same local wall-clock time.

The rule is expanded in Europe/Amsterdam wall time (dateutil.rrule with a zoneinfo-aware
dtstart), never in UTC: a Thursday 19:00 series must stay at 19:00 after the clocks change
(17:00Z in summer, 18:00Z in winter). Each occurrence becomes its own booking elsewhere.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from booking.errors import RuleViolation
from booking.rules.messages import N_, WEEKDAY_LABELS, Message
from booking.rules.slots import (
    AMSTERDAM,
    NonexistentLocalTime,
    as_utc,
    local_to_utc,
    real_duration,
)

MIN_INTERVAL = 1
MAX_INTERVAL = 52
MAX_OCCURRENCES = 400


class Frequency(StrEnum):
    """How a series repeats; monthly means "the Nth weekday of the month"."""

    weekly = "weekly"
    monthly = "monthly"


@dataclass(frozen=True)
class Recurrence:
    """A series rule as the booker states it: every `interval` weeks or months, until a date."""

    freq: Frequency
    interval: int
    until: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "freq", Frequency(self.freq))


class RecurrenceError(RuleViolation, ValueError):
    """A series the house will not accept (422), with the reason to show the booker.

    A `RuleViolation`, so the registered handlers answer it like any broken rule; the
    booking form catches it by name to show it next to the repeat fields.
    """

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.args = (message.template % dict(message.params),)


@dataclass(frozen=True)
class Expansion:
    """The occurrences to book (UTC), and the local dates whose wall-clock times cannot be kept."""

    occurrences: list[tuple[datetime, datetime]] = field(default_factory=list)
    skipped: list[date] = field(default_factory=list)


_ORDINAL_LABELS = {
    1: N_("eerste"),
    2: N_("tweede"),
    3: N_("derde"),
    4: N_("vierde"),
    -1: N_("laatste"),
}


def _nth_weekday(day: date) -> int:
    """Rank of the day among its weekday in the month; a 5th becomes "last", which always exists."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def _validate(rule: Recurrence, first: date, today: date, max_days_ahead: int) -> None:
    interval = rule.interval
    if (
        isinstance(interval, bool)
        or not isinstance(interval, int)
        or not (MIN_INTERVAL <= interval <= MAX_INTERVAL)
    ):
        raise RecurrenceError(
            Message(
                N_("Het herhaalinterval moet tussen %(min)s en %(max)s liggen."),
                {"min": MIN_INTERVAL, "max": MAX_INTERVAL},
            )
        )
    if rule.until < first:
        raise RecurrenceError(
            Message(
                N_("De einddatum van de reeks ligt vóór de eerste keer (%(first_date)s)."),
                {"first_date": first.isoformat()},
            )
        )
    latest = today + timedelta(days=max_days_ahead)
    if rule.until > latest:
        raise RecurrenceError(
            Message(
                N_("Een reeks mag hoogstens tot en met %(latest_date)s lopen."),
                {"latest_date": latest.isoformat()},
            )
        )


def _rule_dates(local_start: datetime, rule: Recurrence) -> rrule:
    """The rrule in local wall time; dateutil keeps dtstart's tzinfo and wall clock."""
    if rule.freq is Frequency.weekly:
        return rrule(WEEKLY, interval=rule.interval, dtstart=local_start)
    by_day = weekday(local_start.weekday(), _nth_weekday(local_start.date()))
    return rrule(MONTHLY, interval=rule.interval, dtstart=local_start, byweekday=by_day)


def _occurrence_days(local_start: datetime, rule: Recurrence) -> list[date]:
    days: list[date] = []
    for moment in _rule_dates(local_start, rule):
        if moment.date() > rule.until:
            return days
        if len(days) == MAX_OCCURRENCES:
            raise RecurrenceError(
                Message(
                    N_("Een reeks mag hoogstens %(max)s keer voorkomen."), {"max": MAX_OCCURRENCES}
                )
            )
        days.append(moment.date())
    return days  # pragma: no cover - rrule without until or count never ends


def _at_wall_clock(
    day: date, local_start: datetime, local_end: datetime, tz: tzinfo
) -> tuple[datetime, datetime] | None:
    """Same wall-clock start and end as the first occurrence, or None when impossible.

    Impossible means a time in the spring DST gap, or an end not after the start, which
    happens only when the first occurrence ended in the second pass of the autumn hour
    (02:45 summer time to 02:15 winter time repeats as nothing sensible).
    """
    end_day = day + (local_end.date() - local_start.date())
    try:
        start = local_to_utc(datetime.combine(day, local_start.time()), tz)
        end = local_to_utc(datetime.combine(end_day, local_end.time()), tz)
    except NonexistentLocalTime:
        return None
    if end <= start:
        return None
    return start, end


def expand(
    start: datetime,
    end: datetime,
    rule: Recurrence,
    *,
    today: date,
    max_days_ahead: int = 366,
    tz: tzinfo = AMSTERDAM,
) -> Expansion:
    """Every occurrence from the first one up to and including `until`, as UTC datetimes.

    UTC because that is what gets stored, and because Python compares two datetimes of
    one zone by wall clock, which misorders the autumn hour; show them with astimezone().

    The first occurrence is the requested booking itself, exactly (even in the hour that
    happens twice in autumn). A later date whose wall-clock times cannot be kept (the
    spring DST gap) is skipped and reported rather than moved, so the booker decides.
    """
    if real_duration(start, end) <= timedelta(0):
        raise ValueError("end must be after start")
    local_start, local_end = as_utc(start).astimezone(tz), as_utc(end).astimezone(tz)
    _validate(rule, local_start.date(), today, max_days_ahead)
    expansion = Expansion(occurrences=[(as_utc(start), as_utc(end))])
    for day in _occurrence_days(local_start, rule)[1:]:
        occurrence = _at_wall_clock(day, local_start, local_end, tz)
        if occurrence is None:
            expansion.skipped.append(day)
        else:
            expansion.occurrences.append(occurrence)
    return expansion


def describe(rule: Recurrence, start: datetime, tz: tzinfo = AMSTERDAM) -> Message:
    """Say the rule back in Dutch ("elke week op donderdag tot en met 31 december 2026")."""
    local = start.astimezone(tz)
    params: dict[str, int | str] = {
        "interval": rule.interval,
        "weekday_label": WEEKDAY_LABELS[local.weekday()],
        "until_date": rule.until.isoformat(),
    }
    if rule.freq is Frequency.weekly:
        if rule.interval == 1:
            return Message(N_("elke week op %(weekday_label)s tot en met %(until_date)s"), params)
        return Message(
            N_("elke %(interval)s weken op %(weekday_label)s tot en met %(until_date)s"), params
        )
    params["ordinal_label"] = _ORDINAL_LABELS[_nth_weekday(local.date())]
    if rule.interval == 1:
        return Message(
            N_("elke maand op de %(ordinal_label)s %(weekday_label)s tot en met %(until_date)s"),
            params,
        )
    return Message(
        N_(
            "elke %(interval)s maanden op de %(ordinal_label)s %(weekday_label)s "
            "tot en met %(until_date)s"
        ),
        params,
    )
