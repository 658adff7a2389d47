"""The signed-in browsers and API clients of an account: listed, seen, ended one by one.

A login opens a `LoginSession` row; the session cookie carries its random key (only the
key's SHA-256 is stored), and a cookie whose row is gone, stale or idle for a month loads
nobody (booking/security.py). "Log out everywhere" needs no row of its own: it raises the
account's session version (services/accounts.end_all_sessions), and a row counts only
while it carries the account's current version.

Privacy by design: a row says when the session began and when it was last seen (written
at most once a quarter hour); never from where (no IP address) or with what (no browser
name).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select, update

from booking.database import begin_write, transaction_cache
from booking.errors import NotFound
from booking.extensions import db
from booking.models import User
from booking.models.accounts import LoginSession
from booking.rules.audit import AuditAction, AuditObject
from booking.services import audit

SESSION_KEY = "_login_session"
"""Where the key lives in Flask's signed session cookie."""
LAST_SEEN_PRECISION = timedelta(minutes=15)
"""'Last seen' moves on once a quarter hour at most: enough to recognise a session, and
one write per session per quarter hour."""
IDLE_LIMIT = timedelta(days=30)
"""A session not seen for this long has ended: log in again."""
MAX_KEY_LENGTH = 100


@dataclass(frozen=True)
class OpenSession:
    """One session as the account page shows it."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    is_this_one: bool


def needs_touch(last_seen: datetime, now: datetime) -> bool:
    """Whether a request at `now` moves 'last seen' on (a write)."""
    return now - last_seen >= LAST_SEEN_PRECISION


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _live(user: User, now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        LoginSession.user_id == user.id,
        LoginSession.session_version == user.session_version,
        LoginSession.last_seen_at >= now - IDLE_LIMIT,
    )


def open_session(user: User, now: datetime) -> str:
    """A session for a user who has just logged in; returns the key for the cookie.

    The account's ended and idle sessions are cleared away on the way.
    """
    begin_write()
    db.session.execute(
        delete(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            or_(
                LoginSession.session_version != user.session_version,
                LoginSession.last_seen_at < now - IDLE_LIMIT,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    key = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            user_id=user.id,
            key_hash=key_hash(key),
            session_version=user.session_version,
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.flush()
    return key


def current_session(user: User, key: object, now: datetime) -> LoginSession | None:
    """The open session a cookie's key names, if it is the user's and still counts."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        return None
    cache = transaction_cache()  # the user loader and the touch ask in the same request
    memo = ("login_session", user.id, user.session_version, key_hash(key))
    if memo not in cache:
        cache[memo] = db.session.scalar(
            select(LoginSession).where(
                LoginSession.key_hash == memo[3],
                LoginSession.user_id == user.id,
                LoginSession.session_version == user.session_version,
            )
        )
    row: LoginSession | None = cache[memo]
    return row if row is not None and row.last_seen_at >= now - IDLE_LIMIT else None


def is_open(user: User, key: object, now: datetime) -> bool:
    return current_session(user, key, now) is not None


def touch(user: User, key: object, now: datetime) -> None:
    """Note that the session was seen: one write per quarter hour at most."""
    row = current_session(user, key, now)
    if row is None or not needs_touch(row.last_seen_at, now):
        return
    row_id = row.id
    begin_write()
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.id == row_id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


def open_sessions(user: User, key: object, now: datetime) -> list[OpenSession]:
    """The account's sessions that still count, the most recently seen first."""
    this_one = key_hash(key) if isinstance(key, str) and key else None
    rows = db.session.scalars(
        select(LoginSession)
        .where(*_live(user, now))
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    ).all()
    return [
        OpenSession(row.id, row.created_at, row.last_seen_at, row.key_hash == this_one)
        for row in rows
    ]


def end_session(actor: User, session_id: int, key: object, now: datetime) -> bool:
    """End one of the actor's sessions (another's answers 404); True if it was this one."""
    begin_write()
    row = db.session.scalar(
        select(LoginSession).where(LoginSession.id == session_id, *_live(actor, now))
    )
    if row is None:
        raise NotFound(session_id)
    was_this_one = isinstance(key, str) and bool(key) and row.key_hash == key_hash(key)
    db.session.delete(row)
    db.session.flush()
    transaction_cache().clear()
    audit.record(AuditAction.session_ended, AuditObject.user, actor.id, actor_id=actor.id)
    return was_this_one


def end_every_session(user: User) -> None:
    """Remove every session row of the account (deleting it)."""
    db.session.execute(
        delete(LoginSession)
        .where(LoginSession.user_id == user.id)
        .execution_options(synchronize_session=False)
    )
    transaction_cache().clear()
