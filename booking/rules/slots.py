"""When a room can be booked: grid, opening hours, closures, length, and DST-safe time.

The UI speaks Europe/Amsterdam wall-clock time and the database UTC; every conversion
between the two goes through here so that a booking across a DST change has its real
length and a wall-clock time that does not exist is refused instead of silently moved.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from booking.rules.messages import N_, WEEKDAY_LABELS, Message

GRID_MINUTES = 15
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by the spring DST change (e.g. 2026-03-29 02:30)."""


def require_aware(*moments: datetime) -> None:
    """Naive datetimes are ambiguous between UTC and local time, so the rules refuse them."""
    for moment in moments:
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"timezone-aware datetime required, got {moment!r}")


def _require_naive(moment: datetime) -> None:
    if moment.tzinfo is not None:
        raise ValueError(f"naive wall-clock datetime expected, got {moment!r}")


def local_to_utc_lenient(naive_local: datetime, tz: tzinfo = AMSTERDAM) -> datetime:
    """Convert wall-clock time without refusing gaps, for rules that only need a boundary.

    Ambiguous autumn times resolve to the first occurrence (fold=0). A time in the spring
    gap is read with the offset from before the change, which lands one hour later in
    wall-clock terms (02:30 becomes 03:30 CEST): a boundary there moves forward, never back.
    """
    _require_naive(naive_local)
    return naive_local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def local_to_utc(naive_local: datetime, tz: tzinfo = AMSTERDAM) -> datetime:
    """Convert a wall-clock time a person entered to UTC, refusing times that never happen.

    Autumn times that happen twice (2026-10-25 02:30) resolve to the *first* occurrence
    (fold=0, still summer time): a booker who types 02:30 that night most likely means
    the moment the clock first shows it, and it keeps the choice deterministic.
    """
    moment = local_to_utc_lenient(naive_local, tz)
    if moment.astimezone(tz).replace(tzinfo=None) != naive_local:
        raise NonexistentLocalTime(f"{naive_local.isoformat()} does not exist in {tz}")
    return moment


def as_utc(moment: datetime) -> datetime:
    """Compare and subtract in UTC only.

    Python compares and subtracts two datetimes that share a tzinfo by wall clock, ignoring
    the offset, which is wrong across a DST change. A moment already in UTC (every one the
    database hands back) is returned as it is: a calendar asks this thousands of times.
    """
    if moment.tzinfo is UTC:
        return moment
    require_aware(moment)
    return moment.astimezone(UTC)


def local_day_bounds(moment: datetime, tz: tzinfo = AMSTERDAM) -> tuple[datetime, datetime]:
    """Start and end (UTC) of the local calendar day around `moment`: 23 or 25 hours on the
    days the clocks change, because the next midnight is found in wall-clock time."""
    require_aware(moment)
    midnight = moment.astimezone(tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC), (midnight + timedelta(days=1)).astimezone(UTC)


def real_duration(start: datetime, end: datetime) -> timedelta:
    """Elapsed time, not the difference of the wall clocks (03:00 - 01:00 can be 3 hours)."""
    return as_utc(end) - as_utc(start)


@dataclass(frozen=True)
class OpeningPeriod:
    """One opening period of a house on a weekday (0 = Monday), in local wall-clock time."""

    weekday: int
    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) .. 6 (Sunday)")
        if self.opens >= self.closes:
            raise ValueError("an opening period closes after it opens, on the same day")

    def contains(self, local_start: datetime, local_end: datetime) -> bool:
        """True when the local booking lies inside this period on one and the same day."""
        return (
            local_start.weekday() == self.weekday
            and local_start.date() == local_end.date()
            and self.opens <= local_start.time()
            and local_end.time() <= self.closes
        )


