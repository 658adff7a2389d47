"""Database faults: a held lock, a timeout or a lost connection answers 503 with
Retry-After (never 500), nothing is stored, the next request works, and no log line or
error message carries SQL parameters or the row values PostgreSQL echoes."""

from __future__ import annotations

import http.client
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.serving import make_server

from booking import create_app
from booking.database import (
    constraint_name,
    engine_options,
    is_lost_connection,
    is_transient_database_error,
)
from booking.extensions import db
from booking.models import Booking, Kiosk, User, Visit
from booking.security import public_endpoint
from booking.services import accounts
from tests.conftest import (
    ON_POSTGRES,
    PASSWORD,
    api_activity,
    app_config,
    csrf_token,
    empty_all_tables,
    local_day,
    login,
)
from tests.kiosk.conftest import paired  # noqa: F401 - the kiosk tests' fixture

# Other connections hold locks, time out or are killed while the app works: every
# test here commits for real.
pytestmark = pytest.mark.real_commits

LOCK_TIMEOUT_MS = 200
BUSY_TIMEOUT_MS = 100
APP_NAME = f"buurthuis-faults-{os.getpid()}"
SECRET_EMAIL = "geheim.adres@example.org"
SECRET_HASH = "scrypt:32768:8:1$herkenbaar-zout$herkenbare-wachtwoordhash"


@pytest.fixture
def app(migrated_database: str) -> Iterator[Flask]:
    """The suite's app, with short waits for locks and its own connection name."""
    app = create_app(
        app_config(
            migrated_database,
            DATABASE_LOCK_TIMEOUT_MS=LOCK_TIMEOUT_MS,
            DATABASE_BUSY_TIMEOUT_MS=BUSY_TIMEOUT_MS,
            DATABASE_APPLICATION_NAME=APP_NAME,
        )
    )
    with app.app_context():
        empty_all_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def held_lock(database_url: str, table: str) -> Iterator[None]:
    """Another client holds a lock the app needs: on PostgreSQL an ACCESS EXCLUSIVE lock on
    `table` (blocks reads too), on SQLite the database's write lock (BEGIN IMMEDIATE)."""
    if ON_POSTGRES:
        engine = create_engine(database_url, connect_args={"application_name": "locker"})
        try:
            with engine.connect() as conn:
                conn.execute(text(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE'))
                try:
                    yield
                finally:
                    conn.rollback()
        finally:
            engine.dispose()
        return
    holder = sqlite3.connect(make_url(database_url).database or "", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
    finally:
        holder.close()


def assert_retry_after(response: Any) -> None:
    """DATABASE_RETRY_AFTER_SECONDS (5); on a rate-limited route Flask-Limiter raises it to
    the end of its window, never lowers it."""
    assert int(response.headers["Retry-After"]) >= 5


def assert_unavailable_json(response: Any) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert_retry_after(response)
    error = response.get_json()["error"]
    assert error["code"] == "tijdelijk_niet_beschikbaar"
    assert error["message"].startswith("De database is even niet bereikbaar")
    assert error["details"] == {}


def assert_unavailable_page(response: Any) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert_retry_after(response)
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>Even niet beschikbaar</h1>" in html
    assert "De database is even niet bereikbaar" in html
    assert "Traceback" not in html


def booking_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Booking.id))) or 0


def api_token(app: Flask, user: Any) -> str:
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, user.id))
        db.session.commit()
        return token


def booking_body(room_id: int) -> dict[str, Any]:
    day = local_day(5).isoformat()
    return {
        "room_id": room_id,
        "start": f"{day}T10:00",
        "end": f"{day}T12:00",
        "title": "Koffieochtend",
        "public": True,
        "activity": api_activity(),
    }


# The engine settings ------------------------------------------------------------------


def test_production_waits_are_bounded_and_parameters_hidden():
    from config import Config, ProductionConfig

    assert ProductionConfig.DATABASE_BUSY_TIMEOUT_MS == Config.DATABASE_BUSY_TIMEOUT_MS == 5000
    assert (Config.DATABASE_STATEMENT_TIMEOUT_MS, Config.DATABASE_LOCK_TIMEOUT_MS) == (15000, 5000)
    assert Config.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True


def test_engine_options_carry_the_timeouts_to_every_postgresql_connection():
    options = engine_options(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@db/x?options=-c%20search_path%3Dy",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
            "DATABASE_STATEMENT_TIMEOUT_MS": 1500,
            "DATABASE_LOCK_TIMEOUT_MS": 250,
            "DATABASE_APPLICATION_NAME": "buurthuis-web",
        }
    )
    assert options == {
        "pool_pre_ping": True,
        "hide_parameters": True,
        "connect_args": {
            # the URL's own options come last, so what the operator wrote there wins
            "options": "-c statement_timeout=1500 -c lock_timeout=250 -c search_path=y",
            "application_name": "buurthuis-web",
        },
    }
    sqlite = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite"})
    assert sqlite == {"hide_parameters": True}


