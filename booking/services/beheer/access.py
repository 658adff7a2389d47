"""The permission gate of the beheer use cases: which house the actor may run, and how far.

DESIGN section 3 as the services apply it: a use case names the right it needs and gets
the house, or `NotFound` when there is no such house and `Forbidden` when the actor holds
no such right there. Both answer 404, so nobody learns which houses exist elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import House, Room, User
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission


@dataclass(frozen=True)
class HouseRights:
    """What the actor may use in one house: the beheer pages show only those links."""

    see_bookings: bool
    manage_programme: bool
    manage_building: bool


def rights_in(actor: User, house_id: int) -> HouseRights:
    return HouseRights(
        see_bookings=actor.can(Permission.see_booking_details, house_id),
        manage_programme=actor.can(Permission.manage_programme, house_id),
        manage_building=actor.can(Permission.manage_building, house_id),
    )


def room_in(house: House, room_id: int) -> Room:
    """A room of this house, by its address; a room of another house is not found."""
    room = db.session.get(Room, room_id)
    if room is None or room.house_id != house.id:
        raise NotFound(room_id)
    return room


def chosen_room(house: House, room_id: int | None) -> Room:
    """A room picked in a form: one of another house is a broken rule, not a missing page."""
    room = db.session.get(Room, room_id) if room_id is not None else None
    if room is None or room.house_id != house.id:
        raise RuleViolation(Message(N_("Deze ruimte hoort niet bij dit huis.")), "room")
    return room
