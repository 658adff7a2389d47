"""Fixtures for every test: an app on a clean database, a client, and small factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DB_URL names one. The
schema is built once per run by the real Alembic migrations.

Each test runs inside one database transaction that is rolled back at its end (SQLAlchemy
2.0, "Joining a Session into an External Transaction"): the `app` fixture opens a
connection, begins the outer transaction, and hands that connection to every session of
the app, which joins it with `join_transaction_mode="create_savepoint"`. The app's own
`commit()` and `rollback()` (the request edge, jobs, CLI, the login throttle) then release
or roll back a SAVEPOINT, and nothing the test did outlives it.

Tests whose data another thread, process or connection must see (a real server, racing
threads, a second engine, a file copy of the database) are marked `real_commits`: they
commit for real on tables emptied before them, and the tables are emptied again after
them. On SQLite a commit from any other connection during an unmarked test is noticed
(`PRAGMA data_version`) and fails that test, so a missing mark cannot leak data into the
tests after it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any, cast

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url

from booking import create_app
from booking.extensions import db
from booking.models import Area, House, OpeningHours, Room
from booking.rules.permissions import Role
from booking.services import accounts
from config import TestingConfig, normalise_database_url

PASSWORD = "correct-horse-battery"
ON_POSTGRES = bool(os.environ.get("TEST_DB_URL"))


def app_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    config = {k: getattr(TestingConfig, k) for k in dir(TestingConfig) if k.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=database_url, **overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if ON_POSTGRES:
        return normalise_database_url(os.environ["TEST_DB_URL"])
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'buurthuis-test.sqlite'}"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the catalogues the way `make install` does, so a bare pytest run sees them."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).resolve().parent.parent.glob("translations/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog)


@contextmanager
def scratch_database(database_url: str, name: str, sqlite_dir: Path) -> Iterator[str]:
    """An empty database of its own: a file on SQLite, a fresh database on PostgreSQL.

    On PostgreSQL its name carries the test database's, so two runs against different
    test databases on one server (CI and a developer, say) never drop each other's.
    """
    if not ON_POSTGRES:
        yield f"sqlite:///{sqlite_dir / (name + '.sqlite')}"
        return
    name = re.sub(r"[^a-z0-9_]", "_", f"{name}_{make_url(database_url).database}".lower())[:63]
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """Build the schema once with the migrations, exactly as `flask db upgrade` does."""
    app = create_app(app_config(database_url))
    with app.app_context():
        if ON_POSTGRES:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
        empty_all_tables()  # the rolled-back tests rely on starting from empty tables
        db.session.remove()
        db.engine.dispose()
    return database_url


def empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


# Isolation: a rolled-back transaction per test, or real commits on emptied tables -----

REAL_COMMITS = "real_commits"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{REAL_COMMITS}: the test commits for real, because a server, threads, another "
        "process or connection must see its data; it runs on emptied tables instead of "
        "in a rolled-back transaction",
    )


def commits_for_real(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker(REAL_COMMITS) is not None


class SharedDatabase:
    """The migrated test database between tests: emptied after a test that committed,
    and on SQLite a witness of commits made by any connection but the test's own."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._app = create_app(app_config(url))
        self._witness: sqlite3.Connection | None = None
        if not ON_POSTGRES:
            # data_version changes when another connection commits (sqlite.org/pragma.html
            # #pragma_data_version); this connection itself never writes.
            path = make_url(url).database or ""
            self._witness = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._seen = self._data_version()
        self.sequences: list[str] = []
        if ON_POSTGRES:  # the sequences behind the id columns
            with self._app.app_context():
                self.sequences = list(
                    db.session.scalars(
                        text(
                            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)"
                            " FROM pg_sequences WHERE schemaname = current_schema() ORDER BY 1"
                        )
                    )
                )
                db.session.remove()

    def _data_version(self) -> int | None:
        if self._witness is None:
            return None
        return self._witness.execute("PRAGMA data_version").fetchone()[0]

    def committed_since_last_look(self) -> bool:
        """Whether a commit reached the database since the last call (SQLite only)."""
        seen, self._seen = self._seen, self._data_version()
        return seen != self._seen

    def empty(self) -> None:
        with self._app.app_context():
            empty_all_tables()
            db.session.remove()
        self.committed_since_last_look()  # our own clean-up

    def close(self) -> None:
        with self._app.app_context():
            db.engine.dispose()
        if self._witness is not None:
            self._witness.close()