def test_the_engine_hides_parameters_and_bounds_every_wait(app):
    with app.app_context():
        assert db.engine.hide_parameters
        if ON_POSTGRES:
            show = {
                name: db.session.execute(text(f"SHOW {name}")).scalar()
                for name in ("statement_timeout", "lock_timeout", "application_name")
            }
            assert show == {
                "statement_timeout": "15s",
                "lock_timeout": f"{LOCK_TIMEOUT_MS}ms",
                "application_name": APP_NAME,
            }
        else:
            busy = db.session.execute(text("PRAGMA busy_timeout")).scalar()
            assert busy == BUSY_TIMEOUT_MS


@pytest.mark.skipif(not ON_POSTGRES, reason="statement_timeout is PostgreSQL's")
def test_a_statement_timeout_is_a_transient_error(app):
    with app.app_context():
        db.session.execute(text("SET LOCAL statement_timeout = 1"))
        with pytest.raises(OperationalError) as caught:
            db.session.execute(text("SELECT pg_sleep(0.5)"))
        db.session.rollback()
        assert caught.value.orig.sqlstate == "57014"
        assert is_transient_database_error(caught.value)
        assert not is_lost_connection(caught.value)
        assert db.session.execute(text("SELECT 1")).scalar() == 1


# Classification ---------------------------------------------------------------------


class _DriverError(Exception):
    def __init__(self, message: str, sqlstate: str | None = None, sqlite_code: int | None = None):
        super().__init__(message)
        if sqlstate is not None:
            self.sqlstate = sqlstate
        if sqlite_code is not None:
            self.sqlite_errorcode = sqlite_code


@pytest.mark.parametrize(
    ("error", "transient", "lost"),
    [
        (OperationalError("SELECT", {}, _DriverError("canceling statement", "57014")), True, False),
        (OperationalError("SELECT", {}, _DriverError("lock timeout", "55P03")), True, False),
        (OperationalError("SELECT", {}, _DriverError("terminating", "57P01")), True, True),
        (OperationalError("SELECT", {}, _DriverError("no route", "08006")), True, True),
        (OperationalError("SELECT", {}, _DriverError("deadlock detected", "40P01")), True, False),
        (
            OperationalError("SELECT", {}, _DriverError("x", None), connection_invalidated=True),
            True,
            True,
        ),
        (
            InterfaceError("SELECT", {}, _DriverError("x", None), connection_invalidated=True),
            True,
            True,
        ),
        (
            OperationalError("SELECT", {}, _DriverError("server closed the connection")),
            True,
            True,
        ),
        (OperationalError("BEGIN", {}, _DriverError("database is locked", None, 5)), True, False),
        (OperationalError("BEGIN", {}, _DriverError("database is locked")), True, False),
        (PoolTimeoutError("QueuePool limit reached"), True, False),
        # Bugs stay bugs (500): a missing table, a violated constraint, a bad query.
        (OperationalError("SELECT", {}, _DriverError("no such table: x", None, 1)), False, False),
        (IntegrityError("INSERT", {}, _DriverError("duplicate key", "23505")), False, False),
        (OperationalError("SELECT", {}, _DriverError("program limit", "54000")), False, False),
        (ValueError("not a database error"), False, False),
    ],
)
def test_which_database_errors_are_transient(error, transient, lost):
    assert is_transient_database_error(error) is transient
    assert is_lost_connection(error) is lost


# A held lock ------------------------------------------------------------------------


def test_a_booking_behind_a_held_lock_answers_503_and_stores_nothing(
    app, client, make_house, make_user, migrated_database
):
    house = make_house()
    headers = {"Authorization": f"Bearer {api_token(app, make_user())}"}
    body = booking_body(house.room_ids[0])
    with held_lock(migrated_database, "booking"):
        response = client.post("/api/v1/bookings", json=body, headers=headers)
    assert_unavailable_json(response)
    assert booking_count(app) == 0
    again = client.post("/api/v1/bookings", json=body, headers=headers)
    assert again.status_code == 201, again.get_data(as_text=True)
    assert booking_count(app) == 1


def test_a_login_behind_a_held_lock_answers_the_dutch_503_page(
    app, client, make_user, migrated_database
):
    user = make_user()
    form = {"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")}
    with held_lock(migrated_database, "user_account"):
        response = client.post("/login", data=form)
    assert_unavailable_page(response)
    assert client.post("/login", data=form).status_code == 302


def test_a_signed_in_users_failed_write_answers_the_503_page_and_keeps_the_session(
    app, client, make_user, migrated_database
):
    user = make_user()
    login(client, user)
    form = {"csrf_token": csrf_token(client, "/account")}
    with held_lock(migrated_database, "user_account"):
        response = client.post("/logout", data=form)
    assert_unavailable_page(response)
    assert client.get("/account").status_code == 200  # still signed in: nothing changed
    assert client.post("/logout", data=form).status_code == 302
    assert client.get("/account").status_code == 302


