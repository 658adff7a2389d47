"""Booking use cases: book one slot, see, cancel, and a beheerder's decision and override.

The invariant of DESIGN section 4 — two active bookings of one room never overlap — is
kept by the database: on SQLite every write use case starts with BEGIN IMMEDIATE and checks
for overlap inside that transaction; on PostgreSQL the exclusion constraint refuses the
second of two racing inserts, which we turn into the same conflict answer.

The status changes themselves are the `Booking` model's methods; a use case here checks
who may act, calls one of them, and writes the audit entry and the mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from booking.database import begin_write, constraint_name, is_deadlock
from booking.errors import Forbidden, NotFound, RuleViolation, SlotTaken
from booking.extensions import db
from booking.mail.booking_mails import (
    notify_booked,
    notify_cancelled,
    notify_decision,
    notify_displaced,
)
from booking.mail.staff_mails import notify_overridden
from booking.models import Booking, User
from booking.models.bookings import NO_OVERLAP_CONSTRAINT
from booking.rules import slots
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.pricing import quote_price
from booking.rules.priority import displacement_reason, may_displace
from booking.rules.residents import Resident
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.rules.tariff import Activity
from booking.services import audit, request_notices
from booking.services.availability import alternatives, overlapping
from booking.services.house_rules import rules_for
from booking.services.invoices.runs import follow_booking
from booking.services.organisations.namens import booking_organisation
from booking.services.quotes import QuoteResult, judge, load_room

TITLE_MAX = 200


@dataclass
class Booked:
    """A new booking and the provisional bookings it displaced."""

    booking: Booking
    displaced: list[Booking] = field(default_factory=list)


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
    on_behalf: Resident | None = None,
    organisation_id: int | None = None,
) -> Booked:
    """Book one slot: refused with every broken rule, or with the bookings in the way.

    `on_behalf`: staff book for a resident without an account (services/on_behalf.py); the
    organiser is then the staff member, and the booking's mails go to the resident's e-mail.
    `organisation_id`: booked namens an organisation the organiser is a contact of (else
    404); the answers still decide tariff group and voorrang.
    """
    begin_write()
    organisation = booking_organisation(organiser, organisation_id)
    title = check_title(title)
    judged = judge(load_room(room_id), start, end, activity, now)
    if judged.problems:
        raise RuleViolation(judged.problems)
    displaceable, blocking = split_overlapping(judged, now)
    if blocking:
        raise SlotTaken(blocking, alternatives(judged.room, start, end, now))
    booked = place(organiser, judged, title, public, activity, None, displaceable, now)
    if on_behalf is not None:
        booked.booking.book_for(on_behalf)
    if organisation is not None:
        booked.booking.organisation_id = organisation.id
    notify_booked(booked.booking)
    request_notices.announce_requests([booked.booking])
    return booked


def check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise RuleViolation(Message(N_("Geef de activiteit een naam.")))
    if len(title) > TITLE_MAX:
        raise RuleViolation(
            Message(
                N_("De naam van de activiteit is te lang (hoogstens %(max)s tekens)."),
                {"max": TITLE_MAX},
            )
        )
    return title


def split_overlapping(judged: QuoteResult, now: datetime) -> tuple[list[Booking], list[Booking]]:
    """Split the overlapping active bookings into (displaceable, blocking)."""
    displaceable, blocking = [], []
    for other in overlapping(judged.room.id, judged.start, judged.end):
        if may_displace(
            judged.decision.priority_class,
            PriorityClass(other.priority_class),
            BookingStatus(other.status),
            other.start,
            now,
            other.voorrangstermijn_days,
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


def place(
    organiser: User,
    judged: QuoteResult,
    title: str,
    public: bool,
    activity: Activity,
    series_id: int | None,
    displaceable: list[Booking],
    now: datetime,
) -> Booked:
    """Displace, then insert, inside a savepoint so a lost race leaves no trace.

    One flush does both in that order: the ORM writes the displaced rows' UPDATE before
    the new row's INSERT, and `Booking.displaced_by` (a post-update) names the new
    booking afterwards, so the exclusion constraint sees the slot already given up.
    """
    booking = Booking.from_quote(
        judged,
        organiser=organiser,
        title=title,
        public=public,
        activity=activity,
        series_id=series_id,
    )
    reasons = {
        other.id: displacement_reason(
            judged.decision.priority_class, PriorityClass(other.priority_class)
        )
        for other in displaceable
    }
    try:
        with db.session.begin_nested():
            for other in displaceable:
                other.displace(by=booking, reason=reasons[other.id])
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
        audit.record(
            AuditAction.booking_displaced,
            AuditObject.booking,
            other.id,
            actor_id=organiser.id,
            house_id=house_id,
            displaced_by=booking.id,
        )
        notify_displaced(
            other, reasons[other.id], alternatives(other.room, other.start, other.end, now)
        )
    audit.record(
        AuditAction.booking_created,
        AuditObject.booking,
        booking.id,
        actor_id=organiser.id,
        house_id=house_id,
        status=booking.status.value,
        tariff_group=booking.tariff_group,
        priority_class=booking.priority_class,
        amount_cents=booking.amount_cents,
        displaced=[o.id for o in displaceable],
    )
    return Booked(booking, displaceable)


# Seeing, cancelling, deciding -------------------------------------------------------


def may_see(user: User, booking: Booking, now: datetime) -> bool:
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
    """The booking, if the user may see it; otherwise not found (nobody learns it exists)."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(booking_id)
    if not may_see(user, booking, now):
        raise Forbidden(booking_id)
    return booking


