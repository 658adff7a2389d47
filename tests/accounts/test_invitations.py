"""The invitation page: a link that works once, for seven days; a clear Dutch page with a
410 when it no longer does; a 404 for a link that never existed; and two clicks at once
that accept once."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import OutboxMail, User
from booking.models.accounts import Invitation
from booking.rules.permissions import Role
from booking.rules.staff_roles import PENDING_PASSWORD
from booking.services.people import invitations
from tests.conftest import post_form

LINK = re.compile(r"/uitnodiging/([A-Za-z0-9_-]+)")
GOOD = {"name": "Noor", "password": "een-goed-wachtwoord", "password_again": "een-goed-wachtwoord"}


@pytest.fixture
def invited(app, make_house, make_user) -> tuple[int, str]:
    """A new host of a house, invited by its sociaal beheerder: (user id, token)."""
    house = make_house("de-haard")
    sociaal = make_user("sociaal_beheerder", house)
    with app.test_request_context():
        actor = db.session.get(User, sociaal.id)
        done = invitations.invite_to_house(
            actor, "de-haard", "noor@example.org", "", Role.gastheer, datetime.now(UTC)
        )
        db.session.commit()
        body = db.session.query(OutboxMail).filter_by(kind="invitation").one().body_text
        return done.user.id, LINK.search(body).group(1)


def state(app, user_id: int) -> tuple[str, str]:
    with app.app_context():
        user = db.session.get(User, user_id)
        return user.name, user.password_hash


def test_the_page_greets_the_address_and_its_role(app, invited):
    _user_id, token = invited
    page = app.test_client().get(f"/uitnodiging/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "noor@example.org" in text and "Gastvrouw of gastheer van Testhuis 1" in text
    assert 'value="noor"' in text  # the name the invitation made, to change


def test_a_form_with_mistakes_stores_nothing(app, invited):
    user_id, token = invited
    client = app.test_client()
    different = post_form(
        client, f"/uitnodiging/{token}", {**GOOD, "password_again": "anders-dan-dat"}
    )
    assert different.status_code == 400
    assert "De wachtwoorden zijn niet gelijk." in different.get_data(as_text=True)
    short = post_form(
        client, f"/uitnodiging/{token}", {**GOOD, "password": "kort", "password_again": "kort"}
    )
    assert short.status_code == 400
    nameless = post_form(client, f"/uitnodiging/{token}", {**GOOD, "name": ""})
    assert nameless.status_code == 400 and "Vul uw naam in." in nameless.get_data(as_text=True)
    assert state(app, user_id) == ("noor", PENDING_PASSWORD)
    assert client.get("/dashboard").status_code == 302  # not logged in


def test_used_twice_the_second_time_is_a_410_with_the_reason(app, invited):
    user_id, token = invited
    first = app.test_client()
    assert post_form(first, f"/uitnodiging/{token}", GOOD).status_code == 302
    assert first.get("/dashboard").status_code == 200
    second = post_form(app.test_client(), f"/uitnodiging/{token}", {**GOOD, "name": "Ander"})
    assert second.status_code == 410
    assert "Deze uitnodiging is al gebruikt." in second.get_data(as_text=True)
    assert state(app, user_id)[0] == "Noor"


def test_too_late_is_a_410_and_a_replaced_link_too(app, invited):
    user_id, token = invited
    with app.app_context():
        invitation = db.session.query(Invitation).one()
        invitation.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    late = app.test_client().get(f"/uitnodiging/{token}")
    assert late.status_code == 410 and "7 dagen geldig" in late.get_data(as_text=True)
    assert post_form(app.test_client(), f"/uitnodiging/{token}", GOOD).status_code == 410
    assert state(app, user_id) == ("noor", PENDING_PASSWORD)
    with app.test_request_context():
        invitations.resend(None, db.session.get(User, user_id), datetime.now(UTC))
        db.session.commit()
    replaced = app.test_client().get(f"/uitnodiging/{token}")
    assert replaced.status_code == 410 and "nieuwere" in replaced.get_data(as_text=True)


def test_unknown_links_are_404_whatever_they_look_like(app, invited):
    client = app.test_client()
    for token in ("x", "A" * 43, "%00" * 20, "a" * 5000, "..%2F" * 10):
        assert client.get(f"/uitnodiging/{token}").status_code == 404


@pytest.mark.real_commits
def test_two_clicks_at_once_accept_once(app, make_house, make_user):
    house = make_house("de-haard")
    gemeente = make_user("gemeente")
    with app.test_request_context():
        done = invitations.invite_to(
            db.session.get(User, gemeente.id),
            "race@example.org",
            "",
            Role.gastheer,
            [house.id],
            datetime.now(UTC),
        )
        db.session.commit()
        user_id = done.user.id
        body = db.session.query(OutboxMail).filter_by(kind="invitation").one().body_text
    token = LINK.search(body).group(1)
    clicks = 6
    barrier = threading.Barrier(clicks)

    def click(n: int) -> str:
        with app.test_request_context():
            barrier.wait()
            try:
                invitations.accept(token, f"Klik {n}", "een-goed-wachtwoord", datetime.now(UTC))
                db.session.commit()
                return f"Klik {n}"
            except RuleViolation:
                db.session.rollback()
                return "al gebruikt"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=clicks) as pool:
        answers = list(pool.map(click, range(clicks)))
    winners = [a for a in answers if a != "al gebruikt"]
    assert len(winners) == 1, answers
    assert state(app, user_id)[0] == winners[0]
