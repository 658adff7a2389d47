"""The tests' own isolation: a test's commits are savepoints inside one outer transaction
that is rolled back, so no other connection ever sees them (tests/conftest.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Connection, create_engine, event, func, select
from sqlalchemy.engine import make_url

from booking.database import begin_write
from booking.extensions import db
from booking.models import Area
from tests.conftest import ON_POSTGRES


def areas_seen_by_another_connection(url: str) -> int:
    """Count the areas through a connection of its own, outside the test's transaction."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Area)).scalar_one()
    finally:
        engine.dispose()


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every statement sent on the test's connection from now on."""
    with app.app_context():
        connection = db.engines[None]
    assert isinstance(connection, Connection), "the session does not use the test's connection"
    sent: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(" ".join(statement.split()).upper())

    event.listen(connection, "before_cursor_execute", remember)
    yield sent
    event.remove(connection, "before_cursor_execute", remember)


def transaction_statements(statements: list[str]) -> list[str]:
    """BEGIN, COMMIT or a full ROLLBACK: what must never happen inside a test."""
    return [s for s in statements if s.split()[0] in {"BEGIN", "COMMIT", "END"} or s == "ROLLBACK"]


def test_a_commit_in_a_test_is_a_savepoint_no_other_connection_sees(app, statements):
    with app.app_context():
        db.session.add(Area(name="Megen", kind="kern"))
        db.session.commit()
    with app.app_context():  # another session, as the next request would have
        assert db.session.scalar(select(func.count()).select_from(Area)) == 1
        connection = db.session.connection()
        if not ON_POSTGRES:  # the outer BEGIN is real, not pysqlite's pretend one
            assert connection.connection.dbapi_connection.in_transaction
    assert areas_seen_by_another_connection(app.config["SQLALCHEMY_DATABASE_URI"]) == 0
    assert any(s.startswith("RELEASE SAVEPOINT") for s in statements)
    assert transaction_statements(statements) == []


def test_a_rollback_in_a_test_undoes_only_its_own_savepoint(app):
    with app.app_context():
        db.session.add(Area(name="Megen", kind="kern"))
        db.session.commit()
        db.session.add(Area(name="Haren", kind="kern"))
        db.session.flush()
        db.session.rollback()
        assert db.session.scalars(select(Area.name)).all() == ["Megen"]


def test_begin_write_in_a_test_opens_a_savepoint_not_a_second_begin(app, statements):
    with app.app_context():
        db.session.query(Area).all()  # a read first: begin_write ends it
        begin_write()
        db.session.add(Area(name="Lith", kind="kern"))
        db.session.commit()
        until_commit = [s.split()[0] for s in statements]
        assert db.session.query(Area).count() == 1
    assert transaction_statements(statements) == []
    if ON_POSTGRES:  # begin_write has nothing to do there
        assert until_commit == ["SAVEPOINT", "SELECT", "INSERT", "RELEASE"]
    else:  # it ended the read (to its savepoint) and began the write as a savepoint
        assert until_commit == ["SAVEPOINT", "SELECT", "ROLLBACK", "SAVEPOINT", "INSERT", "RELEASE"]


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's write lock")
@pytest.mark.real_commits  # a second connection must find the lock held
def test_begin_write_takes_sqlites_write_lock_at_once(app):
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database or ""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with app.app_context():
            begin_write()  # before anything is written
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            db.session.rollback()
        other.execute("BEGIN IMMEDIATE")  # released with the transaction
        other.execute("ROLLBACK")
    finally:
        other.close()


@pytest.mark.real_commits
def test_real_commits_are_seen_by_another_connection(app):
    with app.app_context():
        db.session.add(Area(name="Megen", kind="kern"))
        db.session.commit()
    assert areas_seen_by_another_connection(app.config["SQLALCHEMY_DATABASE_URI"]) == 1
