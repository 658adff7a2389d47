"""Booking endpoints of DESIGN section 10: shapes, statuses, and every kind of bad input."""

from __future__ import annotations

import pytest

from booking.extensions import db
from booking.models import Booking
from tests.conftest import PASSWORD, api_activity, local_day


@pytest.fixture
def api(client, make_user):
    user = make_user()
    assert (
        client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD}).status_code
        == 200
    )
    return client


def request_body(room_id, days=3, start="10:00", end="12:00", **extra):
    day = local_day(days).isoformat()
    body = {
        "room_id": room_id,
        "start": f"{day}T{start}",
        "end": f"{day}T{end}",
        "title": "Koffie",
        "public": True,
        "activity": api_activity(),
    }
    body.update(extra)
    return body


def stored(app) -> int:
    with app.app_context():
        return db.session.query(Booking).count()


def test_quote(api, make_house):
    house = make_house()
    response = api.post(
        "/api/v1/quote", json=request_body(house.room_ids[0], activity=api_activity("vereniging"))
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["tariff_group"], body["priority_class"], body["amount_cents"]) == ("T3", 3, 4000)
    assert body["reasons"] and isinstance(body["reasons"][0], str)
    assert body["quote_token"]


def test_create_get_list_cancel(api, app, make_house):
    house = make_house()
    response = api.post("/api/v1/bookings", json=request_body(house.room_ids[0]))
    assert response.status_code == 201
    body = response.get_json()
    assert {"id", "status", "tariff_group", "priority_class", "amount_cents", "displaced"} <= set(
        body
    )
    assert (body["status"], body["tariff_group"], body["priority_class"], body["displaced"]) == (
        "bevestigd",
        "T1",
        1,
        [],
    )
    assert api.get(f"/api/v1/bookings/{body['id']}").get_json()["id"] == body["id"]
    listed = api.get(
        f"/api/v1/bookings?house={house.slug}&from={local_day(0)}T00:00&to={local_day(10)}T00:00"
    )
    assert [b["id"] for b in listed.get_json()["bookings"]] == [body["id"]]
    cancelled = api.delete(f"/api/v1/bookings/{body['id']}")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "geannuleerd"
    again = api.delete(f"/api/v1/bookings/{body['id']}")
    assert again.status_code == 422


def test_conflict_is_409_with_alternatives(api, make_house):
    house = make_house()
    assert api.post("/api/v1/bookings", json=request_body(house.room_ids[0])).status_code == 201
    response = api.post(
        "/api/v1/bookings", json=request_body(house.room_ids[0], start="11:00", end="13:00")
    )
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "bezet"
    assert len(body["conflicts"]) == 1 and 1 <= len(body["alternatives"]) <= 3
    assert {"kind", "room_id", "house", "start", "end"} <= set(body["alternatives"][0])


def test_displacement_reports_the_displaced_ids(client, app, make_house, make_user):
    house, company, resident = make_house(), make_user(), make_user()
    client.post("/api/v1/session", json={"email": company.email, "password": PASSWORD})
    first = client.post(
        "/api/v1/bookings",
        json=request_body(house.room_ids[0], days=30, activity=api_activity("commercieel")),
    )
    assert first.get_json()["status"] == "onder_voorbehoud"
    client.post("/api/v1/session", json={"email": resident.email, "password": PASSWORD})
    second = client.post("/api/v1/bookings", json=request_body(house.room_ids[0], days=30))
    assert second.status_code == 201
    assert second.get_json()["displaced"] == [first.get_json()["id"]]


def test_recurring_booking(api, make_house):
    house = make_house()
    body = request_body(
        house.room_ids[0],
        recurrence={"freq": "weekly", "interval": 2, "until": local_day(3 + 28).isoformat()},
    )
    response = api.post("/api/v1/bookings", json=body)
    assert response.status_code == 201
    data = response.get_json()
    assert len(data["occurrences"]) == 3 and data["conflicts"] == [] and data["series_id"]
    assert data["occurrences"][0]["status"] == "bevestigd"


