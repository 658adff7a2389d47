"""Changing a booking: another time or room, title, public flag, answers — one occurrence
or this and the rest of its series.

A change is judged exactly like a new booking (`services/quotes.judge`, the overlap split
of `services/bookings`): tariff group, class, status and price are frozen again, and
provisional bookings in the way may be displaced. The booking keeps its id (and so its
calendar UID); `Booking.change` raises its SEQUENCE. Every occurrence is judged before
any is changed, and the changes run in one savepoint, so a refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from booking.database import begin_write
from booking.errors import Forbidden, RuleViolation, SlotTaken
from booking.extensions import db
from booking.mail.booking_mails import notify_displaced
from booking.mail.change_mails import notify_changed
from booking.models import Booking, House, Room, User
from booking.rules import slots
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.priority import displacement_reason
from booking.rules.statuses import PriorityClass
from booking.rules.tariff import Activity
from booking.services import audit, houses, request_notices
from booking.services.availability import alternatives
from booking.services.booking_answers import activity_of
from booking.services.bookings import (
    _lost_the_slot,
    check_title,
    split_overlapping,
    visible_booking,
)
from booking.services.invoices.runs import follow_booking
from booking.services.quotes import QuoteResult, judge, load_room

AUDITED = ("room_id", "start", "end", "title", "public", "status", "tariff_group")
AUDITED_MORE = ("priority_class", "amount_cents", "organiser_kind")


@dataclass(frozen=True)
class ChangeRequest:
    """What the actor asks; a field left None keeps the booking's current value."""

    room_id: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    title: str | None = None
    public: bool | None = None
    activity: Activity | None = None
    rest_of_series: bool = False


@dataclass
class Planned:
    """One occurrence's new judgement, and the provisional bookings it would displace."""

    booking: Booking
    judged: QuoteResult
    activity: Activity
    displaceable: list[Booking] = field(default_factory=list)


@dataclass
class Changed:
    bookings: list[Booking]
    displaced: list[Booking]


def changeable_booking(
    booking_id: int, actor: User, now: datetime, *, house_slug: str | None = None
) -> Booking:
    """The booking, if the actor may change it: their own, or (as staff) one of their house.

    `house_slug`: the beheer route, where the booking must be of that house. Without it the
    organiser or a beheerder of the booking's house may change it. Others: not found.
    """
    booking = visible_booking(booking_id, actor, now)
    if house_slug is not None:
        house = houses.house_for(actor, house_slug, Permission.manage_building)
        if booking.room.house_id != house.id:
            raise Forbidden(booking_id)
    elif booking.organiser_id != actor.id and not _is_staff(actor, booking):
        raise Forbidden(booking_id)
    return booking


def change_context(
    booking_id: int,
    actor: User,
    now: datetime,
    *,
    house_slug: str | None = None,
    own: bool = False,
) -> tuple[Booking, list[Room]]:
    """The booking to change and the rooms it may move to: the house's rooms for staff,
    every active room for the organiser (who may book any). `own`: the organiser's page."""
    booking = changeable_booking(booking_id, actor, now, house_slug=house_slug)
    if own and booking.organiser_id != actor.id:
        raise Forbidden(booking_id)
    query = select(Room).join(House).where(Room.active).order_by(House.name, Room.name)
    if house_slug is not None or booking.organiser_id != actor.id:
        query = query.where(Room.house_id == booking.room.house_id)
    return booking, list(db.session.scalars(query))


def _is_staff(actor: User, booking: Booking) -> bool:
    return actor.can(Permission.manage_building, booking.room.house_id)


def preview_change(
    booking_id: int,
    actor: User,
    request: ChangeRequest,
    *,
    now: datetime,
    house_slug: str | None = None,
) -> list[Planned]:
    """What the change would give, per occurrence (nothing written); refused as a change."""
    booking = changeable_booking(booking_id, actor, now, house_slug=house_slug)
    return _plan(booking, actor, request, now)


def change_booking(
    booking_id: int,
    actor: User,
    request: ChangeRequest,
    *,
    now: datetime,
    house_slug: str | None = None,
) -> Changed:
    """Change the booking (or it and the rest of its series) as judged, or refuse it whole."""
    begin_write()
    booking = changeable_booking(booking_id, actor, now, house_slug=house_slug)
    plans = _plan(booking, actor, request, now)
    befores = {p.booking.id: _snapshot(p.booking) for p in plans}
    title, public = _title(booking, request), _public(booking, request)
    _apply(plans, title, public, now)
    displaced: list[Booking] = []
    for plan in plans:
        _record(plan, actor, befores[plan.booking.id], now)
        displaced.extend(plan.displaceable)
    for changed in [*(p.booking for p in plans), *displaced]:
        follow_booking(changed)
    request_notices.announce_requests(
        [p.booking for p in plans if p.booking.status == "aangevraagd"]
    )
    return Changed([p.booking for p in plans], displaced)


# Judging -----------------------------------------------------------------------------


