"""Sessions that end, and a login throttle that counts per account in the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.extensions import db
from booking.models import ApiToken, OutboxMail, User
from booking.services import accounts
from tests.conftest import PASSWORD, login, post_form


def _copy_of(app, client):
    """A second browser holding a copy of `client`'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief.set_cookie("session", cookie.value)
    return thief


def test_a_cookie_copied_before_logout_no_longer_works(app, client, make_user):
    user = make_user()
    login(client, user)
    thief = _copy_of(app, client)
    assert thief.get("/dashboard").status_code == 200
    post_form(client, "/logout", {}, page="/dashboard")
    assert client.get("/dashboard").status_code == 302
    assert thief.get("/dashboard").status_code == 302
    assert thief.get("/api/v1/session").status_code == 401


def test_logout_through_the_api_ends_the_copied_cookie_too(app, client, make_user):
    user = make_user()
    response = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    thief = _copy_of(app, client)
    assert thief.get("/api/v1/session").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    assert thief.get("/api/v1/session").status_code == 401


def test_a_password_reset_ends_every_session_and_revokes_api_tokens(app, client, make_user):
    user = make_user()
    login(client, user)
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, user.id))
        db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 200
    other = app.test_client()
    post_form(other, "/wachtwoord-vergeten", {"email": user.email})
    with app.app_context():
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="password_reset")).one()
        link = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", mail.body_text).group(1)
    response = post_form(
        other, link, {"password": "nieuw-wachtwoord", "password_again": "nieuw-wachtwoord"}
    )
    assert response.status_code == 302
    assert other.get("/dashboard").status_code == 200  # the one who reset stays in
    assert client.get("/dashboard").status_code == 302  # every earlier session ended
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 401
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken.revoked_at)) is not None


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, make_user):
    user = make_user()
    login(client, user)
    thief = _copy_of(app, client)
    elsewhere = app.test_client()
    login(elsewhere, user)
    wrong = post_form(
        client,
        "/account/wachtwoord",
        {
            "current_password": "niet-mijn-wachtwoord",
            "password": "nieuw-wachtwoord",
            "password_again": "nieuw-wachtwoord",
        },
        page="/account",
    )
    assert wrong.status_code == 400
    assert "Uw huidige wachtwoord klopt niet" in wrong.get_data(as_text=True)
    assert elsewhere.get("/dashboard").status_code == 200
    response = post_form(
        client,
        "/account/wachtwoord",
        {
            "current_password": PASSWORD,
            "password": "nieuw-wachtwoord",
            "password_again": "nieuw-wachtwoord",
        },
        page="/account",
    )
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert thief.get("/dashboard").status_code == 302
    assert elsewhere.get("/dashboard").status_code == 302
    fresh = app.test_client()
    refused = post_form(fresh, "/login", {"email": user.email, "password": PASSWORD})
    assert refused.status_code == 401
    accepted = post_form(fresh, "/login", {"email": user.email, "password": "nieuw-wachtwoord"})
    assert accepted.status_code == 302


def test_log_out_everywhere_with_and_without_the_api_tokens(app, client, make_user):
    user = make_user()
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, user.id))
        db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    login(client, user)
    elsewhere = app.test_client()
    login(elsewhere, user)
    response = post_form(client, "/account/overal-uitloggen", {}, page="/account")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302
    assert elsewhere.get("/dashboard").status_code == 302
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 200
    login(client, user)
    post_form(client, "/account/overal-uitloggen", {"revoke_api_tokens": "y"}, page="/account")
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 401


def test_the_account_page_is_dutch_and_labelled(client, make_user):
    login(client, make_user())
    html = client.get("/account").get_data(as_text=True)
    assert "Wachtwoord wijzigen" in html and "Overal uitloggen" in html
    assert 'autocomplete="current-password"' in html


# The per-account throttle --------------------------------------------------------


def _generous_address_limit(app) -> None:
    """Isolate the per-account throttle from the per-address one."""
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"


