"""Who may open the kiosk's staff pages: the host's tally and the beheerder's kiosks.

The services check the right themselves: an unknown house or room is `NotFound`, one
where the actor holds no such right `Forbidden`; both answer 404, so nobody learns which
houses or rooms exist elsewhere.
"""

from __future__ import annotations

from booking.errors import Forbidden, NotFound
from booking.models import Room, User
from booking.rules.permissions import Permission
from booking.services import houses


def managed_room(actor: User, room_id: int) -> Room:
    """A room whose programme (kiosks, posters) the actor manages."""
    room = houses.get_room(room_id)
    if room is None:
        raise NotFound(room_id)
    if not actor.can(Permission.manage_programme, room.house_id):
        raise Forbidden(room_id)
    return room
