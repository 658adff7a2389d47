"""Quotes that see the calendar: each date's outcome (free, displaces, taken, provisional).

`calendar_quote` is what a booker sees before confirming: the price quote of the first date
(services/quotes.py) and, for every date of the booking or series, what the calendar says
(rules/slot_outcome.py). The bookings in the way of all dates come from ONE query, the
house's rules are cached per transaction, so a year of weekly dates costs no more queries
than one date — except the alternatives, which are computed for the first
`ALTERNATIVE_DATES` taken dates only.

`check_unchanged` is the confirmation's guard: inside the write transaction it recomputes
the outcomes and refuses (RuleViolation, code ``agenda_veranderd``) when they differ from
the fingerprint the booker was shown.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import Booking, Room, User
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import horizon, slots
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.recurrence import Recurrence, expand
from booking.rules.slot_outcome import Occupant, SlotOutcome, classify, fingerprint, overlaps
from booking.rules.statuses import BookingStatus, PriorityClass
from booking.rules.tariff import Activity
from booking.services.availability import LONGEST_BOOKING, Alternative, alternatives
from booking.services.house_rules import rules_for
from booking.services.quotes import QuoteResult, horizon_months, judge, load_room

ALTERNATIVE_DATES = 3
CALENDAR_CHANGED = "agenda_veranderd"
DST_GAP = Message(N_("Deze tijd bestaat niet door de overgang naar zomertijd."))


@dataclass(frozen=True)
class DateOutcome:
    """One date of a quote: the rules' outcome and the bookings it names."""

    outcome: SlotOutcome
    displaced: list[Booking] = field(default_factory=list)
    blocking: list[Booking] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass(frozen=True)
class CalendarQuote:
    """The quote (of the first date) with every date's outcome, and their fingerprint."""

    quote: QuoteResult
    dates: list[DateOutcome]
    problems: list[Message]
    fingerprint: str

    @property
    def bookable(self) -> int:
        """How many dates a confirmation would book."""
        return 0 if self.problems else sum(1 for d in self.dates if d.outcome.bookable)


def calendar_quote(
    room_id: int,
    start: datetime,
    end: datetime,
    activity: Activity,
    recurrence: Recurrence | None = None,
    *,
    now: datetime,
) -> CalendarQuote:
    """Price, class and reasons, and what booking would do on each date.

    Raises `RecurrenceError` for a repetition rule that cannot be expanded.
    """
    room = load_room(room_id)
    first = judge(room, start, end, activity, now)
    problems: list[Message] = []
    wanted: list[tuple[datetime, datetime]] = [(start, end)]
    skipped: list[SlotOutcome] = []
    if recurrence is not None:
        late = horizon.until_beyond_horizon(recurrence.until, now, horizon_months(room.house))
        if late is not None:
            problems.append(late)
        expansion = expand(start, end, recurrence, today=now.astimezone(slots.AMSTERDAM).date())
        wanted = expansion.occurrences
        skipped = [_skipped(day, start, end) for day in expansion.skipped]
    dates = date_outcomes(room, wanted, activity, now=now) + [DateOutcome(s) for s in skipped]
    dates.sort(key=lambda d: d.outcome.start)
    return CalendarQuote(first, dates, problems, fingerprint([d.outcome for d in dates]))


