"""Regression tests for what the attacker's review of the hardening round found."""

from __future__ import annotations

import http.client
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from booking.extensions import db
from booking.models import OutboxMail, User
from booking.services import accounts
from tests.conftest import api_activity, csrf_token, local_day, login, post_form

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    "body",
    ['"x"', "[1,2]", '{"email":{"a":1},"password":"x"}', '{"email":123,"password":456}', DEEP],
)
@pytest.mark.parametrize("path", ["/login", "/registreren", "/wachtwoord-vergeten"])
def test_a_form_page_never_reads_a_json_body(app, client, path, body):
    """Forms take posted form fields only; JSON is for the API (it was a 500)."""
    token = csrf_token(client, path)
    response = client.post(
        path, data=body, headers={"Content-Type": "application/json", "X-CSRFToken": token}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(User).count() == 0
        assert db.session.query(OutboxMail).count() == 0


def test_a_kiosk_name_sent_as_json_number_is_not_stored(app, make_house, make_user):
    house = make_house()
    staff = app.test_client()
    login(staff, make_user("beheerder", house))
    token = csrf_token(staff, f"/kiosk/beheer/{house.slug}")
    response = staff.post(
        f"/kiosk/beheer/{house.slug}/nieuw",
        json={"room": house.room_ids[0], "name": 12345},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "change",
    [
        {"activity": {**api_activity(), "organiser_kind": []}},
        {"activity": {**api_activity(), "organiser_kind": {}}},
        {"recurrence": {"freq": {}, "interval": 1, "until": local_day(40).isoformat()}},
        {"recurrence": {"freq": ["weekly"], "interval": 1, "until": local_day(40).isoformat()}},
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/quote", "/api/v1/bookings"])
def test_a_list_or_object_where_a_word_belongs_is_a_400(
    app, client, make_house, make_user, path, change
):
    house = make_house()
    user = make_user()
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, user.id))
        db.session.commit()
    day = local_day(5).isoformat()
    body = {
        "room_id": house.room_ids[0],
        "start": f"{day}T10:00",
        "end": f"{day}T12:00",
        "title": "Soep",
        "activity": api_activity(),
        **change,
    }
    response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "ongeldig_veld"


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _post_at_once(port: int, path: str, bodies: list[tuple[str, str]]) -> Counter:
    """POST each (cookie, form body) at the same moment; count (status, location) pairs."""
    barrier = threading.Barrier(len(bodies))

    def post(item: tuple[str, str]) -> tuple[int, str]:
        cookie, body = item
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.connect()
        barrier.wait()
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        response = connection.getresponse()
        answer = (response.status, response.getheader("Location", ""))
        connection.close()
        return answer

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return Counter(pool.map(post, bodies))


def _browsers(app, link: str, count: int) -> list[tuple[str, str]]:
    """`count` browsers that each opened `link`: their session cookie and form body."""
    result = []
    for _ in range(count):
        browser = app.test_client()
        token = csrf_token(browser, link)
        cookie = browser.get_cookie("session")
        body = urlencode(
            {"password": "lang-genoeg-1", "password_again": "lang-genoeg-1", "csrf_token": token}
        )
        result.append((f"session={cookie.value}", body))
    return result


@pytest.mark.real_commits  # a real threaded server
def test_a_registration_link_used_six_times_at_once_makes_one_account(app, client):
    post_form(client, "/registreren", {"name": "Dubbel", "email": "dubbel@example.org"})
    with app.app_context():
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="registration")).one()
        link = re.search(r"http://localhost(/registreren/\S+)", mail.body_text).group(1)
        assert "Dubbel" not in mail.body_text  # the mail greets no name a stranger chose
    server = _serve(app)
    try:
        answers = _post_at_once(server.server_port, link, _browsers(app, link, 6))
    finally:
        server.shutdown()
    assert {status for status, _where in answers} == {302}
    assert sum(n for (_s, where), n in answers.items() if where.endswith("/dashboard")) == 1
    with app.app_context():
        assert db.session.query(User).filter_by(email="dubbel@example.org").count() == 1


@pytest.mark.real_commits  # a real threaded server
def test_a_reset_link_used_six_times_at_once_resets_once(app, client, make_user):
    user = make_user()
    post_form(client, "/wachtwoord-vergeten", {"email": user.email})
    with app.app_context():
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="password_reset")).one()
        link = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", mail.body_text).group(1)
    server = _serve(app)
    try:
        answers = _post_at_once(server.server_port, link, _browsers(app, link, 6))
    finally:
        server.shutdown()
    assert {status for status, _where in answers} == {302}
    assert sum(n for (_s, where), n in answers.items() if where.endswith("/dashboard")) == 1


def test_no_raw_control_or_bidi_character_is_echoed_into_a_page(client, make_user):
    page = client.get("/huizen/x%1b[31m%E2%80%AEy").get_data(as_text=True)
    assert "\x1b" not in page and "\u202e" not in page
    login(client, make_user())
    response = client.get("/account")
    assert response.headers["Cache-Control"] == "no-store"
