"""Floods of check-ins with a fresh device cookie each: posters, QR codes passed on, taps.

A poster's code is static and public, and a flood sends a new device cookie with every
check-in, so cookies cannot tell a flood from a crowd. Two defences, both tested here:

- bursts per room and channel are *flagged* whatever the cookie (booking.rules.visits)
  and left out of the default reach statistics;
- per client address the limiter *refuses* (429, a Dutch page), keeping its counters in
  memory only: no table of the database ever holds the address.

The services take `now`, and the view tests fix the views' clock, so nothing depends on
the hour the suite runs at (the house is open 08:30-23:00).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import inspect, select

from booking.extensions import db, limiter
from booking.models import Kiosk, Room, User, Visit
from booking.rules.periods import Period
from booking.rules.reach_counts import Reach
from booking.rules.slots import local_to_utc
from booking.services import reach as reach_queries
from kiosk import check_in, pairing, places, tallies
from tests.conftest import csrf_token, post_form
from tests.kiosk.conftest import visit_count

WINTER = date(2026, 12, 2)
ADDRESS = "203.0.113.9"
USER_AGENT = "Geheime-Telefoon/2.0"


def at(clock: str) -> datetime:
    return local_to_utc(datetime.combine(WINTER, time.fromisoformat(clock)))


def fresh_device() -> str:
    return secrets.token_urlsafe(32)


def spread(start: datetime, count: int, seconds: float) -> list[datetime]:
    """`count` moments from `start`, evenly over `seconds`."""
    return [start + timedelta(seconds=seconds * n / count) for n in range(count)]


def reasons_of(channel: str) -> list[str]:
    return list(
        db.session.scalars(
            select(Visit.suspicious_reason).where(Visit.channel == channel).order_by(Visit.id)
        )
    )


def default_reach(house_id: int, *, include_suspicious: bool = False) -> Reach:
    return reach_queries.reach(
        Period(WINTER, WINTER),
        reach_queries.Scope((house_id,), include_suspicious=include_suspicious),
    )


def poster_place(room_id: int) -> places.Place:
    room = db.session.get(Room, room_id)
    place = places.place_for_poster(places.poster_url_token(room))
    assert place is not None and place.channel == "poster"
    return place


def kiosk_in(room_id: int, beheerder_id: int, now: datetime) -> int:
    """One more paired kiosk in a room, alive at `now`."""
    made, code = pairing.create_kiosk(db.session.get(User, beheerder_id), room_id, now)
    db.session.commit()
    pairing.pair(code, now)
    db.session.commit()
    return made.id


def alive(kiosk_id: int, now: datetime) -> Kiosk:
    kiosk = db.session.get(Kiosk, kiosk_id)
    kiosk.last_seen_at = now
    db.session.commit()
    return kiosk


def tablet_kiosk_id() -> int:
    return db.session.scalars(select(Kiosk.id)).one()


# Flagged: bursts per room and channel, whatever the cookie --------------------------------


@pytest.mark.parametrize("start", ["10:00:00", "10:00:55"])  # within a minute, and across one
def test_sixty_poster_check_ins_in_eleven_seconds_count_ten(app, make_house, start) -> None:
    house = make_house()
    with app.app_context():
        place = poster_place(house.room_ids[1])
        for moment in spread(at(start), 60, 11):
            checked = check_in.check_in_phone(place, fresh_device(), moment)
            db.session.commit()
            assert checked.counted  # every fresh cookie is a new device: the cookie can't tell
        assert reasons_of("poster") == [""] * 10 + ["piek_ruimte_poster"] * 50
        shown = default_reach(house.id)
        assert (shown.visits, shown.distinct_devices, shown.by_channel["poster"]) == (10, 10, 10)
        everything = default_reach(house.id, include_suspicious=True)
        assert (everything.visits, everything.distinct_devices) == (60, 60)
        # Once the window (this minute and the one before) has moved on, it counts again.
        later = check_in.check_in_phone(place, fresh_device(), at(start) + timedelta(minutes=3))
        db.session.commit()
        assert db.session.get(Visit, later.visit_id).suspicious_reason == ""


def test_each_room_and_channel_has_its_own_count(app, paired) -> None:
    """Ten posters in the huiskamer do not flag a poster next door, nor the tablet's taps,
    and a host's tally of 25 does not use up the tablet's limit."""
    house, _, _, beheerder = paired
    now = at("11:00:10")
    with app.app_context():
        huiskamer = poster_place(house.room_ids[0])
        for _ in range(10):
            check_in.check_in_phone(huiskamer, fresh_device(), now)
            db.session.commit()
        other_room = check_in.check_in_phone(poster_place(house.room_ids[1]), fresh_device(), now)
        tallies.tally(db.session.get(User, beheerder.id), house.room_ids[0], 25, now)
        kiosk = alive(tablet_kiosk_id(), now)
        assert check_in.tap(kiosk, str(uuid.uuid4()), None, now)
        db.session.commit()
        assert db.session.get(Visit, other_room.visit_id).suspicious_reason == ""
        assert reasons_of("tablet") == [""] and set(reasons_of("tally")) == {""}
        eleventh = check_in.check_in_phone(huiskamer, fresh_device(), now)
        db.session.commit()
        assert db.session.get(Visit, eleventh.visit_id).suspicious_reason == "piek_ruimte_poster"


def test_a_class_of_25_tapping_within_a_minute_is_not_flagged(app, paired) -> None:
    house, _, _, _ = paired
    with app.app_context():
        kiosk = alive(tablet_kiosk_id(), at("09:59:00"))
        for moment in spread(at("10:00:05"), 25, 50):
            assert check_in.tap(kiosk, str(uuid.uuid4()), None, moment)
            db.session.commit()
        assert reasons_of("tablet") == [""] * 25
        assert default_reach(house.id).by_channel["tablet"] == 25


def test_two_tablets_in_one_room_share_the_rooms_tablet_limit(app, paired) -> None:
    house, _, _, beheerder = paired
    now = at("10:30:00")
    with app.app_context():
        ids = [tablet_kiosk_id(), kiosk_in(house.room_ids[0], beheerder.id, now)]
        for n, moment in enumerate(spread(now, 40, 40)):
            kiosk = db.session.get(Kiosk, ids[n % 2])
            assert check_in.tap(kiosk, str(uuid.uuid4()), None, moment)
            db.session.commit()
        # Neither tablet reached its own 30; together they passed the room's.
        assert reasons_of("tablet") == [""] * 30 + ["piek_ruimte_tablet"] * 10
        assert default_reach(house.id).visits == 30


def test_a_qr_flood_with_fresh_cookies_is_flagged(app, paired) -> None:
    house, _, _, _ = paired
    with app.app_context():
        kiosk = alive(tablet_kiosk_id(), at("10:00:00"))
        place = places.Place(kiosk.room, kiosk, "qr")
        for moment in spread(at("10:00:20"), 60, 11):
            assert check_in.check_in_phone(place, fresh_device(), moment).counted
            db.session.commit()
        reasons = reasons_of("qr")
        assert reasons[:30] == [""] * 30 and all(reasons[30:])
        assert default_reach(house.id).visits == 30


def test_a_qr_code_passed_on_from_two_kiosks_is_flagged_by_the_rooms_count(app, paired) -> None:
    """A room with two tablets: 20 check-ins from each kiosk's code, none of them reaching
    the per-kiosk 30, are 40 QR check-ins in one room; the 31st and later are flagged."""
    house, _, _, beheerder = paired
    now = at("14:00:00")
    with app.app_context():
        ids = [tablet_kiosk_id(), kiosk_in(house.room_ids[0], beheerder.id, now)]
        for n, moment in enumerate(spread(now, 40, 20)):
            kiosk = alive(ids[n % 2], moment)
            check_in.check_in_phone(places.Place(kiosk.room, kiosk, "qr"), fresh_device(), moment)
            db.session.commit()
        assert reasons_of("qr") == [""] * 30 + ["piek_ruimte_qr"] * 10
        assert default_reach(house.id).by_channel["qr"] == 30


def test_flagged_visits_stay_out_of_the_hosts_count_of_today(app, make_house) -> None:
    house = make_house()
    now = at("16:00:00")
    with app.app_context():
        place = poster_place(house.room_ids[0])
        for moment in spread(now, 25, 5):
            check_in.check_in_phone(place, fresh_device(), moment)
            db.session.commit()
        assert tallies.visits_today(house.id, now) == 10


# Through the views, on a fixed clock ---------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    """The views' clock, fixed in opening hours (tokens and limits don't read it)."""
    now = at("10:15:00")
    monkeypatch.setattr("kiosk.web.now", lambda: now)
    return now


def poster_url(app, room_id: int) -> str:
    with app.app_context():
        return "/p/" + places.poster_url_token(db.session.get(Room, room_id))


def qr_url(app, now: datetime) -> str:
    with app.app_context():
        return "/k/" + places.qr_token(alive(tablet_kiosk_id(), now), now)


def post_with_fresh_cookie(phone, url: str, token: str, address: str = ADDRESS) -> int:
    """One check-in the way the reported flood sent them: a new device cookie each time,
    with the form's csrf token (one per session: read it once with `csrf_token`)."""
    phone.set_cookie("bh_apparaat", fresh_device())
    return phone.post(
        url,
        data={"csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
        headers={"User-Agent": USER_AGENT},
    ).status_code


def test_a_qr_flood_through_the_phone_page_is_flagged(app, paired, clock) -> None:
    url = qr_url(app, clock)
    phone = app.test_client()
    token = csrf_token(phone, url)
    statuses = [post_with_fresh_cookie(phone, url, token) for _ in range(40)]
    assert statuses == [302] * 40  # below the address limit: counted, then flagged
    with app.app_context():
        assert reasons_of("qr")[:30] == [""] * 30 and all(reasons_of("qr")[30:])
        assert default_reach(paired[0].id).visits == 30


def test_the_poster_limit_per_address_refuses_in_dutch_and_stores_nothing(
    app, paired, clock
) -> None:
    house = paired[0]
    url = poster_url(app, house.room_ids[1])
    phone = app.test_client()
    token = csrf_token(phone, url)
    statuses = [post_with_fresh_cookie(phone, url, token) for _ in range(30)]
    assert statuses == [302] * 30 and visit_count(app) == 30
    phone.set_cookie("bh_apparaat", fresh_device())
    refused = post_form(phone, url, {}, page=url, environ_base={"REMOTE_ADDR": ADDRESS})
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert '<html lang="nl"' in page and "Even geduld" in page
    assert "Te veel pogingen achter elkaar." in page
    assert visit_count(app) == 30  # nothing stored for the refused one
    # Another address (another phone on mobile data) still checks in; the flood's visits
    # beyond the room's poster limit are flagged, not counted.
    other = app.test_client()
    assert post_with_fresh_cookie(other, url, csrf_token(other, url), "198.51.100.4") == 302
    with app.app_context():
        assert default_reach(house.id).by_channel["poster"] == 10


@pytest.mark.parametrize("route", ["qr", "vragen"])
def test_the_phones_other_posts_are_limited_per_address_too(app, paired, clock, route) -> None:
    """120 a minute per address on the QR check-in and on the questions. A flood with a
    fresh cookie each time gets past the check-in's per-device limit, not past this one."""
    url = qr_url(app, clock) if route == "qr" else "/k/vragen"
    page = url if route == "qr" else "/privacy"
    phone, other = app.test_client(), app.test_client()
    token = csrf_token(phone, page)
    statuses = [post_with_fresh_cookie(phone, url, token) for _ in range(121)]
    assert 429 not in statuses[:120] and statuses[120] == 429
    assert post_with_fresh_cookie(other, url, csrf_token(other, page), "198.51.100.4") != 429


def test_the_address_lives_only_in_the_limiters_memory(app, paired, clock) -> None:
    house = paired[0]
    phone = app.test_client()
    for url in (poster_url(app, house.room_ids[1]), qr_url(app, clock)):
        assert post_with_fresh_cookie(phone, url, csrf_token(phone, url)) == 302
        answered = post_form(
            phone,
            "/k/vragen",
            {"first_time": "ja", "age_group": "67+"},
            page="/k/vragen",
            environ_base={"REMOTE_ADDR": ADDRESS},
            headers={"User-Agent": USER_AGENT},
        )
        assert answered.status_code == 200
    # The limiter keys its counters on the address, in memory (Redis in production) ...
    assert any(ADDRESS in key for key in limiter.storage.storage)
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("visit")}
        assert not {n for n in columns if "ip" in n or "addr" in n or "agent" in n}
        assert visit_count(app) == 2
        # ... and no row of any table holds the address or the user agent.
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).tuples():
                flat = " ".join(str(value) for value in row)
                assert ADDRESS not in flat and USER_AGENT not in flat, table.name
