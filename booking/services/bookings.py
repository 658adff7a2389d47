"""Booking use cases: quote, book (single or series), displace, cancel, approve, override.

The invariant of DESIGN section 4 — two active bookings of one room never overlap — is
kept by the database: on SQLite every write use case starts with BEGIN IMMEDIATE and checks
for overlap inside that transaction; on PostgreSQL the exclusion constraint refuses the
second of two racing inserts, which we turn into the same conflict answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from booking.database import begin_write, constraint_name, is_deadlock
from booking.extensions import db
from booking.models import Booking, BookingSeries, House, Room, User
from booking.models.bookings import NO_OVERLAP_CONSTRAINT
from booking.rules import horizon, slots
from booking.rules.messages import N_, Message, encode_reason, encode_text_reason
from booking.rules.pricing import Price, quote_price
from booking.rules.priority import (
    blocked_by_priority_block,
    displacement_reason,
    initial_status,
    may_displace,
)
from booking.rules.recurrence import Recurrence, expand
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.rules.tariff import Activity, TariffDecision, decide_tariff
from booking.services import audit
from booking.services.availability import Alternative, alternatives, overlapping
from booking.services.house_rules import RoomRules, rules_for
from booking.services.notifications import (
    notify_booked,
    notify_cancelled,
    notify_decision,
    notify_displaced,
    notify_series_booked,
)

TITLE_MAX = 200


class BookingError(Exception):
    """A booking use case refused; views turn each kind into its HTTP answer."""


class NotFound(BookingError):
    """Unknown, or not the caller's to see: both answer 404."""


class RuleViolation(BookingError):
    """The request breaks a rule of the house (422), with every problem listed."""

    def __init__(self, problems: Sequence[Message]) -> None:
        super().__init__("; ".join(m.template for m in problems))
        self.problems = list(problems)


class SlotTaken(BookingError):
    """The room is taken by bookings that may not be displaced (409)."""

    def __init__(self, conflicts: Sequence[Booking], suggestions: Sequence[Alternative]) -> None:
        super().__init__("slot taken")
        self.conflicts = list(conflicts)
        self.alternatives = list(suggestions)


@dataclass(frozen=True)
class QuoteResult:
    room: Room
    start: datetime
    end: datetime
    decision: TariffDecision
    price: Price
    status: BookingStatus
    problems: list[Message]


@dataclass
class Booked:
    booking: Booking
    displaced: list[Booking] = field(default_factory=list)


@dataclass(frozen=True)
class OccurrenceConflict:
    start: datetime
    end: datetime
    reasons: list[Message]
    conflicts: list[Booking] = field(default_factory=list)


@dataclass
class SeriesBooked:
    series: BookingSeries
    occurrences: list[Booked]
    conflicts: list[OccurrenceConflict]


