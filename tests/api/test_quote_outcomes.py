"""The quote endpoint's outcome per date, and a booking that must match the quote."""

from __future__ import annotations

from booking.extensions import db
from booking.models import Booking
from tests.api.test_bookings import api, request_body, stored  # noqa: F401 - the fixture
from tests.conftest import activity, local_day

DAYS = 40


def series_body(room_id, weeks=3, **extra):
    rule = {"freq": "weekly", "interval": 1, "until": local_day(DAYS + 7 * weeks).isoformat()}
    return request_body(room_id, days=DAYS, recurrence=rule, **extra)


def test_the_quote_lists_every_date_with_its_outcome(api, make_house, make_user, book):  # noqa: F811
    house = make_house()
    room = house.room_ids[0]
    book(make_user(), room, days_ahead=DAYS + 7)
    book(make_user(), room, days_ahead=DAYS + 14, what=activity("commercieel"), title="Yoga")
    response = api.post("/api/v1/quote", json=series_body(room))
    assert response.status_code == 200
    body = response.get_json()
    assert [o["outcome"] for o in body["outcomes"]] == ["vrij", "bezet", "verdringt", "vrij"]
    assert body["bookable_dates"] == 3 and body["calendar_token"]
    taken, displaced = body["outcomes"][1], body["outcomes"][2]
    assert taken["taken_by"][0]["title"] == "Koffieochtend" and taken["alternatives"]
    assert "organiser_id" not in taken["taken_by"][0]
    assert displaced["displaces"][0]["title"] == "Yoga" and "klasse 4" in displaced["reasons"][0]
    assert body["outcomes"][0]["provisional_until"] is None


def test_a_single_quote_has_one_outcome(api, make_house):  # noqa: F811
    house = make_house()
    body = api.post("/api/v1/quote", json=request_body(house.room_ids[0], days=DAYS)).get_json()
    assert len(body["outcomes"]) == 1 and body["outcomes"][0]["outcome"] == "vrij"
    assert body["outcomes"][0]["bookable"] is True


def test_booking_with_a_stale_calendar_token_is_refused(api, app, make_house, make_user, book):  # noqa: F811
    house = make_house()
    room = house.room_ids[0]
    token = api.post("/api/v1/quote", json=series_body(room)).get_json()["calendar_token"]
    book(make_user(), room, days_ahead=DAYS + 7)
    before = stored(app)
    response = api.post(
        "/api/v1/bookings", json=series_body(room, title="Koor", calendar_token=token)
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "agenda_veranderd"
    assert stored(app) == before
    fresh = api.post("/api/v1/quote", json=series_body(room)).get_json()["calendar_token"]
    response = api.post(
        "/api/v1/bookings", json=series_body(room, title="Koor", calendar_token=fresh)
    )
    assert response.status_code == 201 and len(response.get_json()["occurrences"]) == 3
    with app.app_context():
        assert db.session.query(Booking).filter_by(title="Koor").count() == 3


def test_a_bad_calendar_token_is_400(api, make_house):  # noqa: F811
    house = make_house()
    response = api.post(
        "/api/v1/bookings", json=request_body(house.room_ids[0], calendar_token=["x"])
    )
    assert response.status_code == 400


def test_the_openapi_document_describes_the_outcomes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    quote = spec["paths"]["/quote"]["post"]
    props = quote["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert props["outcomes"]["items"]["properties"]["outcome"]["enum"] == [
        "vrij",
        "onder_voorbehoud",
        "verdringt",
        "bezet",
        "niet_mogelijk",
    ]
    assert (
        "recurrence" in quote["requestBody"]["content"]["application/json"]["schema"]["properties"]
    )
