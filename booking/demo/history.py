"""A year of the demo houses' past: bookings and anonymous visits, so the rendement
overview and the statistics show real figures on the first login.

The past cannot be booked through the booking service (it refuses a start in the past), so
each past booking is judged by the same rules as a new one, as if it were made some weeks
before it took place: `services.quotes.judge` (tariff group and class by
`rules/tariff.py`, the frozen price by `rules/pricing.py`, opening hours, closures and
voorrangsblokken by `rules/slots.py` and `rules/priority.py`). A slot the rules refuse is
not booked, and neither is one that overlaps an active booking of the room (the
invariant; on PostgreSQL the exclusion constraint would refuse it too). Provisional
bookings are confirmed by their window (`Booking.confirm_by_window`), a few are cancelled
(`Booking.cancel`): state changes go through the model's methods.

Everything is drawn from generators seeded by the house's slug (`programme.SEED`), so the
same day gives the same year. Loading twice changes nothing: the history is loaded only
when the houses have no past bookings (and no visits before the loader's three months).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, insert, select

from booking.demo.programme import CANCEL_REASONS, Plan, dates_of, house_rng, programme
from booking.demo.visits import VISIT_DAYS, visits_of_day
from booking.extensions import db
from booking.models import Area, Booking, House, Room, User, Visit
from booking.rules.priority import is_inside_window
from booking.rules.slots import local_to_utc
from booking.rules.statuses import ACTIVE_STATUSES, BookingStatus
from booking.services import accounts
from booking.services.house_rules import rules_for
from booking.services.quotes import judge

HISTORY_DAYS = 365
CANCELLED_SHARE = 0.06
DEMO_DOMAIN = "buurthuis.example"
PHONES = {
    "bewoner": "06-12345678",
    "vereniging": "06-23456789",
    "bedrijf": "0412-700800",
    "sociaal": "06-34567890",
    "gastheer": "06-45678901",
}

Interval = tuple[datetime, datetime]


def load_history(loaded: list[House], today: date, now: datetime | None = None) -> int:
    """A year of past bookings and visits for the demo houses; returns the bookings made."""
    now = now or datetime.now(UTC)
    first = today - timedelta(days=HISTORY_DAYS)
    _give_phones()
    made = 0
    if not _has_past_bookings(loaded, first, today):
        made = _load_bookings(loaded, first, today, now)
    _load_older_visits(loaded, first, today, now)
    return made


def _midnight(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time(0)))


def _give_phones() -> None:
    """Demo organisers have a phone number, so the day sheet shows one (only if empty)."""
    for who, phone in PHONES.items():
        user = accounts.find_user(f"{who}@{DEMO_DOMAIN}")
        if user is not None and not user.phone:
            user.phone = phone


def _has_past_bookings(loaded: list[House], first: date, today: date) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Booking.room_id == Room.id,
                    Room.house_id.in_([h.id for h in loaded]),
                    Booking.start >= _midnight(first),
                    Booking.start < _midnight(today),
                )
            )
        )
    )


# Bookings -----------------------------------------------------------------------------------


def _load_bookings(loaded: list[House], first: date, today: date, now: datetime) -> int:
    taken = _taken(loaded, first, today)
    made: list[Booking] = []
    organisers: dict[str, User | None] = {}
    for house in loaded:
        rng = house_rng(house.slug)
        rooms = _rooms_by_kind(house)
        staff = accounts.find_user(f"beheer.{house.slug}@{DEMO_DOMAIN}")
        for plan in programme(house.slug, first, today, rng):
            organiser = staff if plan.who == "namens" else _organiser(plan.who, organisers)
            if organiser is None:
                continue
            room = rooms[plan.room]
            for day in dates_of(plan, first, today):
                booking = _past_booking(plan, organiser, room, day, rng, now)
                if booking is None or not _free(taken[room.id], booking):
                    continue
                if booking.is_active:
                    taken[room.id].append((booking.start, booking.end))
                made.append(booking)
    db.session.add_all(made)
    db.session.flush()
    return len(made)


def _organiser(who: str, cache: dict[str, User | None]) -> User | None:
    if who not in cache:
        cache[who] = accounts.find_user(f"{who}@{DEMO_DOMAIN}")
    return cache[who]


def _rooms_by_kind(house: House) -> dict[str, Room]:
    """The house's huiskamer, its biggest other room (zaal) and a small one (klein)."""
    rooms = [r for r in house.rooms if r.active] or list(house.rooms)
    huiskamer = next((r for r in rooms if r.is_huiskamer), rooms[0])
    others = sorted((r for r in rooms if r is not huiskamer), key=lambda r: -r.capacity)
    zaal = others[0] if others else huiskamer
    klein = others[-1] if len(others) > 1 else huiskamer
    return {"huiskamer": huiskamer, "zaal": zaal, "klein": klein}


