"""Account use cases: register, authenticate, reset passwords, manage roles and tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from booking.extensions import db
from booking.models import ApiToken, House, HouseMembership, User
from booking.rules.permissions import HOUSE_ROLES, Role
from booking.services import audit
from booking.services.outbox import queue_mail
from booking.urls import public_url

MIN_PASSWORD_LENGTH = 10
ROLE_ORDER = [
    Role.initiatiefnemer,
    Role.gastheer,
    Role.sociaal_beheerder,
    Role.beheerder,
    Role.gemeente,
]
_DUMMY_HASHES: dict[str, str] = {}


def _hash_password(password: str) -> str:
    """scrypt in production; tests configure a cheap method to stay fast."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = _hash_password("timing-equaliser-not-a-password")
    return _DUMMY_HASHES[method]


class AccountError(ValueError):
    """A rule about accounts was broken; the message is Dutch and safe to show."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_initiatiefnemer(email: str, name: str, password: str, organisation: str = "") -> User:
    """Anyone may register to book; other roles are given by a beheerder or the gemeente."""
    if find_user(email):
        raise AccountError(
            "Er bestaat al een account met dit e-mailadres. Log in of vraag een nieuw "
            "wachtwoord aan."
        )
    return create_user(email, Role.initiatiefnemer, password, name=name, organisation=organisation)


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
    _check_password(password)
    if role in HOUSE_ROLES and house is None:
        raise AccountError("Deze rol hoort bij een huis: geef het huis op.")
    user = find_user(email)
    if user is None:
        user = User(
            email=normalise_email(email),
            name=name or email.split("@")[0],
            organisation=organisation,
            role=role.value,
            password_hash=_hash_password(password),
        )
        db.session.add(user)
        db.session.flush()
        audit.record("user_created", "user", user.id, actor_id=actor_id, role=role.value)
    else:
        user.password_hash = _hash_password(password)
    if house is not None and role in HOUSE_ROLES:
        grant_house_role(user, house, role, actor_id=actor_id)
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
            "role_granted", "user", user.id, actor_id=actor_id, house_id=house.id, role=role.value
        )


def authenticate(email: str, password: str) -> User | None:
    """The same work for unknown addresses and wrong passwords, so timing tells nothing."""
    user = find_user(email)
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")
    if len(password) > 200:
        raise AccountError("Dit wachtwoord is te lang (hoogstens 200 tekens).")


# Password reset -------------------------------------------------------------------


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    """Part of the token, so a token stops working once the password has changed."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    token = _reset_serializer().dumps({"u": user.id, "p": _password_fingerprint(user)})
    link = public_url("accounts.reset_password", token=token)
    queue_mail(
        "password_reset",
        user.email,
        template="password_reset",
        locale=user.locale,
        user=user,
        link=link,
    )


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not hmac.compare_digest(str(data.get("p")), _password_fingerprint(user)):
        return None
    return user


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise AccountError("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan.")
    _check_password(password)
    user.password_hash = _hash_password(password)
    audit.record("password_reset", "user", user.id, actor_id=user.id)
    return user


# API tokens ------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(user: User) -> str:
    """A new bearer token, shown once; only its hash is kept."""
    token = "bht_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    audit.record("api_token_issued", "user", user.id, actor_id=user.id)
    db.session.flush()
    return token


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
