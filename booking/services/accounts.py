"""Account use cases: register, authenticate, reset passwords, manage roles and tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from booking.database import begin_write
from booking.extensions import db
from booking.models import ApiToken, House, HouseMembership, LoginThrottle, User
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
    used = AccountError("Deze link is verlopen of al gebruikt. Registreer opnieuw.")
    _check_password(password)
    begin_write()
    pending = pending_registration(token)
    if pending is None:
        raise used
    try:
        with db.session.begin_nested():
            return create_user(
                pending.email,
                Role.initiatiefnemer,
                password,
                name=pending.name,
                organisation=pending.organisation,
            )
    except IntegrityError as error:
        raise used from error


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


# Logging in -----------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    """A user on success. Otherwise `refused` says the account was blocked and the password
    not even checked; `blocked_until` is the block in force after this attempt, if any."""

    user: User | None = None
    blocked_until: datetime | None = None
    refused: bool = False


def login_block(failures: int, max_failures: int, block_seconds: int) -> timedelta | None:
    """How long an account waits after `failures` wrong passwords in a row.

    Nothing below the limit; at the limit the configured block, doubling with each further
    failure, never longer than a day. A pure rule, kept here beside its only user.
    """
    if failures < max_failures:
        return None
    doublings = min(failures - max_failures, 16)
    return min(timedelta(seconds=block_seconds * 2**doublings), timedelta(days=1))


def authenticate(email: str, password: str, now: datetime) -> LoginResult:
    """Check a password, counting the attempt against the typed address first.

    The throttle must hold whatever the number of workers, for the web and the API login
    alike, so the attempt is counted in the database (under the row's write lock) and
    committed *before* the password is checked: concurrent guesses cannot all pass an
    unlocked check, and a request that dies halfway still counted. That commit is the one
    exception to "the edge commits"; the lock is not held during the slow hash.
    Addresses without an account are counted and blocked the same way, and every answer
    does the same hashing work, so neither a block nor timing tells who has an account.
    """
    key = _throttle_key(email)
    counted, blocked_until = _count_login_attempt(key, now)
    user = find_user(email)
    if not counted:
        check_password_hash(_dummy_hash(), password)
        return LoginResult(blocked_until=blocked_until, refused=True)
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)
        return LoginResult(blocked_until=blocked_until)
    if not check_password_hash(user.password_hash, password):
        return LoginResult(blocked_until=blocked_until)
    _forget_login_failures(key)
    return LoginResult(user=user)


def _throttle_key(email: str) -> str:
    """A keyed hash of the typed address: the table never holds an address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = b"login:" + normalise_email(email).encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


LOGIN_FAILURES_FORGOTTEN_AFTER = timedelta(days=1)


def _count_login_attempt(key: str, now: datetime) -> tuple[bool, datetime | None]:
    """Count one attempt unless the login name is blocked, and commit.

    Returns whether the attempt was counted (and may be checked) and the block in force
    after it. An attempt that reaches the limit sets the block in the same locked step,
    so no concurrent request can slip a guess in; that attempt itself is still checked.
    Failures a day old are forgotten (and their rows deleted), so a user who mistyped
    last week starts afresh.
    """
    config = current_app.config
    begin_write()
    forgotten = now - LOGIN_FAILURES_FORGOTTEN_AFTER
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < forgotten,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now),
        )
    )
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(LoginThrottle).values(key_hash=key, failures=0, last_failure_at=now)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["key_hash"]))
    # populate_existing: read what the lock protects, not what this session saw earlier.
    row = db.session.scalars(
        select(LoginThrottle)
        .where(LoginThrottle.key_hash == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if row.blocked_until is not None and row.blocked_until > now:
        blocked_until = row.blocked_until
        db.session.rollback()
        return False, blocked_until
    if row.last_failure_at < forgotten:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    block = login_block(row.failures, config["LOGIN_MAX_FAILURES"], config["LOGIN_BLOCK_SECONDS"])
    blocked_until = now + block if block is not None else None
    row.blocked_until = blocked_until
    db.session.commit()
    return True, blocked_until


def _forget_login_failures(key: str) -> None:
    begin_write()
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key_hash == key))


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
    audit.record("sessions_ended", "user", user.id, actor_id=user.id, tokens=revoke_api_tokens)


def change_password(user: User, current: str, new: str, now: datetime) -> None:
    """A password change ends every other session; the caller logs this one in again.

    The current password is a login too: checked against the same budget, so a stolen
    cookie cannot be used to guess it.
    """
    key = _throttle_key(user.email)
    counted, _blocked_until = _count_login_attempt(key, now)
    if not counted:
        check_password_hash(_dummy_hash(), current)
        raise AccountError(
            "Te veel mislukte pogingen. Probeer het later opnieuw, of kies via 'Wachtwoord "
            "vergeten?' een nieuw wachtwoord."
        )
    if not check_password_hash(user.password_hash, current):
        raise AccountError("Uw huidige wachtwoord klopt niet.")
    _forget_login_failures(key)
    _check_password(new)
    begin_write()
    user.password_hash = _hash_password(new)
    db.session.flush()
    end_all_sessions(user, now=now)
    audit.record("password_changed", "user", user.id, actor_id=user.id)


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


def reset_password(token: str, password: str, now: datetime) -> User:
    """A reset ends every session and revokes every API token: whoever knew the old
    password may have made them. It also lifts a login block."""
    used = AccountError("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan.")
    _check_password(password)
    begin_write()
    user = user_for_reset_token(token)
    if user is None:
        raise used
    # Locked and read again: a link used twice at once resets once; the second request
    # sees the new password's fingerprint and is refused.
    db.session.refresh(user, with_for_update=True)
    if user_for_reset_token(token) is None:
        raise used
    user.password_hash = _hash_password(password)
    _forget_login_failures(_throttle_key(user.email))
    db.session.flush()
    end_all_sessions(user, revoke_api_tokens=True, now=now)
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
