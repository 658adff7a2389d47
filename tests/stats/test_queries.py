"""The reach queries, suppression of a whole page, rendement and host notes (services)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.errors import InvalidInput, NotFound, RuleViolation
from booking.extensions import db
from booking.models import AuditEntry, HostNote, User, Visit
from booking.rules import periods
from booking.rules.periods import Period
from booking.rules.publication import published_comparison, published_reach
from booking.rules.reach_counts import UNKNOWN_HOUR
from booking.rules.visit_vocabulary import CHANNELS
from booking.services import host_notes, rendement
from booking.services import reach as reach_queries
from booking.services.reach import Scope
from tests.stats.conftest import at

MON = date(2026, 3, 2)  # a Monday, in winter time (UTC+1)
WEEK = Period(MON, MON + timedelta(days=6))


def reach(app, period=WEEK, **scope):
    with app.app_context():
        return reach_queries.reach(period, Scope(**scope))


@pytest.fixture
def house(make_house):
    return make_house("de-haard", area="Ruwaard")


def test_counts_and_breakdowns_of_hand_made_visits(app, house, add_visits, make_house):
    make_house("elders-huis", area="Lith")  # another area, to answer with
    add_visits(
        house,
        at(MON, 10, 15),
        3,
        channel="qr",
        area="Ruwaard",
        age_group="67+",
        first_time=True,
        device_hash="a",
    )
    add_visits(
        house,
        at(MON, 10, 45),
        3,
        channel="qr",
        area="Lith",
        age_group="18-29",
        first_time=False,
        device_hash="b",
    )
    add_visits(house, at(MON + timedelta(days=1), 14, 40), 4, channel="tablet")
    add_visits(
        house,
        at(MON + timedelta(days=2), 22, 30),
        2,
        channel="poster",
        area_answer="elders",
        age_group="geen_antwoord",
        device_hash="a",
    )
    add_visits(
        house, at(MON + timedelta(days=2), 12), 1, channel="tally", area_answer="geen_antwoord"
    )
    result = reach(app, house_ids=(house.id,))
    assert result.visits == 13
    assert result.distinct_devices == 2
    assert result.devices_exact
    assert result.first_visits == 3
    assert result.by_channel == {"qr": 6, "tablet": 4, "tally": 1, "poster": 2, "kaart": 0}
    assert result.by_area["Ruwaard"] == 3 and result.by_area["Lith"] == 3
    assert result.by_area["elders"] == 2 and result.by_area["geen_antwoord"] == 1
    assert result.by_area["onbekend"] == 4
    assert result.by_age == {
        "0-17": 0,
        "18-29": 3,
        "30-49": 0,
        "50-66": 0,
        "67+": 3,
        "geen_antwoord": 2,
        "onbekend": 5,
    }
    assert result.by_weekday == [6, 4, 3, 0, 0, 0, 0]
    assert result.by_hour[10] == 6 and result.by_hour[14] == 4 and result.by_hour[22] == 2
    assert result.by_hour[12] == 1 and sum(result.by_hour) == 13
    assert result.weekday_hour[2][22] == 2  # Wednesday 22:30 Amsterdam is 21:30 UTC
    assert list(result.by_day.values()) == [6, 4, 3, 0, 0, 0, 0]


def test_period_edges_are_amsterdam_midnight(app, house, add_visits):
    add_visits(house, datetime(2026, 3, 1, 22, 59, tzinfo=UTC))  # 23:59 on Sunday 1 March
    add_visits(house, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))  # 00:30 on Monday 2 March
    add_visits(house, datetime(2026, 3, 8, 22, 59, tzinfo=UTC))  # 23:59 on Sunday 8 March
    add_visits(house, datetime(2026, 3, 8, 23, 0, tzinfo=UTC))  # 00:00 on Monday 9 March
    result = reach(app, house_ids=(house.id,))
    assert result.visits == 2
    assert result.by_day[MON] == 1 and result.by_day[date(2026, 3, 8)] == 1
    assert result.by_hour[0] == 1 and result.by_hour[23] == 1


def test_hours_follow_the_dst_change(app, house, add_visits):
    day = date(2026, 3, 29)  # clocks go from 02:00 to 03:00
    add_visits(house, datetime(2026, 3, 29, 0, 30, tzinfo=UTC))  # 01:30 CET
    add_visits(house, datetime(2026, 3, 29, 1, 30, tzinfo=UTC))  # 03:30 CEST
    result = reach(app, Period(day, day), house_ids=(house.id,))
    assert result.by_hour[1] == 1 and result.by_hour[3] == 1 and result.by_hour[2] == 0
    assert result.by_weekday[6] == 2


def test_suspicious_visits_are_left_out_unless_asked(app, house, add_visits):
    add_visits(house, at(MON, 11), 5)
    add_visits(house, at(MON, 3), 7, suspicious=True, suspicious_reason="buiten_openingstijden")
    assert reach(app, house_ids=(house.id,)).visits == 5
    assert reach(app, house_ids=(house.id,), include_suspicious=True).visits == 12


def test_rolled_up_days_and_raw_visits_add_up(app, house, add_visits, add_rollup):
    add_visits(
        house, at(MON + timedelta(days=3), 10), 4, channel="qr", device_hash="x", first_time=True
    )
    add_rollup(
        house,
        MON,
        6,
        channel="qr",
        area_key="elders",
        age_group="30-49",
        first_time="true",
        distinct_devices=3,
    )
    add_rollup(house, MON, 2, channel="tally", distinct_devices=0)
    add_rollup(house, MON + timedelta(days=1), 5, channel="qr", suspicious=True)
    add_rollup(house, MON - timedelta(days=1), 50)  # outside the period
    result = reach(app, house_ids=(house.id,))
    assert result.visits == 12
    assert result.by_channel["qr"] == 10 and result.by_channel["tally"] == 2
    assert result.by_area["elders"] == 6 and result.by_area["onbekend"] == 6
    assert result.by_age["30-49"] == 6
    assert result.first_visits == 10
    assert result.by_day[MON] == 8
    assert result.by_hour[UNKNOWN_HOUR] == 8 and result.by_hour[10] == 4
    assert result.distinct_devices == 1 + 3 and not result.devices_exact
    assert reach(app, house_ids=(house.id,), include_suspicious=True).visits == 17


def test_room_and_activity_filters(app, house, add_visits, add_rollup, add_booking, make_user):
    organiser = make_user()
    booking = add_booking(organiser.id, house.room_ids[0], at(MON, 10), at(MON, 12))
    add_visits(house, at(MON, 10, 30), 6, booking_id=booking)
    add_visits(house, at(MON, 11), 2, room_id=house.room_ids[1])
    add_rollup(house, MON + timedelta(days=1), 3)
    assert reach(app, house_ids=(house.id,)).visits == 11
    assert reach(app, house_ids=(house.id,), room_id=house.room_ids[1]).visits == 2
    assert reach(app, house_ids=(house.id,), room_id=house.room_ids[0]).visits == 9
    assert reach(app, house_ids=(house.id,), booking_id=booking).visits == 6  # no roll-ups


def test_all_houses_together(app, house, make_house, add_visits):
    other = make_house("ander-huis")
    add_visits(house, at(MON, 10), 3, device_hash="same")
    add_visits(other, at(MON, 10), 4, device_hash="same")
    result = reach(app)
    assert result.visits == 7
    assert result.distinct_devices == 1  # hashes are keyed per house: never the same text


def test_a_small_channel_is_hidden_with_a_secondary_cell(app, house, add_visits):
    add_visits(house, at(MON, 10), 30, channel="qr")
    add_visits(house, at(MON, 10), 7, channel="tablet")
    add_visits(house, at(MON, 11), 3, channel="tally")
    with app.app_context():
        shown = published_reach(
            reach_queries.reach(WEEK, Scope((house.id,))), reach_queries.threshold()
        )
    assert shown.by_channel == {"qr": 30, "tablet": "x", "tally": "<5", "poster": 0, "kaart": 0}
    assert shown.visits == 40
    # the hour 11 (3 visits) is hidden, and so is a sibling hour and a sibling cell
    assert shown.by_hour[11] == "<5" and shown.by_hour[10] == "x"
    assert shown.weekday_hour[0][11] == "<5"
    grid = shown.weekday_hour
    lines = [shown.by_hour, shown.by_weekday, list(shown.by_day.values())]
    lines += [[shown.by_weekday[w], *grid[w]] for w in range(7)]  # a weekday and its hours
    lines += [[shown.by_hour[h], *(row[h] for row in grid)] for h in range(24)]
    for line in lines:
        assert sum(isinstance(c, str) for c in line) != 1


def test_a_quarter_has_a_weekly_trend_protected_like_the_days(app, house, add_visits):
    period = Period(date(2026, 1, 1), date(2026, 3, 31))
    add_visits(house, at(date(2026, 1, 5), 10), 20)
    add_visits(house, at(date(2026, 1, 6), 10), 2)
    with app.app_context():
        shown = published_reach(
            reach_queries.reach(period, Scope((house.id,))), reach_queries.threshold()
        )
    assert shown.weekly
    weeks = dict(shown.trend)
    assert date(2025, 12, 29) in weeks  # 1 January 2026 is a Thursday
    assert weeks[date(2026, 1, 5)] == 22 or isinstance(weeks[date(2026, 1, 5)], str)
    days = shown.by_day
    assert days[date(2026, 1, 6)] == "<5"
    week_days = [days[date(2026, 1, 5) + timedelta(days=n)] for n in range(7)]
    assert sum(isinstance(c, str) for c in [weeks[date(2026, 1, 5)], *week_days]) >= 2


def test_comparison_per_house_marks_vulnerable_areas(app, make_house, add_visits, mark_vulnerable):
    a = make_house("huis-a", area="Schadewijk")
    b = make_house("huis-b", area="Lith")
    mark_vulnerable("Schadewijk")
    add_visits(a, at(MON, 10), 12, channel="qr", area="Schadewijk", first_time=True)
    add_visits(b, at(MON, 10), 8, channel="tablet", area="Schadewijk")
    add_visits(b, at(MON, 11), 3, channel="tally", area="Lith")
    with app.app_context():
        rows = reach_queries.reach_per_house(WEEK)
        shown = published_comparison(WEEK, rows, CHANNELS, reach_queries.threshold())
    by_slug = {r.reach.slug: r for r in shown.rows}
    assert by_slug["huis-a"].reach.area_vulnerable and not by_slug["huis-b"].reach.area_vulnerable
    assert by_slug["huis-a"].reach.visits == 12 and by_slug["huis-b"].reach.visits == 11
    assert by_slug["huis-a"].from_vulnerable == 12 and by_slug["huis-b"].from_vulnerable == 8
    assert by_slug["huis-b"].by_channel["tally"] == "<5"
    assert by_slug["huis-b"].by_channel["tablet"] == "x"
    assert shown.visits == 23 and shown.first_visits == 12


def test_period_rules():
    assert reach_queries.parse_period("2026-01-01", "2026-03-31") == Period(
        date(2026, 1, 1), date(2026, 3, 31)
    )
    reach_queries.parse_period("2024-01-01", "2025-12-31")  # exactly two years
    for first, last in [
        ("2026-13-01", "2026-12-01"),
        ("1-1-2026", "2026-02-01"),
        ("2026-02-30", "2026-03-01"),
        ("2026-03-01", "2026-02-01"),
        ("2024-01-01", "2026-01-01"),
        ("9999-12-31", "9999-12-31"),
        ("", "2026-01-01"),
        (None, None),
    ]:
        with pytest.raises(InvalidInput):
            reach_queries.parse_period(first, last)
    today = date(2026, 11, 24)
    assert periods.default_period(today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    assert periods.previous_quarter(date(2026, 2, 1)) == Period(
        date(2025, 10, 1), date(2025, 12, 31)
    )
    assert periods.previous_month(today) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert periods.this_month(today) == Period(date(2026, 11, 1), today)
    assert periods.this_quarter(today) == Period(date(2026, 10, 1), today)


# Rendement -------------------------------------------------------------------------------


def test_rendement_hours_rent_and_per_visit(app, house, add_booking, add_visits, make_user):
    organiser = make_user()
    room = house.room_ids[0]
    add_booking(
        organiser.id,
        room,
        at(MON, 10),
        at(MON, 12),
        priority_class=1,
        tariff_group="T1",
        amount_cents=0,
        list_price_cents=5000,
    )
    add_booking(
        organiser.id,
        room,
        at(MON, 13),
        at(MON, 14, 30),
        priority_class=3,
        tariff_group="T3",
        amount_cents=3000,
        list_price_cents=3000,
        status="onder_voorbehoud",
    )
    add_booking(
        organiser.id,
        room,
        at(MON, 15),
        at(MON, 16),
        priority_class=2,
        tariff_group="T2",
        amount_cents=1000,
        list_price_cents=2000,
        status="geannuleerd",
    )
    add_booking(
        organiser.id,
        room,
        at(MON, 17),
        at(MON, 18),
        priority_class=2,
        tariff_group="T2",
        amount_cents=1000,
        list_price_cents=2000,
        status="aangevraagd",
    )
    add_booking(
        organiser.id,
        room,
        at(MON - timedelta(days=1), 10),
        at(MON - timedelta(days=1), 11),
        priority_class=1,
        tariff_group="T1",
        list_price_cents=9999,
    )  # before the period
    add_visits(house, at(MON, 10), 7, first_time=True)
    add_visits(house, at(MON, 11), 5)
    with app.app_context():
        (row,) = rendement.rendement(WEEK, [house.id])
    assert row.seconds_by_class == {1: 7200, 2: 0, 3: 5400, 4: 0}
    assert row.seconds_by_group == {"T1": 7200, "T2": 0, "T3": 5400, "T4": 0}
    assert row.charged_cents == 3000 and row.given_away_cents == 5000
    assert row.class1_share == pytest.approx(7200 / 12600)
    assert row.visits == 12 and row.first_visits == 7
    assert row.given_away_per_visit_cents == 417  # 5000 / 12 = 416.67, rounded half up


def test_rendement_per_visit_is_none_without_visits_and_uses_real_duration(
    app, house, add_booking, make_user
):
    organiser = make_user()
    night = date(2026, 10, 25)  # clocks go back: 02:00-03:00 happens twice
    start = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # 01:00 CEST
    end = datetime(2026, 10, 25, 2, 0, tzinfo=UTC)  # 03:00 CET: three real hours
    add_booking(
        organiser.id,
        house.room_ids[0],
        start,
        end,
        priority_class=4,
        tariff_group="T4",
        amount_cents=9000,
        list_price_cents=6000,
    )
    with app.app_context():
        (row,) = rendement.rendement(Period(night, night), [house.id])
        total = rendement.rendement_total([row])
    assert row.seconds_by_class[4] == 3 * 3600
    assert row.given_away_cents == -3000  # commercial: charged above the list price
    assert row.given_away_per_visit_cents is None and row.class1_share == 0
    assert total.seconds == 3 * 3600


# Host notes ------------------------------------------------------------------------------


def test_a_host_writes_a_note_with_an_audit_entry(app, house, make_user, add_booking):
    host = make_user("gastheer", house)
    organiser = make_user()
    booking = add_booking(organiser.id, house.room_ids[0], at(MON, 10), at(MON, 12))
    now = datetime(2026, 3, 5, 12, tzinfo=UTC)
    with app.app_context():
        note = host_notes.add_note(
            db.session.get(User, host.id),
            house.id,
            MON,
            "  Twee nieuwe buren kwamen mee.  ",
            now,
            booking_id=booking,
        )
        db.session.commit()
        stored = db.session.get(HostNote, note.id)
        assert stored.text == "Twee nieuwe buren kwamen mee." and stored.booking_id == booking
        entry = db.session.scalars(select(AuditEntry).filter_by(action="host_note_added")).one()
        assert entry.action == "host_note_added" and entry.house_id == house.id
        assert "buren" not in entry.details and json.loads(entry.details)["characters"] == 29
        (view,) = host_notes.notes([house.id], WEEK)
        assert view.author == "Test gastheer" and view.booking_title == "Koffieochtend"
        assert host_notes.notes([house.id], WEEK, booking_id=booking + 1) == []


def test_notes_are_refused_for_the_wrong_people_and_input(
    app, house, make_house, make_user, add_booking
):
    other = make_house("ander-huis")
    host = make_user("gastheer", house)
    resident = make_user()
    other_booking = add_booking(resident.id, other.room_ids[0], at(MON, 10), at(MON, 12))
    booking = add_booking(resident.id, house.room_ids[0], at(MON, 10), at(MON, 12))
    now = datetime(2026, 3, 5, 12, tzinfo=UTC)
    with app.app_context():
        host_user, resident_user = db.session.get(User, host.id), db.session.get(User, resident.id)
        with pytest.raises(NotFound):
            host_notes.add_note(resident_user, house.id, MON, "Hallo", now)
        db.session.rollback()
        with pytest.raises(NotFound):
            host_notes.add_note(host_user, other.id, MON, "Hallo", now)
        db.session.rollback()
        cases = [
            (MON, "x" * 1001, None, "tekst"),
            (MON, "   ", None, "tekst"),
            (date(2026, 3, 6), "Morgen", None, "dag"),
            (MON, "Hallo", other_booking, "activiteit"),
            (MON + timedelta(days=1), "Hallo", booking, "activiteit"),
        ]
        for day, text, booking_id, field in cases:
            with pytest.raises((InvalidInput, RuleViolation)) as error:
                host_notes.add_note(host_user, house.id, day, text, now, booking_id=booking_id)
            assert error.value.field == field
            db.session.rollback()
        assert db.session.query(HostNote).count() == 0
        assert db.session.query(AuditEntry).filter_by(action="host_note_added").count() == 0


def test_the_retention_job_changes_no_figure_but_the_hour(app, house, add_visits, make_house):
    """Visits rolled up by the real job count the same as before, in every breakdown."""
    from booking.jobs import rollup_visits

    make_house("lith-huis", area="Lith")
    old = date(2025, 3, 4)  # a Tuesday, long before the 13 months of retention
    add_visits(
        house,
        at(old, 10),
        6,
        channel="qr",
        area="Lith",
        age_group="30-49",
        first_time=True,
        device_hash="p",
    )
    add_visits(house, at(old, 15), 2, channel="poster", area_answer="elders", device_hash="q")
    add_visits(house, at(old, 16), 3, channel="tally", suspicious=True)
    add_visits(house, at(old + timedelta(days=1), 9), 4, channel="tablet", first_time=False)
    period = Period(date(2025, 3, 1), date(2025, 3, 31))
    before = reach(app, period, house_ids=(house.id,))
    with app.app_context():
        rollup_visits(datetime(2026, 11, 1, 12, tzinfo=UTC))
        assert db.session.query(Visit).count() == 0
    after = reach(app, period, house_ids=(house.id,))
    assert after.visits == before.visits == 12
    for name in ("by_channel", "by_area", "by_age", "by_day", "first_visits", "by_weekday"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.by_hour[UNKNOWN_HOUR] == 12 and sum(after.by_hour[:24]) == 0
    assert before.distinct_devices == 2 and after.distinct_devices == 2
    assert not after.devices_exact
    assert reach(app, period, house_ids=(house.id,), include_suspicious=True).visits == 15
