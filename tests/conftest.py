"""Fixtures for every test: an app on a clean database, a client, and small factories.

The suite runs on SQLite by default and on PostgreSQL when TEST_DB_URL names one. The
schema is built once per run by the real Alembic migrations; each test starts from empty
tables, which also suits tests that run a real multi-threaded server.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
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
    """An empty database of its own: a file on SQLite, a fresh database on PostgreSQL."""
    if not ON_POSTGRES:
        yield f"sqlite:///{sqlite_dir / (name + '.sqlite')}"
        return
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


@pytest.fixture
def app(migrated_database: str) -> Iterator[Flask]:
    app = create_app(app_config(migrated_database))
    with app.app_context():
        empty_all_tables()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
