"""My account through the test client: details, e-mail, sessions, tokens, data, deletion.

Every refusal is a Dutch message with a 4xx and nothing stored; the journey of the issue
("a resident changes their e-mail, downloads their data and deletes their account, and the
house's booking list shows their past booking without their name") is the last test.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.extensions import db
from booking.models import ApiToken, AuditEntry, Booking, OutboxMail, User
from booking.models.accounts import LoginSession
from booking.rules.slots import AMSTERDAM
from booking.services import accounts
from booking.services.my_account import email_change
from tests.conftest import PASSWORD, csrf_token, login, post_form


def _user(app, ref) -> User:
    with app.app_context():
        user = db.session.get(User, ref.id)
        db.session.expunge(user)
        return user


def _link(app, kind: str = "email_change") -> str:
    with app.app_context():
        mail = db.session.scalars(
            db.select(OutboxMail).filter_by(kind=kind).order_by(OutboxMail.id.desc())
        ).first()
        assert mail is not None
        return re.search(r"http://localhost(/account/e-mailadres/\S+)", mail.body_text).group(1)


def _token(app, ref) -> str:
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, ref.id))
        db.session.commit()
        return token


def _page(client, path: str = "/account") -> str:
    return client.get(path).get_data(as_text=True)


# Details --------------------------------------------------------------------------


def test_the_account_page_shows_every_part(client, make_user):
    login(client, make_user())
    html = _page(client)
    for words in (
        "Uw gegevens",
        "Telefoonnummer",
        "E-mailadres wijzigen",
        "Wachtwoord wijzigen",
        "E-mail die u krijgt",
        "Waar u bent ingelogd",
        "dit apparaat",
        "API-tokens",
        "Mijn gegevens downloaden",
        "Mijn account verwijderen",
    ):
        assert words in html, words
    assert html.count('id="current_password"') == 1  # two password fields, distinct ids


def test_details_are_saved_and_the_chosen_language_is_used(app, client, make_user):
    ref = make_user()
    login(client, ref)
    response = post_form(
        client,
        "/account/gegevens",
        {"name": "Fatma Yılmaz", "organisation": "Buurtkoor", "locale": "en"},
        page="/account",
    )
    assert response.status_code == 302
    user = _user(app, ref)
    assert (user.name, user.organisation, user.locale) == ("Fatma Yılmaz", "Buurtkoor", "en")
    assert '<html lang="en"' in _page(client)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "organisation": "", "locale": ""}, "Dit veld is verplicht."),
        ({"name": "x" * 121, "organisation": "", "locale": ""}, "Hoogstens 120 tekens."),
        ({"name": "Fatma", "organisation": "", "locale": "tr"}, "Ongeldige keuze."),
    ],
)
def test_bad_details_are_a_400_and_nothing_is_stored(app, client, make_user, data, message):
    ref = make_user()
    login(client, ref)
    response = post_form(client, "/account/gegevens", data, page="/account")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _user(app, ref).name == "Test initiatiefnemer"


# E-mail ---------------------------------------------------------------------------


def _ask(client, new: str, password: str = PASSWORD):
    return post_form(
        client,
        "/account/e-mailadres",
        {"new_email": new, "email_password": password},
        page="/account",
    )


def test_a_new_address_counts_only_after_its_link_is_used_once(app, client, make_user):
    ref = make_user(email="oud@example.org")
    login(client, ref)
    response = _ask(client, "nieuw@example.org")
    assert response.status_code == 302
    assert "nieuw@example.org" in _page(client)  # the flash says where the link went
    assert _user(app, ref).email == "oud@example.org"
    link = _link(app)
    phone = app.test_client()  # the mail is opened on another device, not logged in
    page = phone.get(link)
    assert page.status_code == 200 and "nieuw@example.org" in page.get_data(as_text=True)
    assert _user(app, ref).email == "oud@example.org"  # opening the link changes nothing
    confirmed = phone.post(link, data={"csrf_token": csrf_token(phone, link)})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("/login")
    assert _user(app, ref).email == "nieuw@example.org"
    again = phone.get(link)
    assert again.status_code == 410 and "al gebruikt" in again.get_data(as_text=True)
    assert phone.post(link, data={"csrf_token": csrf_token(phone, "/login")}).status_code == 410
    assert (
        post_form(phone, "/login", {"email": "nieuw@example.org", "password": PASSWORD}).status_code
        == 302
    )
    with app.app_context():
        notice = db.session.scalars(db.select(OutboxMail).filter_by(kind="email_changed")).one()
        assert notice.to_address == "oud@example.org"


def test_a_link_too_late_is_a_410_and_changes_nothing(app, client, make_user, monkeypatch):
    ref = make_user()
    login(client, ref)
    _ask(client, "later@example.org")
    link = _link(app)
    monkeypatch.setattr(email_change, "LINK_VALID_FOR", timedelta(seconds=-1))
    response = client.get(link)
    assert response.status_code == 410 and "verlopen" in response.get_data(as_text=True)
    assert client.post(link, data={"csrf_token": csrf_token(client)}).status_code == 410
    assert _user(app, ref).email == ref.email


def test_a_forged_link_is_a_404(client):
    assert client.get("/account/e-mailadres/eyJ1IjoxfQ.bogus.sig").status_code == 404


def test_an_address_taken_before_the_click_is_a_409(app, client, make_user):
    ref, other = make_user(), make_user()
    login(client, ref)
    _ask(client, "straks-bezet@example.org")
    link = _link(app)
    with app.app_context():
        db.session.get(User, other.id).email = "straks-bezet@example.org"
        db.session.commit()
    response = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert response.status_code == 409
    assert "hoort al bij een ander account" in response.get_data(as_text=True)
    assert _user(app, ref).email == ref.email


@pytest.mark.parametrize(
    ("new", "password", "status", "message"),
    [
        ("bezet@example.org", PASSWORD, 409, "hoort al bij een ander account"),
        ("BEZET@Example.org", PASSWORD, 409, "hoort al bij een ander account"),
        ("SELF", PASSWORD, 400, "Dit is al uw e-mailadres."),
        ("vrij@example.org", "niet-mijn-wachtwoord", 400, "Uw huidige wachtwoord klopt niet."),
        ("geen-adres", PASSWORD, 400, "Vul een geldig e-mailadres in"),
        ("", "", 400, "Dit veld is verplicht."),
    ],
)
def test_bad_address_requests_are_refused_in_dutch_and_send_nothing(
    app, client, make_user, new, password, status, message
):
    make_user(email="bezet@example.org")
    ref = make_user()
    login(client, ref)
    response = _ask(client, ref.email if new == "SELF" else new, password)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(OutboxMail).filter_by(kind="email_change")).all() == []


# Sessions and tokens --------------------------------------------------------------


def test_ending_another_session_logs_that_device_out_at_once(app, client, make_user):
    ref = make_user()
    login(client, ref)
    laptop = app.test_client()
    login(laptop, ref)
    assert laptop.get("/api/v1/session").status_code == 200
    html = _page(client)
    ids = re.findall(r'name="session_id" value="(\d+)"', html)
    assert len(ids) == 2
    mine = re.search(r'dit apparaat.*?name="session_id" value="(\d+)"', html, re.S).group(1)
    other = next(i for i in ids if i != mine)
    response = post_form(
        client, "/account/sessies/uitloggen", {"session_id": other}, page="/account"
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this one goes on
    assert laptop.get("/account").status_code == 302  # that one is at the login page
    assert laptop.get("/api/v1/session").status_code == 401
    response = post_form(
        client, "/account/sessies/uitloggen", {"session_id": mine}, page="/account"
    )
    assert response.headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302


def test_a_session_or_token_of_someone_else_is_a_404_and_bad_ids_a_400(app, client, make_user):
    ref, stranger = make_user(), make_user()
    other = app.test_client()
    login(other, stranger)
    _token(app, stranger)
    login(client, ref)
    with app.app_context():
        session_id = db.session.scalars(
            db.select(LoginSession.id).filter_by(user_id=stranger.id)
        ).one()
        token_id = db.session.scalars(db.select(ApiToken.id).filter_by(user_id=stranger.id)).one()
    end = post_form(
        client, "/account/sessies/uitloggen", {"session_id": session_id}, page="/account"
    )
    assert end.status_code == 404
    revoke = post_form(
        client, "/account/api-tokens/intrekken", {"token_id": token_id}, page="/account"
    )
    assert revoke.status_code == 404
    assert other.get("/account").status_code == 200
    for bad in ("", "abc", "-1", "99999999999999"):
        response = post_form(
            client, "/account/sessies/uitloggen", {"session_id": bad}, page="/account"
        )
        assert response.status_code == 400
        assert "Probeer het opnieuw" in response.get_data(as_text=True)


def test_a_revoked_token_gets_401_at_once(app, client, make_user):
    ref = make_user()
    token = _token(app, ref)
    keep = _token(app, ref)
    login(client, ref)
    html = _page(client)
    assert html.count('name="token_id"') == 2
    with app.app_context():
        token_id = db.session.scalars(
            db.select(ApiToken.id).filter_by(token_hash=accounts._token_hash(token))
        ).one()
    response = post_form(
        client, "/account/api-tokens/intrekken", {"token_id": token_id}, page="/account"
    )
    assert response.status_code == 302
    api = app.test_client()
    assert (
        api.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    assert (
        api.get("/api/v1/session", headers={"Authorization": f"Bearer {keep}"}).status_code == 200
    )


def test_a_cookie_from_before_the_session_table_loads_nobody(app, client, make_user):
    ref = make_user()
    login(client, ref)
    with client.session_transaction() as cookie:
        cookie.pop("_login_session")
    assert client.get("/account").status_code == 302


# Download my data -----------------------------------------------------------------


def test_my_data_downloads_as_a_json_file(client, make_user, make_house, book):
    house = make_house()
    ref = make_user()
    booking_id = book(ref, house.room_ids[0], days_ahead=4, title="Kaartclub")
    login(client, ref)
    response = client.get("/account/mijn-gegevens.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="mijn-gegevens-buurthuis-'
    )
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == ref.email
    assert [b["id"] for b in data["bookings"]] == [booking_id]


# Delete my account ----------------------------------------------------------------


def _delete(client, password: str = PASSWORD, understood: str = "y"):
    data = {"current_password": password}
    if understood:
        data["understood"] = understood
    return post_form(client, "/account/verwijderen", data, page="/account/verwijderen")


def test_a_future_booking_stops_the_deletion_with_an_explanation(
    app, client, make_user, make_house, book
):
    house = make_house()
    ref = make_user()
    book(ref, house.room_ids[0], days_ahead=4, title="Kaartclub")
    login(client, ref)
    page = client.get("/account/verwijderen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Dit kan nu nog niet" in html and "Kaartclub" in html and "Annuleer die eerst" in html
    assert 'name="current_password"' not in html  # no form while it cannot be done
    response = _delete(client)
    assert response.status_code == 422 and "Annuleer die eerst" in response.get_data(as_text=True)
    assert _user(app, ref).active and client.get("/account").status_code == 200


@pytest.mark.parametrize(
    ("password", "understood", "message"),
    [
        ("niet-mijn-wachtwoord", "y", "Uw huidige wachtwoord klopt niet."),
        (PASSWORD, "", "Vink aan dat u dit begrijpt."),
        ("", "y", "Dit veld is verplicht."),
    ],
)
def test_a_wrong_password_or_no_tick_deletes_nothing(
    app, client, make_user, password, understood, message
):
    ref = make_user()
    login(client, ref)
    response = _delete(client, password, understood)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _user(app, ref).active and client.get("/account").status_code == 200


def test_the_last_gemeente_account_is_refused(app, client, make_user):
    ref = make_user("gemeente")
    login(client, ref)
    assert "laatste actieve account van de gemeente" in _page(client, "/account/verwijderen")
    assert _delete(client).status_code == 422
    assert _user(app, ref).active


def test_journey_change_email_download_delete_and_the_house_keeps_the_booking(
    app, client, make_user, make_house, book
):
    house = make_house()
    beheerder = make_user("beheerder", house)
    ref = make_user(email="fatma@example.org")
    past_start = datetime.now(UTC) - timedelta(days=30)
    past = book(ref, house.room_ids[1], days_ahead=-3, now=past_start, title="Buurtkoffie")
    with app.app_context():
        user = db.session.get(User, ref.id)
        user.name, user.phone = "Fatma Yılmaz", "0612345678"
        db.session.commit()
        day = db.session.get(Booking, past).start.astimezone(AMSTERDAM).date().isoformat()
        price = db.session.get(Booking, past).amount_cents
    token = _token(app, ref)
    login(client, ref)
    laptop = app.test_client()
    login(laptop, ref)

    assert _ask(client, "fatma.nieuw@example.org").status_code == 302
    link = _link(app)
    assert client.post(link, data={"csrf_token": csrf_token(client, link)}).status_code == 302
    assert _user(app, ref).email == "fatma.nieuw@example.org"

    data = json.loads(client.get("/account/mijn-gegevens.json").get_data(as_text=True))
    assert data["account"]["email"] == "fatma.nieuw@example.org"
    assert [b["title"] for b in data["bookings"]] == ["Buurtkoffie"]

    assert client.get("/account/verwijderen").status_code == 200
    response = _delete(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    assert "Uw account is verwijderd" in client.get("/").get_data(as_text=True)

    # a deleted account's session and token stop working at once
    assert client.get("/account").status_code == 302
    assert laptop.get("/dashboard").headers["Location"].startswith("/login")
    assert laptop.get("/api/v1/session").status_code == 401
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 401
    for email in ("fatma@example.org", "fatma.nieuw@example.org"):
        assert (
            post_form(
                app.test_client(), "/login", {"email": email, "password": PASSWORD}
            ).status_code
            == 401
        )

    staff = app.test_client()
    login(staff, beheerder)
    listing = staff.get(f"/beheer/{house.slug}/boekingen?datum={day}")
    html = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert "Buurtkoffie" in html and "verwijderd account" in html
    for trace in ("Fatma", "fatma", "0612345678"):
        assert trace not in html
    with app.app_context():
        assert db.session.get(Booking, past).amount_cents == price
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="account_deleted")).one()
        assert entry.actor_id is None and entry.object_id is None
