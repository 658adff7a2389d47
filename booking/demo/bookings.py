"""Demo bookings over the coming weeks, made through the booking service like any other.

Each demo booking is made only if its organiser has none with that title yet, so loading
the demo twice changes nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import exists, select

from booking.extensions import db
from booking.models import Booking, House, User
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.slots import local_to_utc
from booking.rules.statuses import OrganiserKind
from booking.rules.tariff import Activity
from booking.services import accounts, bookings, series

RESIDENTS = Activity(
    OrganiserKind.bewoners,
    open_to_all=True,
    membership_required=False,
    contribution_cents=100,
    profit_making=False,
    subsidised=False,
    mainly_meeting=True,
    gives_in_return=False,
)
CHOIR = Activity(
    OrganiserKind.vereniging,
    open_to_all=False,
    membership_required=True,
    contribution_cents=0,
    profit_making=False,
    subsidised=False,
    mainly_meeting=False,
    gives_in_return=False,
)
COMPANY = Activity(
    OrganiserKind.commercieel,
    open_to_all=False,
    membership_required=False,
    contribution_cents=0,
    profit_making=True,
    subsidised=False,
    mainly_meeting=False,
    gives_in_return=False,
)
WELFARE = Activity(
    OrganiserKind.maatschappelijk,
    open_to_all=True,
    membership_required=False,
    contribution_cents=0,
    profit_making=False,
    subsidised=True,
    mainly_meeting=True,
    gives_in_return=False,
)


def _next(weekday: int, today: date) -> date:
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def load_demo_bookings(loaded: list[House], today: date) -> None:
    by_slug = {h.slug: h for h in loaded}
    now = datetime.now(UTC)
    until = today + timedelta(weeks=12)
    plans = [
        (
            "bewoner",
            "mfa-de-snoeck",
            "Lithse Huiskamer",
            "Lithse Huiskamer",
            3,
            (10, 0),
            (12, 0),
            RESIDENTS,
            Recurrence(Frequency.weekly, 1, until),
            True,
        ),
        (
            "bewoner",
            "wijkhuis-de-haard",
            "Huiskamer",
            "Koffieochtend De Haard",
            1,
            (10, 0),
            (12, 0),
            RESIDENTS,
            Recurrence(Frequency.weekly, 1, until),
            True,
        ),
        (  # public: De Berchplaets' agenda (/huizen/de-berchplaets) is never empty
            "bewoner",
            "de-berchplaets",
            "Huiskamer",
            "Koffieochtend De Berchplaets",
            3,
            (10, 0),
            (12, 0),
            RESIDENTS,
            Recurrence(Frequency.weekly, 1, until),
            True,
        ),
        (
            "vereniging",
            "de-berchplaets",
            "Zaal",
            "Repetitie Zangkoor Vocalis",
            2,
            (19, 30),
            (22, 0),
            CHOIR,
            Recurrence(Frequency.weekly, 1, until),
            False,
        ),
        (
            "sociaal",
            "wijkhuis-de-haard",
            "Werkkamer",
            "Spreekuur buurtteam",
            0,
            (13, 0),
            (15, 0),
            WELFARE,
            Recurrence(Frequency.weekly, 2, until),
            True,
        ),
        (
            "bedrijf",
            "de-koppellinck",
            "Grote zaal",
            "Training klantcontact",
            1,
            (9, 0),
            (17, 0),
            COMPANY,
            None,
            False,
        ),
    ]
    for who, slug, room_name, title, weekday, start, end, activity, rule, public in plans:
        house = by_slug[slug]
        organiser = accounts.find_user(f"{who}@buurthuis.example")
        if organiser is None or _already_booked(organiser, title):
            continue
        room = next(r for r in house.rooms if r.name == room_name)
        day = _next(weekday, today) + (timedelta(days=28) if rule is None else timedelta(0))
        start_at = local_to_utc(datetime.combine(day, time(*start)))
        end_at = local_to_utc(datetime.combine(day, time(*end)))
        if rule is None:
            bookings.create_booking(
                organiser, room.id, start_at, end_at, title, public, activity, now=now
            )
        else:
            series.create_series(
                organiser, room.id, start_at, end_at, title, public, activity, rule, now=now
            )
        db.session.flush()


def _already_booked(organiser: User, title: str) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(Booking.organiser_id == organiser.id, Booking.title == title))
        )
    )
