"""The demo's Christmas closure of De Berchplaets, so the house calendar and the room grid
show a closure with its reason on first login. Loading twice adds it once."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import exists, select

from booking.extensions import db
from booking.models import Closure, House
from booking.rules.slots import local_to_utc

CLOSED_HOUSE = "de-berchplaets"
REASON = "kerstvakantie"


def christmas_closure(today: date) -> tuple[datetime, datetime]:
    """24 December 00:00 to 28 December 00:00 (Amsterdam) of the coming Christmas."""
    year = today.year if today <= date(today.year, 12, 27) else today.year + 1
    return (
        local_to_utc(datetime.combine(date(year, 12, 24), time(0))),
        local_to_utc(datetime.combine(date(year, 12, 28), time(0))),
    )


def load_demo_closures(loaded: list[House], today: date) -> None:
    house = next((h for h in loaded if h.slug == CLOSED_HOUSE), None)
    if house is None:
        return
    starts, ends = christmas_closure(today)
    if db.session.scalar(
        select(exists().where(Closure.house_id == house.id, Closure.starts_at == starts))
    ):
        return
    db.session.add(Closure(house_id=house.id, starts_at=starts, ends_at=ends, reason=REASON))
    db.session.flush()
