"""The JSON API's answers to hostile input: a 4xx JSON error naming what is wrong, never a 500.

Each case here was a 500 or a silently ignored filter on main before the hardening.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from booking.api.parsing import MAX_JSON_DEPTH
from booking.extensions import db
from booking.models import Booking, FeedToken, User
from booking.rules.numbers import MAX_ID
from booking.rules.permissions import Role
from booking.services import accounts
from tests.conftest import HouseRef, api_activity, local_day


def error_of(response) -> dict:
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@dataclass(frozen=True)
class Caller:
    house: HouseRef
    headers: dict[str, str]


@pytest.fixture
def bearer(app, make_house, make_user) -> Caller:
    """A beheerder's house and the Authorization header of his API token."""
    house = make_house()
    user = make_user(Role.beheerder, house=house)
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, user.id))
        db.session.commit()
    return Caller(house, {"Authorization": f"Bearer {token}"})


def _nested(depth: int) -> str:
    return '{"a":' + "[" * depth + "]" * depth + "}"


def test_json_nested_ten_thousand_deep_is_400(client, bearer):
    headers = bearer.headers
    for url in ("/api/v1/session", "/api/v1/quote", "/api/v1/bookings", "/api/v1/kiosks"):
        response = client.post(
            url, data=_nested(10_000), content_type="application/json", headers=headers
        )
        assert response.status_code == 400, url
        error = error_of(response)
        assert error["code"] == "ongeldige_json"
        assert error["details"] == {"max_depth": MAX_JSON_DEPTH}


def test_json_nesting_bound_is_exact(client, bearer):
    """The bound counts the outer object: at the bound the body is read, one deeper is not."""
    headers = bearer.headers
    at_bound = _nested(MAX_JSON_DEPTH - 1)
    response = client.post(
        "/api/v1/kiosks", data=at_bound, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert error_of(response)["details"] == {"field": "room_id"}  # read, then judged
    too_deep = _nested(MAX_JSON_DEPTH)
    response = client.post(
        "/api/v1/kiosks", data=too_deep, content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert error_of(response)["details"] == {"max_depth": MAX_JSON_DEPTH}


def test_deep_objects_inside_a_real_body_are_refused_and_nothing_is_stored(app, client, bearer):
    house, headers = bearer.house, bearer.headers
    day = local_day(5).isoformat()
    deep: object = "x"
    for _ in range(50):
        deep = {"x": deep}
    body = {
        "room_id": house.room_ids[0],
        "start": f"{day}T10:00",
        "end": f"{day}T12:00",
        "title": "Koffie",
        "activity": {**api_activity(), "extra": deep},
    }
    response = client.post("/api/v1/bookings", json=body, headers=headers)
    assert response.status_code == 400
    assert error_of(response)["code"] == "ongeldige_json"
    with app.app_context():
        assert db.session.query(Booking).count() == 0


def test_oversized_body_is_413_json(client, bearer):
    headers = bearer.headers
    body = '{"title": "' + "x" * (1024 * 1024) + '"}'
    response = client.post(
        "/api/v1/bookings", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "te_groot"


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "0", str(MAX_ID + 1), str(2**64), "١"])
def test_malformed_room_filter_is_400_naming_it(client, bearer, value):
    headers = bearer.headers
    response = client.get(f"/api/v1/bookings?room_id={value}", headers=headers)
    assert response.status_code == 400
    error = error_of(response)
    assert error["details"]["field"] == "room_id"


def test_room_filter_still_filters(client, bearer, book, make_user):
    house, headers = bearer.house, bearer.headers
    organiser = make_user()
    booked = book(organiser, house.room_ids[1])
    both = client.get("/api/v1/bookings", headers=headers).get_json()["bookings"]
    assert [b["id"] for b in both] == [booked]
    first = client.get(f"/api/v1/bookings?room_id={house.room_ids[0]}", headers=headers)
    assert first.get_json()["bookings"] == []
    empty = client.get("/api/v1/bookings?room_id=", headers=headers)  # an empty form field
    assert [b["id"] for b in empty.get_json()["bookings"]] == [booked]


@pytest.mark.parametrize("value", ["veel", "0", "-3", str(2**63)])
def test_malformed_capacity_is_400_naming_it(client, make_house, value):
    make_house()
    day = local_day(4).isoformat()
    response = client.get(f"/api/v1/free-rooms?start={day}T10:00&end={day}T12:00&capacity={value}")
    assert response.status_code == 400
    assert error_of(response)["details"]["field"] == "capacity"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/rooms/{2**64}/availability",
        f"/api/v1/rooms/{'9' * 5000}/availability",
        f"/api/v1/bookings/{2**31}",
        f"/api/v1/bookings/{10**30}",
    ],
)
def test_ids_beyond_an_integer_in_the_path_are_404(client, bearer, url):
    headers = bearer.headers
    response = client.get(url, headers=headers)
    assert response.status_code == 404
    assert error_of(response)["code"] == "niet_gevonden"


@pytest.mark.parametrize("value", [2**31, 2**64, -(2**70), 0])
def test_feed_for_a_room_id_beyond_an_integer_is_404_and_nothing_stored(app, client, bearer, value):
    headers = bearer.headers
    response = client.post("/api/v1/feeds", json={"scope": "room", "id": value}, headers=headers)
    assert response.status_code == 404
    assert error_of(response)["code"] == "niet_gevonden"
    with app.app_context():
        assert db.session.query(FeedToken).count() == 0


@pytest.mark.parametrize("value", [2**31, 2**64, -(2**70)])
def test_body_integers_beyond_an_integer_are_400(client, bearer, value):
    headers = bearer.headers
    day = local_day(5).isoformat()
    body = {"room_id": value, "start": f"{day}T10:00", "end": f"{day}T12:00"}
    response = client.post(
        "/api/v1/quote", json={**body, "activity": api_activity()}, headers=headers
    )
    assert response.status_code == 400
    assert error_of(response)["details"]["field"] == "room_id"
    response = client.post("/api/v1/kiosks", json={"room_id": value}, headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00", "9999-12-31T23:59", "9999-12-31T23:59:59+00:00"]
)
def test_availability_and_booking_with_years_1_and_9999_are_400(app, client, bearer, moment):
    house, headers = bearer.house, bearer.headers
    room = house.room_ids[0]
    response = client.get(f"/api/v1/rooms/{room}/availability?from={moment}")
    assert response.status_code == 400
    assert error_of(response)["details"]["field"] == "from"
    body = {
        "room_id": room,
        "start": moment,
        "end": moment,
        "title": "Koffie",
        "activity": api_activity(),
    }
    response = client.post("/api/v1/bookings", json=body, headers=headers)
    assert response.status_code == 400
    assert error_of(response)["details"]["field"] == "start"
    with app.app_context():
        assert db.session.query(Booking).count() == 0


def test_every_operation_documents_the_common_answers(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "503"} <= set(responses), (method, path)
            if "requestBody" in operation:
                assert {"413", "415"} <= set(responses), (method, path)
            if operation.get("security") != []:
                assert "401" in responses, (method, path)
