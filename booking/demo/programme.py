"""What the demo houses did over the past year: their weekly, fortnightly and monthly
activities and a few one-off bookings, as plain data (booking/demo/history.py books them).

Every house gets a programme drawn from these templates with a random generator seeded by
its slug, so two loads on the same day make the same year, and the houses differ from
each other the way real ones do.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from booking.demo.bookings import CHOIR, COMPANY, RESIDENTS, WELFARE
from booking.rules.statuses import OrganiserKind
from booking.rules.tariff import Activity

SEED = "buurthuis-demo-2026"
"""Mixed into every house's generator: change it and the whole demo year changes."""

SUPPER = replace(RESIDENTS, contribution_cents=300)  # at the cap: still free (T1)
PARTY = Activity(
    OrganiserKind.bewoners,
    open_to_all=False,  # a private party: T3 regulier (rule 7)
    membership_required=False,
    contribution_cents=0,
    profit_making=False,
    subsidised=False,
    mainly_meeting=True,
    gives_in_return=False,
)
COURSE = Activity(
    OrganiserKind.maatschappelijk,
    open_to_all=True,
    membership_required=False,
    contribution_cents=0,
    profit_making=False,
    subsidised=False,
    mainly_meeting=False,
    gives_in_return=False,
)

RESIDENT_NAMES = (
    ("Riet van den Berg", "06-21436587"),
    ("Mohamed el Amrani", "06-38475610"),
    ("Joke Verhoeven", "0412-634521"),
    ("Gerrit de Wit", "06-19283746"),
    ("Fatma Yilmaz", "06-56473829"),
    ("Truus van Lith", "0412-451230"),
    ("Piet Hendriks", "06-47382910"),
    ("Ans Smulders", "06-65748392"),
)
CHOIRS = ("Zangkoor Vocalis", "Shantykoor De Maasmaten", "Mannenkoor Oss")
CANCEL_REASONS = (
    "Vervalt wegens ziekte van de organisator.",
    "Te weinig aanmeldingen deze week.",
    "Vervalt: feestdag.",
    "Verplaatst naar een andere week.",
)


@dataclass(frozen=True)
class Plan:
    """One activity of a house's programme."""

    who: str  # "bewoner", "vereniging", "bedrijf", "sociaal", or "namens" (staff for a resident)
    room: str  # "huiskamer", "zaal" or "klein": which kind of room of the house
    title: str
    start: time
    end: time
    activity: Activity
    public: bool
    weekday: int
    every: str  # "week", "twee weken", "maand" (the n-th weekday), "eenmalig"
    nth: int = 0  # the n-th weekday of the month (0-based) for "maand"
    day: date | None = None  # the date of a one-off
    resident: tuple[str, str] = ("", "")  # name and phone when booked on behalf


def house_rng(slug: str) -> random.Random:
    return random.Random(f"{SEED}:{slug}")


def programme(slug: str, first: date, last: date, rng: random.Random) -> list[Plan]:
    """The house's activities between `first` and `last` (both inclusive)."""
    resident = RESIDENT_NAMES[rng.randrange(len(RESIDENT_NAMES))]
    plans = [
        Plan(
            "namens",
            "huiskamer",
            "Koffieochtend",
            time(10),
            time(12),
            RESIDENTS,
            True,
            rng.choice((0, 1, 3)),
            "week",
            resident=resident,
        ),
        Plan(
            "bewoner",
            "huiskamer",
            "Samen eten",
            time(17, 30),
            time(20),
            SUPPER,
            True,
            4,
            "maand",
            nth=rng.randrange(2),
        ),
        Plan(
            "sociaal",
            "klein",
            "Spreekuur buurtteam",
            time(13),
            time(15),
            WELFARE,
            True,
            0,
            "twee weken",
        ),
    ]
    if rng.random() < 0.6:
        choir = CHOIRS[rng.randrange(len(CHOIRS))]
        plans.append(
            Plan(
                "vereniging",
                "zaal",
                f"Repetitie {choir}",
                time(19, 30),
                time(22),
                CHOIR,
                False,
                rng.choice((1, 2, 3)),
                "week",
            )
        )
    if rng.random() < 0.5:
        plans.append(
            Plan(
                "sociaal",
                "huiskamer",
                "Taalcafé",
                time(14),
                time(16),
                WELFARE,
                True,
                2,
                "week",
            )
        )
    if rng.random() < 0.5:
        plans.append(
            Plan(
                "namens",
                "zaal",
                "Bingo voor de buurt",
                time(19),
                time(21, 30),
                RESIDENTS,
                True,
                4,
                "maand",
                nth=3,
                resident=RESIDENT_NAMES[rng.randrange(8)],
            )
        )
    plans.extend(_one_offs(first, last, rng))
    return [*CONTINUED.get(slug, ()), *plans]


