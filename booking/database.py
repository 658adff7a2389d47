"""Engine set-up that the models cannot express: SQLite pragmas and write transactions.

Python 3.11's sqlite3 never sends BEGIN before a SELECT, so a read-then-insert check is
not isolated. We take over transaction control (STACK.md section 3): pysqlite stops
emitting BEGIN, and SQLAlchemy's begin event sends `BEGIN DEFERRED` or, for write paths
that check an invariant first, `BEGIN IMMEDIATE`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from booking.extensions import db


def install_sqlite_transaction_control(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "busy_timeout=30000",
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