def _plan(booking: Booking, actor: User, request: ChangeRequest, now: datetime) -> list[Planned]:
    check_title(_title(booking, request))
    room = _room(booking, actor, request)
    start = request.start or booking.start
    end = request.end or booking.end
    activity = request.activity or activity_of(booking)
    occurrences = _occurrences(booking, request, now)
    ids = {o.id for o in occurrences}
    plans = []
    for occurrence in occurrences:
        o_start, o_end = _shifted(booking, occurrence, start, end)
        judged = judge(room, o_start, o_end, activity, now)
        if judged.problems:
            raise RuleViolation(judged.problems)
        displaceable, blocking = split_overlapping(judged, now)
        blocking = [b for b in blocking if b.id not in ids]
        if blocking:
            raise SlotTaken(blocking, alternatives(room, o_start, o_end, now))
        displaceable = [b for b in displaceable if b.id not in ids]
        plans.append(Planned(occurrence, judged, activity, displaceable))
    return plans


def _title(booking: Booking, request: ChangeRequest) -> str:
    return (request.title if request.title is not None else booking.title).strip()


def _public(booking: Booking, request: ChangeRequest) -> bool:
    return booking.public if request.public is None else request.public


def _room(booking: Booking, actor: User, request: ChangeRequest) -> Room:
    """The new room: staff stay in the booking's house; an organiser may pick any room."""
    if request.room_id is None or request.room_id == booking.room_id:
        return booking.room
    room = load_room(request.room_id)
    if booking.organiser_id != actor.id and room.house_id != booking.room.house_id:
        raise RuleViolation(
            Message(N_("Kies een ruimte van hetzelfde huis.")), "room_id", code="ander_huis"
        )
    return room


def _occurrences(booking: Booking, request: ChangeRequest, now: datetime) -> list[Booking]:
    if not booking.is_active:
        raise RuleViolation(
            Message(
                N_("Deze boeking is %(status_label)s en kan niet meer worden gewijzigd."),
                {"status_label": str(booking.status)},
            ),
            code="niet_wijzigbaar",
        )
    if booking.start <= now:
        raise RuleViolation(
            Message(N_("Een boeking die al begonnen of voorbij is kan niet worden gewijzigd.")),
            code="niet_wijzigbaar",
        )
    if not request.rest_of_series or booking.series is None:
        return [booking]
    return [
        b
        for b in booking.series.bookings
        if b.start >= booking.start and b.is_active and b.start > now
    ]


def _shifted(
    target: Booking, occurrence: Booking, start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    """The new times of `occurrence` when `target` moves to [start, end): the same shift in
    local days and the same local clock times, so a series stays at 19.30 across DST."""
    if occurrence is target:
        return start, end
    local = slots.AMSTERDAM
    days = (start.astimezone(local).date() - target.start.astimezone(local).date()).days
    day = occurrence.start.astimezone(local).date() + timedelta(days=days)
    new_start = datetime.combine(day, start.astimezone(local).time())
    length = end.astimezone(local).replace(tzinfo=None) - start.astimezone(local).replace(
        tzinfo=None
    )
    return slots.local_to_utc_lenient(new_start), slots.local_to_utc_lenient(new_start + length)


# Writing -----------------------------------------------------------------------------


def _apply(plans: list[Planned], title: str, public: bool, now: datetime) -> None:
    """Displace, then change, in one savepoint: a lost race leaves nothing changed."""
    try:
        with db.session.begin_nested():
            for plan in plans:
                reason = _reason(plan)
                for other in plan.displaceable:
                    other.displace(by=plan.booking, reason=reason[other.id])
                db.session.flush()
                plan.booking.change(
                    plan.judged,
                    title=title,
                    public=public,
                    activity=plan.activity,
                    now=now,
                )
                db.session.flush()
    except (IntegrityError, OperationalError) as error:
        if not _lost_the_slot(error):
            raise
        db.session.expire_all()
        first = plans[0].judged
        raise SlotTaken([], alternatives(first.room, first.start, first.end, now)) from error


def _reason(plan: Planned) -> dict[int, Message]:
    mine = plan.judged.decision.priority_class
    return {
        o.id: displacement_reason(mine, PriorityClass(o.priority_class)) for o in plan.displaceable
    }


def _snapshot(booking: Booking) -> dict[str, object]:
    values = {name: getattr(booking, name) for name in (*AUDITED, *AUDITED_MORE)}
    values["start"], values["end"] = booking.start.isoformat(), booking.end.isoformat()
    values["status"] = str(booking.status)
    return values


def _record(plan: Planned, actor: User, before: dict[str, object], now: datetime) -> None:
    booking = plan.booking
    after = _snapshot(booking)
    changed = {k: (before[k], after[k]) for k in after if before[k] != after[k]}
    house_id = booking.room.house_id
    for other in plan.displaceable:
        audit.record(
            AuditAction.booking_displaced,
            AuditObject.booking,
            other.id,
            actor_id=actor.id,
            house_id=house_id,
            displaced_by=booking.id,
        )
        notify_displaced(
            other, _reason(plan)[other.id], alternatives(other.room, other.start, other.end, now)
        )
    audit.record(
        AuditAction.booking_changed,
        AuditObject.booking,
        booking.id,
        actor_id=actor.id,
        house_id=house_id,
        before={k: v[0] for k, v in changed.items()},
        after={k: v[1] for k, v in changed.items()},
        sequence=booking.sequence,
    )
    notify_changed(booking, before, by_organiser=actor.id == booking.organiser_id)