@pytest.mark.parametrize(
    "change,status,code",
    [
        ({"start": "gisteren"}, 400, "ongeldige_tijd"),
        ({"end": None}, 400, "ongeldige_tijd"),
        ({"room_id": "een"}, 400, "ongeldig_veld"),
        ({"room_id": 999999}, 404, "niet_gevonden"),
        ({"title": "x" * 100_000}, 400, "ongeldig_veld"),
        ({"title": ""}, 400, "ongeldig_veld"),
        (
            {"activity": {"organiser_kind": "bewoners", "contribution_cents": -100}},
            400,
            "ongeldig_veld",
        ),
        ({"activity": {"organiser_kind": "piraten"}}, 400, "ongeldig_veld"),
        ({"activity": {"organiser_kind": "bewoners", "open_to_all": "ja"}}, 400, "ongeldig_veld"),
        ({"activity": None}, 400, "ongeldig_veld"),
        ({"public": "ja"}, 400, "ongeldig_veld"),
        ({"recurrence": {"freq": "daily", "until": "2027-01-01"}}, 400, "ongeldig_veld"),
        ({"recurrence": {"freq": "weekly", "until": "morgen"}}, 400, "ongeldige_datum"),
    ],
)
def test_bad_input_is_4xx_and_stores_nothing(api, app, make_house, change, status, code):
    house = make_house()
    body = request_body(house.room_ids[0])
    body.update(change)
    response = api.post("/api/v1/bookings", json=body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code
    assert stored(app) == 0


@pytest.mark.parametrize(
    "start,end", [("12:00", "10:00"), ("10:00", "10:00"), ("10:07", "12:00"), ("06:00", "08:00")]
)
def test_rule_violations_are_422_with_dutch_problems(api, app, make_house, start, end):
    house = make_house()
    response = api.post(
        "/api/v1/bookings", json=request_body(house.room_ids[0], start=start, end=end)
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "regel_geschonden" and error["details"]["problems"]
    assert stored(app) == 0


def test_series_beyond_a_year_is_422(api, app, make_house):
    house = make_house()
    body = request_body(
        house.room_ids[0], recurrence={"freq": "weekly", "until": local_day(500).isoformat()}
    )
    response = api.post("/api/v1/bookings", json=body)
    assert response.status_code == 422 and stored(app) == 0


def test_malformed_json_stores_nothing(api, app):
    response = api.post("/api/v1/bookings", data="{", content_type="application/json")
    assert response.status_code == 400 and stored(app) == 0


def test_someone_elses_booking_is_404(client, app, make_house, make_user, book):
    house, owner, other = make_house(), make_user(), make_user()
    booking_id = book(owner, house.room_ids[0])
    client.post("/api/v1/session", json={"email": other.email, "password": PASSWORD})
    assert client.get(f"/api/v1/bookings/{booking_id}").status_code == 404
    assert client.delete(f"/api/v1/bookings/{booking_id}").status_code == 404
    assert client.get("/api/v1/bookings").get_json()["bookings"] == []


def test_availability_is_public_and_hides_private_titles(client, make_house, make_user, book):
    house, owner = make_house(), make_user()
    book(owner, house.room_ids[0], title="Privé verjaardag")
    day = local_day(3).isoformat()
    body = client.get(
        f"/api/v1/rooms/{house.room_ids[0]}/availability?from={day}T00:00&to={day}T23:45"
    ).get_json()
    assert len(body["busy"]) == 1
    assert body["opening_hours"][0] == {"weekday": 0, "opens": "08:30", "closes": "23:00"}


def test_availability_bad_range_is_400(client, make_house):
    house = make_house()
    assert (
        client.get(
            f"/api/v1/rooms/{house.room_ids[0]}/availability?from=2026-01-10T00:00&to=2026-01-01T00:00"
        ).status_code
        == 400
    )
    assert (
        client.get(f"/api/v1/rooms/{house.room_ids[0]}/availability?from=nooit").status_code == 400
    )
    assert client.get("/api/v1/rooms/99999/availability").status_code == 404


def test_free_rooms(client, make_house, make_user, book):
    house, owner = make_house(rooms=2), make_user()
    book(owner, house.room_ids[0])
    day = local_day(3).isoformat()
    body = client.get(f"/api/v1/free-rooms?start={day}T10:00&end={day}T12:00").get_json()
    assert [r["id"] for r in body["rooms"]] == [house.room_ids[1]]
    assert client.get(f"/api/v1/free-rooms?start={day}T10:00&end={day}T09:00").status_code == 400
    assert (
        client.get(
            f"/api/v1/free-rooms?start={day}T10:00&end={day}T12:00&house=nergens"
        ).status_code
        == 404
    )


def test_bookings_need_a_login(client, make_house):
    house = make_house()
    response = client.post("/api/v1/bookings", json=request_body(house.room_ids[0]))
    assert response.status_code == 401
