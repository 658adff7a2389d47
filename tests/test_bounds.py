"""Bounded input: the booking horizon, one window for typed dates, ids within INTEGER.

Each kind of page that reads a date answers a year 1 or 9999 with a Dutch message and 400
(the API with its JSON error), stores nothing, and never overflows; an id beyond what a
database INTEGER holds matches no route (404); a house takes bookings only up to its
horizon, for single bookings and for every occurrence of a series.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from werkzeug.test import TestResponse

from booking import errors
from booking.extensions import db
from booking.models import Booking, BookingSeries, Closure, House, PriorityBlock, User
from booking.routing import BoundedIntConverter, at_most
from booking.rules import horizon
from booking.rules.numbers import MAX_ID
from booking.rules.recurrence import Frequency, Recurrence
from booking.services import bookings
from booking.services.quotes import quote
from booking.services.series import create_series
from tests.conftest import (
    PASSWORD,
    HouseRef,
    UserRef,
    activity,
    api_activity,
    csrf_token,
    local_day,
    login,
    slot,
)

WINDOW = "Kies een datum tussen 1 januari 2000 en 31 december 2100."
HORIZON = "Dit huis neemt boekingen aan tot 2 maanden vooruit"


def counts(app: Flask) -> tuple[int, int, int, int]:
    with app.app_context():
        return (
            db.session.query(Booking).count(),
            db.session.query(BookingSeries).count(),
            db.session.query(Closure).count(),
            db.session.query(PriorityBlock).count(),
        )


def set_horizon(app: Flask, house: HouseRef, months: int) -> None:
    with app.app_context():
        db.session.get(House, house.id).booking_horizon_months = months
        db.session.commit()


def last_day(months: int) -> str:
    return horizon.last_bookable_day(datetime.now(UTC), months).isoformat()


def logged_in(app: Flask, user: UserRef) -> FlaskClient:
    client = app.test_client()
    login(client, user)
    return client


def post(client: FlaskClient, url: str, data: dict[str, str]) -> TestResponse:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


# Ids: the app's int converter ------------------------------------------------------------------


def test_every_int_in_the_url_map_is_bounded(app: Flask) -> None:
    found = 0
    for rule in app.url_map.iter_rules():
        for converter in rule._converters.values():  # no public accessor
            if isinstance(converter, IntegerConverter):
                found += 1
                assert isinstance(converter, BoundedIntConverter), rule.rule
                assert converter.max is not None and converter.max <= MAX_ID, rule.rule
    assert found > 15


def test_the_converter_stops_at_max_id(app: Flask) -> None:
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/ruimtes/{MAX_ID}") == ("rooms.room", {"room_id": MAX_ID})
    assert adapter.match("/ruimtes/0007") == ("rooms.room", {"room_id": 7})
    for path in (
        f"/ruimtes/{MAX_ID + 1}",
        f"/ruimtes/{10**20}",
        f"/ruimtes/{2**63}",
        "/ruimtes/" + "9" * 5000,  # beyond Python's int-from-text limit
        "/ruimtes/-1",
        "/ruimtes/٣",  # an Arabic-Indic three: \d, but no id of ours
        "/ruimtes/１",  # a fullwidth one
    ):
        with pytest.raises(NotFound):
            adapter.match(path)
    with app.test_request_context():
        assert url_for("rooms.room", room_id=MAX_ID) == f"/ruimtes/{MAX_ID}"


@pytest.mark.parametrize("number", [str(MAX_ID + 1), str(10**20), str(2**63), "9" * 5000])
def test_huge_ids_are_404_on_pages_and_in_the_api(
    app: Flask,
    make_house: Callable[..., HouseRef],
    make_user: Callable[..., UserRef],
    number: str,
) -> None:
    house = make_house()
    beheerder = logged_in(app, make_user("beheerder", house=house))
    for path in (
        f"/ruimtes/{number}",
        f"/ruimtes/{number}/boeken",
        f"/mijn-boekingen/{number}",
        f"/beheer/{house.slug}/boekingen/{number}",
        f"/beheer/{house.slug}/ruimtes/{number}",
        f"/kiosk/poster/{number}.svg",
        f"/api/v1/bookings/{number}",
        f"/api/v1/rooms/{number}/availability",
    ):
        response = beheerder.get(path)
        assert response.status_code == 404, path
    api = beheerder.get(f"/api/v1/bookings/{number}")
    assert api.get_json()["error"]["code"]
    # Other methods too: the GET rule's path matching must not make them a 405.
    assert beheerder.patch(f"/api/v1/bookings/{number}", json={"title": "x"}).status_code == 404
    assert beheerder.delete(f"/api/v1/bookings/{number}").status_code == 404


@settings(max_examples=300)
@given(st.integers(1, 12), st.integers(0, 10**12), st.text("0123456789", min_size=1, max_size=12))
def test_at_most_matches_exactly_the_numbers_up_to_the_limit(
    limit_digits: int, value: int, digits: str
) -> None:
    limit = int("9" * limit_digits) if value % 3 == 0 else max(1, value % 10**limit_digits)
    pattern = re.compile(at_most(limit))
    for text in (digits, str(value), str(limit), str(limit + 1)):
        expected = len(text) <= len(str(limit)) and int(text) <= limit
        assert bool(pattern.fullmatch(text)) is expected, (limit, text)


# The booking horizon ----------------------------------------------------------------------------


def test_a_single_booking_beyond_the_horizon_is_a_rule_violation(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    set_horizon(app, house, 2)
    user = make_user()
    with app.app_context():
        organiser = db.session.get(User, user.id)
        start, end = slot(70)
        with pytest.raises(errors.RuleViolation) as refused:
            bookings.create_booking(
                organiser,
                house.room_ids[0],
                start,
                end,
                "Ver weg",
                True,
                activity(),
                now=datetime.now(UTC),
            )
        db.session.rollback()
        problem = refused.value.problems[0]
        assert problem.params == {"months": 2, "last_date": last_day(2)}
        start, end = slot(40)
        booked = bookings.create_booking(
            organiser,
            house.room_ids[0],
            start,
            end,
            "Dichtbij",
            True,
            activity(),
            now=datetime.now(UTC),
        )
        db.session.commit()
        assert booked.booking.id
    assert counts(app)[0] == 1


def test_the_default_horizon_is_18_months(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    with app.app_context():
        assert db.session.get(House, house.id).booking_horizon_months == 18
        quoted = quote(house.room_ids[0], *slot(560), activity(), now=datetime.now(UTC))
        assert [p.params.get("months") for p in quoted.problems] == [18]
        assert not quote(house.room_ids[0], *slot(500), activity(), now=datetime.now(UTC)).problems


def test_a_series_past_the_horizon_is_refused_and_stores_nothing(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    set_horizon(app, house, 2)
    user = make_user()
    with app.app_context():
        organiser = db.session.get(User, user.id)
        start, end = slot(3)
        too_far = Recurrence(Frequency.weekly, 1, local_day(80))
        with pytest.raises(errors.RuleViolation) as refused:
            create_series(
                organiser,
                house.room_ids[0],
                start,
                end,
                "Reeks",
                True,
                activity(),
                too_far,
                now=datetime.now(UTC),
            )
        db.session.rollback()
        assert refused.value.problems[0].params["last_date"] == last_day(2)
    assert counts(app)[:2] == (0, 0)
    with app.app_context():
        organiser = db.session.get(User, user.id)
        booked = create_series(
            organiser,
            house.room_ids[0],
            start,
            end,
            "Reeks",
            True,
            activity(),
            Recurrence(Frequency.weekly, 1, local_day(50)),
            now=datetime.now(UTC),
        )
        db.session.commit()
        assert len(booked.occurrences) >= 7
        last = max(b.booking.end for b in booked.occurrences)
        assert last <= horizon.last_bookable_moment(datetime.now(UTC), 2)


BOOKING_FORM = {
    "start_time": "10:00",
    "end_time": "12:00",
    "title": "Koffieochtend",
    "public": "y",
    "repeat": "",
    "interval": "1",
    "until": "",
    "organiser_kind": "bewoners",
    "open_to_all": "ja",
    "membership_required": "nee",
    "contribution": "1,00",
    "profit_making": "nee",
    "subsidised": "nee",
    "mainly_meeting": "ja",
    "gives_in_return": "nee",
    "action": "quote",
}


def test_the_booking_form_shows_and_enforces_the_horizon(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    set_horizon(app, house, 2)
    client = logged_in(app, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    html = client.get(url).get_data(as_text=True)
    assert "dit huis neemt boekingen aan tot 2 maanden vooruit" in html
    response = post(client, url, {**BOOKING_FORM, "day": local_day(70).isoformat()})
    assert response.status_code == 422
    assert HORIZON in response.get_data(as_text=True)
    series = {
        "day": local_day(3).isoformat(),
        "repeat": "weekly",
        "until": local_day(80).isoformat(),
    }
    # The quote judges the first date; confirming books the series, and the horizon refuses.
    quoted = post(client, url, {**BOOKING_FORM, **series}).get_data(as_text=True)
    token = re.search(r'name="quote_token" type="hidden" value="([0-9a-f]+)"', quoted)
    assert token, "no quote token"
    data = {**BOOKING_FORM, **series, "action": "confirm", "quote_token": token.group(1)}
    response = post(client, url, data)
    assert response.status_code == 422
    assert HORIZON in response.get_data(as_text=True)
    assert counts(app)[:2] == (0, 0)


@pytest.fixture
def api(client: FlaskClient, make_user: Callable[..., UserRef]) -> FlaskClient:
    user = make_user()
    response = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    return client


def api_body(room_id: int, days: int, **extra: object) -> dict[str, object]:
    day = local_day(days).isoformat()
    return {
        "room_id": room_id,
        "start": f"{day}T10:00",
        "end": f"{day}T12:00",
        "title": "Koffie",
        "public": True,
        "activity": api_activity(),
        **extra,
    }


def test_the_api_answers_422_beyond_the_horizon(
    app: Flask, api: FlaskClient, make_house: Callable[..., HouseRef]
) -> None:
    house = make_house()
    set_horizon(app, house, 2)
    room = house.room_ids[0]
    response = api.post("/api/v1/bookings", json=api_body(room, 70))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "regel_geschonden" and HORIZON in error["message"]
    series = {"freq": "weekly", "interval": 1, "until": local_day(80).isoformat()}
    response = api.post("/api/v1/bookings", json=api_body(room, 3, recurrence=series))
    assert response.status_code == 422
    assert HORIZON in response.get_json()["error"]["message"]
    assert counts(app)[:2] == (0, 0)
    assert api.post("/api/v1/bookings", json=api_body(room, 40)).status_code == 201


SETTINGS = {
    "factor_t1": "",
    "factor_t2": "",
    "factor_t3": "",
    "factor_t4": "",
    "contribution_cap": "",
    "voorrangstermijn": "",
    "request_expiry_days": "7",
    "min_duration": "30",
    "max_duration": "720",
}


def test_the_beheerder_sets_the_horizon(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    client = logged_in(app, make_user("beheerder", house=house))
    url = f"/beheer/{house.slug}/instellingen"
    html = client.get(url).get_data(as_text=True)
    assert "Boekingshorizon (maanden vooruit)" in html and 'value="18"' in html
    for bad in ("0", "61", "-1", "x", str(10**20), ""):
        response = post(client, url, {**SETTINGS, "booking_horizon": bad})
        assert response.status_code == 400, bad
    with app.app_context():
        assert db.session.get(House, house.id).booking_horizon_months == 18
    assert post(client, url, {**SETTINGS, "booking_horizon": "6"}).status_code == 302
    with app.app_context():
        assert db.session.get(House, house.id).booking_horizon_months == 6


# Dates out of the window, page by page -------------------------------------------------------


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "2101-01-01", "x", "2026-02-30"])
def test_the_week_view_refuses_dates_outside_the_window(
    client: FlaskClient, make_house: Callable[..., HouseRef], week: str
) -> None:
    house = make_house()
    response = client.get(f"/ruimtes/{house.room_ids[0]}?week={week}")
    assert response.status_code == 400
    assert "Deze week kunnen we niet tonen." in response.get_data(as_text=True)


def test_the_week_view_stops_at_the_edges_of_the_window(
    client: FlaskClient, make_house: Callable[..., HouseRef]
) -> None:
    room = make_house().room_ids[0]
    last = client.get(f"/ruimtes/{room}?week=2100-12-31")
    assert last.status_code == 200 and "Volgende week" not in last.get_data(as_text=True)
    first = client.get(f"/ruimtes/{room}?week=2000-01-01")
    assert first.status_code == 200 and "Vorige week" not in first.get_data(as_text=True)
    assert "Vorige week" in client.get(f"/ruimtes/{room}").get_data(as_text=True)


def test_search_and_the_booking_form_refuse_far_dates(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    client = logged_in(app, make_user())
    search = client.get("/ruimtes?day=0001-01-01&start_time=10:00&end_time=12:00")
    assert search.status_code == 400 and WINDOW in search.get_data(as_text=True)
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    prefilled = client.get(url + "?start=9999-12-31T23:59")
    assert prefilled.status_code == 200 and 'value="9999' not in prefilled.get_data(as_text=True)
    for change in (
        {"day": "9999-12-31"},
        {"day": "0001-01-01"},
        {"day": local_day(3).isoformat(), "repeat": "weekly", "until": "9999-12-31"},
    ):
        response = post(client, url, {**BOOKING_FORM, **change})
        assert response.status_code == 400, change
        assert WINDOW in response.get_data(as_text=True)
    assert counts(app)[:2] == (0, 0)


def test_beheer_pages_refuse_far_dates(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    client = logged_in(app, make_user("beheerder", house=house))
    base = f"/beheer/{house.slug}"
    for day in ("0001-01-01", "9999-12-31"):
        response = client.get(f"{base}/boekingen?weergave=week&datum={day}")
        assert response.status_code == 400 and WINDOW in response.get_data(as_text=True)
    closure = {
        "room": "",
        "start_date": local_day(10).isoformat(),
        "start_time": "00:00",
        "end_date": "9999-12-31",
        "end_time": "23:59",
        "reason": "Schoonmaak",
    }
    for change in ({}, {"start_date": "0001-01-01", "end_date": local_day(10).isoformat()}):
        response = post(client, f"{base}/sluitingen", {**closure, **change})
        assert response.status_code == 400 and WINDOW in response.get_data(as_text=True)
    block = {
        "room": str(house.room_ids[0]),
        "weekday": "3",
        "starts": "10:00",
        "ends": "12:00",
        "valid_from": "0001-01-01",
        "valid_until": "9999-12-31",
        "note": "Huiskamer",
    }
    response = post(client, f"{base}/voorrangsblokken", block)
    assert response.status_code == 400 and WINDOW in response.get_data(as_text=True)
    for month in ("9999-12", "0001-01", "2101-01", "2026-13"):
        assert client.get(f"{base}/export.csv?maand={month}").status_code == 400, month
    assert counts(app)[2:] == (0, 0)


def test_the_ics_download_and_the_statistics_refuse_far_dates(
    app: Flask, make_house: Callable[..., HouseRef], make_user: Callable[..., UserRef]
) -> None:
    house = make_house()
    client = logged_in(app, make_user("beheerder", house=house))
    for van, tot in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")):
        response = client.get(f"/agenda-links/download.ics?scope=mine&van={van}&tot={tot}")
        assert response.status_code == 400 and WINDOW in response.get_data(as_text=True)
        response = client.get(f"/bereik/{house.slug}?van={van}&tot={tot}")
        assert response.status_code == 400
        assert "Kies een datum tussen 2000 en 2100." in response.get_data(as_text=True)


def test_the_api_refuses_far_dates_with_400(
    app: Flask, api: FlaskClient, make_house: Callable[..., HouseRef]
) -> None:
    room = make_house().room_ids[0]
    for query in ("from=0001-01-01T00:00&to=0001-01-02T00:00", "from=9999-12-31T00:00"):
        response = api.get(f"/api/v1/rooms/{room}/availability?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["code"] == "datum_buiten_bereik"
    far = {"start": "9999-12-31T10:00", "end": "9999-12-31T12:00"}
    response = api.post("/api/v1/bookings", json={**api_body(room, 3), **far})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {"field": "start"}
    series = {"freq": "weekly", "interval": 1, "until": "9999-12-31"}
    response = api.post("/api/v1/bookings", json=api_body(room, 3, recurrence=series))
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "datum_buiten_bereik"
    response = api.post("/api/v1/quote", json={**api_body(room, 3), **far})
    assert response.status_code == 400
    assert counts(app)[:2] == (0, 0)