@pytest.fixture(scope="session")
def shared_database(migrated_database: str) -> Iterator[SharedDatabase]:
    shared = SharedDatabase(migrated_database)
    yield shared
    shared.close()


@pytest.fixture(autouse=True)
def _nothing_outlives_the_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a real_commits test, empty the tables; after any other test that reached the
    shared database, fail it if something was committed there through another connection
    (that test needs the real_commits mark)."""
    if "migrated_database" not in request.fixturenames:
        yield
        return
    shared: SharedDatabase = request.getfixturevalue("shared_database")
    shared.committed_since_last_look()
    yield
    if commits_for_real(request):
        shared.empty()
    elif shared.committed_since_last_look():
        shared.empty()
        pytest.fail(
            "this test committed to the test database outside its rolled-back transaction "
            f"(a thread, a second app or connection): mark it @pytest.mark.{REAL_COMMITS}",
            pytrace=False,
        )


@contextmanager
def rolled_back_transaction(app: Flask, restart_sequences: list[str]) -> Iterator[Connection]:
    """Every session of `app` joins one outer transaction, rolled back at the end.

    Flask-SQLAlchemy's Session.get_bind answers with `db.engines[None]` and ignores a
    session's own `bind`, so the connection takes the engine's place in the app's engines
    mapping (the way its maintainers suggest, pallets-eco/flask-sqlalchemy#1167). Sessions
    start a SAVEPOINT on it instead of a transaction of their own ("create_savepoint"),
    whichever app context or request opens them. On SQLite the outer BEGIN is the one
    `install_sqlite_transaction_control` sends (pysqlite's own is switched off), so it is
    real and SAVEPOINTs work; begin_write() inside the test then opens a SAVEPOINT too.
    """
    with app.app_context():
        engine: Engine = db.engine
        engines = cast(MutableMapping[str | None, Any], db.engines)
    factory = db.session.session_factory
    connection = engine.connect()
    outer = connection.begin()
    if restart_sequences:  # setval is not transactional: ids start at 1, as after TRUNCATE
        restarts = ", ".join(f"setval('{name}', 1, false)" for name in restart_sequences)
        connection.execute(text(f"SELECT {restarts}"))
    engines[None] = connection
    factory.configure(join_transaction_mode="create_savepoint")
    try:
        yield connection
    finally:
        factory.kw.pop("join_transaction_mode", None)
        engines[None] = engine
        outer.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def app(
    request: pytest.FixtureRequest, migrated_database: str, shared_database: SharedDatabase
) -> Iterator[Flask]:
    app = create_app(app_config(migrated_database))
    if commits_for_real(request):
        with app.app_context():
            empty_all_tables()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return
    with rolled_back_transaction(app, shared_database.sequences):
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


# Factories ------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseRef:
    id: int
    slug: str
    room_ids: tuple[int, ...]


@dataclass(frozen=True)
class UserRef:
    id: int
    email: str
    password: str = PASSWORD


@pytest.fixture
def make_house(app: Flask) -> Callable[..., HouseRef]:
    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, rooms: int = 2, area: str = "Lith") -> HouseRef:
        n = next(counter)
        with app.app_context():
            found = db.session.query(Area).filter_by(name=area).one_or_none()
            found = found or Area(name=area, kind="kern")
            house = House(slug=slug or f"huis-{n}", name=f"Testhuis {n}", area=found)
            house.rooms = [
                Room(
                    name=f"Zaal {i + 1}",
                    capacity=20 + i,
                    base_rate_cents=2000 + 500 * i,
                    is_huiskamer=(i == 0),
                )
                for i in range(rooms)
            ]
            house.opening_hours = [
                OpeningHours(weekday=d, opens=time(8, 30), closes=time(23)) for d in range(7)
            ]
            db.session.add(house)
            db.session.commit()
            return HouseRef(house.id, house.slug, tuple(r.id for r in house.rooms))

    return make


@contextmanager
def open_around_the_clock(app: Flask, house_id: int) -> Iterator[None]:
    """The house open all day every day while the block runs, so a kiosk test counts the
    same at 3 a.m. as at noon (outside opening hours a visit is flagged, rules/visits.py);
    the house's own opening hours come back afterwards."""
    with app.app_context():
        rows = db.session.scalars(
            db.select(OpeningHours).where(OpeningHours.house_id == house_id)
        ).all()
        kept = [(r.weekday, r.opens, r.closes) for r in rows]
        for row in rows:
            db.session.delete(row)
        db.session.add_all(
            OpeningHours(house_id=house_id, weekday=d, opens=time(0), closes=time.max)
            for d in range(7)
        )
        db.session.commit()
    try:
        yield
    finally:
        with app.app_context():
            db.session.execute(db.delete(OpeningHours).where(OpeningHours.house_id == house_id))
            db.session.add_all(
                OpeningHours(house_id=house_id, weekday=d, opens=o, closes=c) for d, o, c in kept
            )
            db.session.commit()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., UserRef]:
    counter = iter(range(1, 10_000))

    def make(
        role: Role | str = Role.initiatiefnemer,
        house: HouseRef | None = None,
        email: str | None = None,
    ) -> UserRef:
        email = email or f"{role}-{next(counter)}@example.org"
        with app.app_context():
            house_obj = db.session.get(House, house.id) if house else None
            user = accounts.create_user(
                email, Role(role), PASSWORD, name=f"Test {role}", house=house_obj
            )
            db.session.commit()
            return UserRef(user.id, user.email)

    return make


CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client: FlaskClient, page: str = "/") -> str:
    html = client.get(page).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no csrf token on {page}"
    return match.group(1) or match.group(2)


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], page: str | None = None, **kwargs: Any
) -> Any:
    """Post a form the way a browser does: with the CSRF token of the page it came from."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page or "/")}, **kwargs)


def login(client: FlaskClient, user: UserRef) -> None:
    response = post_form(client, "/login", {"email": user.email, "password": user.password})
    assert response.status_code == 302, response.get_data(as_text=True)


# Bookings ---------------------------------------------------------------------------

from datetime import UTC, date, datetime, timedelta  # noqa: E402

from booking.models import User  # noqa: E402
from booking.rules.slots import AMSTERDAM, local_to_utc  # noqa: E402
from booking.rules.statuses import OrganiserKind  # noqa: E402
from booking.rules.tariff import Activity  # noqa: E402


def activity(kind: str = "bewoners", **answers: Any) -> Activity:
    """Questionnaire answers; the default is a free residents' coffee morning (T1, class 1)."""
    base = {
        "open_to_all": True,
        "membership_required": False,
        "contribution_cents": 100,
        "profit_making": False,
        "subsidised": False,
        "mainly_meeting": True,
        "gives_in_return": False,
    }
    if kind == "vereniging":
        base.update(open_to_all=False, membership_required=True, mainly_meeting=False)
    if kind == "commercieel":
        base.update(open_to_all=False, profit_making=True, mainly_meeting=False)
    base.update(answers)
    return Activity(OrganiserKind(kind), **base)


