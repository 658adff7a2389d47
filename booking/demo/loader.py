"""Load the Oss demo. Every step is get-or-create, so loading twice changes nothing."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import exists, insert, select

from booking.demo.visits import VISIT_DAYS, visits_of_day
from booking.extensions import db
from booking.i18n import AMSTERDAM
from booking.models import Area, House, OpeningHours, Room, Visit
from booking.rules.permissions import Role
from booking.services import accounts, houses
from booking.services.slugs import slugify

DEMO_PASSWORD = "buurthuis-demo"
DEMO_DOMAIN = "buurthuis.example"
OPENING = (time(8, 30), time(23, 0))


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    house: str


def _data() -> dict[str, Any]:
    return json.loads(resources.files("booking.demo").joinpath("oss.json").read_text("utf-8"))


def load_demo(today: date | None = None) -> list[DemoLogin]:
    """Load everything; returns the demo logins to print."""
    data = _data()
    today = today or datetime.now(AMSTERDAM).date()
    _load_policy(data["policy"])
    areas = _load_areas(data["areas"])
    loaded = [_load_house(h, areas) for h in data["houses"]]
    logins = _load_people(loaded)
    from booking.demo.bookings import load_demo_bookings

    load_demo_bookings(loaded, today)
    for house in loaded:
        _load_visits(house, today, sorted(areas.values(), key=lambda a: a.name))
    from booking.demo.history import load_history

    load_history(loaded, today)
    from booking.demo.closures import load_demo_closures

    load_demo_closures(loaded, today)
    from booking.demo.organisations import load_demo_organisation

    load_demo_organisation(DEMO_DOMAIN)
    from booking.demo.invoicing import load_demo_invoicing

    load_demo_invoicing(loaded)
    return logins


def _load_policy(policy: dict[str, Any]) -> None:
    settings = houses.policy()
    factors = policy["tariff_factors_percent"]
    settings.contribution_cap_cents = policy["contribution_cap_cents"]
    settings.factor_t1_percent, settings.factor_t2_percent = factors["T1"], factors["T2"]
    settings.factor_t3_percent, settings.factor_t4_percent = factors["T3"], factors["T4"]
    settings.voorrangstermijn_days = policy["voorrangstermijn_days"]
    settings.suppression_threshold = policy["suppression_threshold"]
    settings.visit_retention_months = policy["visit_retention_months"]


def _load_areas(rows: list[dict[str, Any]]) -> dict[str, Area]:
    existing = {a.name: a for a in db.session.scalars(select(Area))}
    for row in rows:
        area = existing.get(row["name"])
        if area is None:
            area = existing[row["name"]] = Area(name=row["name"], kind=row["kind"])
            db.session.add(area)
        area.vulnerable = bool(row.get("vulnerable", False))
    db.session.flush()
    return existing


def _load_house(row: dict[str, Any], areas: dict[str, Area]) -> House:
    slug = slugify(row["name"])
    house = houses.get_house(slug)
    if house is None:
        house = House(
            slug=slug,
            name=row["name"],
            area=areas[row["area"]],
            description=f"{row['name']} in {row['area']}.",
        )
        db.session.add(house)
    known_rooms = {r.name for r in house.rooms}
    for name, capacity, rate, is_huiskamer in row["rooms"]:
        if name not in known_rooms:
            house.rooms.append(
                Room(name=name, capacity=capacity, base_rate_cents=rate, is_huiskamer=is_huiskamer)
            )
    for name in ("address", "contact_email", "contact_phone", "huiskamer_hours"):
        if row.get(name) and not getattr(house, name):  # public agenda details, if given
            setattr(house, name, row[name])
    if not house.opening_hours:
        house.opening_hours = [
            OpeningHours(weekday=d, opens=OPENING[0], closes=OPENING[1]) for d in range(7)
        ]
    db.session.flush()
    return house


def _load_people(loaded: list[House]) -> list[DemoLogin]:
    logins = [DemoLogin(f"gemeente@{DEMO_DOMAIN}", Role.gemeente, "alle huizen")]
    accounts.create_user(logins[0].email, Role.gemeente, DEMO_PASSWORD, name="Gemeente Oss")
    for house in loaded:
        email = f"beheer.{house.slug}@{DEMO_DOMAIN}"
        accounts.create_user(
            email, Role.beheerder, DEMO_PASSWORD, name=f"Beheer {house.name}", house=house
        )
        logins.append(DemoLogin(email, Role.beheerder, house.name))
    haard = loaded[0]
    extra = [
        (f"sociaal@{DEMO_DOMAIN}", Role.sociaal_beheerder, "Sanne de Vries", haard),
        (f"gastheer@{DEMO_DOMAIN}", Role.gastheer, "Henk van Dijk", haard),
        (f"bewoner@{DEMO_DOMAIN}", Role.initiatiefnemer, "Annie Jansen", None),
        (f"vereniging@{DEMO_DOMAIN}", Role.initiatiefnemer, "Marieke Smits", None),
        (f"bedrijf@{DEMO_DOMAIN}", Role.initiatiefnemer, "Trainingsbureau Maas BV", None),
    ]
    for email, role, name, house in extra:
        accounts.create_user(email, role, DEMO_PASSWORD, name=name, house=house)
        logins.append(DemoLogin(email, role, house.name if house else "—"))
    return logins


def _load_visits(house: House, today: date, areas: list[Area]) -> None:
    """Three months of plausible visits to the huiskamer, generated the same way each time."""
    first_day = today - timedelta(days=VISIT_DAYS)
    day_start = datetime.combine(first_day, time(0), AMSTERDAM).astimezone(UTC)
    if db.session.scalar(
        select(exists().where(Visit.house_id == house.id, Visit.visited_at >= day_start))
    ):
        return
    room = next((r for r in house.rooms if r.is_huiskamer), house.rooms[0])
    rng = random.Random(house.slug)
    devices = [f"demo-device-{house.slug}-{n}" for n in range(rng.randint(60, 180))]
    rows: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    day = first_day
    while day <= today:
        rows.extend(
            v
            for v in visits_of_day(house, room, day, rng, devices, areas)
            if v["visited_at"] <= now
        )
        day += timedelta(days=1)
    if rows:
        db.session.execute(insert(Visit.__table__), rows)  # Core: one executemany
