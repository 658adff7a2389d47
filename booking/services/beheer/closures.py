"""Closures: the house (or one room) is shut for a while, for a reason bookers see.

A closure does not cancel the bookings it covers: the beheerder is told how many it
touches and decides about each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, Closure, House, Room, User
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import slots
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.services import audit
from booking.services.beheer.access import chosen_room
from booking.services.beheer.checks import TEXT_MAX, too_long
from booking.services.houses import house_for


@dataclass(frozen=True)
class ClosureInput:
    """A closure as the beheerder types it: naive wall-clock times in Amsterdam."""

    starts: datetime
    ends: datetime
    reason: str
    room_id: int | None = None


@dataclass(frozen=True)
class ClosuresPage:
    house: House
    closures: list[Closure]


def closures_page(actor: User, slug: str, now: datetime) -> ClosuresPage:
    """Current and coming closures of the house the actor keeps, soonest first."""
    house = house_for(actor, slug, Permission.manage_building)
    closures = db.session.scalars(
        select(Closure)
        .where(Closure.house_id == house.id, Closure.ends_at > now)
        .order_by(Closure.starts_at, Closure.id)
    )
    return ClosuresPage(house, list(closures))


def _utc_bounds(data: ClosureInput) -> tuple[datetime, datetime]:
    try:
        return slots.local_to_utc(data.starts), slots.local_to_utc(data.ends)
    except slots.NonexistentLocalTime as error:
        raise RuleViolation(
            Message(N_("Deze tijd bestaat niet door de overgang naar zomertijd."))
        ) from error


def add_closure(actor: User, slug: str, data: ClosureInput) -> tuple[Closure, list[Booking]]:
    """Close the house (or one room) for a while; returns the active bookings it touches."""
    begin_write()
    house = house_for(actor, slug, Permission.manage_building)
    starts_at, ends_at = _utc_bounds(data)
    problems = [] if data.reason.strip() else [Message(N_("Geef een reden voor de sluiting."))]
    problems += too_long(data.reason, TEXT_MAX)
    if ends_at <= starts_at:
        problems.append(Message(N_("Het einde van de sluiting moet na het begin liggen.")))
    room = chosen_room(house, data.room_id) if data.room_id is not None else None
    if problems:
        raise RuleViolation(problems)
    closure = Closure(
        house_id=house.id,
        room_id=room.id if room else None,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=data.reason.strip(),
    )
    db.session.add(closure)
    db.session.flush()
    _record(AuditAction.closure_created, actor, closure)
    return closure, _active_bookings_between(house.id, starts_at, ends_at, closure.room_id)


def _record(action: AuditAction, actor: User, closure: Closure) -> None:
    audit.record(
        action,
        AuditObject.closure,
        closure.id,
        actor_id=actor.id,
        house_id=closure.house_id,
        reason=closure.reason,
        room_id=closure.room_id,
        starts_at=closure.starts_at.isoformat(),
        ends_at=closure.ends_at.isoformat(),
    )


def _active_bookings_between(
    house_id: int, start: datetime, end: datetime, room_id: int | None
) -> list[Booking]:
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .where(
            Room.house_id == house_id,
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.start < end,
            Booking.end > start,
        )
        .order_by(Booking.start)
    )
    if room_id is not None:
        query = query.where(Booking.room_id == room_id)
    return list(db.session.scalars(query))


def delete_closure(actor: User, slug: str, closure_id: int) -> None:
    """Open again; a closure of another house is not found."""
    begin_write()
    house = house_for(actor, slug, Permission.manage_building)
    closure = db.session.get(Closure, closure_id)
    if closure is None or closure.house_id != house.id:
        raise NotFound(closure_id)
    _record(AuditAction.closure_deleted, actor, closure)
    db.session.delete(closure)
    db.session.flush()