@dataclass(frozen=True)
class Closure:
    """A time the house is shut (holiday, maintenance), in aware datetimes."""

    start: datetime
    end: datetime
    reason: str

    def __post_init__(self) -> None:
        require_aware(self.start, self.end)
        if real_duration(self.start, self.end) <= timedelta(0):
            raise ValueError("a closure ends after it starts")

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Half-open overlap, so a booking may start the minute a closure ends."""
        return as_utc(self.start) < as_utc(end) and as_utc(start) < as_utc(self.end)


@dataclass(frozen=True)
class SlotLimits:
    """Shortest and longest booking a house accepts, in minutes of real time."""

    min_minutes: int = 30
    max_minutes: int = 12 * 60

    def __post_init__(self) -> None:
        if not 0 < self.min_minutes <= self.max_minutes:
            raise ValueError("0 < min_minutes <= max_minutes required")


# --- the individual checks; each returns the problems it found ----------------------------


def _on_grid(local: datetime) -> bool:
    return local.minute % GRID_MINUTES == 0 and local.second == 0 and local.microsecond == 0


def _grid_problems(local_start: datetime, local_end: datetime) -> list[Message]:
    problems = []
    if not _on_grid(local_start):
        problems.append(
            Message(
                N_("De begintijd moet op een heel kwartier vallen (bijvoorbeeld %(example)s)."),
                {"example": "10:00, 10:15, 10:30, 10:45"},
            )
        )
    if not _on_grid(local_end):
        problems.append(
            Message(
                N_("De eindtijd moet op een heel kwartier vallen (bijvoorbeeld %(example)s)."),
                {"example": "10:00, 10:15, 10:30, 10:45"},
            )
        )
    return problems


def _length_problems(duration: timedelta, limits: SlotLimits) -> list[Message]:
    if duration < timedelta(minutes=limits.min_minutes):
        return [
            Message(
                N_("Een boeking duurt minstens %(minutes)s minuten."),
                {"minutes": limits.min_minutes},
            )
        ]
    if duration > timedelta(minutes=limits.max_minutes):
        return [_too_long(limits.max_minutes)]
    return []


def _too_long(max_minutes: int) -> Message:
    """Say "12 uur" rather than "720 minuten" when the limit is whole hours."""
    if max_minutes % 60 == 0:
        return Message(
            N_("Een boeking duurt hoogstens %(hours)s uur."), {"hours": max_minutes // 60}
        )
    return Message(N_("Een boeking duurt hoogstens %(minutes)s minuten."), {"minutes": max_minutes})


def _format_periods(periods: Sequence[OpeningPeriod]) -> str:
    ordered = sorted(periods, key=lambda p: p.opens)
    return ", ".join(f"{p.opens:%H:%M}–{p.closes:%H:%M}" for p in ordered)


def _opening_problems(
    local_start: datetime, local_end: datetime, opening: Sequence[OpeningPeriod]
) -> list[Message]:
    if any(period.contains(local_start, local_end) for period in opening):
        return []
    if local_start.date() != local_end.date():
        return [Message(N_("Een boeking begint en eindigt op dezelfde dag."))]
    weekday = local_start.weekday()
    that_day = [period for period in opening if period.weekday == weekday]
    if not that_day:
        return [
            Message(
                N_("Het huis is op %(weekday_label)s gesloten."),
                {"weekday_label": WEEKDAY_LABELS[weekday]},
            )
        ]
    return [
        Message(
            N_(
                "De boeking moet binnen één openingstijd vallen; "
                "op %(weekday_label)s is het huis open: %(periods)s."
            ),
            {"weekday_label": WEEKDAY_LABELS[weekday], "periods": _format_periods(that_day)},
        )
    ]


def _closure_problems(start: datetime, end: datetime, closures: Sequence[Closure]) -> list[Message]:
    return [
        Message(N_("Het huis is dan gesloten: %(reason)s."), {"reason": closure.reason})
        for closure in closures
        if closure.overlaps(start, end)
    ]


def check_slot(
    start: datetime,
    end: datetime,
    *,
    opening: Sequence[OpeningPeriod],
    closures: Sequence[Closure],
    limits: SlotLimits,
    now: datetime,
    tz: tzinfo = AMSTERDAM,
) -> list[Message]:
    """List every problem with a requested time at once, so the booker fixes them in one go.

    An empty list means the slot is acceptable for the house; whether the room is free is
    the database's business, not this function's.
    """
    require_aware(start, end, now)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    problems = _grid_problems(local_start, local_end)
    if as_utc(start) < as_utc(now):
        problems.append(Message(N_("De begintijd ligt in het verleden.")))
    duration = real_duration(start, end)
    if duration <= timedelta(0):
        problems.append(Message(N_("De eindtijd moet na de begintijd liggen.")))
        return problems
    problems += _length_problems(duration, limits)
    problems += _opening_problems(local_start, local_end, opening)
    problems += _closure_problems(start, end, closures)
    return problems