def load_room(room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or not room.active:
        raise NotFound(room_id)
    return room


def _problems(
    rules: RoomRules, start: datetime, end: datetime, decision: TariffDecision, now: datetime
) -> list[Message]:
    problems = slots.check_slot(
        start,
        end,
        opening=rules.opening,
        closures=rules.closures(start, end),
        limits=rules.limits,
        now=now,
    )
    late = horizon.beyond_horizon(end, now, _horizon_months(rules.house))
    if late is not None:
        problems.append(late)
    if end > start:
        block = blocked_by_priority_block(
            decision.priority_class, start, end, rules.blocks_on(start)
        )
        if block:
            problems.append(
                Message(
                    N_(
                        "Deze tijd is een voorrangsblok (%(weekday_label)s %(start)s–%(end)s): "
                        "alleen activiteiten door en voor bewoners kunnen dan boeken."
                    ),
                    {
                        "weekday_label": _weekday_label(block.weekday),
                        "start": block.start.strftime("%H:%M"),
                        "end": block.end.strftime("%H:%M"),
                    },
                )
            )
    return problems


def _horizon_months(house: House) -> int:
    """How many months ahead the house takes bookings (DESIGN section 13)."""
    return house.booking_horizon_months or horizon.DEFAULT_MONTHS


def _weekday_label(weekday: int) -> str:
    from booking.rules.messages import WEEKDAY_LABELS

    return WEEKDAY_LABELS[weekday]


def _judge(
    room: Room, start: datetime, end: datetime, activity: Activity, now: datetime
) -> QuoteResult:
    rules = rules_for(room)
    decision = decide_tariff(activity, rules.policy.contribution_cap_cents)
    problems = _problems(rules, start, end, decision, now)
    price = (
        quote_price(rules.rate_card, decision.tariff_group, start, end)
        if end > start
        else Price(0, 0, 0)
    )
    status = initial_status(
        decision.priority_class,
        start,
        now,
        rules.policy.voorrangstermijn_days,
        room.requires_approval,
    )
    return QuoteResult(room, start, end, decision, price, status, problems)


def quote(
    room_id: int, start: datetime, end: datetime, activity: Activity, *, now: datetime
) -> QuoteResult:
    """What a booking would cost and why, computed by the server before the booker confirms."""
    return _judge(load_room(room_id), start, end, activity, now)


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise RuleViolation([Message(N_("Geef de activiteit een naam."))])
    if len(title) > TITLE_MAX:
        raise RuleViolation(
            [
                Message(
                    N_("De naam van de activiteit is te lang (hoogstens %(max)s tekens)."),
                    {"max": TITLE_MAX},
                )
            ]
        )
    return title


def _blocking(judged: QuoteResult, now: datetime) -> tuple[list[Booking], list[Booking]]:
    """Split the overlapping active bookings into (displaceable, blocking)."""
    window = rules_for(judged.room).policy.voorrangstermijn_days
    displaceable, blocking = [], []
    for other in overlapping(judged.room.id, judged.start, judged.end):
        if may_displace(
            judged.decision.priority_class,
            PriorityClass(other.priority_class),
            BookingStatus(other.status),
            other.start,
            now,
            window,
        ):
            displaceable.append(other)
        else:
            blocking.append(other)
    return displaceable, blocking


def _lost_the_slot(error: DBAPIError) -> bool:
    """The no-overlap constraint refused the booking, or PostgreSQL broke a deadlock
    between two inserts that each waited for the other's check of that constraint
    (SQLSTATE 40P01): either way another request holds the slot."""
    if isinstance(error, IntegrityError):
        return constraint_name(error) == NO_OVERLAP_CONSTRAINT
    return is_deadlock(error)


def _insert(
    organiser: User,
    judged: QuoteResult,
    title: str,
    public: bool,
    activity: Activity,
    series_id: int | None,
    displaceable: list[Booking],
    now: datetime,
) -> Booked:
    """Displace first, then insert, inside a savepoint so a lost race leaves no trace."""
    booking = Booking(
        room_id=judged.room.id,
        organiser_id=organiser.id,
        series_id=series_id,
        title=title,
        public=public,
        start=judged.start,
        end=judged.end,
        status=judged.status.value,
        tariff_group=judged.decision.tariff_group.value,
        priority_class=int(judged.decision.priority_class),
        amount_cents=judged.price.amount_cents,
        list_price_cents=judged.price.list_price_cents,
        organiser_kind=activity.organiser_kind.value,
        open_to_all=activity.open_to_all,
        membership_required=activity.membership_required,
        contribution_cents=activity.contribution_cents,
        profit_making=activity.profit_making,
        subsidised=activity.subsidised,
        mainly_meeting=activity.mainly_meeting,
        gives_in_return=activity.gives_in_return,
    )
    try:
        with db.session.begin_nested():
            for other in displaceable:
                other.status = BookingStatus.verdrongen.value
                other.sequence += 1
            db.session.flush()
            db.session.add(booking)
            db.session.flush()
    except (IntegrityError, OperationalError) as error:
        if not _lost_the_slot(error):
            raise
        db.session.expire_all()
        taken = overlapping(judged.room.id, judged.start, judged.end)
        raise SlotTaken(taken, alternatives(judged.room, judged.start, judged.end, now)) from error
    house_id = judged.room.house_id
    for other in displaceable:
        reason = displacement_reason(
            judged.decision.priority_class, PriorityClass(other.priority_class)
        )
        other.displaced_by_id = booking.id
        other.status_reason = encode_reason(reason)
        audit.record(
            "booking_displaced",
            "booking",
            other.id,
            actor_id=organiser.id,
            house_id=house_id,
            displaced_by=booking.id,
        )
        notify_displaced(other, reason, alternatives(other.room, other.start, other.end, now))
    audit.record(
        "booking_created",
        "booking",
        booking.id,
        actor_id=organiser.id,
        house_id=house_id,
        status=booking.status,
        tariff_group=booking.tariff_group,
        priority_class=booking.priority_class,
        amount_cents=booking.amount_cents,
        displaced=[o.id for o in displaceable],
    )
    return Booked(booking, displaceable)


def create_booking(
    organiser: User,
    room_id: int,
    start: datetime,
    end: datetime,
    title: str,
    public: bool,
    activity: Activity,
    *,
    now: datetime,
) -> Booked:
    begin_write()
    title = _check_title(title)
    judged = _judge(load_room(room_id), start, end, activity, now)
    if judged.problems:
        raise RuleViolation(judged.problems)
    displaceable, blocking = _blocking(judged, now)
    if blocking:
        raise SlotTaken(blocking, alternatives(judged.room, start, end, now))
    booked = _insert(organiser, judged, title, public, activity, None, displaceable, now)
    notify_booked(booked.booking)
    return booked


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
) -> SeriesBooked:
    """Book every free occurrence; list the others with their reasons (DESIGN section 4)."""
    begin_write()
    title = _check_title(title)
    room = load_room(room_id)
    too_far = horizon.until_beyond_horizon(recurrence.until, now, _horizon_months(room.house))
    if too_far is not None:
        raise RuleViolation([too_far])
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
        judged = _judge(room, occ_start, occ_end, activity, now)
        if judged.problems:
            conflicts.append(OccurrenceConflict(occ_start, occ_end, judged.problems))
            continue
        displaceable, blocking = _blocking(judged, now)
        if blocking:
            conflicts.append(
                OccurrenceConflict(
                    occ_start, occ_end, [Message(N_("De ruimte is dan al bezet."))], blocking
                )
            )
            continue
        try:
            booked.append(
                _insert(organiser, judged, title, public, activity, series.id, displaceable, now)
            )
        except SlotTaken as taken:
            conflicts.append(
                OccurrenceConflict(
                    occ_start, occ_end, [Message(N_("De ruimte is dan al bezet."))], taken.conflicts
                )
            )
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
        "series_created",
        "booking_series",
        series.id,
        actor_id=organiser.id,
        house_id=room.house_id,
        occurrences=len(booked),
        conflicts=len(conflicts),
    )
    notify_series_booked(series, [b.booking for b in booked], conflicts)
    return SeriesBooked(series, booked, conflicts)