def test_the_kiosk_json_endpoints_answer_503_json(app, paired, migrated_database):  # noqa: F811
    _house, _staff, tablet, _beheerder = paired
    tap = {"client_id": str(uuid.uuid4())}
    with held_lock(migrated_database, "visit"):
        response = tablet.post("/kiosk/tik", json=tap)
    assert_unavailable_json(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Visit.id))) == 0
    assert tablet.post("/kiosk/tik", json=tap).status_code == 201
    with app.app_context():  # the status call writes last_seen_at at most once a minute
        db.session.execute(update(Kiosk).values(last_seen_at=None))
        db.session.commit()
    with held_lock(migrated_database, "kiosk"):
        status = tablet.get("/kiosk/status.json", headers={"Accept": "application/json"})
    assert_unavailable_json(status)
    assert tablet.get("/kiosk/status.json").get_json()["paired"] is True


def test_a_scheduled_job_behind_a_held_lock_is_logged_and_the_next_run_works(
    app, caplog, migrated_database
):
    from booking.jobs import run_in_app

    caplog.set_level(logging.INFO)
    with held_lock(migrated_database, "booking"):
        assert run_in_app(app, "expire_requests") is None
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in failures] == ["expire_requests: mislukt"]
    assert failures[0].exc_info and is_transient_database_error(failures[0].exc_info[1])
    summary = run_in_app(app, "expire_requests")
    assert summary is not None and summary.job == "expire_requests"


# A lost connection ------------------------------------------------------------------

BURST = 30


@pytest.mark.skipif(not ON_POSTGRES, reason="kills PostgreSQL backends")
def test_killed_connections_during_a_burst_answer_503_never_500(app, make_house):
    for _ in range(3):
        make_house()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    killer_engine = create_engine(
        app.config["SQLALCHEMY_DATABASE_URI"],
        isolation_level="AUTOCOMMIT",
        connect_args={"application_name": "killer"},
    )
    bursting = threading.Event()
    bursting.set()
    killed: list[int] = []

    def kill_app_connections() -> None:
        with killer_engine.connect() as conn:
            while bursting.is_set():
                killed.append(
                    conn.execute(
                        text(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                            "AND application_name = :name"
                        ),
                        {"name": APP_NAME},
                    ).scalar_one()
                )
                time.sleep(0.005)  # leave the requests some of the machine's two cores

    def get(_: int) -> tuple[int, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        connection.request("GET", "/api/v1/houses")
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("Retry-After")

    killer = threading.Thread(target=kill_app_connections, daemon=True)
    try:
        killer.start()
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(get, range(BURST)))
        bursting.clear()
        killer.join(timeout=30)
        after = [get(i) for i in range(3)]
    finally:
        bursting.clear()
        server.shutdown()
        killer_engine.dispose()
    assert sum(killed) > 0, "the burst never lost a connection"
    assert {status for status, _ in answers} <= {200, 503}, answers
    assert all(retry == "5" for status, retry in answers if status == 503), answers
    assert [status for status, _ in after] == [200, 200, 200]


# No parameters in the logs ----------------------------------------------------------


@pytest.mark.parametrize("fault", ["duplicate_email", "check_constraint"])
def test_a_database_error_logs_no_parameters_or_row_values(app, client, make_user, caplog, fault):
    """An unexpected IntegrityError is a 500 with a logged traceback, but neither the log
    (SQLAlchemy's statement log included) nor the message shows the e-mail address or
    the password hash: not as bound parameters, nor in PostgreSQL's DETAIL line."""
    make_user(email=SECRET_EMAIL)

    @public_endpoint
    def broken() -> str:
        db.session.execute(
            insert(User).values(
                email=SECRET_EMAIL if fault == "duplicate_email" else "x." + SECRET_EMAIL,
                name="Geheim",
                password_hash=SECRET_HASH,
                role="initiatiefnemer" if fault == "duplicate_email" else "geen-rol",
            )
        )
        return "stored"

    app.add_url_rule("/_test/broken", view_func=broken)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    caplog.set_level(logging.INFO)
    response = client.get("/_test/broken")
    assert response.status_code == 500
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert len(logged) == 1 and logged[0].exc_info
    assert isinstance(logged[0].exc_info[1], IntegrityError)
    formatter = logging.Formatter()
    for record in caplog.records:
        text_of_record = record.getMessage()
        if record.exc_info:
            text_of_record += formatter.formatException(record.exc_info)
        assert SECRET_EMAIL not in text_of_record
        assert SECRET_HASH not in text_of_record
    assert SECRET_EMAIL not in caplog.text and SECRET_HASH not in caplog.text


def test_a_constraint_error_keeps_its_name_but_not_its_values(app, make_user):
    make_user(email=SECRET_EMAIL)
    with app.app_context():
        with pytest.raises(IntegrityError) as caught:
            db.session.execute(
                insert(User).values(
                    email=SECRET_EMAIL, name="Geheim", password_hash=SECRET_HASH, role="beheerder"
                )
            )
        db.session.rollback()
    error = caught.value
    for shown in (str(error), repr(error), str(error.orig)):
        assert SECRET_EMAIL not in shown and SECRET_HASH not in shown
    assert "hidden" in str(error)  # SQLAlchemy says it hid the parameters
    if ON_POSTGRES:
        assert error.orig.sqlstate == "23505"
        assert constraint_name(error) is not None  # the services still see which constraint
