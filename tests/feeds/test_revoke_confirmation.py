"""Revoking a feed asks first ("Weet u het zeker?"), also without JavaScript.

The agenda-links page links to a GET page that changes nothing; its form posts, with a
CSRF token, to the unchanged revoke endpoint. A feed the user may not revoke, an unknown
and a revoked one are not found there, exactly as for the revoke itself.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import FeedToken
from tests.conftest import csrf_token, login, post_form

CONFIRM_FORM = re.compile(
    r'<form method="post" action="([^"]+)" class="form">\s*'
    r'<input type="hidden" name="csrf_token" value="[^"]+">'
)


@pytest.fixture
def people(make_house, make_user):
    house_a, house_b = make_house("huis-a"), make_house("huis-b")
    return {
        "initiatiefnemer": make_user("initiatiefnemer"),
        "other": make_user("initiatiefnemer"),
        "gastheer": make_user("gastheer", house_a),
        "sociaal_beheerder": make_user("sociaal_beheerder", house_a),
        "beheerder": make_user("beheerder", house_a),
        "beheerder_b": make_user("beheerder", house_b),
    }


def client_of(app, user):
    client = app.test_client()
    login(client, user)
    return client


def make_feed(client, scope: str = "mine", target: str | None = None) -> int:
    data = {"nieuw-scope": scope, **({"nieuw-id": target} if target else {})}
    assert post_form(client, "/agenda-links", data, page="/agenda-links").status_code == 200
    return db.session.scalar(select(FeedToken.id).order_by(FeedToken.id.desc()))


def revoked(app, feed_id: int) -> bool:
    with app.app_context():
        return db.session.get(FeedToken, feed_id).revoked_at is not None


def test_the_owner_confirms_before_revoking(app, people):
    owner = client_of(app, people["initiatiefnemer"])
    with app.app_context():
        feed_id = make_feed(owner)
    page = owner.get("/agenda-links").get_data(as_text=True)
    url = f"/agenda-links/{feed_id}/intrekken/bevestigen"
    assert f'href="{url}"' in page
    confirm = owner.get(url)
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert "Weet u het zeker?" in html and "Agenda-link intrekken" in html
    assert "Mijn boekingen" in html and "Nee, terug" in html and 'href="/agenda-links"' in html
    assert "Gemaakt door" not in html  # their own
    assert "<script>" not in html
    assert not revoked(app, feed_id)  # looking changes nothing
    match = CONFIRM_FORM.search(html)
    assert match and match.group(1) == f"/agenda-links/{feed_id}/intrekken"
    done = owner.post(match.group(1), data={"csrf_token": csrf_token(owner, url)})
    assert done.status_code == 302 and done.headers["Location"] == "/agenda-links"
    assert revoked(app, feed_id)
    assert owner.get(url).status_code == 404  # revoked: not found, like the revoke


def test_a_colleague_sees_who_made_it(app, people):
    maker = client_of(app, people["sociaal_beheerder"])
    with app.app_context():
        feed_id = make_feed(maker, "house", "huis-a")
    colleague = client_of(app, people["beheerder"])
    url = f"/agenda-links/{feed_id}/intrekken/bevestigen"
    assert f'href="{url}"' in colleague.get("/agenda-links").get_data(as_text=True)
    html = colleague.get(url).get_data(as_text=True)
    assert "Gemaakt door" in html and "Test sociaal_beheerder" in html
    assert "Alle boekingen van Testhuis 1" in html
    assert not revoked(app, feed_id)


@pytest.mark.parametrize("who", ["other", "gastheer", "beheerder_b"])
def test_others_feeds_are_not_found(app, people, who):
    owner = client_of(app, people["sociaal_beheerder"])
    with app.app_context():
        house_feed = make_feed(owner, "house", "huis-a")
        own_feed = make_feed(owner)
    stranger = client_of(app, people[who])
    for feed_id in (house_feed, own_feed):
        assert stranger.get(f"/agenda-links/{feed_id}/intrekken/bevestigen").status_code == 404
    assert not revoked(app, house_feed) and not revoked(app, own_feed)


@pytest.mark.parametrize("feed_id", ["999999", "0", "99999999999999999999", "-1", "abc"])
def test_unknown_feeds_are_not_found(app, people, feed_id):
    client = client_of(app, people["beheerder"])
    assert client.get(f"/agenda-links/{feed_id}/intrekken/bevestigen").status_code == 404


def test_anonymous_goes_to_the_login_page(app, people):
    owner = client_of(app, people["initiatiefnemer"])
    with app.app_context():
        feed_id = make_feed(owner)
    response = app.test_client().get(f"/agenda-links/{feed_id}/intrekken/bevestigen")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not revoked(app, feed_id)
