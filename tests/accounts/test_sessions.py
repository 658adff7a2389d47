"""Sessions that end, and a login throttle that counts per account in the database."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.extensions import db
from booking.models import ApiToken, LoginThrottle, OutboxMail, User
from booking.services import accounts
from booking.services import login as login_service
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


def _throttle(app, email: str) -> LoginThrottle | None:
    """The throttle row of a login name (read in the caller's app context)."""
    with app.test_request_context():
        return db.session.get(LoginThrottle, login_service.throttle_key(email))


def _set_throttle(app, email: str, failures: int, blocked_until: datetime) -> None:
    with app.test_request_context():
        db.session.add(
            LoginThrottle(
                key_hash=login_service.throttle_key(email),
                failures=failures,
                blocked_until=blocked_until,
                last_failure_at=datetime.now(UTC),
            )
        )
        db.session.commit()


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
        stored = _throttle(app, user.email)
        assert stored.failures == 10 and stored.blocked_until is not None
        assert user.email not in stored.key_hash  # only a keyed hash is kept


def test_the_block_ends_after_its_time_and_then_doubles(app, client, make_user):
    _generous_address_limit(app)
    user = make_user()
    _set_throttle(app, user.email, 10, datetime.now(UTC) - timedelta(seconds=1))
    wrong = post_form(client, "/login", {"email": user.email, "password": "weer-fout-xxxx"})
    assert wrong.status_code == 401
    with app.test_request_context():
        stored = _throttle(app, user.email)
        left = stored.blocked_until - datetime.now(UTC)
        assert timedelta(seconds=590) < left <= timedelta(seconds=600)
        stored.blocked_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    right = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert right.status_code == 302
    assert _throttle(app, user.email) is None


def test_failures_a_day_old_are_forgotten(app, client, make_user):
    _generous_address_limit(app)
    user = make_user()
    with app.test_request_context():
        db.session.add(
            LoginThrottle(
                key_hash=login_service.throttle_key(user.email),
                failures=9,
                last_failure_at=datetime.now(UTC) - timedelta(days=2),
            )
        )
        db.session.commit()
    post_form(client, "/login", {"email": user.email, "password": "weer-fout-xxxx"})
    assert _throttle(app, user.email).failures == 1


def test_a_blocked_user_can_still_reset_the_password_and_log_in(app, client, make_user):
    _generous_address_limit(app)
    user = make_user()
    _set_throttle(app, user.email, 12, datetime.now(UTC) + timedelta(hours=2))
    blocked = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    post_form(client, "/wachtwoord-vergeten", {"email": user.email})
    with app.app_context():
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="password_reset")).one()
        link = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", mail.body_text).group(1)
    post_form(client, link, {"password": "nieuw-wachtwoord", "password_again": "nieuw-wachtwoord"})
    post_form(client, "/logout", {}, page="/dashboard")
    response = post_form(client, "/login", {"email": user.email, "password": "nieuw-wachtwoord"})
    assert response.status_code == 302


def test_an_address_without_an_account_is_blocked_exactly_like_one_with(app, make_user):
    """A block must not tell an attacker which addresses have an account."""
    _generous_address_limit(app)
    user = make_user()

    def answers(email: str) -> list[tuple[int, str]]:
        client = app.test_client()
        result = []
        for i in range(12):
            response = client.post(
                "/api/v1/session", json={"email": email, "password": f"fout-{i}-xxxx"}
            )
            result.append((response.status_code, response.get_json()["error"]["code"]))
        return result

    known, unknown = answers(user.email), answers("niemand@example.org")
    assert known == unknown
    assert known == [(401, "onjuiste_inlog")] * 10 + [(429, "account_geblokkeerd")] * 2


def test_the_current_password_on_the_account_page_counts_as_a_login(app, client, make_user):
    _generous_address_limit(app)
    app.config["LOGIN_MAX_FAILURES"] = 3
    user = make_user()
    login(client, user)
    for i in range(3):
        post_form(
            client,
            "/account/wachtwoord",
            {
                "current_password": f"gok-{i}-xxxxxx",
                "password": "nieuw-wachtwoord",
                "password_again": "nieuw-wachtwoord",
            },
            page="/account",
        )
    refused = post_form(
        client,
        "/account/wachtwoord",
        {
            "current_password": PASSWORD,
            "password": "nieuw-wachtwoord",
            "password_again": "nieuw-wachtwoord",
        },
        page="/account",
    )
    assert refused.status_code == 400
    assert "Te veel mislukte pogingen" in refused.get_data(as_text=True)


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
    block = login_service.login_block(failures, limit, seconds)
    if failures < limit:
        assert block is None
        return
    assert block is not None and timedelta(0) < block <= timedelta(days=1)
    following = login_service.login_block(failures + 1, limit, seconds)
    assert following is not None and following >= block
