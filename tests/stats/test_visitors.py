"""Distinct, returning and new-this-year visitors (issue 14 part 4): the queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import literal, select

from booking.extensions import db
from booking.rules.periods import Period
from booking.rules.reach_counts import CARD, PHONE
from booking.services.reach import Scope, reach, reach_per_house
from booking.services.reach_visitors import (
    add_house_visitors,
    amsterdam_day,
    scope_visitors,
    visitors,
    with_visitors,
)
from tests.stats.conftest import at

MON = date(2026, 3, 2)  # a Monday, winter time
WEEK = Period(MON, MON + timedelta(days=6))


@pytest.fixture
def house(make_house):
    return make_house("de-haard", area="Ruwaard")


def counted(app, period=WEEK, **scope):
    with app.app_context():
        return scope_visitors(period, Scope(**scope))


def test_one_card_on_two_days_is_one_returning_card_visitor(app, house, add_visits):
    scope = {"house_ids": (house.id,)}
    add_visits(house, at(MON, 10), channel="kaart", device_hash="card-1")
    add_visits(house, at(MON + timedelta(days=2), 11), channel="kaart", device_hash="card-1")
    add_visits(house, at(MON, 10), channel="kaart", device_hash="card-2")
    add_visits(house, at(MON, 15), channel="kaart", device_hash="card-2")  # same day twice
    add_visits(house, at(MON, 10), channel="qr", device_hash="phone-1")
    add_visits(house, at(MON + timedelta(days=1), 9), channel="poster", device_hash="phone-1")
    add_visits(house, at(MON, 10), 3, channel="tablet")  # no hash: no visitor
    found = counted(app, **scope)
    assert found.distinct == {PHONE: 1, CARD: 2}
    assert found.returning == {PHONE: 1, CARD: 1}
    assert found.new == {PHONE: 1, CARD: 2}
    assert found.exact


def test_a_flagged_card_visit_counts_only_on_request(app, house, add_visits):
    add_visits(house, at(MON, 10), channel="kaart", device_hash="card-1")
    add_visits(
        house,
        at(MON + timedelta(days=1), 10),
        channel="kaart",
        device_hash="card-1",
        suspicious=True,
        suspicious_reason="piek",
    )
    add_visits(
        house,
        at(MON, 11),
        channel="kaart",
        device_hash="card-2",
        suspicious=True,
        suspicious_reason="piek",
    )
    plain = counted(app, house_ids=(house.id,))
    assert plain.distinct[CARD] == 1 and plain.returning[CARD] == 0
    flagged = counted(app, house_ids=(house.id,), include_suspicious=True)
    assert flagged.distinct[CARD] == 2 and flagged.returning[CARD] == 1


def test_new_this_year_looks_back_to_the_first_of_january(app, house, add_visits):
    add_visits(house, at(date(2026, 1, 5), 10), channel="kaart", device_hash="old")
    add_visits(house, at(MON, 10), channel="kaart", device_hash="old")
    add_visits(house, at(MON, 10), channel="kaart", device_hash="fresh")
    add_visits(house, at(date(2025, 12, 30), 10), channel="qr", device_hash="last-year")
    add_visits(house, at(MON, 10), channel="qr", device_hash="last-year")  # other key: new
    found = counted(app, house_ids=(house.id,))
    assert found.distinct == {PHONE: 1, CARD: 2}
    assert found.new == {PHONE: 0 + 1, CARD: 1}
    whole_year = counted(app, Period(date(2026, 1, 1), date(2026, 3, 31)), house_ids=(house.id,))
    assert whole_year.new == {PHONE: 1, CARD: 2}
    assert whole_year.returning == {PHONE: 0, CARD: 1}


def test_an_activity_counts_its_own_visitors(app, house, add_visits, add_booking, make_user):
    start = at(MON, 10)
    organiser = make_user().id
    booking_id = add_booking(organiser, house.room_ids[0], start, start + timedelta(hours=2))
    add_visits(house, at(MON, 10), channel="kaart", device_hash="c", booking_id=booking_id)
    add_visits(house, at(MON, 18), channel="kaart", device_hash="d")
    assert counted(app, house_ids=(house.id,), booking_id=booking_id).distinct[CARD] == 1
    assert counted(app, house_ids=(house.id,)).distinct[CARD] == 2


def test_per_house_keeps_houses_apart(app, house, add_visits, make_house):
    other = make_house("de-lithse-huiskamer", area="Lith")
    add_visits(house, at(MON, 10), channel="kaart", device_hash="c")
    add_visits(other, at(MON, 10), channel="kaart", device_hash="c2")
    add_visits(other, at(MON + timedelta(days=3), 10), channel="kaart", device_hash="c2")
    with app.app_context():
        found = visitors(WEEK, Scope((house.id, other.id)), per_house=True)
    assert found[house.id].distinct[CARD] == 1 and found[house.id].returning[CARD] == 0
    assert found[other.id].distinct[CARD] == 1 and found[other.id].returning[CARD] == 1


def test_rolled_up_days_add_an_upper_bound(app, house, add_visits, add_rollup):
    add_visits(house, at(MON, 10), channel="kaart", device_hash="c")
    add_rollup(house, MON + timedelta(days=1), 4, channel="kaart", distinct_devices=3)
    found = counted(app, house_ids=(house.id,))
    assert found.distinct[CARD] == 4 and not found.exact


def test_distinct_devices_are_the_distinct_visitors(app, house, add_visits, add_rollup, make_house):
    """`with_visitors` and `add_house_visitors` skip the report's own pass over the hashes:
    both ways must agree, raw visits, flagged ones, taps and roll-ups included."""
    other = make_house("de-lithse-huiskamer", area="Lith")
    for where, hashes in ((house, ("p1", "p2", "c1")), (other, ("p3", "c2"))):
        for h in hashes:
            channel = "kaart" if h.startswith("c") else "qr"
            add_visits(where, at(MON, 10), 2, channel=channel, device_hash=h)
    add_visits(house, at(MON, 11), 3, channel="tablet")
    add_visits(house, at(MON, 12), channel="qr", device_hash="p9", suspicious=True)
    add_rollup(other, MON + timedelta(days=1), 4, channel="qr", distinct_devices=3)
    for suspicious in (False, True):
        scope = Scope((house.id, other.id), include_suspicious=suspicious)
        with app.app_context():
            assert (
                with_visitors(WEEK, scope).distinct_devices
                == reach(WEEK, scope).distinct_devices
                == (9 if suspicious else 8)  # five hashes and p9, plus three rolled up
            )
            rows = reach_per_house(WEEK, include_suspicious=suspicious)
            expected = {r.house_id: r.distinct_devices for r in rows}
            fast = reach_per_house(WEEK, include_suspicious=suspicious, devices=False)
            add_house_visitors(fast, WEEK, include_suspicious=suspicious)
            assert {r.house_id: r.distinct_devices for r in fast} == expected


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # last winter minute: 01:59 in Amsterdam
        datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
        datetime(2026, 3, 28, 22, 59, tzinfo=UTC),
        datetime(2026, 3, 28, 23, 0, tzinfo=UTC),  # midnight in winter time
        datetime(2026, 7, 1, 21, 59, tzinfo=UTC),
        datetime(2026, 7, 1, 22, 0, tzinfo=UTC),  # midnight in summer time
        datetime(2026, 10, 25, 0, 59, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 23, 0, tzinfo=UTC),  # New Year in Amsterdam
        datetime(2031, 10, 25, 22, 30, tzinfo=UTC),
        datetime(2031, 3, 29, 22, 30, tzinfo=UTC),
    ],
)
def test_the_amsterdam_day_in_sql_is_the_zoneinfo_day(app, house, add_visits, moment):
    add_visits(house, moment, channel="kaart", device_hash="c")
    from booking.models import Visit

    with app.app_context():
        in_sql = amsterdam_day(Visit.visited_at, [moment.year])
        day = db.session.scalar(select(in_sql).where(literal(True)))
    expected = moment.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    assert str(day)[:10] == expected.isoformat()
