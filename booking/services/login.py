"""Checking a password: logging in, changing it, and the throttle per login name.

The throttle must hold whatever the number of workers, for the web login, the API login
and the account page's current-password check alike, so it lives in the database.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from werkzeug.security import check_password_hash

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import LoginThrottle, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_
from booking.services import audit
from booking.services.accounts import (
    check_password_rules,
    dummy_hash,
    end_all_sessions,
    find_user,
    hash_password,
    normalise_email,
)


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
    key = throttle_key(email)
    counted, blocked_until = _count_login_attempt(key, now)
    user = find_user(email)
    if not counted:
        check_password_hash(dummy_hash(), password)
        return LoginResult(blocked_until=blocked_until, refused=True)
    if user is None or not user.active:
        check_password_hash(dummy_hash(), password)
        return LoginResult(blocked_until=blocked_until)
    if not check_password_hash(user.password_hash, password):
        return LoginResult(blocked_until=blocked_until)
    forget_login_failures(key)
    user.last_login_at = now  # shown on the gemeente's list of people
    return LoginResult(user=user)


def throttle_key(email: str) -> str:
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


def forget_login_failures(key: str) -> None:
    """A good password (or a reset) lifts the block and forgets the failures."""
    begin_write()
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key_hash == key))


def check_current_password(user: User, current: str, now: datetime) -> None:
    """The current password is a login too: checked against the same budget, so a stolen
    cookie cannot be used to guess it."""
    key = throttle_key(user.email)
    counted, _blocked_until = _count_login_attempt(key, now)
    if not counted:
        check_password_hash(dummy_hash(), current)
        raise RuleViolation(
            N_(
                "Te veel mislukte pogingen. Probeer het later opnieuw, of kies via "
                "'Wachtwoord vergeten?' een nieuw wachtwoord."
            ),
            "current_password",
        )
    if not check_password_hash(user.password_hash, current):
        raise RuleViolation(N_("Uw huidige wachtwoord klopt niet."), "current_password")
    forget_login_failures(key)


def change_password(user: User, current: str, new: str, now: datetime) -> None:
    """A password change ends every other session; the caller logs this one in again.

    The current password is a login too: checked against the same budget, so a stolen
    cookie cannot be used to guess it.
    """
    check_current_password(user, current, now)
    check_password_rules(new)
    begin_write()
    user.password_hash = hash_password(new)
    db.session.flush()
    end_all_sessions(user, now=now)
    audit.record(AuditAction.password_changed, AuditObject.user, user.id, actor_id=user.id)
