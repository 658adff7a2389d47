"""Account use cases: users and their roles, passwords, sessions and API tokens.

Logging in (and its throttle) is in `services/login.py`; what arrives by a mailed link
(registration, password reset) in `services/account_links.py`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import ApiToken, House, HouseMembership, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import HOUSE_ROLES, Role
from booking.services import audit

MIN_PASSWORD_LENGTH = 10
_DUMMY_HASHES: dict[str, str] = {}
ROLE_ORDER = [
    Role.initiatiefnemer,
    Role.gastheer,
    Role.sociaal_beheerder,
    Role.beheerder,
    Role.gemeente,
]


def hash_password(password: str) -> str:
    """scrypt in production; tests configure a cheap method to stay fast."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def dummy_hash() -> str:
    """A hash to check a password against when there is no account: equal timing."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = hash_password("timing-equaliser-not-a-password")
    return _DUMMY_HASHES[method]


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    email: str,
    role: Role,
    password: str,
    *,
    name: str = "",
    organisation: str = "",
    house: House | None = None,
    actor_id: int | None = None,
) -> User:
    check_password_rules(password)
    if role in HOUSE_ROLES and house is None:
        raise RuleViolation(N_("Deze rol hoort bij een huis: geef het huis op."), "house")
    user = find_user(email)
    if user is None:
        user = add_user(
            email, role, password, name=name, organisation=organisation, actor_id=actor_id
        )
    else:
        user.password_hash = hash_password(password)
    if house is not None and role in HOUSE_ROLES:
        grant_house_role(user, house, role, actor_id=actor_id)
    return user


def add_user(
    email: str,
    role: Role,
    password: str,
    *,
    name: str = "",
    organisation: str = "",
    actor_id: int | None = None,
) -> User:
    """Insert a new account; an address already taken fails at the unique constraint.

    Registration uses this and never `create_user`'s update path: a second click on a
    registration link that loses the race must not set the password of the account the
    first click just made.
    """
    user = User(
        email=normalise_email(email),
        name=name or email.split("@")[0],
        organisation=organisation,
        role=role.value,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        AuditAction.user_created, AuditObject.user, user.id, actor_id=actor_id, role=role.value
    )
    return user


def grant_house_role(user: User, house: House, role: Role, *, actor_id: int | None) -> None:
    """Add a house-bound role; the account's kind becomes the highest role it holds."""
    if ROLE_ORDER.index(role) > ROLE_ORDER.index(Role(user.role)):
        user.role = role.value
    exists = any(m.house_id == house.id and m.role == role.value for m in user.memberships)
    if not exists:
        user.memberships.append(HouseMembership(house_id=house.id, role=role.value))
        db.session.flush()
        audit.record(
            AuditAction.role_granted,
            AuditObject.user,
            user.id,
            actor_id=actor_id,
            house_id=house.id,
            role=role.value,
        )


def end_all_sessions(user: User, *, revoke_api_tokens: bool = False, now: datetime) -> None:
    """Every session cookie of this user stops working (see User.get_id)."""
    begin_write()
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)
    if revoke_api_tokens:
        revoke_all_api_tokens(user, now=now)
    audit.record(
        AuditAction.sessions_ended,
        AuditObject.user,
        user.id,
        actor_id=user.id,
        tokens=revoke_api_tokens,
    )


def check_password_rules(password: str) -> None:
    """The rules every new password meets; the field is `password` in every form."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            Message(
                N_("Kies een wachtwoord van minstens %(length)s tekens."),
                {"length": MIN_PASSWORD_LENGTH},
            ),
            "password",
        )
    if len(password) > 200:
        raise RuleViolation(N_("Dit wachtwoord is te lang (hoogstens 200 tekens)."), "password")


# API tokens ------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User) -> str:
    """A new bearer token, shown once; only its hash is kept."""
    token = "bht_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    audit.record(AuditAction.api_token_issued, AuditObject.user, user.id, actor_id=user.id)
    db.session.flush()
    return token


def revoke_all_api_tokens(user: User, *, now: datetime) -> int:
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def user_for_api_token(token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    api_token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    if api_token is None or not api_token.user.active:
        return None
    return api_token.user
