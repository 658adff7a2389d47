"""Engine set-up that the models cannot express: SQLite pragmas and write transactions.

Python 3.11's sqlite3 never sends BEGIN before a SELECT, so a read-then-insert check is
not isolated. We take over transaction control (STACK.md section 3): pysqlite stops
emitting BEGIN, and SQLAlchemy's begin event sends `BEGIN DEFERRED` or, for write paths
that check an invariant first, `BEGIN IMMEDIATE`.

Database faults: every PostgreSQL connection carries a statement and a lock timeout, SQLite
waits a bounded time for another writer, and `is_transient_database_error` tells the error
handlers which failures mean "the database is briefly unavailable" (503, try again) rather
than a bug (500). Error messages never carry bound parameters or the row values PostgreSQL
echoes in its DETAIL line (see `install_error_scrubbing`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, scoped_session

from booking.extensions import db

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_MS = 5000


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS completed from the DATABASE_* settings.

    On PostgreSQL every connection gets `statement_timeout` and `lock_timeout` (libpq
    `options`) and an `application_name`; what the database URL itself sets wins.
    Parameters are always hidden from logs and error messages.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("hide_parameters", True)
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        return options
    connect_args = dict(options.get("connect_args") or {})
    timeouts = (
        f"-c statement_timeout={int(config.get('DATABASE_STATEMENT_TIMEOUT_MS', 15000))} "
        f"-c lock_timeout={int(config.get('DATABASE_LOCK_TIMEOUT_MS', 5000))}"
    )
    # connect_args replace the URL's query values, so keep the URL's options (after
    # ours: the last -c of a setting wins).
    explicit = connect_args.get("options") or url.query.get("options")
    connect_args["options"] = f"{timeouts} {explicit}" if isinstance(explicit, str) else timeouts
    name = config.get("DATABASE_APPLICATION_NAME")
    if name and "application_name" not in url.query:
        connect_args.setdefault("application_name", name)
    options["connect_args"] = connect_args
    return options


def install_sqlite_transaction_control(
    engine: Engine, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> None:
    """Pragmas per connection (a bounded busy wait) and our own BEGIN (see the module)."""
    if engine.dialect.name != "sqlite":
        return
    busy_timeout = max(0, int(busy_timeout_ms))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            f"busy_timeout={busy_timeout}",
            "synchronous=NORMAL",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def begin_write(session: Session | None = None) -> None:
    """Start the use case's transaction as a writer, before any invariant is checked.

    On SQLite this takes the write lock at once (BEGIN IMMEDIATE), so two requests cannot
    both see a free slot; a read transaction opened earlier in the request (loading the
    user, say) is ended first, because upgrading a stale WAL snapshot fails with
    SQLITE_BUSY. Call it before the use case changes anything. On PostgreSQL the database
    constraints do that work and nothing happens here.
    """
    session = session or db.session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if session.info.get("write_transaction") is session.get_transaction():
            return  # already a writer: IMMEDIATE, or it has written and holds the lock
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() must come before the use case changes anything")
        session.rollback()
    session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    session.info["write_transaction"] = session.get_transaction()


@event.listens_for(Session, "after_flush")
def _remember_writer(session: Session, _context: Any) -> None:
    """A transaction that has written holds SQLite's write lock: no need to restart it."""
    session.info["write_transaction"] = session.get_transaction()


@event.listens_for(Session, "do_orm_execute")
def _remember_bulk_writer(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["write_transaction"] = state.session.get_transaction()


def transaction_cache() -> dict[Any, Any]:
    """A memo that lives as long as the current database transaction.

    Read-mostly lookups (the policy row, a room's rules, a house's closures) are asked for
    many times while answering one request; within one transaction they cannot change
    under us unless we change them ourselves, and the memo is dropped when it ends.
    """
    return db.session().info.setdefault("transaction_cache", {})


@event.listens_for(Session, "after_transaction_end")
def _drop_transaction_cache(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop("transaction_cache", None)


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the violated constraint, where the driver reports it (PostgreSQL)."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def is_deadlock(error: DBAPIError) -> bool:
    """PostgreSQL broke a deadlock by aborting this statement (SQLSTATE 40P01)."""
    return getattr(error.orig, "sqlstate", None) == "40P01"


# Database faults ---------------------------------------------------------------------

# SQLSTATEs after which the same request, tried again a little later, can succeed.
_TRANSIENT_SQLSTATES = frozenset(
    {
        "57014",  # query_canceled: statement_timeout
        "55P03",  # lock_not_available: lock_timeout
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected (the booking service answers 409 for its own insert)
        "53300",  # too_many_connections
    }
)
# SQLSTATEs that end the session: the connection is gone.
_LOST_CONNECTION_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown: pg_terminate_backend, a fast shutdown
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now: the server is starting or stopping
        "57P05",  # idle_session_timeout
        "25P03",  # idle_in_transaction_session_timeout
    }
)
_LOST_CONNECTION_PHRASES = (
    "server closed the connection",
    "terminating connection",
    "connection is closed",
    "connection is lost",
    "connection already closed",
    "connection was closed",
    "consuming input failed",
    "could not connect",
    "connection refused",
    "connection failed",
    "no connection to the server",
    "ssl connection has been closed",
)
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def _sqlstate(error: BaseException) -> str | None:
    orig = error.orig if isinstance(error, DBAPIError) else error
    return getattr(orig, "sqlstate", None) or getattr(getattr(orig, "diag", None), "sqlstate", None)


