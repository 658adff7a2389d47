"""Making and revoking feeds: the JSON API, the agenda-links page, downloads, permissions."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import AuditEntry, FeedToken
from booking.services import feeds
from tests.conftest import csrf_token, local_day, login, post_form
from tests.feeds import api_login, book_at, events, new_feed, parse


def feed_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(FeedToken.id)))


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.object_type == "feed_token")
                .order_by(AuditEntry.id)
            )
        )


@pytest.fixture
def people(make_house, make_user):
    house_a, house_b = make_house("huis-a"), make_house("huis-b")
    return {
        "house": house_a,
        "other_house": house_b,
        "initiatiefnemer": make_user("initiatiefnemer"),
        "gastheer": make_user("gastheer", house_a),
        "sociaal_beheerder": make_user("sociaal_beheerder", house_a),
        "beheerder": make_user("beheerder", house_a),
        "beheerder_b": make_user("beheerder", house_b),
        "gemeente": make_user("gemeente"),
    }


# API -------------------------------------------------------------------------------------


def test_create_answers_201_with_an_absolute_url_that_works(app, client, people):
    api_login(client, people["beheerder"])
    response = client.post("/api/v1/feeds", json={"scope": "house", "id": "huis-a"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "url"}
    assert re.fullmatch(r"http://localhost/feeds/[A-Za-z0-9_-]{43}\.ics", body["url"])
    assert app.test_client().get(urlsplit(body["url"]).path).status_code == 200
    assert audit_actions(app) == ["feed_created"]


@pytest.mark.parametrize(
    ("role", "scope", "target", "status"),
    [
        ("initiatiefnemer", "mine", None, 201),
        ("initiatiefnemer", "house", "huis-a", 404),
        ("initiatiefnemer", "public", "huis-a", 404),
        ("initiatiefnemer", "room", "room-a", 404),
        ("gastheer", "house", "huis-a", 404),
        ("gastheer", "mine", None, 201),
        ("sociaal_beheerder", "house", "huis-a", 201),
        ("sociaal_beheerder", "public", "huis-a", 201),
        ("sociaal_beheerder", "room", "room-a", 201),
        ("beheerder", "house", "huis-a", 201),
        ("beheerder_b", "house", "huis-a", 404),
        ("beheerder_b", "public", "huis-a", 404),
        ("beheerder_b", "room", "room-a", 404),
        ("beheerder_b", "house", "huis-b", 201),
        ("gemeente", "house", "huis-a", 201),
        ("gemeente", "room", "room-a", 201),
    ],
)
def test_who_may_create_which_feed(app, client, people, role, scope, target, status):
    api_login(client, people[role])
    body = {"scope": scope}
    if target is not None:
        body["id"] = people["house"].room_ids[0] if target == "room-a" else target
    response = client.post("/api/v1/feeds", json=body)
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 404:
        assert response.get_json()["error"]["code"] == "niet_gevonden"
        assert feed_count(app) == 0


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"scope": "everything"}, 400, "scope"),
        ({"id": "huis-a"}, 400, "scope"),
        ({"scope": 3}, 400, "scope"),
        ({"scope": "house"}, 400, "id"),
        ({"scope": "house", "id": ""}, 400, "id"),
        ({"scope": "public", "id": 7}, 400, "id"),
        ({"scope": "room"}, 400, "id"),
        ({"scope": "room", "id": "1"}, 400, "id"),
        ({"scope": "room", "id": True}, 400, "id"),
        ({"scope": "mine", "id": "huis-a"}, 400, "id"),
        ({"scope": "house", "id": "bestaat-niet"}, 404, None),
        ({"scope": "public", "id": "x" * 300}, 404, None),
        ({"scope": "room", "id": 999999}, 404, None),
    ],
)
def test_bad_input_is_a_json_error_and_stores_nothing(app, client, people, body, status, field):
    api_login(client, people["gemeente"])
    response = client.post("/api/v1/feeds", json=body)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    if field:
        assert error["details"] == {"field": field}
    assert feed_count(app) == 0
    assert audit_actions(app) == []


def test_not_json_and_not_logged_in(app, client, people):
    assert client.post("/api/v1/feeds", json={"scope": "mine"}).status_code == 401
    assert client.delete("/api/v1/feeds/1").status_code == 401
    api_login(client, people["initiatiefnemer"])
    response = client.post("/api/v1/feeds", data="scope=mine")
    assert response.status_code == 415 and response.get_json()["error"]["code"]
    assert (
        client.post("/api/v1/feeds", data="[1", content_type="application/json").status_code == 400
    )
    assert feed_count(app) == 0


def test_delete_revokes_and_only_for_the_owner_or_house_staff(app, people):
    clients = {
        role: api_login(app.test_client(), people[role])
        for role in ("initiatiefnemer", "sociaal_beheerder", "beheerder", "beheerder_b", "gemeente")
    }
    mine_id, mine_path = new_feed(clients["initiatiefnemer"], "mine")
    house_id, house_path = new_feed(clients["sociaal_beheerder"], "house", "huis-a")
    room_id, _ = new_feed(clients["sociaal_beheerder"], "room", people["house"].room_ids[0])

    for role in ("sociaal_beheerder", "beheerder", "beheerder_b", "gemeente"):
        response = clients[role].delete(f"/api/v1/feeds/{mine_id}")
        assert response.status_code == 404, role
        assert response.get_json()["error"]["code"] == "niet_gevonden"
    for role in ("initiatiefnemer", "beheerder_b"):
        assert clients[role].delete(f"/api/v1/feeds/{house_id}").status_code == 404, role
        assert clients[role].delete(f"/api/v1/feeds/{room_id}").status_code == 404, role
    assert clients["initiatiefnemer"].get(mine_path).status_code == 200
    assert clients["initiatiefnemer"].get(house_path).status_code == 200

    # a colleague in the house may revoke; the owner may revoke their own
    assert clients["beheerder"].delete(f"/api/v1/feeds/{house_id}").status_code == 204
    assert clients["initiatiefnemer"].delete(f"/api/v1/feeds/{mine_id}").status_code == 204
    assert clients["initiatiefnemer"].delete(f"/api/v1/feeds/{mine_id}").status_code == 404
    assert clients["gemeente"].delete("/api/v1/feeds/999999").status_code == 404
    assert app.test_client().get(house_path).status_code == 404
    assert app.test_client().get(mine_path).status_code == 404
    with app.app_context():
        revoked = db.session.scalars(select(FeedToken).where(FeedToken.revoked_at.is_not(None)))
        assert {f.id for f in revoked} == {mine_id, house_id}
    assert audit_actions(app).count("feed_revoked") == 2


def test_live_feeds_per_user_are_capped(app, client, people, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_ACTIVE_FEEDS", 2)
    api_login(client, people["initiatiefnemer"])
    first, _ = new_feed(client, "mine")
    new_feed(client, "mine")
    response = client.post("/api/v1/feeds", json={"scope": "mine"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "regel_geschonden"
    assert client.delete(f"/api/v1/feeds/{first}").status_code == 204
    new_feed(client, "mine")


def test_openapi_documents_the_feed_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/feeds"] and "delete" in paths["/feeds/{id}"]


# Pages -----------------------------------------------------------------------------------


def test_initiatiefnemer_is_offered_only_their_own_bookings(client, people):
    login(client, people["initiatiefnemer"])
    page = client.get("/agenda-links").get_data(as_text=True)
    assert 'href="/agenda-links"' in page and "Agenda-links" in page
    assert 'value="mine"' in page
    assert 'value="house"' not in page and 'value="huis-a"' not in page


def test_beheerder_is_offered_only_their_houses(client, people):
    login(client, people["beheerder_b"])
    page = client.get("/agenda-links").get_data(as_text=True)
    assert 'value="house"' in page and 'value="huis-b"' in page
    assert 'value="huis-a"' not in page


def test_create_on_the_page_shows_copyable_links_once(app, client, people):
    login(client, people["beheerder"])
    response = post_form(
        client,
        "/agenda-links",
        {"nieuw-scope": "public", "nieuw-id": "huis-a"},
        page="/agenda-links",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    https = re.search(r'<input type="text" id="nieuwe-link-https" value="([^"]+)" readonly>', page)
    webcal = re.search(
        r'<input type="text" id="nieuwe-link-webcal" value="([^"]+)" readonly>', page
    )
    assert https and webcal
    assert '<label for="nieuwe-link-https">' in page and '<label for="nieuwe-link-webcal">' in page
    url = unescape(https.group(1))
    assert unescape(webcal.group(1)) == "webcal://" + url.split("://", 1)[1]
    assert app.test_client().get(urlsplit(url).path).status_code == 200
    later = client.get("/agenda-links").get_data(as_text=True)
    assert "Openbare agenda van Testhuis 1" in later
    assert urlsplit(url).path not in later, "the token is shown only once"
    assert "style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script (CSP)"


def test_page_refuses_what_the_user_may_not_have(app, client, people):
    login(client, people["beheerder_b"])
    response = post_form(
        client,
        "/agenda-links",
        {"nieuw-scope": "house", "nieuw-id": "huis-a"},
        page="/agenda-links",
    )
    assert response.status_code == 404
    missing = post_form(
        client, "/agenda-links", {"nieuw-scope": "house", "nieuw-id": ""}, page="/agenda-links"
    )
    assert missing.status_code == 400
    assert "Kies bij deze agenda een huis." in missing.get_data(as_text=True)
    wrong = post_form(
        client, "/agenda-links", {"nieuw-scope": "room", "nieuw-id": "huis-b"}, page="/agenda-links"
    )
    assert wrong.status_code == 400
    assert "Kies bij deze agenda een ruimte." in wrong.get_data(as_text=True)
    assert feed_count(app) == 0


def test_page_needs_the_csrf_token(app, client, people):
    login(client, people["initiatiefnemer"])
    assert client.post("/agenda-links", data={"nieuw-scope": "mine"}).status_code == 400
    assert feed_count(app) == 0


def test_revoke_button(app, client, people):
    owner, stranger = app.test_client(), app.test_client()
    login(owner, people["initiatiefnemer"])
    login(stranger, people["beheerder"])
    post_form(owner, "/agenda-links", {"nieuw-scope": "mine"}, page="/agenda-links")
    with app.app_context():
        feed_id = db.session.scalar(select(FeedToken.id))
    page = owner.get("/agenda-links").get_data(as_text=True)
    # the page links to the confirmation; that page's form posts to revoke
    assert f'href="/agenda-links/{feed_id}/intrekken/bevestigen"' in page
    assert f'action="/agenda-links/{feed_id}/intrekken"' not in page

    token = csrf_token(stranger, "/agenda-links")
    assert (
        stranger.post(f"/agenda-links/{feed_id}/intrekken", data={"csrf_token": token}).status_code
        == 404
    )
    response = post_form(owner, f"/agenda-links/{feed_id}/intrekken", {}, page="/agenda-links")
    assert response.status_code == 302 and response.headers["Location"] == "/agenda-links"
    assert "ingetrokken" in owner.get("/agenda-links").get_data(as_text=True)
    assert (
        post_form(owner, f"/agenda-links/{feed_id}/intrekken", {}, page="/agenda-links").status_code
        == 404
    )
    assert app.test_client().post(f"/agenda-links/{feed_id}/intrekken").status_code in (302, 400)


def test_colleagues_see_and_may_revoke_each_others_house_feeds(app, people):
    maker, colleague = app.test_client(), app.test_client()
    login(maker, people["sociaal_beheerder"])
    login(colleague, people["beheerder"])
    post_form(
        maker, "/agenda-links", {"nieuw-scope": "house", "nieuw-id": "huis-a"}, page="/agenda-links"
    )
    with app.app_context():
        feed_id = db.session.scalar(select(FeedToken.id))
    page = colleague.get("/agenda-links").get_data(as_text=True)
    assert "Agenda-links van collega" in page and "Alle boekingen van Testhuis 1" in page
    response = post_form(colleague, f"/agenda-links/{feed_id}/intrekken", {}, page="/agenda-links")
    assert response.status_code == 302


def test_download_a_period(app, client, people):
    house = people["house"]
    day = local_day(3)
    booking_id = book_at(
        app, people["initiatiefnemer"], house.room_ids[0], datetime.combine(day, time(10))
    )
    login(client, people["sociaal_beheerder"])
    response = client.get(f"/agenda-links/download.ics?scope=house&id=huis-a&van={day}&tot={day}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = events(parse(response.data))
    assert event["UID"] == f"booking-{booking_id}@buurthuis"
    later = client.get(
        f"/agenda-links/download.ics?scope=house&id=huis-a"
        f"&van={day + timedelta(days=1)}&tot={day + timedelta(days=9)}"
    )
    assert events(parse(later.data)) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("scope=mine&van=2027-02-30&tot=2027-03-01", "Dit is geen geldige datum"),
        ("scope=mine&van=morgen&tot=2027-03-01", "Dit is geen geldige datum"),
        ("scope=mine&tot=2027-03-01", "Vul een datum in"),
        ("scope=mine&van=2027-03-02&tot=2027-03-01", "De einddatum ligt vóór de begindatum."),
        ("scope=mine&van=2027-01-01&tot=2028-02-05", "hoogstens 400 dagen"),
        ("scope=alles&van=2027-01-01&tot=2027-01-05", "Kies een soort agenda"),
        ("scope=house&van=2027-01-01&tot=2027-01-05", "Kies bij deze agenda een huis."),
        ("", "Kies een soort agenda"),
    ],
)
def test_download_bad_input_is_400_in_dutch(client, people, query, message):
    login(client, people["beheerder"])
    response = client.get(f"/agenda-links/download.ics?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert message in unescape(response.get_data(as_text=True))


def test_download_max_period_and_permissions(client, people):
    login(client, people["initiatiefnemer"])
    ok = client.get("/agenda-links/download.ics?scope=mine&van=2027-01-01&tot=2028-02-04")
    assert ok.status_code == 200, "400 days, both included"
    assert (
        client.get(
            "/agenda-links/download.ics?scope=house&id=huis-a&van=2027-01-01&tot=2027-01-02"
        ).status_code
        == 404
    )
    assert (
        client.get(
            "/agenda-links/download.ics?scope=room&id=1&van=2027-01-01&tot=2027-01-02"
        ).status_code
        == 404
    )
    anonymous = client.application.test_client()
    assert anonymous.get("/agenda-links/download.ics?scope=mine").status_code == 302
