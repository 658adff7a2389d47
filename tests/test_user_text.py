"""The one text rule at the edge: forms, JSON, query strings and paths, and the .ics output.

Run on PostgreSQL too: there a NUL byte that reaches the database is a 500, and a lone
surrogate cannot be encoded on either database.
"""

from __future__ import annotations

import importlib
import json
import re
import unicodedata
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.validators import AnyOf

from booking.extensions import db
from booking.forms import Secret, UserText
from booking.models import Booking, User
from booking.rules.messages import decode_reason
from tests.conftest import HouseRef, api_activity, csrf_token, login, post_form, slot
from tests.feeds import api_login, new_feed
from tests.rooms.test_views import form

CONTROL_MESSAGE = "onzichtbaar stuurteken"
FORBIDDEN_OUTPUT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def row_counts(app: Flask) -> dict[str, int]:
    """Rows per table: 'nothing stored' means none of these changed."""
    with app.app_context():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t)) or 0
            for t in db.metadata.sorted_tables
        }


def titles(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Booking.title).order_by(Booking.id)))


def api_booking(house: HouseRef, title: str, days: int = 3) -> dict[str, Any]:
    start, end = slot(days)
    return {
        "room_id": house.room_ids[0],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "title": title,
        "public": True,
        "activity": api_activity(),
    }


# Forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Jan\x00Jansen"),
        ("name", "Jan\x1b[31mJansen"),
        ("organisation", "Buurt\x0bclub"),
        ("organisation", "Buurt\x85club"),
        ("email", "jan\x00@example.org"),
    ],
)
def test_registration_with_a_control_character_is_400_in_dutch_and_stores_nothing(
    app: Flask, client: FlaskClient, field: str, value: str
) -> None:
    before = row_counts(app)
    data = {"name": "Jan Jansen", "organisation": "", "email": "jan@example.org", field: value}
    response = post_form(client, "/registreren", data, page="/registreren")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert CONTROL_MESSAGE in html or "één regel" in html
    assert "\x00" not in html and "\x1b" not in html and "\x0b" not in html
    assert row_counts(app) == before