def local_day(days_ahead: int) -> date:
    return (datetime.now(AMSTERDAM) + timedelta(days=days_ahead)).date()


def slot(days_ahead: int, start: str = "10:00", end: str = "12:00") -> tuple[datetime, datetime]:
    """A slot on the 15-minute grid, `days_ahead` local days from today, as UTC."""
    day = local_day(days_ahead)
    return (
        local_to_utc(datetime.combine(day, time.fromisoformat(start))),
        local_to_utc(datetime.combine(day, time.fromisoformat(end))),
    )


@pytest.fixture
def book(app: Flask) -> Callable[..., int]:
    """Book through the real service and commit; returns the booking id."""
    from booking.services import bookings

    def make(
        user: UserRef,
        room_id: int,
        days_ahead: int = 3,
        start: str = "10:00",
        end: str = "12:00",
        what: Activity | None = None,
        title: str = "Koffieochtend",
        now: datetime | None = None,
    ) -> int:
        with app.app_context():
            begin, finish = slot(days_ahead, start, end)
            booked = bookings.create_booking(
                db.session.get(User, user.id),
                room_id,
                begin,
                finish,
                title,
                True,
                what or activity(),
                now=now or datetime.now(UTC),
            )
            db.session.commit()
            return booked.booking.id

    return make


def api_activity(kind: str = "bewoners", **answers: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(activity(kind, **answers))
    data["organiser_kind"] = kind
    return data
