"""An organiser's own phone number on /account: optional, one stored form, bad is 400."""

from __future__ import annotations

from booking.extensions import db
from booking.models import AuditEntry, User
from tests.conftest import csrf_token, login


def phone_of(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).phone


def post_phone(client, number: str):
    return client.post(
        "/account/telefoon", data={"phone": number, "csrf_token": csrf_token(client, "/account")}
    )


def test_the_account_page_has_the_phone_form(client, make_user):
    login(client, make_user())
    html = client.get("/account").get_data(as_text=True)
    assert 'action="/account/telefoon"' in html and 'type="tel"' in html
    assert "Alleen de medewerkers van de huizen waar u boekt" in html


def test_a_phone_number_is_stored_in_its_plain_form(app, client, make_user):
    user = make_user()
    login(client, user)
    response = post_phone(client, "+31 6 1234 5678")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    assert phone_of(app, user) == "0612345678"
    html = client.get("/account").get_data(as_text=True)
    assert 'value="0612345678"' in html and "Uw telefoonnummer is bewaard." in html
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="phone_changed").one()
        assert entry.actor_id == user.id and "0612345678" not in str(entry.details)


def test_a_bad_number_is_400_and_nothing_changes(app, client, make_user):
    user = make_user()
    login(client, user)
    post_phone(client, "0412-123456")
    for bad in ("bel me", "06 123", "06 12345678 9"):
        response = post_phone(client, bad)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="phone-error"' in html and "telefoonnummer" in html
    assert phone_of(app, user) == "0412123456"


def test_an_empty_field_removes_the_number(app, client, make_user):
    user = make_user()
    login(client, user)
    post_phone(client, "0612345678")
    assert post_phone(client, "").status_code == 302
    assert phone_of(app, user) == ""


def test_only_for_who_is_logged_in(client):
    assert client.get("/account/telefoon").status_code == 302
    assert client.post("/account/telefoon", data={"phone": "0612345678"}).status_code in (302, 400)