def date_outcomes(
    room: Room,
    wanted: Sequence[tuple[datetime, datetime]],
    activity: Activity,
    *,
    now: datetime,
    ignore: Collection[int] = (),
) -> list[DateOutcome]:
    """Each date's outcome for booking `room` with these answers (one query for all dates).

    Also for a change of a booking: pass the dates it would move to, and the ids of the
    bookings being changed as `ignore` (they do not stand in their own way).
    """
    window = rules_for(room).policy.voorrangstermijn_days
    in_the_way = [b for b in occupying(room.id, wanted) if b.id not in ignore]
    occupants = {b.id: _occupant(b) for b in in_the_way}
    by_id = {b.id: b for b in in_the_way}
    found, with_alternatives = [], 0
    for start, end in wanted:
        judged = judge(room, start, end, activity, now)
        outcome = classify(
            start,
            end,
            new_class=judged.decision.priority_class,
            new_status=judged.status,
            occupants=[o for o in occupants.values() if overlaps(o, start, end)],
            now=now,
            window_days=window,
            problems=judged.problems,
        )
        offered: list[Alternative] = []
        if outcome.blocking and with_alternatives < ALTERNATIVE_DATES:
            with_alternatives += 1
            offered = alternatives(room, start, end, now)
        found.append(
            DateOutcome(
                outcome,
                [by_id[o.booking_id] for o in outcome.displaced],
                [by_id[o.booking_id] for o in outcome.blocking],
                offered,
            )
        )
    return found


def occupying(room_id: int, wanted: Sequence[tuple[datetime, datetime]]) -> list[Booking]:
    """The active bookings of the room that overlap any of the slots: one query."""
    if not wanted:
        return []
    overlap_any = or_(
        *(
            (Booking.start < end)
            & (Booking.start > start - LONGEST_BOOKING)
            & (Booking.end > start)
            for start, end in wanted
        )
    )
    query = (
        select(Booking)
        .options(selectinload(Booking.organiser))
        .where(Booking.room_id == room_id, Booking.status.in_(ACTIVE_STATUS_VALUES), overlap_any)
        .order_by(Booking.start, Booking.id)
    )
    return list(db.session.scalars(query))


def check_unchanged(
    room_id: int,
    start: datetime,
    end: datetime,
    activity: Activity,
    recurrence: Recurrence | None,
    shown: str,
    *,
    now: datetime,
) -> CalendarQuote:
    """Refuse a confirmation whose calendar changed since the quote `shown` (a fingerprint).

    Takes the write lock first (SQLite), so the booking that follows in the same
    transaction books exactly these outcomes. Returns the (unchanged) quote.
    """
    begin_write()
    fresh = calendar_quote(room_id, start, end, activity, recurrence, now=now)
    if fresh.fingerprint != (shown or "").strip():
        raise RuleViolation(
            Message(
                N_(
                    "De agenda is veranderd sinds u de prijs en voorrang zag. We hebben niets "
                    "geboekt. Bekijk hieronder wat er nu per datum kan en bevestig opnieuw."
                )
            ),
            "shown_outcomes",
            code=CALENDAR_CHANGED,
        )
    return fresh


def shows_details(viewer: User | None, room: Room) -> bool:
    """Staff of the house see titles and organisers of bookings in the way; others see the
    title of a public booking only, and never who organises it."""
    return viewer is not None and viewer.can(Permission.see_booking_details, room.house_id)


def shown_title(booking: Booking, details: bool) -> str | None:
    """The title a viewer may read, or None (then: 'een besloten activiteit')."""
    return booking.title if details or booking.public else None


def _occupant(booking: Booking) -> Occupant:
    return Occupant(
        booking.id,
        booking.start,
        booking.end,
        BookingStatus(booking.status),
        PriorityClass(booking.priority_class),
        booking.voorrangstermijn_days,
    )


def _skipped(day: date, start: datetime, end: datetime) -> SlotOutcome:
    """A date whose wall-clock time does not exist (spring DST gap): not bookable."""
    local_start, local_end = start.astimezone(slots.AMSTERDAM), end.astimezone(slots.AMSTERDAM)
    return classify(
        slots.local_to_utc_lenient(datetime.combine(day, local_start.time())),
        slots.local_to_utc_lenient(datetime.combine(day, local_end.time())),
        new_class=PriorityClass(4),
        new_status=BookingStatus.bevestigd,
        occupants=(),
        now=start,
        window_days=0,
        problems=(DST_GAP,),
    )
