"""Invitations: an account made by the gemeente or a house's staff, finished by its owner.

Inviting a **new address** makes the account at once — with its roles, so the house's
staff list shows the person as invited — but without a password: nothing can log in to it
(`PENDING_PASSWORD`). The owner of the address gets a link by mail (through the outbox,
in the same transaction), chooses their name and password there, and is logged in. The
link is a random token of which only the SHA-256 is stored (`Invitation`); it works once,
for seven days, and stops working when a newer link replaces it or the account is
deactivated. Two clicks at once accept once: the invitation row is locked and read again.

Inviting an address that **already has an account** makes no second account: the new
roles are added to it and its owner is told by mail (an account still waiting for its
invitation gets a fresh link instead, which replaces the old one). Roles it holds already
are a refusal, as is a deactivated account (only the gemeente reactivates one).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.errors import InvalidInput, NotFound, RuleViolation
from booking.extensions import db
from booking.mail import people_mails
from booking.models import User
from booking.models.accounts import Invitation
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Role
from booking.rules.staff_roles import (
    INVITATION_VALID,
    LINK_REFUSALS,
    PENDING_PASSWORD,
    LinkState,
    account_kind,
    link_state,
)
from booking.rules.text import clean_text
from booking.services import audit
from booking.services.accounts import (
    check_password_rules,
    find_user,
    hash_password,
    normalise_email,
)
from booking.services.gemeente.access import require_gemeente
from booking.services.people import access
from booking.services.people.roles import Grant, add_grants, check_grants, holds
from booking.urls import public_url

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{30,100}")
NAME_MAX = 120
EMAIL_MAX = 254


@dataclass(frozen=True)
class Invited:
    """What an invitation did: a new account, or roles added to an existing one."""

    user: User
    new_account: bool
    grants: list[Grant]


@dataclass(frozen=True)
class Link:
    """An invitation link as it stands now."""

    invitation: Invitation
    state: LinkState

    @property
    def user(self) -> User:
        return self.invitation.user

    @property
    def refusal(self) -> str | None:
        return LINK_REFUSALS.get(self.state)


def is_pending(user: User) -> bool:
    """Whether the account still waits for its invitation to be accepted."""
    return user.password_hash == PENDING_PASSWORD


def invite_to(
    actor: User, email: str, name: str, role: Role, house_ids: Sequence[int], now: datetime
) -> Invited:
    """The gemeente's invitation: one role, in each house chosen (none for gemeente)."""
    begin_write()
    require_gemeente(actor)
    if role == Role.gemeente:
        grants = [Grant(role)]
    elif not house_ids:
        raise RuleViolation(access.HOUSE_NEEDED, "houses")
    else:
        grants = [Grant(role, access.house_by_id(h)) for h in dict.fromkeys(house_ids)]
    return invite(actor, email, name, grants, now)


def invite_to_house(
    actor: User, slug: str, email: str, name: str, role: Role, now: datetime
) -> Invited:
    """A house's staff page: a host or sociaal beheerder (the gemeente: also a beheerder)."""
    begin_write()
    house = access.staff_house(actor, slug)
    return invite(actor, email, name, [Grant(role, house)], now)


def invite(
    actor: User | None, email: str, name: str, grants: Sequence[Grant], now: datetime
) -> Invited:
    """Invite `email` into `grants` (roles the actor may give; see the module)."""
    begin_write()
    email = _address(email)
    name = _name(name, required=False)
    if not grants:
        raise RuleViolation(N_("Kies een rol."), "role")
    check_grants(actor, grants)
    user = find_user(email)
    if user is None:
        return _invite_new(actor, email, name, grants, now)
    if not user.active:
        raise RuleViolation(
            N_(
                "Er is al een account met dit e-mailadres, maar het is gedeactiveerd. "
                "Alleen de gemeente kan het weer activeren."
            ),
            "email",
        )
    new = [grant for grant in grants if not holds(user, grant)]
    if not new:
        raise RuleViolation(
            Message(N_("%(email)s heeft deze rol al."), {"email": user.email}), "email"
        )
    add_grants(actor, user, new)
    _record(actor, user, new, new_account=False)
    if is_pending(user):
        _send_link(actor, user, now)
    else:
        people_mails.queue_roles_changed(user, *[people_mails.given(g.role, g.house) for g in new])
    return Invited(user, False, new)


