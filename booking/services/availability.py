"""Reading the calendar: who is in a room when, which rooms are free, what else would do.

Imports run one way: availability -> house_rules -> houses (a house's policy), never back.

Overlap queries bound `start` from below by the longest possible booking, so the
(room_id, start) index keeps them to a handful of rows however long the history grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import Booking, House, Room
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import slots
from booking.rules.statuses import AlternativeKind
from booking.services.house_rules import preload_closures, rules_for

LONGEST_BOOKING = timedelta(hours=24)
SHIFT_STEPS = (30, -30, 60, -60, 90, -90, 120, -120, 180, -180)


def overlap_condition(room_id: object, start: datetime, end: datetime) -> object:
    return and_(
        Booking.room_id == room_id,
        Booking.status.in_(ACTIVE_STATUS_VALUES),
        Booking.start < end,
        Booking.start > start - LONGEST_BOOKING,
        Booking.end > start,
    )


def overlapping(room_id: int, start: datetime, end: datetime) -> list[Booking]:
    """Active bookings of the room that overlap [start, end)."""
    return list(
        db.session.scalars(
            select(Booking).where(overlap_condition(room_id, start, end)).order_by(Booking.start)
        )
    )


def is_free(room_id: int, start: datetime, end: datetime) -> bool:
    return not db.session.scalar(select(exists().where(overlap_condition(room_id, start, end))))


def busy(room_id: int, start: datetime, end: datetime) -> list[Booking]:
    """Active bookings in a period, for week grids and the availability API."""
    return overlapping(room_id, start, end)


def slot_fits(room: Room, start: datetime, end: datetime, now: datetime) -> bool:
    """Opening hours, closures, grid and length allow this slot (ignores other bookings)."""
    rules = rules_for(room)
    return not slots.check_slot(
        start,
        end,
        opening=rules.opening,
        closures=rules.closures(start, end),
        limits=rules.limits,
        now=now,
    )


def free_rooms(
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    min_capacity: int = 1,
    house_id: int | None = None,
    area_id: int | None = None,
    exclude_room_id: int | None = None,
) -> list[Room]:
    """Rooms free for the whole slot, across all houses unless narrowed, smallest first."""
    query = (
        select(Room)
        .join(House, House.id == Room.house_id)
        .options(selectinload(Room.house).selectinload(House.opening_hours))
        .where(
            Room.active.is_(True),
            House.active.is_(True),
            Room.capacity >= min_capacity,
            ~exists().where(overlap_condition(Room.id, start, end)),
        )
        .order_by(Room.capacity, House.name, Room.name)
    )
    if house_id is not None:
        query = query.where(Room.house_id == house_id)
    if area_id is not None:
        query = query.where(House.area_id == area_id)
    if exclude_room_id is not None:
        query = query.where(Room.id != exclude_room_id)
    candidates = list(db.session.scalars(query))
    preload_closures({room.house_id for room in candidates})
    return [room for room in candidates if slot_fits(room, start, end, now)]


def find_rooms(
    slot: tuple[datetime, datetime] | None,
    now: datetime,
    *,
    min_capacity: int = 1,
    house_id: int | None = None,
    area_id: int | None = None,
) -> list[Room]:
    """With a slot: rooms free for all of it. Without: every room that matches."""
    if slot is not None:
        return free_rooms(
            slot[0], slot[1], now, min_capacity=min_capacity, house_id=house_id, area_id=area_id
        )
    query = (
        select(Room)
        .join(House, House.id == Room.house_id)
        .options(selectinload(Room.house))
        .where(Room.active.is_(True), House.active.is_(True), Room.capacity >= min_capacity)
        .order_by(House.name, Room.name)
    )
    if house_id is not None:
        query = query.where(Room.house_id == house_id)
    if area_id is not None:
        query = query.where(House.area_id == area_id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class Alternative:
    """A suggestion after a conflict."""

    kind: AlternativeKind
    room: Room
    start: datetime
    end: datetime


def alternatives(
    room: Room,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    taken: Sequence[tuple[datetime, datetime]] = (),
) -> list[Alternative]:
    """Up to three: the same room at a nearby time, another room of the house with at least
    the same capacity, a room in another house of the same wijk/kern (else anywhere)."""
    found: list[Alternative] = []
    shifted = _shifted_slot(room, start, end, now, taken)
    if shifted:
        found.append(Alternative(AlternativeKind.zelfde_ruimte_ander_tijdstip, room, *shifted))
    # One search across all houses, split here: it keeps `free_rooms`'s order (smallest
    # first), and three searches cost three times the queries for the same rooms.
    free = free_rooms(start, end, now, min_capacity=room.capacity, exclude_room_id=room.id)
    same_house = [r for r in free if r.house_id == room.house_id]
    if same_house:
        found.append(Alternative(AlternativeKind.andere_ruimte, same_house[0], start, end))
    elsewhere = [r for r in free if r.house_id != room.house_id]
    nearby = [r for r in elsewhere if r.house.area_id == room.house.area_id] or elsewhere
    if nearby:
        found.append(Alternative(AlternativeKind.ander_huis, nearby[0], start, end))
    return found


def _shifted_slot(
    room: Room,
    start: datetime,
    end: datetime,
    now: datetime,
    taken: Sequence[tuple[datetime, datetime]],
) -> tuple[datetime, datetime] | None:
    """The nearest shift of the slot that fits the house and is free; one query for all."""
    reach = timedelta(minutes=max(abs(m) for m in SHIFT_STEPS))
    busy_slots = [(b.start, b.end) for b in overlapping(room.id, start - reach, end + reach)]
    busy_slots += list(taken)
    for minutes in SHIFT_STEPS:
        delta = timedelta(minutes=minutes)
        candidate = (start + delta, end + delta)
        if any(candidate[0] < b_end and b_start < candidate[1] for b_start, b_end in busy_slots):
            continue
        if slot_fits(room, *candidate, now):
            return candidate
    return None