def test_a_bidi_override_in_a_booking_title_is_removed_and_never_shown(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    title = "Koffie\u202eochtend\u2066"
    quoted = post_form(client, url, {**form(title=title), "action": "quote"}, page=url)
    assert quoted.status_code == 200
    token = re.search(r'name="quote_token" type="hidden" value="([0-9a-f]+)"', quoted.text)
    assert token is not None
    confirmed = post_form(
        client,
        url,
        {**form(title=title), "action": "confirm", "quote_token": token.group(1)},
        page=url,
    )
    assert confirmed.status_code == 302, confirmed.text
    assert titles(app) == ["Koffieochtend"]
    week = app.test_client().get(f"/ruimtes/{house.room_ids[0]}?week={form()['day']}")
    assert "Koffieochtend" in week.text and "\u202e" not in week.text


@pytest.mark.parametrize("char", ["\x0b", "\x1b", "\x00", "\x9b", "\n"])
def test_a_booking_title_with_a_control_character_is_refused(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any, char: str
) -> None:
    house = make_house()
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    response = post_form(client, url, {**form(title=f"Bingo{char}avond"), "action": "quote"})
    assert response.status_code == 400
    assert CONTROL_MESSAGE in response.text or "één regel" in response.text
    assert char not in response.text.replace("\r\n", "").replace("\n", "") or char == "\n"
    assert titles(app) == []


def test_a_decomposed_title_is_stored_in_nfc(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    api_login(client, make_user())
    response = client.post("/api/v1/bookings", json=api_booking(house, "Cafe\u0301 avond"))
    assert response.status_code == 201, response.text
    assert titles(app) == [unicodedata.normalize("NFC", "Café avond")]


def test_a_closure_reason_with_a_control_character_is_refused(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    login(client, make_user("beheerder", house=house))
    before = row_counts(app)
    url = f"/beheer/{house.slug}/sluitingen"
    day = form()["day"]
    closure = {"room": "", "start_date": day, "start_time": "10:00", "end_date": day}
    refused = post_form(
        client, url, {**closure, "end_time": "12:00", "reason": "Schilders\x00"}, page=url
    )
    assert refused.status_code == 400 and CONTROL_MESSAGE in refused.text
    assert row_counts(app) == before


def test_a_multiline_cancel_reason_keeps_its_lines_and_refuses_a_nul(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any, book: Any
) -> None:
    house = make_house()
    booking_id = book(make_user(), house.room_ids[0])
    login(client, make_user("beheerder", house=house))
    page = f"/beheer/{house.slug}/boekingen/{booking_id}"
    url = page + "/annuleren"
    refused = post_form(client, url, {"reason": "Lekkage\x00"}, page=page)
    assert refused.status_code == 400 and CONTROL_MESSAGE in refused.text
    with app.app_context():
        assert db.session.get(Booking, booking_id).status == "bevestigd"  # type: ignore[union-attr]
    done = post_form(client, url, {"reason": "Lekkage\r\nin de zaal\u2028echt"}, page=page)
    assert done.status_code == 302, done.text
    with app.app_context():
        stored = db.session.get(Booking, booking_id)
        assert stored is not None and stored.status == "geannuleerd"
        assert decode_reason(stored.status_reason) == "Lekkage\nin de zaal\necht"


# The JSON API --------------------------------------------------------------------------


def test_api_title_with_a_bidi_override_is_stored_without_it(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    api_login(client, make_user())
    response = client.post("/api/v1/bookings", json=api_booking(house, "\u202eBingo"))
    assert response.status_code == 201, response.text
    assert titles(app) == ["Bingo"]
    assert response.get_json()["title"] == "Bingo"


@pytest.mark.parametrize(
    "raw_title",
    ['"Bingo\\ud800"', '"\\udfff"', '"Bingo\\u0000"', '"Bingo\\u001b[2J"', '"Bingo\\n"'],
)
def test_api_title_with_a_surrogate_or_control_is_400_naming_the_field(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any, raw_title: str
) -> None:
    house = make_house()
    api_login(client, make_user())
    body = json.dumps(api_booking(house, "PLACEHOLDER")).replace('"PLACEHOLDER"', raw_title)
    before = row_counts(app)
    response = client.post("/api/v1/bookings", data=body, content_type="application/json")
    assert response.status_code == 400, response.text
    error = response.get_json()["error"]
    assert error["code"] == "ongeldig_veld"
    assert error["details"] == {"field": "title"}
    assert "'title'" in error["message"]
    assert row_counts(app) == before


def test_api_title_of_only_bidi_controls_counts_as_empty(
    client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    api_login(client, make_user())
    response = client.post("/api/v1/bookings", json=api_booking(house, "\u202e\u2066"))
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {"field": "title"}


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "a\\u0000@example.org", "password": "x"}',
        '{"email": "a@example.org", "password": "geheim\\ud800"}',
        '{"email": "a\\ud800@example.org", "password": "x"}',
    ],
)
def test_api_login_with_a_nul_or_surrogate_is_400_not_500(
    client: FlaskClient, make_user: Any, body: str
) -> None:
    make_user(email="a@example.org")
    response = client.post("/api/v1/session", data=body, content_type="application/json")
    assert response.status_code == 400, response.text
    assert response.get_json()["error"]["details"]["field"] in {"email", "password"}


def test_a_feed_for_a_house_slug_with_a_nul_is_not_found(
    client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    api_login(client, make_user("beheerder", house=house))
    response = client.post("/api/v1/feeds", json={"scope": "house", "id": house.slug + "\x00"})
    assert response.status_code == 404
    page = post_form(
        client, "/agenda-links", {"nieuw-scope": "house", "nieuw-id": "\x00"}, page="/agenda-links"
    )
    assert page.status_code == 404


# Query strings and paths ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/ruimtes?house=%00",
        "/ruimtes?area=a%1Bb",
        "/login?next=/%0Aevil",
        "/ruimtes?%00=1",
        "/stats?van=2026-01-01%00",
    ],
)
def test_a_query_string_with_a_control_character_is_400_in_dutch(
    client: FlaskClient, url: str
) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "teken dat niet mag" in response.text


def test_an_api_query_string_with_a_nul_is_400_naming_the_parameter(
    client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    make_house()
    api_login(client, make_user())
    start, end = slot(3)
    response = client.get(
        "/api/v1/free-rooms",
        query_string={"start": start.isoformat(), "end": end.isoformat(), "house": "oss\x00"},
    )
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["details"] == {"field": "house"} and "'house'" in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/huizen/%00",
        "/huizen/oss%00",
        "/huizen/%ED%A0%80",
        "/huizen/oss%E2%80%AE",
        "/beheer/%00/boekingen",
        "/feeds/%00.ics",
        "/api/v1/bookings/%00",
    ],
)
def test_a_path_value_with_a_nul_or_surrogate_is_404(
    client: FlaskClient, make_house: Any, path: str
) -> None:
    make_house("oss")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/k/1.1.%C3%A9", "/p/1.%C3%A9"])
