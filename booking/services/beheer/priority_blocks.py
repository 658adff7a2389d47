"""Voorrangsblokken: weekly times a room keeps for class 1 (door en voor bewoners).

Part of the programme (manage_programme), so the sociaal beheerder sets them as well as
the beheerder. Two blocks of one room may not overlap on one weekday while both are valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import House, PriorityBlock, Room, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.services import audit
from booking.services.beheer.access import chosen_room
from booking.services.beheer.checks import TEXT_MAX, period_problems, too_long
from booking.services.houses import house_for


@dataclass(frozen=True)
class PriorityBlockInput:
    room_id: int
    weekday: int
    starts: time
    ends: time
    valid_from: date | None = None
    valid_until: date | None = None
    note: str = ""


@dataclass(frozen=True)
class BlocksPage:
    house: House
    blocks: list[PriorityBlock]


def block_problems(data: PriorityBlockInput) -> list[Message]:
    problems = period_problems(data.weekday, data.starts, data.ends)
    if data.valid_from and data.valid_until and data.valid_from > data.valid_until:
        problems.append(Message(N_("'Geldig tot' ligt voor 'geldig vanaf'.")))
    problems += too_long(data.note, TEXT_MAX)
    return problems


def _programme_house(actor: User, slug: str) -> House:
    return house_for(actor, slug, Permission.manage_programme)


def blocks_page(actor: User, slug: str) -> BlocksPage:
    """Every voorrangsblok of the house, by weekday and time."""
    house = _programme_house(actor, slug)
    blocks = db.session.scalars(
        select(PriorityBlock)
        .join(Room, Room.id == PriorityBlock.room_id)
        .where(Room.house_id == house.id)
        .order_by(PriorityBlock.weekday, PriorityBlock.starts, Room.name)
    )
    return BlocksPage(house, list(blocks))


def _validity_overlaps(a: PriorityBlock, b: PriorityBlockInput) -> bool:
    a_from, a_until = a.valid_from or date.min, a.valid_until or date.max
    b_from, b_until = b.valid_from or date.min, b.valid_until or date.max
    return a_from <= b_until and b_from <= a_until


def _clash_problems(room: Room, data: PriorityBlockInput) -> list[Message]:
    clash = any(
        b.weekday == data.weekday
        and b.starts < data.ends
        and data.starts < b.ends
        and _validity_overlaps(b, data)
        for b in room.priority_blocks
    )
    if not clash:
        return []
    return [
        Message(
            N_("Dit blok overlapt met een ander voorrangsblok van %(room)s."),
            {"room": room.name},
        )
    ]


def add_priority_block(actor: User, slug: str, data: PriorityBlockInput) -> PriorityBlock:
    begin_write()
    house = _programme_house(actor, slug)
    room = chosen_room(house, data.room_id)
    problems = block_problems(data) or _clash_problems(room, data)
    if problems:
        raise RuleViolation(problems)
    block = PriorityBlock(
        room_id=room.id,
        weekday=data.weekday,
        starts=data.starts,
        ends=data.ends,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        note=data.note.strip(),
    )
    db.session.add(block)
    db.session.flush()
    db.session.expire(room, ["priority_blocks"])
    audit.record(
        AuditAction.priority_block_created,
        AuditObject.priority_block,
        block.id,
        actor_id=actor.id,
        house_id=house.id,
        room_id=room.id,
        weekday=block.weekday,
        starts=f"{block.starts:%H:%M}",
        ends=f"{block.ends:%H:%M}",
        valid_from=block.valid_from,
        valid_until=block.valid_until,
        note=block.note,
    )
    return block


def delete_priority_block(actor: User, slug: str, block_id: int) -> None:
    """Remove a block; a block of another house's room is not found."""
    begin_write()
    house = _programme_house(actor, slug)
    block = db.session.get(PriorityBlock, block_id)
    room = db.session.get(Room, block.room_id) if block else None
    if block is None or room is None or room.house_id != house.id:
        raise NotFound(block_id)
    audit.record(
        AuditAction.priority_block_deleted,
        AuditObject.priority_block,
        block.id,
        actor_id=actor.id,
        house_id=house.id,
        room_id=room.id,
        weekday=block.weekday,
        starts=f"{block.starts:%H:%M}",
        ends=f"{block.ends:%H:%M}",
    )
    db.session.delete(block)
    db.session.flush()
    db.session.expire(room, ["priority_blocks"])