def test_web_and_api_guesses_count_against_one_account_budget(app, client, make_user):
    _generous_address_limit(app)
    user = make_user()
    statuses = []
    for i in range(6):
        statuses.append(
            post_form(
                client, "/login", {"email": user.email, "password": f"fout-{i}-xxxxx"}
            ).status_code
        )
    for i in range(4):
        statuses.append(
            client.post(
                "/api/v1/session", json={"email": user.email, "password": f"api-fout-{i}"}
            ).status_code
        )
    assert statuses == [401] * 10
    # The limit is reached: even the right password is refused, on both doors, unchecked.
    web = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert web.status_code == 429
    assert "Te veel mislukte pogingen voor dit account" in web.get_data(as_text=True)
    assert "Wachtwoord vergeten?" in web.get_data(as_text=True)
    api = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert api.status_code == 429
    assert api.get_json()["error"]["code"] == "account_geblokkeerd"
    assert int(api.headers["Retry-After"]) > 0
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.failed_logins == 10
        assert stored.login_blocked_until is not None


def test_the_block_ends_after_its_time_and_then_doubles(app, client, make_user):
    _generous_address_limit(app)
    user = make_user()
    with app.app_context():
        stored = db.session.get(User, user.id)
        stored.failed_logins = 10
        stored.login_blocked_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    wrong = post_form(client, "/login", {"email": user.email, "password": "weer-fout-xxxx"})
    assert wrong.status_code == 401
    with app.app_context():
        stored = db.session.get(User, user.id)
        left = stored.login_blocked_until - datetime.now(UTC)
        assert timedelta(seconds=590) < left <= timedelta(seconds=600)
        stored.login_blocked_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    right = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert right.status_code == 302
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored.failed_logins == 0 and stored.login_blocked_until is None


def test_a_blocked_user_can_still_reset_the_password_and_log_in(app, client, make_user):
    _generous_address_limit(app)
    user = make_user()
    with app.app_context():
        stored = db.session.get(User, user.id)
        stored.failed_logins = 12
        stored.login_blocked_until = datetime.now(UTC) + timedelta(hours=2)
        db.session.commit()
    post_form(client, "/wachtwoord-vergeten", {"email": user.email})
    with app.app_context():
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="password_reset")).one()
        link = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", mail.body_text).group(1)
    post_form(client, link, {"password": "nieuw-wachtwoord", "password_again": "nieuw-wachtwoord"})
    post_form(client, "/logout", {}, page="/dashboard")
    response = post_form(client, "/login", {"email": user.email, "password": "nieuw-wachtwoord"})
    assert response.status_code == 302


def test_unknown_addresses_never_report_a_block(app, client):
    _generous_address_limit(app)
    for _ in range(12):
        response = post_form(client, "/login", {"email": "niemand@example.org", "password": "x"})
        assert response.status_code == 401


def test_the_address_limit_is_shared_by_the_web_and_the_api_login(app, client, make_user):
    user = make_user()
    for i in range(5):
        post_form(client, "/login", {"email": user.email, "password": f"fout-{i}-xxxxx"})
        client.post("/api/v1/session", json={"email": f"x{i}@example.org", "password": "xxxx"})
    assert client.post("/api/v1/session", json={"email": "y@example.org"}).status_code == 429


@given(
    failures=st.integers(min_value=0, max_value=10_000),
    limit=st.integers(min_value=1, max_value=50),
    seconds=st.integers(min_value=1, max_value=3600),
)
def test_the_block_is_none_below_the_limit_then_grows_and_stays_under_a_day(
    failures, limit, seconds
):
    block = accounts.login_block(failures, limit, seconds)
    if failures < limit:
        assert block is None
        return
    assert block is not None and timedelta(0) < block <= timedelta(days=1)
    following = accounts.login_block(failures + 1, limit, seconds)
    assert following is not None and following >= block