def is_lost_connection(error: BaseException) -> bool:
    """The connection to the database broke (killed, restarted, network) or never came."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if error.connection_invalidated:
        return True
    sqlstate = _sqlstate(error)
    if sqlstate is not None:
        return sqlstate.startswith("08") or sqlstate in _LOST_CONNECTION_SQLSTATES
    if type(error.orig).__module__.startswith("psycopg") and isinstance(error, OperationalError):
        return True  # psycopg gives connection-level failures no SQLSTATE
    message = str(error.orig).lower()
    return any(phrase in message for phrase in _LOST_CONNECTION_PHRASES)


def _is_sqlite_busy(error: DBAPIError) -> bool:
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    message = str(error.orig).lower()
    return "database is locked" in message or "database table is locked" in message


def is_transient_database_error(error: BaseException) -> bool:
    """The database is briefly unavailable: a timeout, a held lock, a lost connection,
    an exhausted pool. Such a request answers 503 with Retry-After; anything else a
    database raises (a constraint, a missing table) is a bug and stays a 500."""
    if isinstance(error, (PoolTimeoutError, DisconnectionError)):
        return True
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    if is_lost_connection(error):
        return True
    if _sqlstate(error) in _TRANSIENT_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and _is_sqlite_busy(error)


def describe_database_error(error: BaseException) -> str:
    """One log line: class, SQLSTATE, the database's message, the statement; no values."""
    if not isinstance(error, DBAPIError):
        return f"{type(error).__name__}: {error}"
    orig = error.orig
    parts = [f"{type(orig).__module__}.{type(orig).__name__}"]
    sqlstate = _sqlstate(error)
    if sqlstate:
        parts.append(f"SQLSTATE {sqlstate}")
    parts.append(str(orig).splitlines()[0] if str(orig) else "")
    if error.statement:
        statement = " ".join(error.statement.split())
        parts.append(f"[SQL: {statement[:300]}{'…' if len(statement) > 300 else ''}]")
    return " ".join(part for part in parts if part)


def recover_session(
    session: Session | scoped_session[Any], error: BaseException | None = None
) -> None:
    """End the failed transaction so the next request starts clean.

    A broken connection is invalidated (the pool replaces it; pool_pre_ping checks the
    rest); otherwise a rollback returns the connection to the pool.
    """
    if isinstance(session, scoped_session):
        session = session()
    try:
        if error is not None and is_lost_connection(error):
            session.invalidate()
        else:
            session.rollback()
    except Exception as failure:  # a connection that cannot even roll back
        log.warning("rollback failed, invalidating: %s", describe_database_error(failure))
        try:
            session.invalidate()
        except Exception as again:
            log.warning("invalidate failed: %s", describe_database_error(again))


def release_session(session: Session | scoped_session[Any]) -> None:
    """Close the session (objects stay loaded, as with a plain close) even when its
    connection died: a failing ROLLBACK is logged and the connection invalidated."""
    if isinstance(session, scoped_session):
        session = session()
    try:
        session.close()
    except Exception as failure:  # the connection's closing rollback failed
        log.warning(
            "closing the session failed, invalidating: %s", describe_database_error(failure)
        )
        try:
            session.invalidate()
        except Exception as again:
            log.warning("invalidate failed: %s", describe_database_error(again))


def _scrubbed(message: str) -> str:
    """The database's primary message only: PostgreSQL's DETAIL ("Key (email)=(…)",
    "Failing row contains (…)"), HINT and CONTEXT lines can carry row values."""
    return message.split("\n", 1)[0].rstrip()


def install_error_scrubbing(engine: Engine) -> None:
    """Cut every database error message down to its first line, for the driver's
    exception and SQLAlchemy's wrapper alike, so logs and tracebacks never show row
    values. The fields code needs (`diag.constraint_name`, SQLSTATE) stay intact."""

    @event.listens_for(engine, "handle_error")
    def _scrub(context: ExceptionContext) -> None:
        orig = context.original_exception
        wrapper = context.sqlalchemy_exception
        if not orig.args or not isinstance(orig.args[0], str) or "\n" not in orig.args[0]:
            return
        orig.args = (_scrubbed(orig.args[0]), *orig.args[1:])
        if isinstance(wrapper, DBAPIError) and wrapper.args and isinstance(wrapper.args[0], str):
            name = f"{type(orig).__module__}.{type(orig).__name__}"
            wrapper.args = (f"({name}) {orig.args[0]}", *wrapper.args[1:])
