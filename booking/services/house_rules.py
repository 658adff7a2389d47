"""Translate a house's stored settings into the inputs of the pure rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from booking.database import transaction_cache
from booking.extensions import db
from booking.models import Closure, House, Room
from booking.rules import slots
from booking.rules.pricing import RateCard
from booking.rules.priority import PriorityBlock
from booking.rules.statuses import TariffGroup
from booking.services.houses import HousePolicy, house_policy


@dataclass(frozen=True)
class RoomRules:
    """Everything the rules need to judge a booking of one room."""

    room: Room
    house: House
    policy: HousePolicy
    opening: tuple[slots.OpeningPeriod, ...]
    limits: slots.SlotLimits
    rate_card: RateCard

    def closures(self, start: datetime, end: datetime) -> list[slots.Closure]:
        return closures_for(self.room, start, end)

    def blocks_on(self, start: datetime) -> tuple[PriorityBlock, ...]:
        """The voorrangsblokken in force on the local date of `start`."""
        day = start.astimezone(slots.AMSTERDAM).date()
        return tuple(
            PriorityBlock(b.weekday, b.starts, b.ends)
            for b in self.room.priority_blocks
            if (b.valid_from is None or b.valid_from <= day)
            and (b.valid_until is None or day <= b.valid_until)
        )


def rate_card(room: Room, policy: HousePolicy) -> RateCard:
    explicit = {
        TariffGroup(group): rate
        for group, rate in (
            ("T1", room.rate_t1_cents),
            ("T2", room.rate_t2_cents),
            ("T3", room.rate_t3_cents),
            ("T4", room.rate_t4_cents),
        )
        if rate is not None
    }
    return RateCard(
        base_rate_cents_per_hour=room.base_rate_cents,
        factors_percent={TariffGroup(g): f for g, f in policy.factors_percent.items()},
        explicit_rates_cents_per_hour=explicit,
    )


def rules_for(room: Room) -> RoomRules:
    """The rules of a room, computed once per database transaction."""
    cache = transaction_cache().setdefault("room_rules", {})
    if room.id not in cache:
        cache[room.id] = _rules_for(room)
    return cache[room.id]


def _rules_for(room: Room) -> RoomRules:
    house = room.house
    policy = house_policy(house)
    return RoomRules(
        room=room,
        house=house,
        policy=policy,
        opening=tuple(
            slots.OpeningPeriod(p.weekday, p.opens, p.closes) for p in house.opening_hours
        ),
        limits=slots.SlotLimits(house.min_duration_minutes, house.max_duration_minutes),
        rate_card=rate_card(room, policy),
    )


def closures_for(room: Room, start: datetime, end: datetime) -> list[slots.Closure]:
    """House-wide closures and those of this room that touch [start, end)."""
    return [
        slots.Closure(c.starts_at, c.ends_at, c.reason)
        for c in _house_closures(room.house_id)
        if c.room_id in (None, room.id) and c.starts_at < end and c.ends_at > start
    ]


def _house_closures(house_id: int) -> list[Closure]:
    """All current and future closures of a house, loaded once per transaction (few rows)."""
    preload_closures([house_id])
    return transaction_cache()["closures"][house_id]


def preload_closures(house_ids: Iterable[int]) -> None:
    """Load the closures of every house not yet seen in this transaction in one query, so a
    search across houses (free rooms, alternatives) does not ask once per house."""
    cache = transaction_cache().setdefault("closures", {})
    missing = sorted(set(house_ids) - cache.keys())
    if not missing:
        return
    since = datetime.now(UTC) - timedelta(days=400)
    for house_id in missing:
        cache[house_id] = []
    for closure in db.session.scalars(
        select(Closure).where(Closure.house_id.in_(missing), Closure.ends_at > since)
    ):
        cache[closure.house_id].append(closure)