def test_a_kiosk_or_poster_token_that_is_not_ascii_is_no_500(
    client: FlaskClient, make_house: Any, path: str
) -> None:
    """hmac.compare_digest raises on non-ASCII text; such a token is simply not ours."""
    make_house()
    assert client.get(path).status_code < 500


def test_the_language_switch_ignores_a_next_with_a_line_break(client: FlaskClient) -> None:
    token = csrf_token(client)
    response = client.post("/taal", data={"lang": "nl", "next": "/\r\nX: y", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")


def test_a_quote_token_that_is_not_ascii_is_no_match_not_a_500(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any
) -> None:
    house = make_house()
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    response = post_form(client, url, {**form(), "action": "confirm", "quote_token": "é"})
    assert response.status_code == 200  # shown the quote again, nothing booked
    assert titles(app) == []


# Output: the .ics never carries control characters -------------------------------------


def test_a_feed_never_carries_control_characters_stored_around_the_edge(
    app: Flask, client: FlaskClient, make_house: Any, make_user: Any, book: Any
) -> None:
    house = make_house()
    organiser = make_user()
    booking_id = book(organiser, house.room_ids[0])
    with app.app_context():
        # Written straight to the database, as an old row or another tool might have.
        booking = db.session.get(Booking, booking_id)
        assert booking is not None
        booking.title = "Bingo\x1b[31m\x0b\x7f\x85\u202eavond\u2028x"
        user = db.session.get(User, organiser.id)
        assert user is not None
        user.name = "Jan\x1b\x0cJansen"
        user.organisation = "Club\x9b\u2066"
        booking.room.name = "Zaal\x08 1"
        db.session.commit()
    api_login(client, make_user("beheerder", house=house))
    for scope in ("house", "public"):
        _id, path = new_feed(client, scope, house.slug)
        body = app.test_client().get(path).get_data(as_text=True)
        assert "BEGIN:VEVENT" in body
        assert FORBIDDEN_OUTPUT.search(body) is None, repr(FORBIDDEN_OUTPUT.search(body))
        assert "\u2028" not in body and "\x85" not in body
        unfolded = body.replace("\r\n ", "")
        assert "SUMMARY:Bingo[31m avond x" in unfolded
        if scope == "house":
            assert "Organisator: JanJansen" in unfolded


# Every text field of every form follows the rule ------------------------------------------

FORM_MODULES = (
    "booking.accounts.forms",
    "booking.rooms.forms",
    "booking.beheer.forms",
    "booking.stats.forms",
    "booking.feeds.forms",
    "kiosk.forms",
)
NOT_VALIDATED = {
    # Read from the query string, which input_guard checks, by feeds.parse_period; this
    # form is never validated, so a validator here would never run.
    ("DownloadForm", "van"),
    ("DownloadForm", "tot"),
}


def _form_classes() -> list[type[FlaskForm]]:
    for name in FORM_MODULES:
        importlib.import_module(name)
    found: list[type[FlaskForm]] = []
    todo = list(FlaskForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__ in FORM_MODULES:
            found.append(cls)
    return found


def test_every_text_field_of_every_form_starts_with_the_text_rule() -> None:
    checked = 0
    for cls in _form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name)
            field_class = getattr(unbound, "field_class", None)
            if field_class is None or not issubclass(field_class, StringField):
                continue
            if (cls.__name__, name) in NOT_VALIDATED:
                continue
            validators = unbound.kwargs.get("validators") or []
            first = validators[0] if validators else None
            ok = isinstance(first, UserText | Secret) or (
                isinstance(first, AnyOf) and field_class.__name__ == "HiddenField"
            )
            assert ok, f"{cls.__name__}.{name} does not start with one_line/lines/secret"
            checked += 1
    assert checked >= 25
