"""The visit roll-up: raw visits past the retention period become daily counts (DESIGN 7).

Called by the `rollup_visits` job (booking/jobs.py), the transaction edge. The roll-up adds
to counters, so it runs one at a time: SQLite's write lock, a transaction-scoped advisory
lock on PostgreSQL. Days are Amsterdam calendar days.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select, text, update

from booking.database import begin_write
from booking.extensions import db
from booking.models import Area, DeviceHashKey, Visit, VisitDailyRollup
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.rules.visit_vocabulary import FirstTimeAnswer
from booking.services.houses import policy

T = TypeVar("T")

ROLLUP_WINDOW_DAYS = 7
# A first roll-up on a database with years of visits is split over several runs, so one run
# never holds the write lock for long; each run takes whole days, oldest first.
ROLLUP_MAX_VISITS_PER_RUN = 100_000
IN_CHUNK = 500  # ids per IN (...) list, well below every driver's parameter limit
LOCK_KEY = zlib.crc32(b"buurthuis.jobs.rollup_visits")

_FIRST_TIME_KEYS = {True: FirstTimeAnswer.ja.value, False: FirstTimeAnswer.nee.value}


@dataclass(frozen=True)
class RollupReport:
    """What one roll-up did; `more` says the next run has older visits left to do."""

    visits: int
    groups: int
    keys_destroyed: int
    more: bool


def _chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _one_at_a_time() -> None:
    """Serialise roll-ups across processes.

    On SQLite the write transaction does it (BEGIN IMMEDIATE); on PostgreSQL a
    transaction-scoped advisory lock, released by the commit. A second run waits, then
    sees the first one's result (READ COMMITTED reads the newest data per statement).
    """
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def retention_cutoff(now: datetime, months: int) -> datetime:
    """Local midnight `months` calendar months before today in Amsterdam, as UTC.

    Whole local days only: a day is rolled up completely in one run, so its count of
    distinct devices is exact (a device seen twice that day counts once).
    """
    today = now.astimezone(AMSTERDAM).date()
    return _local_midnight(today - relativedelta(months=months))


def _local_midnight(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time()))  # midnight never falls in a DST gap


RollupKey = tuple[int, int, date, str, str, str, str, bool]


def roll_up(now: datetime) -> RollupReport:
    """Turn raw visits older than the retention period into daily counts, and delete them.

    DESIGN section 7: after the retention period (default 13 months) only aggregates
    remain, and the device hashes go with the raw visits. Keys of years that ended before
    the cut-off are destroyed too, so the remaining hashes can never be linked again.
    Counts are added to existing roll-up rows, so repeating a run changes nothing (the
    visits it rolled up are gone) and a late straggler for an old day is not lost.
    """
    _one_at_a_time()
    cutoff = retention_cutoff(now, policy().visit_retention_months)
    visits = groups = 0
    more = False
    while True:
        oldest = db.session.scalar(
            select(func.min(Visit.visited_at)).where(Visit.visited_at < cutoff)
        )
        if oldest is None:
            break
        if visits >= ROLLUP_MAX_VISITS_PER_RUN:
            more = True
            break
        first_day = oldest.astimezone(AMSTERDAM).date()
        window_end = min(cutoff, _local_midnight(first_day + timedelta(days=ROLLUP_WINDOW_DAYS)))
        done, made = _rollup_window(_local_midnight(first_day), window_end)
        if done == 0:  # cannot happen (the oldest visit lies in the window); never spin
            break
        visits += done
        groups += made
    keys = _destroy_old_device_keys(now, cutoff)
    return RollupReport(visits, groups, keys, more)


def _rollup_window(start: datetime, end: datetime) -> tuple[int, int]:
    """Roll up and delete the visits in [start, end); returns (visits, groups)."""
    rows = db.session.execute(
        select(
            Visit.id,
            Visit.house_id,
            Visit.room_id,
            Visit.visited_at,
            Visit.channel,
            Area.name,
            Visit.area_answer,
            Visit.age_group,
            Visit.first_time,
            Visit.suspicious,
            Visit.device_hash,
        )
        .outerjoin(Area, Area.id == Visit.area_id)
        .where(Visit.visited_at >= start, Visit.visited_at < end)
    ).all()
    if not rows:
        return 0, 0
    counts: dict[RollupKey, int] = {}
    devices: dict[RollupKey, set[str]] = {}
    for row in rows:
        key: RollupKey = (
            row.house_id,
            row.room_id,
            row.visited_at.astimezone(AMSTERDAM).date(),
            row.channel,
            row.name or row.area_answer or "",
            row.age_group or "",
            {True: FirstTimeAnswer.ja.value, False: FirstTimeAnswer.nee.value}.get(
                row.first_time, ""
            ),
            bool(row.suspicious),
        )
        counts[key] = counts.get(key, 0) + 1
        seen = devices.setdefault(key, set())
        if row.device_hash:
            seen.add(row.device_hash)
    days = [key[2] for key in counts]
    existing = {
        _rollup_key(rollup): rollup
        for rollup in db.session.scalars(
            select(VisitDailyRollup).where(
                VisitDailyRollup.day >= min(days), VisitDailyRollup.day <= max(days)
            )
        )
    }
    for key, count in counts.items():
        rollup = existing.get(key)
        if rollup is None:
            house_id, room_id, day, channel, area_key, age_group, first_time, suspicious = key
            db.session.add(
                VisitDailyRollup(
                    house_id=house_id,
                    room_id=room_id,
                    day=day,
                    channel=channel,
                    area_key=area_key,
                    age_group=age_group,
                    first_time=first_time,
                    suspicious=suspicious,
                    visits=count,
                    distinct_devices=len(devices[key]),
                )
            )
        else:
            rollup.visits += count
            rollup.distinct_devices += len(devices[key])
    db.session.flush()
    ids = [row.id for row in rows]
    for chunk in _chunks(ids):
        db.session.execute(
            delete(Visit).where(Visit.id.in_(chunk)).execution_options(synchronize_session=False)
        )
    return len(ids), len(counts)


def _rollup_key(rollup: VisitDailyRollup) -> RollupKey:
    return (
        rollup.house_id,
        rollup.room_id,
        rollup.day,
        rollup.channel,
        rollup.area_key,
        rollup.age_group,
        rollup.first_time,
        bool(rollup.suspicious),
    )


def _destroy_old_device_keys(now: datetime, cutoff: datetime) -> int:
    """Destroy the keys of years before the cut-off's year; the current year's key stays."""
    last_year_to_destroy = (
        min(cutoff.astimezone(AMSTERDAM).year, now.astimezone(AMSTERDAM).year) - 1
    )
    result = db.session.execute(
        update(DeviceHashKey)
        .where(DeviceHashKey.year <= last_year_to_destroy, DeviceHashKey.key.is_not(None))
        .values(key=None, destroyed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
