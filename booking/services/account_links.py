"""What arrives by a mailed link: finishing a registration, and resetting a password.

Both answer the same whether or not the address has an account, so neither form can be
used to find out who has one; the mail tells the owner of the address the rest.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.mail.outbox import queue_mail
from booking.models import User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_
from booking.rules.permissions import Role
from booking.services import audit
from booking.services.accounts import (
    add_user,
    check_password_rules,
    end_all_sessions,
    find_user,
    hash_password,
    normalise_email,
)
from booking.services.login import forget_login_failures, throttle_key
from booking.urls import public_url

# Registration ---------------------------------------------------------------------
#
# Registering answers the same whether or not the address has an account, so the form
# cannot be used to find out who has one. Whoever owns the address learns the rest by
# mail: a new address gets a link to finish the account (choose a password), a known one
# a note that an account exists, with a link to choose a new password. No row is written
# before the owner clicks, so nobody can squat an address they do not read.

REGISTRATION_MAX_AGE = 24 * 3600


def _registration_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="registration")


def request_registration(email: str, name: str, organisation: str = "") -> None:
    """Mail the owner of `email` the next step; say nothing here about which it was."""
    email = normalise_email(email)
    user = find_user(email)
    if user is not None:
        queue_mail(
            "registration_known",
            user.email,
            template="registration_known",
            locale=user.locale,
            user=user,
            login_link=public_url("accounts.login"),
            reset_link=public_url("accounts.forgot_password"),
        )
        return
    token = _registration_serializer().dumps({"e": email, "n": name, "o": organisation})
    # The mail greets no name: whoever fills in the form chooses it, and it would reach
    # any address they type.
    queue_mail(
        "registration",
        email,
        template="registration",
        link=public_url("accounts.finish_registration", token=token),
    )


@dataclass(frozen=True)
class PendingRegistration:
    email: str
    name: str
    organisation: str


def pending_registration(token: str) -> PendingRegistration | None:
    """The registration a mailed link stands for, while it is fresh and the address free."""
    try:
        data = _registration_serializer().loads(token, max_age=REGISTRATION_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in "eno"):
        return None
    if find_user(data["e"]) is not None:
        return None
    return PendingRegistration(data["e"], data["n"], data["o"])


def finish_registration(token: str, password: str) -> User:
    """Anyone may register to book; other roles are given by a beheerder or the gemeente.

    A link clicked twice at once makes one account: the write lock (SQLite) or the unique
    address (PostgreSQL) lets one request through, the other is told the link was used.
    """
    used = RuleViolation(N_("Deze link is verlopen of al gebruikt. Registreer opnieuw."))
    check_password_rules(password)
    begin_write()
    pending = pending_registration(token)
    if pending is None:
        raise used
    try:
        with db.session.begin_nested():
            return add_user(
                pending.email,
                Role.initiatiefnemer,
                password,
                name=pending.name,
                organisation=pending.organisation,
            )
    except IntegrityError as error:
        raise used from error


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


def reset_password(token: str, password: str, now: datetime) -> User:
    """A reset ends every session and revokes every API token: whoever knew the old
    password may have made them. It also lifts a login block."""
    used = RuleViolation(N_("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."))
    check_password_rules(password)
    begin_write()
    user = user_for_reset_token(token)
    if user is None:
        raise used
    # Locked and read again: a link used twice at once resets once; the second request
    # sees the new password's fingerprint and is refused.
    db.session.refresh(user, with_for_update=True)
    if user_for_reset_token(token) is None:
        raise used
    user.password_hash = hash_password(password)
    forget_login_failures(throttle_key(user.email))
    db.session.flush()
    end_all_sessions(user, revoke_api_tokens=True, now=now)
    audit.record(AuditAction.password_reset, AuditObject.user, user.id, actor_id=user.id)
    return user
