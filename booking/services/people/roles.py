"""Giving and taking roles: the gemeente everywhere, a house's own staff in their house.

A role is a house membership (gastheer, sociaal beheerder, beheerder of one house) or the
gemeente role of the account itself. The account's kind (`User.role`) is always the
highest role it holds (`rules/staff_roles.account_kind`), worked out again after each
change.

**The last active gemeente account** is never demoted, deactivated or removed: someone
must be able to run the product. "Active" means not deactivated, not deleted, and in use
(an invitation nobody accepted yet does not count, it cannot log in). The check locks the
gemeente accounts first (FOR UPDATE on PostgreSQL, the write lock on SQLite), so two
gemeente accounts that demote each other at the same moment cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.mail import people_mails
from booking.models import House, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import HOUSE_ROLES, Role
from booking.rules.staff_roles import PENDING_PASSWORD, account_kind, leaves_a_gemeente
from booking.services import audit
from booking.services.accounts import grant_house_role
from booking.services.people import access

LAST_GEMEENTE = N_(
    "Dit is het laatste actieve account van de gemeente. Geef eerst iemand anders de rol "
    "gemeente; daarna kan deze rol weg."
)


@dataclass(frozen=True)
class Grant:
    """One role: in a house, or (gemeente) for the whole product."""

    role: Role
    house: House | None = None


def holds(user: User, grant: Grant) -> bool:
    if grant.role == Role.gemeente:
        return user.role == Role.gemeente.value
    assert grant.house is not None
    return any(m.house_id == grant.house.id and m.role == grant.role for m in user.memberships)


def grants_of(user: User) -> list[Grant]:
    """Every role the account holds, the gemeente role first, then by house and role."""
    found = [Grant(Role.gemeente)] if user.role == Role.gemeente.value else []
    memberships = sorted(user.memberships, key=lambda m: (m.house.name, m.role))
    return found + [Grant(Role(m.role), m.house) for m in memberships]


def add_grants(actor: User | None, user: User, grants: Sequence[Grant]) -> list[Grant]:
    """Give the roles the account does not hold yet; returns those (audited each)."""
    actor_id = actor.id if actor is not None else None
    new = [g for g in dict.fromkeys(grants) if not holds(user, g)]
    for grant in new:
        if grant.role == Role.gemeente:
            user.role = Role.gemeente.value
            audit.record(
                AuditAction.role_granted,
                AuditObject.user,
                user.id,
                actor_id=actor_id,
                role=grant.role.value,
            )
        else:
            assert grant.house is not None
            grant_house_role(user, grant.house, grant.role, actor_id=actor_id)
    db.session.flush()
    return new


def check_grants(actor: User | None, grants: Sequence[Grant]) -> None:
    """Every grant is the actor's to give, and a house role names its house."""
    for grant in grants:
        if grant.role == Role.initiatiefnemer:
            raise RuleViolation(N_("Kies een rol."), "role")
        if grant.role in HOUSE_ROLES and grant.house is None:
            raise RuleViolation(access.HOUSE_NEEDED, "houses")
        access.check_may_give(actor, grant.role, grant.house)


def grant_role(actor: User, user_id: int, role: Role, house_id: int | None) -> Grant:
    """The gemeente gives one more role to an account (the person is told by mail)."""
    begin_write()
    user = access.person_for_gemeente(actor, user_id)
    grant = Grant(role, None if role == Role.gemeente else access.house_by_id(house_id))
    check_grants(actor, [grant])
    if not user.active:
        raise RuleViolation(N_("Dit account is gedeactiveerd. Activeer het eerst."), "role")
    if holds(user, grant):
        raise RuleViolation(N_("Deze persoon heeft deze rol al."), "role")
    add_grants(actor, user, [grant])
    people_mails.queue_roles_changed(user, people_mails.given(grant.role, grant.house))
    return grant


def removal(actor: User, user_id: int, role: Role, house_id: int | None) -> tuple[User, Grant]:
    """What the confirmation page before `remove_role` shows; refused as that would be."""
    user = access.person_for_gemeente(actor, user_id)
    grant = Grant(role, None if role == Role.gemeente else _house(house_id))
    if not holds(user, grant):
        raise NotFound(user_id)
    access.check_may_give(actor, role, grant.house)
    return user, grant


def staff_removal(actor: User, slug: str, user_id: int, role: Role) -> tuple[User, Grant]:
    """What the staff page's confirmation shows before `remove_staff_role`."""
    house, user = access.staff_member(actor, slug, user_id)
    grant = Grant(role, house)
    if not holds(user, grant):
        raise NotFound(user_id)
    access.check_may_give(actor, role, house)
    if user.id == actor.id:
        raise RuleViolation(access.OWN_ROLE, "role")
    return user, grant


def remove_role(actor: User, user_id: int, role: Role, house_id: int | None) -> Grant:
    """The gemeente takes a role of an account: a house role, or the gemeente role."""
    begin_write()
    user = access.person_for_gemeente(actor, user_id)
    house = None if role == Role.gemeente else _house(house_id)
    grant = Grant(role, house)
    _take(actor, user, grant)
    return grant


def remove_staff_role(actor: User, slug: str, user_id: int, role: Role) -> tuple[House, User]:
    """A house's beheerder or sociaal beheerder takes a host's or sociaal beheerder's role."""
    begin_write()
    house, user = access.staff_member(actor, slug, user_id)
    if user.id == actor.id:
        raise RuleViolation(access.OWN_ROLE, "role")
    _take(actor, user, Grant(role, house))
    return house, user


def _house(house_id: int | None) -> House:
    house = db.session.get(House, house_id) if house_id is not None else None
    if house is None:
        raise NotFound(house_id)
    return house


def _take(actor: User, user: User, grant: Grant) -> None:
    if not holds(user, grant):
        raise NotFound(user.id)  # nothing to take: as if the link were wrong
    access.check_may_give(actor, grant.role, grant.house)
    if grant.role == Role.gemeente:
        refuse_last_gemeente(user)
        user.role = account_kind(False, [Role(m.role) for m in user.memberships])
    else:
        assert grant.house is not None
        house_id = grant.house.id
        user.memberships = [
            m for m in user.memberships if not (m.house_id == house_id and m.role == grant.role)
        ]
        user.role = account_kind(
            user.role == Role.gemeente.value, [Role(m.role) for m in user.memberships]
        )
    db.session.flush()
    audit.record(
        AuditAction.role_removed,
        AuditObject.user,
        user.id,
        actor_id=actor.id,
        house_id=grant.house.id if grant.house else None,
        role=grant.role.value,
    )
    people_mails.queue_roles_changed(user, people_mails.taken(grant.role, grant.house))


def refuse_last_gemeente(user: User, message: str | Message = LAST_GEMEENTE) -> None:
    """Refuse when `user` is the only active gemeente account that is in use.

    Locks those accounts first, so concurrent demotions are decided one after the other.
    """
    if user.role != Role.gemeente.value:
        return
    begin_write()
    if not leaves_a_gemeente(active_gemeente_ids(lock=True), user.id):
        raise RuleViolation(message, "role")


def active_gemeente_ids(*, lock: bool = False) -> Sequence[int]:
    """The gemeente accounts that count as active (see the module), optionally locked."""
    query = (
        select(User.id)
        .where(
            User.role == Role.gemeente.value,
            User.active.is_(True),
            User.deleted_at.is_(None),
            User.password_hash != PENDING_PASSWORD,
        )
        .order_by(User.id)
    )
    return db.session.scalars(query.with_for_update() if lock else query).all()