def _taken(loaded: list[House], first: date, today: date) -> dict[int, list[Interval]]:
    """Active bookings already in the demo rooms over the year (one query)."""
    taken: dict[int, list[Interval]] = defaultdict(list)
    rows = db.session.execute(
        select(Booking.room_id, Booking.start, Booking.end)
        .join(Room, Room.id == Booking.room_id)
        .where(
            Room.house_id.in_([h.id for h in loaded]),
            Booking.end > _midnight(first),
            Booking.start < _midnight(today + timedelta(days=1)),
            Booking.status.in_([s.value for s in ACTIVE_STATUSES]),
        )
    ).tuples()
    for room_id, start, end in rows:
        taken[room_id].append((start, end))
    return taken


def _free(taken: list[Interval], booking: Booking) -> bool:
    if not booking.is_active:
        return True  # a cancelled booking holds no slot
    return all(not (start < booking.end and booking.start < end) for start, end in taken)


def _past_booking(
    plan: Plan, organiser: User, room: Room, day: date, rng: random.Random, now: datetime
) -> Booking | None:
    """The booking as it was made weeks before the day, with its later transitions."""
    start = local_to_utc(datetime.combine(day, plan.start))
    end = local_to_utc(datetime.combine(day, plan.end))
    booked_at = min(start - timedelta(days=rng.randint(10, 45), hours=rng.randint(0, 9)), now)
    judged = judge(room, start, end, plan.activity, booked_at)
    if judged.problems:
        return None  # closed, outside opening hours, a voorrangsblok: the rules said no
    booking = Booking.from_quote(
        judged,
        organiser=organiser,
        title=plan.title,
        public=plan.public,
        activity=plan.activity,
    )
    booking.created_at = booking.updated_at = booked_at
    if plan.who == "namens":
        booking.on_behalf_name, booking.on_behalf_phone = plan.resident
    window = rules_for(room).policy.voorrangstermijn_days
    if booking.status == BookingStatus.aangevraagd:
        booking.decide(True, "", now=booked_at + timedelta(days=1), window_days=window)
    if booking.status == BookingStatus.onder_voorbehoud:
        window_closed = start - timedelta(days=window)
        if not is_inside_window(start, min(window_closed, now), window):
            return booking  # still provisional: its window has not reached it yet
        booking.confirm_by_window(now=window_closed)
    if rng.random() < CANCELLED_SHARE:
        cancelled_at = max(booked_at, start - timedelta(days=rng.randint(1, 7)))
        if cancelled_at < now:
            booking.cancel(now=cancelled_at, reason=rng.choice(CANCEL_REASONS))
            booking.updated_at = cancelled_at
    return booking


# Visits -------------------------------------------------------------------------------------


def _load_older_visits(loaded: list[House], first: date, today: date, now: datetime) -> None:
    """Visits of the year before the loader's own three months (loader.VISIT_DAYS)."""
    last = today - timedelta(days=VISIT_DAYS + 1)
    areas = sorted(db.session.scalars(select(Area)), key=lambda a: a.name)
    for house in loaded:
        if db.session.scalar(
            select(
                exists().where(
                    Visit.house_id == house.id,
                    Visit.visited_at >= _midnight(first),
                    Visit.visited_at < _midnight(last + timedelta(days=1)),
                )
            )
        ):
            continue
        room = next((r for r in house.rooms if r.is_huiskamer), house.rooms[0])
        rng = random.Random(f"visits:{house.slug}")
        devices = [f"demo-device-{house.slug}-{n}" for n in range(rng.randint(60, 180))]
        rows: list[dict[str, Any]] = []
        day = first
        while day <= last:
            rows.extend(visits_of_day(house, room, day, rng, devices, areas))
            day += timedelta(days=1)
        rows = [r for r in rows if r["visited_at"] <= now]
        if rows:
            db.session.execute(insert(Visit.__table__), rows)  # Core: one executemany
