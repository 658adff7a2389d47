"""The lists of people: everyone for the gemeente (with the last login), a house's staff
for its beheerder or sociaal beheerder, and one person's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import House, HouseMembership, User
from booking.models.accounts import Invitation
from booking.rules.permissions import Role
from booking.rules.staff_roles import (
    INVITABLE_ROLES,
    PENDING_PASSWORD,
    PersonStatus,
    person_status,
    roles_given_by,
)
from booking.services import houses
from booking.services.gemeente.access import require_gemeente
from booking.services.people import access
from booking.services.people.roles import Grant, grants_of

LIST_LIMIT = 200
"""The gemeente's list shows this many people at most; a search narrows it down."""
QUERY_MAX = 100


@dataclass(frozen=True)
class PersonRow:
    user: User
    status: PersonStatus
    grants: list[Grant]


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    query: str
    role: Role | None
    capped: bool


@dataclass(frozen=True)
class PersonPage:
    user: User
    status: PersonStatus
    grants: list[Grant]
    invitation_expires: datetime | None
    houses: list[House]
    roles: tuple[Role, ...] = INVITABLE_ROLES


@dataclass(frozen=True)
class StaffRow:
    user: User
    status: PersonStatus
    roles: list[Role]
    removable: list[Role]


@dataclass(frozen=True)
class StaffPage:
    house: House
    rows: list[StaffRow]
    givable: list[Role]


def _open_invitations(user_ids: list[int]) -> dict[int, datetime]:
    """When the newest link that still works expires, per account waiting for one."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Invitation.user_id, func.max(Invitation.expires_at))
        .where(
            Invitation.user_id.in_(user_ids),
            Invitation.used_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
        .group_by(Invitation.user_id)
    ).all()
    return {user_id: expires for user_id, expires in rows}


def _statuses(users: list[User], now: datetime) -> dict[int, PersonStatus]:
    pending = [u.id for u in users if u.password_hash == PENDING_PASSWORD]
    expires = _open_invitations(pending)
    return {
        u.id: person_status(
            active=u.active,
            pending=u.password_hash == PENDING_PASSWORD,
            invitation_expires=expires.get(u.id),
            now=now,
        )
        for u in users
    }


def _like(query: str) -> str:
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_page(actor: User, query: str, role: str | None, now: datetime) -> PeoplePage:
    """Everyone with an account (deleted ones are nobody), by name; searchable."""
    require_gemeente(actor)
    query = query.strip()[:QUERY_MAX]
    chosen = Role(role) if role in set(Role) else None
    statement = (
        select(User)
        .where(User.deleted_at.is_(None))
        .options(selectinload(User.memberships).selectinload(HouseMembership.house))
        .order_by(func.lower(User.name), User.id)
        .limit(LIST_LIMIT + 1)
    )
    if query:
        pattern = _like(query)
        statement = statement.where(
            or_(
                func.lower(User.name).like(pattern, escape="\\"),
                User.email.like(pattern, escape="\\"),
            )
        )
    if chosen is not None:
        statement = statement.where(User.role == chosen.value)
    users = list(db.session.scalars(statement))
    capped = len(users) > LIST_LIMIT
    users = users[:LIST_LIMIT]
    statuses = _statuses(users, now)
    rows = [PersonRow(u, statuses[u.id], grants_of(u)) for u in users]
    return PeoplePage(rows, query, chosen, capped)


def person_page(actor: User, user_id: int, now: datetime) -> PersonPage:
    user = access.person_for_gemeente(actor, user_id)
    expires = _open_invitations([user.id]).get(user.id)
    return PersonPage(
        user=user,
        status=_statuses([user], now)[user.id],
        grants=grants_of(user),
        invitation_expires=expires,
        houses=houses.list_houses(),
    )


def staff_page(actor: User, slug: str, now: datetime) -> StaffPage:
    """Everyone with a role in the house, and what the actor may give and take there."""
    house = access.staff_house(actor, slug)
    given = roles_given_by(actor.roles_in(house.id))
    users = list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(HouseMembership.user_id).where(HouseMembership.house_id == house.id)
                ),
                User.deleted_at.is_(None),
            )
            .options(selectinload(User.memberships))
            .order_by(func.lower(User.name), User.id)
        )
    )
    statuses = _statuses(users, now)
    rows = []
    for user in users:
        held = sorted(
            (Role(m.role) for m in user.memberships if m.house_id == house.id),
            key=list(Role).index,
        )
        removable = [r for r in held if r in given and user.id != actor.id]
        rows.append(StaffRow(user, statuses[user.id], held, removable))
    givable = [r for r in (Role.gastheer, Role.sociaal_beheerder) if r in given]
    if actor.is_gemeente:  # the gemeente may give a house its beheerder here too
        givable.append(Role.beheerder)
    return StaffPage(house, rows, givable)