# Seeing, cancelling, deciding -------------------------------------------------------


def may_see(user: User, booking: Booking, now: datetime) -> bool:
    from booking.rules.permissions import Permission

    if booking.organiser_id == user.id:
        return True
    house_id = booking.room.house_id
    if user.can(Permission.see_booking_details, house_id):
        return True
    today = now.astimezone(slots.AMSTERDAM).date()
    return (
        user.can(Permission.see_booking_details_today, house_id)
        and booking.start.astimezone(slots.AMSTERDAM).date() == today
    )


def visible_booking(booking_id: int, user: User, now: datetime) -> Booking:
    booking = db.session.get(Booking, booking_id)
    if booking is None or not may_see(user, booking, now):
        raise NotFound(booking_id)
    return booking


def _may_manage(user: User, booking: Booking) -> bool:
    from booking.rules.permissions import Permission

    return user.can(Permission.manage_building, booking.room.house_id)


def cancel_booking(booking_id: int, actor: User, *, now: datetime, reason: str = "") -> Booking:
    """The organiser cancels their own booking; a beheerder may cancel any in their house."""
    begin_write()
    booking = visible_booking(booking_id, actor, now)
    if booking.organiser_id != actor.id and not _may_manage(actor, booking):
        raise NotFound(booking_id)
    if not booking.is_active:
        raise RuleViolation(
            [Message(N_("Deze boeking is al %(status_label)s."), {"status_label": booking.status})]
        )
    if booking.end <= now:
        raise RuleViolation(
            [Message(N_("Een boeking die al voorbij is kan niet meer worden geannuleerd."))]
        )
    _check_reason(reason)
    _cancel(booking, actor, reason)
    return booking


def _cancel(booking: Booking, actor: User, reason: str) -> None:
    booking.status = BookingStatus.geannuleerd.value
    booking.sequence += 1
    if reason:
        booking.status_reason = encode_text_reason(reason)
    audit.record(
        "booking_cancelled",
        "booking",
        booking.id,
        actor_id=actor.id,
        house_id=booking.room.house_id,
        reason=reason,
    )
    notify_cancelled(booking, by_organiser=actor.id == booking.organiser_id)


def cancel_rest_of_series(booking_id: int, actor: User, *, now: datetime) -> list[Booking]:
    """Cancel this occurrence and every later active one of its series."""
    begin_write()
    booking = visible_booking(booking_id, actor, now)
    if booking.series_id is None or (
        booking.organiser_id != actor.id and not _may_manage(actor, booking)
    ):
        raise NotFound(booking_id)
    rest = [
        b
        for b in booking.series.bookings
        if b.start >= booking.start and b.is_active and b.end > now
    ]
    for occurrence in rest:
        _cancel(occurrence, actor, "")
    return rest


