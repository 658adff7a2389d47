"""rollup_visits: raw visits past the retention period become daily counts and disappear."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Area, DeviceHashKey, PolicySettings, Visit, VisitDailyRollup
from booking.services.visit_rollup import retention_cutoff
from tests.jobs import run_cli, run_in_threads

NOW = datetime(2027, 6, 15, 12, 0, tzinfo=UTC)  # cut-off: local midnight of 15 May 2026


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _visits(app, house, specs: list[dict]) -> list[int]:
    with app.app_context():
        lith = db.session.scalars(select(Area).filter_by(name="Lith")).one()
        rows = []
        for spec in specs:
            fields = {
                "house_id": house.id,
                "room_id": house.room_ids[0],
                "channel": "qr",
                "suspicious": False,
                **spec,
            }
            if fields.pop("in_lith", False):
                fields["area_id"] = lith.id
            rows.append(Visit(**fields))
        db.session.add_all(rows)
        db.session.commit()
        return [v.id for v in rows]


def _rollups(app) -> dict[tuple, tuple[int, int]]:
    with app.app_context():
        return {
            (r.room_id, r.day, r.channel, r.area_key, r.age_group, r.first_time, r.suspicious): (
                r.visits,
                r.distinct_devices,
            )
            for r in db.session.scalars(select(VisitDailyRollup))
        }


def _remaining(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(Visit.id)))


def _keys(app) -> dict[int, bool]:
    with app.app_context():
        return {k.year: k.key is not None for k in db.session.scalars(select(DeviceHashKey))}


OLD = [
    # 10 March 2026 (CET): three visits of one group, two devices
    {
        "visited_at": _at(2026, 3, 10, 10),
        "in_lith": True,
        "age_group": "18-29",
        "first_time": True,
        "device_hash": "d1",
    },
    {
        "visited_at": _at(2026, 3, 10, 11),
        "in_lith": True,
        "age_group": "18-29",
        "first_time": True,
        "device_hash": "d1",
    },
    {
        "visited_at": _at(2026, 3, 10, 12),
        "in_lith": True,
        "age_group": "18-29",
        "first_time": True,
        "device_hash": "d2",
    },
    # the same, but flagged suspicious: its own row
    {
        "visited_at": _at(2026, 3, 10, 13),
        "in_lith": True,
        "age_group": "18-29",
        "first_time": True,
        "device_hash": "d3",
        "suspicious": True,
        "suspicious_reason": "te_vaak",
    },
    # 23:30 UTC is 00:30 on 11 March in Amsterdam; a tally has no device and no answers
    {"visited_at": _at(2026, 3, 10, 23, 30), "channel": "tally", "area_answer": "buiten"},
    # 23:59 on 14 May in Amsterdam (CEST): the last minute before the cut-off
    {
        "visited_at": _at(2026, 5, 14, 21, 59),
        "channel": "tablet",
        "first_time": False,
        "age_group": "67+",
    },
]
KEPT = [
    {"visited_at": _at(2026, 5, 14, 22, 0), "channel": "tablet"},  # 00:00 on 15 May: kept
    {"visited_at": _at(2027, 6, 1, 9), "device_hash": "recent"},
]


def _expected(room_id: int) -> dict[tuple, tuple[int, int]]:
    return {
        (room_id, date(2026, 3, 10), "qr", "Lith", "18-29", "ja", False): (3, 2),
        (room_id, date(2026, 3, 10), "qr", "Lith", "18-29", "ja", True): (1, 1),
        (room_id, date(2026, 3, 11), "tally", "buiten", "", "", False): (1, 0),
        (room_id, date(2026, 5, 14), "tablet", "", "67+", "nee", False): (1, 0),
    }


def test_old_visits_are_rolled_up_and_deleted_recent_ones_untouched(app, runner, make_house):
    house = make_house()
    _visits(app, house, OLD)
    kept = _visits(app, house, KEPT)
    with app.app_context():
        db.session.add_all([DeviceHashKey(year=y, key=bytes(32)) for y in (2025, 2026, 2027)])
        db.session.commit()

    result = run_cli(runner, "rollup_visits", NOW)
    assert "rollup_visits: 6 bezoeken samengevat, 4 dagregels, 1 sleutels vernietigd" in (
        result.output
    )
    assert _rollups(app) == _expected(house.room_ids[0])
    assert _remaining(app) == set(kept)
    assert _keys(app) == {2025: False, 2026: True, 2027: True}
    with app.app_context():
        assert db.session.get(DeviceHashKey, 2025).destroyed_at == NOW

    again = run_cli(runner, "rollup_visits", NOW + timedelta(hours=6))
    assert "0 bezoeken samengevat, 0 dagregels, 0 sleutels vernietigd" in again.output
    assert _rollups(app) == _expected(house.room_ids[0])
    assert _remaining(app) == set(kept)


@pytest.mark.real_commits  # the job runs in a thread with its own connection
def test_counts_are_added_to_existing_rollup_rows(app, make_house):
    house = make_house()
    _visits(app, house, OLD[:3])
    with app.app_context():
        db.session.add(
            VisitDailyRollup(
                house_id=house.id,
                room_id=house.room_ids[0],
                day=date(2026, 3, 10),
                channel="qr",
                area_key="Lith",
                age_group="18-29",
                first_time="ja",
                suspicious=False,
                visits=10,
                distinct_devices=4,
            )
        )
        db.session.commit()
    run_in_threads(app, "rollup_visits", NOW, count=1)
    assert _rollups(app) == {
        (house.room_ids[0], date(2026, 3, 10), "qr", "Lith", "18-29", "ja", False): (13, 6)
    }


@pytest.mark.real_commits  # the job runs in a thread with its own connection
def test_two_schedulers_roll_up_each_visit_once(app, make_house):
    house = make_house()
    _visits(app, house, OLD)
    _visits(
        app,
        house,
        [
            {"visited_at": _at(2025, 1, 1) + timedelta(hours=7 * i), "device_hash": f"dev{i % 7}"}
            for i in range(300)
        ],
    )
    summaries = run_in_threads(app, "rollup_visits", NOW, count=2)
    assert sum(s.counts["bezoeken samengevat"] for s in summaries) == 306
    rollups = _rollups(app)
    assert sum(visits for visits, _ in rollups.values()) == 306
    for key, value in _expected(house.room_ids[0]).items():
        assert rollups[key] == value
    assert _remaining(app) == set()


def test_the_retention_period_comes_from_the_policy(app, runner, make_house):
    house = make_house()
    with app.app_context():
        db.session.add(PolicySettings(visit_retention_months=1))
        db.session.commit()
    _visits(
        app,
        house,
        [
            {"visited_at": _at(2027, 5, 14, 21, 59)},  # 14 May, 23:59 local
            {"visited_at": _at(2027, 5, 14, 22, 0)},
        ],
    )  # 15 May, 00:00 local
    assert "1 bezoeken samengevat" in run_cli(runner, "rollup_visits", NOW).output
    assert len(_remaining(app)) == 1


def test_retention_cutoff_counts_amsterdam_calendar_months():
    # 31 March 01:30 in Amsterdam (still 30 March in UTC): 13 months back is 28 Feb 2026.
    assert retention_cutoff(_at(2027, 3, 30, 23, 30), 13) == _at(2026, 2, 27, 23, 0)
    # Summer: local midnight is 22:00 UTC the day before.
    assert retention_cutoff(NOW, 13) == _at(2026, 5, 14, 22, 0)
