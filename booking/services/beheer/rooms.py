"""The rooms of a house and their rates, as the beheerder keeps them (manage_building).

A changed rate holds for new bookings only: prices already frozen on bookings stay as
they are (DESIGN section 5).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import House, Room, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.services import audit
from booking.services.beheer.access import room_in
from booking.services.beheer.checks import GROUPS, range_problem, too_long
from booking.services.houses import house_for

NAME_MAX = 120
CAPACITY_MAX = 10_000
RATE_MAX_CENTS = 1_000_000


@dataclass(frozen=True)
class RoomInput:
    """A room as the beheerder enters it; explicit rates of None mean "use the factor"."""

    name: str
    capacity: int
    base_rate_cents: int
    rates_cents: Mapping[str, int | None]
    requires_approval: bool = False
    is_huiskamer: bool = False
    active: bool = True


def _money_problem(cents: int | None, what: str) -> list[Message]:
    if cents is None or 0 <= cents <= RATE_MAX_CENTS:
        return []
    if cents < 0:
        return [Message(N_("%(what_label)s kan niet negatief zijn."), {"what_label": what})]
    return [Message(N_("%(what_label)s is te hoog."), {"what_label": what})]


def room_problems(data: RoomInput) -> list[Message]:
    """What is wrong with the room itself, before looking at the rest of the house."""
    problems = [] if data.name.strip() else [Message(N_("Geef de ruimte een naam."))]
    problems += too_long(data.name, NAME_MAX)
    problems += range_problem(data.capacity, 1, CAPACITY_MAX, N_("Het aantal personen"))
    problems += _money_problem(data.base_rate_cents, N_("Het basistarief"))
    for group in GROUPS:
        problems += _money_problem(data.rates_cents.get(group), N_("Een tarief per groep"))
    if set(data.rates_cents) - set(GROUPS):
        problems.append(Message(N_("Onbekende tariefgroep.")))
    return problems


def rooms_house(actor: User, slug: str) -> House:
    """The house whose rooms the actor keeps, for the rooms page."""
    return house_for(actor, slug, Permission.manage_building)


def house_room(actor: User, slug: str, room_id: int) -> Room:
    """A room the actor keeps, for its edit page; a room of another house is not found."""
    return room_in(rooms_house(actor, slug), room_id)


def _room_rules(house: House, data: RoomInput, room_id: int | None) -> list[Message]:
    problems = room_problems(data)
    others = db.session.scalars(
        select(Room).where(Room.house_id == house.id, Room.id != (room_id or -1))
    ).all()
    name = data.name.strip().casefold()
    if any(other.name.strip().casefold() == name for other in others):
        problems.append(Message(N_("Dit huis heeft al een ruimte met deze naam.")))
    huiskamer = next((o for o in others if o.is_huiskamer), None)
    if data.is_huiskamer and huiskamer is not None:
        problems.append(
            Message(
                N_(
                    "Een huis heeft één huiskamer; dat is nu %(room)s. "
                    "Zet die eerst uit als huiskamer."
                ),
                {"room": huiskamer.name},
            )
        )
    return problems


def _apply_room(room: Room, data: RoomInput) -> dict[str, object]:
    """Set what changed; returns {field: [before, after]} for the audit entry."""
    values = {
        "name": data.name.strip(),
        "capacity": data.capacity,
        "base_rate_cents": data.base_rate_cents,
        "rate_t1_cents": data.rates_cents.get("T1"),
        "rate_t2_cents": data.rates_cents.get("T2"),
        "rate_t3_cents": data.rates_cents.get("T3"),
        "rate_t4_cents": data.rates_cents.get("T4"),
        "requires_approval": data.requires_approval,
        "is_huiskamer": data.is_huiskamer,
        "active": data.active,
    }
    changed = {}
    for name, value in values.items():
        before = getattr(room, name, None)
        if before != value:
            changed[name] = [before, value]
            setattr(room, name, value)
    return changed


def add_room(actor: User, slug: str, data: RoomInput) -> Room:
    begin_write()
    house = rooms_house(actor, slug)
    problems = _room_rules(house, data, None)
    if problems:
        raise RuleViolation(problems)
    room = Room(house_id=house.id)
    _apply_room(room, data)
    db.session.add(room)
    db.session.flush()
    audit.record(
        AuditAction.room_created,
        AuditObject.room,
        room.id,
        actor_id=actor.id,
        house_id=house.id,
        name=room.name,
        base_rate_cents=room.base_rate_cents,
    )
    return room


def update_room(actor: User, slug: str, room_id: int, data: RoomInput) -> Room:
    """Change a room. Prices already frozen on bookings stay as they are (DESIGN §5)."""
    begin_write()
    room = house_room(actor, slug, room_id)
    problems = _room_rules(room.house, data, room.id)
    if problems:
        raise RuleViolation(problems)
    changed = _apply_room(room, data)
    db.session.flush()
    if changed:
        audit.record(
            AuditAction.room_updated,
            AuditObject.room,
            room.id,
            actor_id=actor.id,
            house_id=room.house_id,
            changed=changed,
        )
    return room
