"""Logging in and out, registering and resetting a password, through the test client."""

from __future__ import annotations

import re

from booking.extensions import db
from booking.models import AuditEntry, OutboxMail, User
from tests.conftest import PASSWORD, csrf_token, login, post_form


def test_login_page_is_dutch(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl"' in html
    assert "Inloggen" in html and "Wachtwoord" in html


def test_login_and_logout(client, make_user):
    user = make_user()
    response = post_form(client, "/login", {"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    response = post_form(client, "/logout", {}, page="/dashboard")
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_wrong_password_is_refused_in_dutch(client, make_user):
    user = make_user()
    response = post_form(client, "/login", {"email": user.email, "password": "verkeerd-wachtwoord"})
    assert response.status_code == 401
    assert "horen niet bij elkaar" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_unknown_email_gets_the_same_answer(client):
    response = post_form(client, "/login", {"email": "niemand@example.org", "password": "x" * 12})
    assert response.status_code == 401
    assert "horen niet bij elkaar" in response.get_data(as_text=True)


def test_empty_login_form_is_a_400_with_messages(client):
    response = post_form(client, "/login", {"email": "", "password": ""})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in response.get_data(as_text=True)


def test_login_redirects_only_to_local_paths(client, make_user):
    user = make_user()
    token = csrf_token(client)
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/dashboard")


def test_login_is_rate_limited_after_repeated_failures(client, make_user):
    user = make_user()
    token = csrf_token(client)
    statuses = [
        client.post(
            "/login", data={"email": user.email, "password": "fout-fout-fout", "csrf_token": token}
        ).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    blocked = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429
    assert "Te veel pogingen" in blocked.get_data(as_text=True)


def test_form_without_csrf_token_is_a_400(client, make_user):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "formulier is verlopen" in response.get_data(as_text=True)


def test_register_creates_an_initiatiefnemer(app, client):
    response = post_form(
        client,
        "/registreren",
        {
            "name": "Annie",
            "organisation": "",
            "email": "annie@example.org",
            "password": "lang-genoeg-1",
            "password_again": "lang-genoeg-1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(email="annie@example.org").one()
        assert user.role == "initiatiefnemer"
        assert user.password_hash != "lang-genoeg-1"
        assert db.session.query(AuditEntry).filter_by(action="user_created").count() == 1


def test_duplicate_registration_is_refused_and_stores_nothing(app, client, make_user):
    user = make_user()
    response = post_form(
        client,
        "/registreren",
        {
            "name": "Dubbel",
            "email": user.email,
            "password": "lang-genoeg-1",
            "password_again": "lang-genoeg-1",
        },
    )
    assert response.status_code == 409
    assert "bestaat al een account" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_registration_validates_fields(app, client):
    response = post_form(
        client,
        "/registreren",
        {
            "name": "",
            "email": "geen-adres",
            "password": "kort",
            "password_again": "anders",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in" in html
    assert "minstens 10" in html
    assert 'aria-invalid="true"' in html
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_oversized_body_is_refused(client):
    response = client.post("/registreren", data={"name": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_password_reset_by_mail(app, client, make_user):
    user = make_user()
    response = post_form(client, "/wachtwoord-vergeten", {"email": user.email})
    assert response.status_code == 302
    with app.app_context():
        mail = db.session.query(OutboxMail).one()
        assert mail.to_address == user.email
        assert mail.subject == "Nieuw wachtwoord kiezen voor Buurthuis"
        link = re.search(r"http://localhost(/wachtwoord-herstellen/\S+)", mail.body_text).group(1)
    response = post_form(
        client, link, {"password": "nieuw-wachtwoord", "password_again": "nieuw-wachtwoord"}
    )
    assert response.status_code == 302
    post_form(client, "/logout", {}, page="/dashboard")
    assert (
        post_form(
            client, "/login", {"email": user.email, "password": "nieuw-wachtwoord"}
        ).status_code
        == 302
    )
    # the link works once: the password it was made for has changed
    post_form(client, "/logout", {}, page="/dashboard")
    again = client.get(link)
    assert again.status_code == 302


def test_password_reset_for_unknown_address_sends_nothing(app, client):
    response = post_form(client, "/wachtwoord-vergeten", {"email": "onbekend@example.org"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.query(OutboxMail).count() == 0


def test_forged_reset_link_is_refused(client):
    assert client.get("/wachtwoord-herstellen/nep-token").status_code == 302


def test_english_is_available(client):
    post_form(client, "/taal", {"lang": "en", "next": "/login"})
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Log in" in html


def test_dashboard_of_a_beheerder_lists_the_house(client, make_house, make_user):
    house = make_house()
    login(client, make_user("beheerder", house))
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Mijn huizen" in html and "Testhuis" in html
