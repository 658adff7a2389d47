"""The permission gate of the gemeente use cases (DESIGN section 3: only the gemeente sets
policy defaults, houses, areas, users and roles). Anyone else gets `Forbidden`, which is
answered 404 like every object the user may not see."""

from __future__ import annotations

from booking.errors import Forbidden
from booking.models import User
from booking.rules.permissions import Permission


def require_gemeente(actor: User) -> None:
    if not actor.is_authenticated or not actor.can(Permission.manage_policy):
        raise Forbidden(Permission.manage_policy)
