"""Plausible anonymous visits to a demo house's huiskamer, one day at a time.

The loader makes the last three months (`VISIT_DAYS`), the history the year before them;
both draw from the same generator so the year reads as one.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time
from typing import Any

from booking.database import transaction_cache
from booking.i18n import AMSTERDAM
from booking.models import Area, House, Room
from booking.rules.visit_vocabulary import PHONE_CHANNELS, AgeGroup, AreaAnswer, Channel
from booking.rules.visits import NOT_SUSPICIOUS
from booking.services.device_keys import device_hash, key_for_year

VISIT_DAYS = 92
"""The loader's own window of raw visits, counted back from today."""


def _year_key(year: int) -> bytes:
    """The year's device key, looked up once per transaction (a year of days asks often)."""
    keys = transaction_cache().setdefault("demo_device_keys", {})
    if year not in keys:
        keys[year] = key_for_year(year)
    return keys[year]


def visits_of_day(
    house: House, room: Room, day: date, rng: random.Random, devices: list[str], areas: list[Area]
) -> list[dict[str, Any]]:
    if day.weekday() == 6 and rng.random() < 0.7:
        return []
    key = _year_key(day.year)
    count = rng.randint(4, 14) + (10 if day.weekday() in (1, 3) else 0)
    own_area = house.area
    rows = []
    for _ in range(count):
        channel = rng.choices(
            [Channel.qr, Channel.tablet, Channel.tally, Channel.poster], weights=[50, 35, 10, 5]
        )[0]
        minute = rng.randint(9 * 60, 21 * 60)
        local = datetime.combine(day, time(minute // 60, minute % 60), AMSTERDAM)
        area = own_area if rng.random() < 0.6 else rng.choice(areas)
        answered = channel in PHONE_CHANNELS and rng.random() < 0.8
        rows.append(
            {
                "house_id": house.id,
                "room_id": room.id,
                "visited_at": local.astimezone(UTC),
                "channel": channel,
                "first_time": (rng.random() < 0.12) if answered else None,
                "area_id": area.id if answered and rng.random() < 0.9 else None,
                "area_answer": rng.choice([AreaAnswer.elders, AreaAnswer.geen_antwoord])
                if answered and rng.random() < 0.1
                else None,
                "age_group": rng.choice(
                    [
                        AgeGroup.van_18_tot_30,
                        AgeGroup.van_30_tot_50,
                        AgeGroup.van_50_tot_67,
                        AgeGroup.vanaf_67,
                        AgeGroup.vanaf_67,
                    ]
                )
                if answered
                else None,
                "device_hash": device_hash(key, house.id, rng.choice(devices))
                if channel in PHONE_CHANNELS
                else None,
                "suspicious": False,
                "suspicious_reason": NOT_SUSPICIOUS,
            }
        )
    return rows
