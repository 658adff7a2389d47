"""The host's page: a tally for a group that did not check in, today's count and programme.

A tally is one visit per person counted, all with one batch id, so the last tally of the
day can be undone as a whole. It is never flagged (booking/rules/visits.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select

from booking.database import begin_write
from booking.errors import Forbidden, NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, House, Room, User, Visit
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.kiosk_windows import is_tally_count
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.slots import local_day_bounds
from booking.rules.visit_vocabulary import Channel
from booking.services import audit
from kiosk.counting import insert_visit, visit_values
from kiosk.places import Place

TALLY_OUT_OF_RANGE = Message(N_("Tel 1 tot 200 bezoekers tegelijk."))


def tally(actor: User, room_id: int, count: int, now: datetime) -> int:
    """The host counts a group (+1 or +N) that did not check in themselves."""
    begin_write()
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(room_id)
    if not actor.can(Permission.run_kiosk, room.house_id):
        raise Forbidden(room_id)
    if not is_tally_count(count):
        raise RuleViolation(TALLY_OUT_OF_RANGE, "count")
    batch = "t" + uuid.uuid4().hex[:27]
    values = visit_values(Place(room, None, Channel.tally), now, now)
    for index in range(count):
        insert_visit({**values, "client_id": f"{batch}-{index:04d}"})
    audit.record(
        AuditAction.tally_added,
        AuditObject.room,
        room.id,
        actor_id=actor.id,
        house_id=room.house_id,
        count=count,
        batch=batch,
    )
    return count


def undo_last_tally(actor: User, house: House, now: datetime) -> int:
    """Remove the most recent tally of today in this house (all visits of that batch)."""
    begin_write()
    if not actor.can(Permission.run_kiosk, house.id):
        raise Forbidden(house.id)
    start, end = local_day_bounds(now)
    last = db.session.scalar(
        select(Visit)
        .where(
            Visit.house_id == house.id,
            Visit.channel == Channel.tally,
            Visit.visited_at >= start,
            Visit.visited_at < end,
        )
        .order_by(Visit.id.desc())
        .limit(1)
    )
    if last is None or not last.client_id:
        return 0
    batch = last.client_id.split("-")[0]
    removed = db.session.execute(
        delete(Visit).where(Visit.house_id == house.id, Visit.client_id.like(f"{batch}-%"))
    ).rowcount
    audit.record(
        AuditAction.tally_undone,
        AuditObject.house,
        house.id,
        actor_id=actor.id,
        house_id=house.id,
        count=removed,
        batch=batch,
    )
    return removed


def visits_today(house_id: int, now: datetime) -> int:
    """Today's visits of the house that count (suspicious ones are left out)."""
    start, end = local_day_bounds(now)
    return (
        db.session.scalar(
            select(func.count(Visit.id)).where(
                Visit.house_id == house_id,
                Visit.visited_at >= start,
                Visit.visited_at < end,
                Visit.suspicious.is_(False),
            )
        )
        or 0
    )


def programme_today(house: House, now: datetime) -> list[Booking]:
    """Today's active bookings of the house, in order, for the host's page."""
    start, end = local_day_bounds(now)
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room)
            .where(
                Room.house_id == house.id,
                Booking.start < end,
                Booking.end > start,
                Booking.status.in_(ACTIVE_STATUS_VALUES),
            )
            .order_by(Booking.start)
        )
    )
