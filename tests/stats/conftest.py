"""Factories for the statistics tests: visits, roll-ups and bookings inserted directly."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from booking.extensions import db
from booking.models import Area, Booking, Visit, VisitDailyRollup
from booking.rules.slots import AMSTERDAM
from tests.conftest import HouseRef


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Amsterdam wall-clock time as the aware UTC datetime the database stores."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


@pytest.fixture
def add_visits(app: Flask) -> Callable[..., None]:
    """add_visits(house, when, n=1, channel="tablet", **fields): n identical visits."""

    def add(house: HouseRef, when: datetime, n: int = 1, **fields: Any) -> None:
        fields.setdefault("channel", "tablet")
        fields.setdefault("room_id", house.room_ids[0])
        area = fields.pop("area", None)
        with app.app_context():
            if area is not None:
                fields["area_id"] = db.session.query(Area.id).filter_by(name=area).scalar()
            for _ in range(n):
                db.session.add(Visit(house_id=house.id, visited_at=when, **fields))
            db.session.commit()

    return add


@pytest.fixture
def add_rollup(app: Flask) -> Callable[..., None]:
    def add(house: HouseRef, day: date, visits: int, **fields: Any) -> None:
        fields.setdefault("channel", "tablet")
        fields.setdefault("room_id", house.room_ids[0])
        with app.app_context():
            db.session.add(VisitDailyRollup(house_id=house.id, day=day, visits=visits, **fields))
            db.session.commit()

    return add


@pytest.fixture
def add_booking(app: Flask) -> Callable[..., int]:
    """A booking row with a frozen price, as the booking service would have stored it."""

    def add(
        organiser_id: int,
        room_id: int,
        start: datetime,
        end: datetime,
        *,
        status: str = "bevestigd",
        priority_class: int = 1,
        tariff_group: str = "T1",
        amount_cents: int = 0,
        list_price_cents: int = 0,
        title: str = "Koffieochtend",
    ) -> int:
        with app.app_context():
            booking = Booking(
                room_id=room_id,
                organiser_id=organiser_id,
                title=title,
                public=True,
                start=start,
                end=end,
                status=status,
                tariff_group=tariff_group,
                priority_class=priority_class,
                amount_cents=amount_cents,
                list_price_cents=list_price_cents,
                organiser_kind="bewoners",
                open_to_all=True,
                membership_required=False,
                contribution_cents=0,
                profit_making=False,
                subsidised=False,
                mainly_meeting=True,
                gives_in_return=False,
            )
            db.session.add(booking)
            db.session.commit()
            return booking.id

    return add


@pytest.fixture
def mark_vulnerable(app: Flask) -> Callable[[str], None]:
    def mark(area: str) -> None:
        with app.app_context():
            db.session.query(Area).filter_by(name=area).one().vulnerable = True
            db.session.commit()

    return mark
