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


def _register(client, email: str, name: str = "Annie", organisation: str = ""):
    return post_form(
        client, "/registreren", {"name": name, "organisation": organisation, "email": email}
    )


def _link(app, kind: str, pattern: str) -> str:
    with app.app_context():
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind=kind)).one()
        return re.search(pattern, mail.body_text).group(1)


def test_register_mails_a_link_and_the_link_creates_an_initiatiefnemer(app, client):
    response = _register(client, "Annie@Example.org", organisation="Koffieclub")
    assert response.status_code == 200
    assert "We hebben een e-mail gestuurd naar annie@example.org" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == 0  # nothing stored before the owner clicks
    link = _link(app, "registration", r"http://localhost(/registreren/\S+)")
    page = client.get(link)
    assert page.status_code == 200 and "annie@example.org" in page.get_data(as_text=True)
    response = post_form(
        client,
        link,
        {"password": "lang-genoeg-1", "password_again": "lang-genoeg-1"},
        page=link,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    assert client.get("/dashboard").status_code == 200
    with app.app_context():
        user = db.session.query(User).filter_by(email="annie@example.org").one()
        assert user.role == "initiatiefnemer" and user.organisation == "Koffieclub"
        assert user.password_hash != "lang-genoeg-1"
        assert db.session.query(AuditEntry).filter_by(action="user_created").count() == 1
    # The link works once: the address has an account now.
    again = client.get(link)
    assert again.status_code == 302 and again.headers["Location"].endswith("/registreren")


def test_registering_a_known_address_answers_like_a_new_one_and_tells_the_owner(
    app, client, make_user
):
    user = make_user()
    known = _register(client, user.email.upper(), name="Indringer")
    new = _register(app.test_client(), "nieuw@example.org", name="Indringer")
    assert known.status_code == new.status_code == 200

    def without_address(response, address):
        html = response.get_data(as_text=True).replace(address, "ADRES")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)

    assert without_address(known, user.email) == without_address(new, "nieuw@example.org")
    with app.app_context():
        assert db.session.query(User).count() == 1
        mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="registration_known")).one()
        assert mail.to_address == user.email
        assert "U heeft al een account" in mail.body_text
        assert "/wachtwoord-vergeten" in mail.body_text


def test_a_forged_or_stale_registration_link_creates_nothing(app, client):
    for token in ("x", "eyJlIjoiYUBiLmMiLCJuIjoiQSIsIm8iOiIifQ.forged.sig"):
        response = client.get(f"/registreren/{token}")
        assert response.status_code == 302
        response = post_form(
            client,
            f"/registreren/{token}",
            {"password": "lang-genoeg-1", "password_again": "lang-genoeg-1"},
        )
        assert response.status_code == 302
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_registration_validates_fields(app, client):
    response = post_form(client, "/registreren", {"name": "", "email": "geen-adres"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in" in html
    assert 'aria-invalid="true"' in html
    with app.app_context():
        assert db.session.query(OutboxMail).count() == 0


def test_finishing_registration_validates_the_password(app, client):
    _register(client, "kort@example.org")
    link = _link(app, "registration", r"http://localhost(/registreren/\S+)")
    response = post_form(client, link, {"password": "kort", "password_again": "anders"}, page=link)
    assert response.status_code == 400
    assert "minstens 10" in response.get_data(as_text=True)
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


def test_a_registration_that_loses_the_race_sets_no_password(app, client, make_user, monkeypatch):
    """The account appears between the link's check and the insert (another click won).

    The late click must be told the link was used; it must not set the password of the
    account the other click made (CI saw three logins from six concurrent clicks).
    """
    from booking.services import account_links

    _register(client, "racer@example.org")
    link = _link(app, "registration", r"http://localhost(/registreren/\S+)")
    token = link.rsplit("/", 1)[1]
    with app.app_context():
        pending = account_links.pending_registration(token)
    winner = make_user(email="racer@example.org")
    with app.app_context():
        hash_before = db.session.get(User, winner.id).password_hash
    monkeypatch.setattr(account_links, "pending_registration", lambda _token: pending)
    response = post_form(
        client,
        link,
        {"password": "anders-genoeg-2", "password_again": "anders-genoeg-2"},
        page=link,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/registreren")
    assert client.get("/dashboard").status_code == 302  # not logged in
    with app.app_context():
        assert db.session.get(User, winner.id).password_hash == hash_before