def decide_request(
    booking_id: int, actor: User, *, approve: bool, reason: str, now: datetime
) -> Booking:
    """A beheerder approves or rejects a request that waits for a decision."""
    begin_write()
    booking = visible_booking(booking_id, actor, now)
    if not _may_manage(actor, booking):
        raise NotFound(booking_id)
    if booking.status != BookingStatus.aangevraagd.value:
        raise RuleViolation(
            [Message(N_("Alleen een aanvraag kan worden goedgekeurd of afgewezen."))]
        )
    if approve and booking.end <= now:
        raise RuleViolation(
            [
                Message(
                    N_("Deze aanvraag ligt al in het verleden en kan niet meer worden goedgekeurd.")
                )
            ]
        )
    _check_reason(reason)
    if not approve and not reason.strip():
        raise RuleViolation([Message(N_("Geef een reden voor de afwijzing."))])
    if approve:
        window = rules_for(booking.room).policy.voorrangstermijn_days
        booking.status = initial_status(
            PriorityClass(booking.priority_class),
            booking.start,
            now,
            window,
            requires_approval=False,
        ).value
    else:
        booking.status = BookingStatus.afgewezen.value
        booking.status_reason = encode_text_reason(reason.strip())
    booking.sequence += 1
    audit.record(
        "booking_approved" if approve else "booking_rejected",
        "booking",
        booking.id,
        actor_id=actor.id,
        house_id=booking.room.house_id,
        reason=reason.strip(),
        status=booking.status,
    )
    notify_decision(booking, approved=approve)
    return booking


def override_tariff(
    booking_id: int,
    actor: User,
    *,
    tariff_group: TariffGroup,
    priority_class: PriorityClass,
    reason: str,
    now: datetime,
) -> Booking:
    """A beheerder corrects group or class, with a reason; the price follows the group."""
    begin_write()
    booking = visible_booking(booking_id, actor, now)
    if not _may_manage(actor, booking):
        raise NotFound(booking_id)
    if not reason.strip():
        raise RuleViolation([Message(N_("Geef een reden voor de wijziging."))])
    _check_reason(reason)
    if not booking.is_active:
        raise RuleViolation(
            [Message(N_("Deze boeking is al %(status_label)s."), {"status_label": booking.status})]
        )
    before = (booking.tariff_group, booking.priority_class, booking.amount_cents)
    price = quote_price(rules_for(booking.room).rate_card, tariff_group, booking.start, booking.end)
    booking.tariff_group = TariffGroup(tariff_group).value
    booking.priority_class = int(priority_class)
    booking.amount_cents = price.amount_cents
    booking.list_price_cents = price.list_price_cents
    booking.override_reason = reason.strip()
    if (
        PriorityClass(priority_class) is PriorityClass.DOOR_EN_VOOR_BEWONERS
        and booking.status == BookingStatus.onder_voorbehoud.value
    ):
        booking.status = BookingStatus.bevestigd.value  # class 1 is confirmed at once
    booking.sequence += 1
    audit.record(
        "booking_overridden",
        "booking",
        booking.id,
        actor_id=actor.id,
        house_id=booking.room.house_id,
        reason=reason.strip(),
        before=before,
        after=(booking.tariff_group, booking.priority_class, booking.amount_cents),
    )
    return booking


REASON_MAX = 1000


def _check_reason(reason: str) -> None:
    if len(reason) > REASON_MAX:
        raise RuleViolation(
            [Message(N_("De reden is te lang (hoogstens %(max)s tekens)."), {"max": REASON_MAX})]
        )


def bookings_of(organiser: User) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking).where(Booking.organiser_id == organiser.id).order_by(Booking.start)
        )
    )


# Scheduled work (plain functions; see booking/jobs.py) ---------------------------------


def confirm_provisional(now: datetime) -> list[int]:
    """Confirm provisional bookings the priority window has reached; idempotent."""
    from datetime import timedelta

    from booking.models import House
    from booking.services.houses import policy

    begin_write()
    default_window = policy().voorrangstermijn_days
    candidates = db.session.execute(
        select(Booking.id, Booking.start, House.voorrangstermijn_days)
        .join(Room, Room.id == Booking.room_id)
        .join(House, House.id == Room.house_id)
        .where(
            Booking.status == BookingStatus.onder_voorbehoud.value,
            Booking.start <= now + timedelta(days=366),
        )
    ).all()
    due = [
        bid
        for bid, start, window in candidates
        if start - now <= timedelta(days=default_window if window is None else window)
    ]
    confirmed = []
    for booking_id in due:
        result = db.session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status == BookingStatus.onder_voorbehoud.value)
            .values(
                status=BookingStatus.bevestigd.value, sequence=Booking.sequence + 1, updated_at=now
            )
        )
        if result.rowcount == 1:
            confirmed.append(booking_id)
    for booking_id in confirmed:
        booking = db.session.get(Booking, booking_id)
        audit.record(
            "booking_confirmed_by_window",
            "booking",
            booking_id,
            actor_id=None,
            house_id=booking.room.house_id,
        )
        notify_decision(booking, approved=True, by_window=True)
    return confirmed
