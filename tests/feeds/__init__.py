"""Calendar feeds: helpers shared by the feed tests (plain functions, not fixtures)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import recurring_ical_events
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, User
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.slots import local_to_utc
from booking.services import bookings
from booking.services.series import create_series
from tests.conftest import PASSWORD, UserRef, activity


def api_login(client: FlaskClient, user: UserRef) -> FlaskClient:
    response = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return client


def new_feed(client: FlaskClient, scope: str, target: Any = None) -> tuple[int, str]:
    """Make a feed through the API; returns its id and the path of its URL."""
    body: dict[str, Any] = {"scope": scope}
    if target is not None:
        body["id"] = target
    response = client.post("/api/v1/feeds", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    data = response.get_json()
    return data["id"], urlsplit(data["url"]).path


def parse(body: bytes | str) -> Calendar:
    return Calendar.from_ical(body)


def events(cal: Calendar) -> list[Any]:
    return [c for c in cal.walk("VEVENT")]


def expand(cal: Calendar, start: date | datetime, end: date | datetime) -> list[Any]:
    """What a calendar app shows: every instance, recurring events expanded."""
    return list(recurring_ical_events.of(cal).between(start, end))


def active_instances(
    cal: Calendar,
    start: date | datetime,
    end: date | datetime,
) -> set[tuple[datetime, datetime]]:
    """UTC (start, end) of every expanded instance that is not STATUS:CANCELLED."""
    return {
        (e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC))
        for e in expand(cal, start, end)
        if str(e.get("STATUS")) != "CANCELLED"
    }


def stored_active(app: Flask, ids: list[int] | None = None) -> set[tuple[datetime, datetime]]:
    with app.app_context():
        query = select(Booking)
        if ids is not None:
            query = query.where(Booking.id.in_(ids))
        return {(b.start, b.end) for b in db.session.scalars(query) if b.is_active}


def make_series(
    app: Flask,
    user: UserRef,
    room_id: int,
    first: datetime,
    hours: int,
    until: date,
    *,
    now: datetime,
    freq: str = "weekly",
    interval: int = 1,
    public: bool = True,
    kind: str = "bewoners",
    title: str = "Repair Café",
) -> list[int]:
    """Book a series through the real service; `first` is naive Amsterdam wall time."""
    start = local_to_utc(first)
    end = local_to_utc(first + timedelta(hours=hours))
    with app.app_context():
        booked = create_series(
            db.session.get(User, user.id),
            room_id,
            start,
            end,
            title,
            public,
            activity(kind),
            Recurrence(Frequency(freq), interval, until),
            now=now,
        )
        db.session.commit()
        return [b.booking.id for b in booked.occurrences]


def book_at(
    app: Flask,
    user: UserRef,
    room_id: int,
    first: datetime,
    hours: int = 2,
    *,
    now: datetime | None = None,
    public: bool = True,
    kind: str = "bewoners",
    title: str = "Koffieochtend",
) -> int:
    """A single booking at naive Amsterdam wall time `first`."""
    with app.app_context():
        booked = bookings.create_booking(
            db.session.get(User, user.id),
            room_id,
            local_to_utc(first),
            local_to_utc(first + timedelta(hours=hours)),
            title,
            public,
            activity(kind),
            now=now or datetime.now(UTC),
        )
        db.session.commit()
        return booked.booking.id


def cancel(app: Flask, booking_id: int, user: UserRef, *, now: datetime | None = None) -> None:
    with app.app_context():
        bookings.cancel_booking(
            booking_id, db.session.get(User, user.id), now=now or datetime.now(UTC)
        )
        db.session.commit()
