"""/account/aanvraagmail: a beheerder chooses how they hear of new requests; others 404."""

from __future__ import annotations

import re

import pytest

from booking.extensions import db
from booking.models import User
from tests.conftest import csrf_token, login, post_form

PAGE = "/account/aanvraagmail"


def choice_of(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).request_mail


def test_a_beheerder_sees_the_choice_and_stores_it(app, client, make_house, make_user) -> None:
    beheerder = make_user("beheerder", make_house())
    login(client, beheerder)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for words in (
        "Direct, één e-mail per aanvraag",
        "Eén keer per dag een overzicht",
        "Geen e-mail",
    ):
        assert words in html
    assert re.search(r'<input checked[^>]*value="direct"', html)
    response = post_form(client, PAGE, {"choice": "dagelijks"}, page=PAGE)
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    assert choice_of(app, beheerder) == "dagelijks"
    assert "Uw keuze is bewaard." in client.get(PAGE).get_data(as_text=True)
    post_form(client, PAGE, {"choice": "nooit"}, page=PAGE)
    assert choice_of(app, beheerder) == "nooit"


@pytest.mark.parametrize("value", ["", "wekelijks", "DIRECT", "x" * 5000])
def test_a_bad_choice_is_refused_and_nothing_changes(app, client, make_house, make_user, value):
    beheerder = make_user("beheerder", make_house())
    login(client, beheerder)
    response = post_form(client, PAGE, {"choice": value}, page=PAGE)
    assert response.status_code == 400
    assert choice_of(app, beheerder) == "direct"


def test_without_csrf_nothing_changes(app, client, make_house, make_user) -> None:
    beheerder = make_user("beheerder", make_house())
    login(client, beheerder)
    response = client.post(PAGE, data={"choice": "nooit"})
    assert response.status_code == 400
    assert choice_of(app, beheerder) == "direct"


@pytest.mark.parametrize("role", ["initiatiefnemer", "gastheer", "sociaal_beheerder", "gemeente"])
def test_who_is_no_houses_beheerder_gets_404(app, client, make_house, make_user, role) -> None:
    house = make_house()
    user = make_user(role, house if role in ("gastheer", "sociaal_beheerder") else None)
    login(client, user)
    assert client.get(PAGE).status_code == 404
    token = csrf_token(client, "/account")
    assert client.post(PAGE, data={"choice": "nooit", "csrf_token": token}).status_code == 404
    assert choice_of(app, user) == "direct"


def test_anonymous_is_sent_to_log_in(client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_account_page_links_to_it_for_beheerders_only(app, make_house, make_user) -> None:
    house = make_house()
    for role, shown in (("beheerder", True), ("sociaal_beheerder", False)):
        client = app.test_client()
        login(client, make_user(role, house))
        assert (PAGE in client.get("/account").get_data(as_text=True)) is shown