def _managed_booking(booking_id: int, actor: User, now: datetime) -> Booking:
    """A booking of a house the actor is beheerder of."""
    booking = visible_booking(booking_id, actor, now)
    if not _may_manage(actor, booking):
        raise Forbidden(booking_id)
    return booking


def _may_manage(user: User, booking: Booking) -> bool:
    return user.can(Permission.manage_building, booking.room.house_id)


def cancel_booking(booking_id: int, actor: User, *, now: datetime, reason: str = "") -> Booking:
    """The organiser cancels their own booking; a beheerder may cancel any in their house."""
    begin_write()
    booking = visible_booking(booking_id, actor, now)
    if booking.organiser_id != actor.id and not _may_manage(actor, booking):
        raise Forbidden(booking_id)
    _cancel(booking, actor, now, reason)
    return booking


def _cancel(booking: Booking, actor: User, now: datetime, reason: str) -> None:
    booking.cancel(now=now, reason=reason)
    audit.record(
        AuditAction.booking_cancelled,
        AuditObject.booking,
        booking.id,
        actor_id=actor.id,
        house_id=booking.room.house_id,
        reason=reason,
    )
    notify_cancelled(booking, by_organiser=actor.id == booking.organiser_id)
    follow_booking(booking)


def cancel_rest_of_series(booking_id: int, actor: User, *, now: datetime) -> list[Booking]:
    """Cancel this occurrence and every later active one of its series."""
    begin_write()
    booking = visible_booking(booking_id, actor, now)
    if booking.series_id is None or (
        booking.organiser_id != actor.id and not _may_manage(actor, booking)
    ):
        raise Forbidden(booking_id)
    assert booking.series is not None
    rest = [
        b
        for b in booking.series.bookings
        if b.start >= booking.start and b.is_active and b.end > now
    ]
    for occurrence in rest:
        _cancel(occurrence, actor, now, "")
    return rest


def decide_request(
    booking_id: int, actor: User, *, approve: bool, reason: str, now: datetime
) -> Booking:
    """A beheerder approves or rejects a request that waits for a decision."""
    begin_write()
    booking = _managed_booking(booking_id, actor, now)
    booking.decide(approve, reason, now=now)
    audit.record(
        AuditAction.booking_approved if approve else AuditAction.booking_rejected,
        AuditObject.booking,
        booking.id,
        actor_id=actor.id,
        house_id=booking.room.house_id,
        reason=reason.strip(),
        status=booking.status.value,
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
    booking = _managed_booking(booking_id, actor, now)
    before = (booking.tariff_group, booking.priority_class, booking.amount_cents)
    price = quote_price(rules_for(booking.room).rate_card, tariff_group, booking.start, booking.end)
    booking.override(
        tariff_group=tariff_group, priority_class=priority_class, price=price, reason=reason
    )
    audit.record(
        AuditAction.booking_overridden,
        AuditObject.booking,
        booking.id,
        actor_id=actor.id,
        house_id=booking.room.house_id,
        reason=reason.strip(),
        before=before,
        after=(booking.tariff_group, booking.priority_class, booking.amount_cents),
    )
    notify_overridden(booking, before)
    return booking


def bookings_of(organiser: User) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking).where(Booking.organiser_id == organiser.id).order_by(Booking.start)
        )
    )