CONTINUED: dict[str, tuple[Plan, ...]] = {
    # The weekly activities the demo books for the coming weeks (booking/demo/bookings.py)
    # also ran last year, on the same day and in the same room.
    "wijkhuis-de-haard": (
        Plan(
            "bewoner",
            "huiskamer",
            "Koffieochtend De Haard",
            time(10),
            time(12),
            RESIDENTS,
            True,
            1,
            "week",
        ),
    ),
    "mfa-de-snoeck": (
        Plan(
            "bewoner",
            "huiskamer",
            "Lithse Huiskamer",
            time(10),
            time(12),
            RESIDENTS,
            True,
            3,
            "week",
        ),
    ),
    "de-berchplaets": (
        Plan(
            "vereniging",
            "zaal",
            "Repetitie Zangkoor Vocalis",
            time(19, 30),
            time(22),
            CHOIR,
            False,
            2,
            "week",
        ),
    ),
}


def _one_offs(first: date, last: date, rng: random.Random) -> Iterator[Plan]:
    span = (last - first).days
    singles = (
        ("bedrijf", "zaal", "Training klantcontact", time(9), time(17), COMPANY, False),
        ("bedrijf", "klein", "Teamoverleg Maas BV", time(9, 30), time(12), COMPANY, False),
        ("vereniging", "zaal", "Ledenvergadering", time(20), time(22), CHOIR, False),
        ("sociaal", "zaal", "Informatieavond wijkplan", time(19, 30), time(21, 30), WELFARE, True),
        ("sociaal", "klein", "Cursus omgaan met geld", time(10), time(12), COURSE, True),
        ("namens", "zaal", "Verjaardagsfeest", time(14), time(18), PARTY, False),
    )
    for who, room, title, start, end, activity, public in singles:
        for _ in range(rng.randint(1, 3)):
            day = first + timedelta(days=rng.randrange(max(span, 1)))
            yield Plan(
                who,
                room,
                title,
                start,
                end,
                activity,
                public,
                day.weekday(),
                "eenmalig",
                day=day,
                resident=RESIDENT_NAMES[rng.randrange(len(RESIDENT_NAMES))],
            )


def dates_of(plan: Plan, first: date, last: date) -> list[date]:
    """Every date of the plan between `first` and `last`, both inclusive."""
    if plan.every == "eenmalig":
        return [plan.day] if plan.day and first <= plan.day <= last else []
    if plan.every == "maand":
        return [d for d in _nth_weekdays(plan.weekday, plan.nth, first, last)]
    day = first + timedelta(days=(plan.weekday - first.weekday()) % 7)
    step = timedelta(weeks=2 if plan.every == "twee weken" else 1)
    found = []
    while day <= last:
        found.append(day)
        day += step
    return found


def _nth_weekdays(weekday: int, nth: int, first: date, last: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= last:
        day = month + timedelta(days=(weekday - month.weekday()) % 7 + 7 * nth)
        if first <= day <= last and day.month == month.month:
            yield day
        month = (month + timedelta(days=32)).replace(day=1)