def _invite_new(
    actor: User | None, email: str, name: str, grants: Sequence[Grant], now: datetime
) -> Invited:
    kind = account_kind(
        any(g.role == Role.gemeente for g in grants),
        [g.role for g in grants if g.role != Role.gemeente],
    )
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=kind.value,
        password_hash=PENDING_PASSWORD,
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
            db.session.flush()
    except IntegrityError as error:  # the same address, invited at the same moment
        raise RuleViolation(
            N_("Er is zojuist al een account met dit e-mailadres gemaakt. Kijk in de lijst."),
            "email",
        ) from error
    new = add_grants(actor, user, grants)
    _record(actor, user, new, new_account=True)
    _send_link(actor, user, now)
    return Invited(user, True, new)


def _record(actor: User | None, user: User, grants: Sequence[Grant], *, new_account: bool) -> None:
    houses = {g.house.id for g in grants if g.house is not None}
    audit.record(
        AuditAction.user_invited,
        AuditObject.user,
        user.id,
        actor_id=actor.id if actor else None,
        house_id=houses.pop() if len(houses) == 1 else None,
        roles=[g.role.value for g in grants],
        new_account=new_account,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _send_link(actor: User | None, user: User, now: datetime) -> Invitation:
    """A new link for the account (earlier ones stop working), mailed through the outbox."""
    withdraw_open(user, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        user_id=user.id,
        invited_by_id=actor.id if actor else None,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + INVITATION_VALID,
    )
    db.session.add(invitation)
    db.session.flush()
    people_mails.queue_invitation(
        user,
        public_url("accounts.invitation", token=token),
        inviter=actor,
        expires_at=invitation.expires_at,
    )
    return invitation


def withdraw_open(user: User, now: datetime) -> None:
    """Every link of the account that still works stops working."""
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.user_id == user.id,
            Invitation.used_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .execution_options(synchronize_session="fetch")
    )


def resend(actor: User | None, user: User, now: datetime) -> None:
    """A fresh link for an account that has not accepted its invitation (an expired one)."""
    if not user.active:
        raise RuleViolation(N_("Dit account is gedeactiveerd. Activeer het eerst."))
    if not is_pending(user):
        raise RuleViolation(N_("Deze persoon heeft de uitnodiging al aangenomen."))
    _send_link(actor, user, now)
    audit.record(
        AuditAction.user_invited,
        AuditObject.user,
        user.id,
        actor_id=actor.id if actor else None,
        again=True,
    )


def resend_as_gemeente(actor: User, user_id: int, now: datetime) -> User:
    begin_write()
    user = access.person_for_gemeente(actor, user_id)
    resend(actor, user, now)
    return user


def resend_as_staff(actor: User, slug: str, user_id: int, now: datetime) -> User:
    begin_write()
    _house, user = access.staff_member(actor, slug, user_id)
    resend(actor, user, now)
    return user


def look_up(token: str, now: datetime) -> Link:
    """The invitation a link names; an unknown link (or a deleted account's) is not found."""
    if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
        raise NotFound("invitation")
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _token_hash(token))
    )
    if invitation is None or invitation.user.deleted_at is not None:
        raise NotFound("invitation")
    user = invitation.user
    state = link_state(
        used=invitation.used_at is not None,
        withdrawn=invitation.withdrawn_at is not None or not user.active,
        expires_at=invitation.expires_at,
        now=now,
        pending=is_pending(user),
    )
    return Link(invitation, state)


def accept(token: str, name: str, password: str, now: datetime) -> User:
    """The invited person chooses a name and password; the caller logs them in."""
    name = _name(name, required=True)
    check_password_rules(password)
    begin_write()
    link = look_up(token, now)
    db.session.refresh(link.invitation, with_for_update=True)  # two clicks: one wins
    db.session.refresh(link.user, with_for_update=True)
    link = look_up(token, now)
    if link.refusal is not None:
        raise RuleViolation(link.refusal, code=f"uitnodiging_{link.state.value}")
    user = link.user
    user.name = name
    user.password_hash = hash_password(password)
    user.last_login_at = now
    link.invitation.used_at = now
    db.session.flush()
    withdraw_open(user, now)
    audit.record(AuditAction.invitation_accepted, AuditObject.user, user.id, actor_id=user.id)
    db.session.flush()
    return user


def _address(email: str) -> str:
    email = normalise_email(email)
    if not email or len(email) > EMAIL_MAX or "@" not in email.strip("@"):
        raise InvalidInput(
            "email", N_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        )
    return email


def _name(name: str, *, required: bool) -> str:
    cleaned = clean_text(name.strip(), max_length=NAME_MAX)
    if isinstance(cleaned, Message):
        raise RuleViolation(cleaned, "name")
    if required and not cleaned:
        raise RuleViolation(N_("Vul uw naam in."), "name")
    return cleaned
