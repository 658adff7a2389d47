"""Mijn organisaties and the beheer organisation pages through the test client, and
booking namens an organisation through the booking form and the JSON API (issue 13)."""

from __future__ import annotations

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import Booking, Organisation, OrganisationContact
from tests.conftest import api_activity, local_day, login, post_form, slot

FORM = {
    "name": "Zangkoor Vocalis",
    "kind": "vereniging",
    "kvk_number": "40213527",
    "billing_street": "Kerkstraat 1",
    "billing_postcode": "5341 AB",
    "billing_city": "Oss",
    "billing_email": "penningmeester@example.org",
}


def organisations(app) -> list[Organisation]:
    with app.app_context():
        return list(db.session.scalars(select(Organisation)))


def test_a_user_adds_edits_and_shares_an_organisation(app, client, make_user):
    anna, bert = make_user(email="anna@example.org"), make_user(email="bert@example.org")
    login(client, anna)
    page = client.get("/account/organisaties")
    assert page.status_code == 200 and "Mijn organisaties" in page.get_data(as_text=True)
    made = post_form(client, "/account/organisaties/nieuw", FORM, "/account/organisaties/nieuw")
    assert made.status_code == 302
    [org] = organisations(app)
    assert "Zangkoor Vocalis" in client.get("/account/organisaties").get_data(as_text=True)
    edit = f"/account/organisaties/{org.id}"
    bad = post_form(client, edit, {**FORM, "kvk_number": "12"}, edit)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and 'id="kvk_number-error"' in html
    assert 'aria-describedby="kvk_number-hint kvk_number-error"' in html
    assert post_form(client, edit, {**FORM, "billing_city": "Lith"}, edit).status_code == 302
    assert organisations(app)[0].billing_city == "Lith"
    contacts = f"/account/organisaties/{org.id}/contactpersonen"
    none = post_form(client, contacts, {"email": "nieuw@example.org"}, contacts)
    assert none.status_code == 422 and "eerst een account" in none.get_data(as_text=True)
    assert post_form(client, contacts, {"email": bert.email}, contacts).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrganisationContact)) == 2
    other = app.test_client()
    login(other, make_user())
    assert other.get(edit).status_code == 404
    assert other.get(contacts).status_code == 404


def test_bad_billing_email_stores_nothing(app, client, make_user):
    login(client, make_user())
    page = "/account/organisaties/nieuw"
    answer = post_form(client, page, {**FORM, "billing_email": "geen adres"}, page)
    assert answer.status_code == 400
    assert organisations(app) == []


def test_staff_list_and_edit_in_beheer(app, client, make_house, make_user):
    house = make_house("de-haard")
    login(client, make_user("beheerder", house))
    page = "/beheer/de-haard/organisaties/nieuw"
    assert post_form(client, page, FORM, page).status_code == 302
    listing = client.get("/beheer/de-haard/organisaties").get_data(as_text=True)
    assert "Zangkoor Vocalis" in listing
    assert 'href="/beheer/de-haard/organisaties"' in listing  # the nav link
    [org] = organisations(app)
    assert org.house_id == house.id
    edit = f"/beheer/de-haard/organisaties/{org.id}"
    assert post_form(client, edit, {**FORM, "name": "Vocalis"}, edit).status_code == 302
    assert organisations(app)[0].name == "Vocalis"
    sociaal = app.test_client()
    login(sociaal, make_user("sociaal_beheerder", house))
    assert sociaal.get("/beheer/de-haard/organisaties").status_code == 404
    assert 'organisaties"' not in sociaal.get("/beheer/de-haard").get_data(as_text=True)


def _choir(app, contact) -> int:
    with app.app_context():
        org = Organisation(name="Zangkoor Vocalis", kind="vereniging")
        org.contacts.append(OrganisationContact(user_id=contact.id))
        db.session.add(org)
        db.session.commit()
        return org.id


def _booking_form(day, organisation: str) -> dict[str, str]:
    return {
        "day": day.isoformat(),
        "start_time": "19:30",
        "end_time": "21:00",
        "title": "Repetitie",
        "organiser_kind": "vereniging",
        "open_to_all": "nee",
        "membership_required": "ja",
        "contribution": "0",
        "profit_making": "nee",
        "subsidised": "nee",
        "mainly_meeting": "nee",
        "gives_in_return": "nee",
        "organisation": organisation,
    }


def test_booking_namens_through_the_form(app, client, make_house, make_user):
    house, anna = make_house(), make_user()
    org_id = _choir(app, anna)
    login(client, anna)
    url = f"/ruimtes/{house.room_ids[1]}/boeken"
    assert "Namens" in client.get(url).get_data(as_text=True)
    quoted = post_form(client, url, _booking_form(local_day(5), str(org_id)), url)
    html = quoted.get_data(as_text=True)
    assert quoted.status_code == 200, html
    token = html.split('name="quote_token" type="hidden" value="')[1].split('"')[0]
    shown = html.split('name="shown_outcomes" type="hidden" value="')[1].split('"')[0]
    data = {**_booking_form(local_day(5), str(org_id)), "quote_token": token}
    data |= {"shown_outcomes": shown, "action": "confirm"}
    booked = post_form(client, url, data, url)
    assert booked.status_code == 302, booked.get_data(as_text=True)
    with app.app_context():
        booking = db.session.scalar(select(Booking))
        assert booking.organisation_id == org_id
    page = client.get(booked.headers["Location"]).get_data(as_text=True)
    assert "Namens" in page and "Zangkoor Vocalis" in page


def test_the_form_refuses_an_organisation_not_ones_own(app, client, make_house, make_user):
    house, anna, bert = make_house(), make_user(), make_user()
    org_id = _choir(app, anna)
    login(client, bert)
    url = f"/ruimtes/{house.room_ids[1]}/boeken"
    assert "Namens" not in client.get(url).get_data(as_text=True)
    data = {**_booking_form(local_day(5), str(org_id)), "action": "confirm"}
    assert post_form(client, url, data, url).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 0


def test_booking_namens_through_the_api(app, client, make_house, make_user):
    house, anna, bert = make_house(), make_user(), make_user()
    org_id = _choir(app, anna)
    start, end = slot(5, "19:30", "21:00")
    body = {
        "room_id": house.room_ids[1],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "title": "Repetitie",
        "activity": api_activity("vereniging"),
        "organisation_id": org_id,
    }
    stranger = app.test_client()
    login(stranger, bert)
    refused = stranger.post("/api/v1/bookings", json=body)
    assert refused.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    login(client, anna)
    answer = client.post("/api/v1/bookings", json=body)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["organisation_id"] == org_id
    assert client.post("/api/v1/bookings", json={**body, "organisation_id": "x"}).status_code == 400
    spec = client.get("/api/v1/openapi.json").get_json()
    request = spec["paths"]["/bookings"]["post"]["requestBody"]["content"]["application/json"]
    assert "organisation_id" in request["schema"]["properties"]
    assert "organisation_id" in spec["components"]["schemas"]["Booking"]["properties"]


def test_the_api_lists_own_and_house_organisations(app, client, make_house, make_user):
    house, anna = make_house("de-haard"), make_user()
    org_id = _choir(app, anna)
    login(client, anna)
    own = client.get("/api/v1/organisations").get_json()["organisations"]
    assert [o["id"] for o in own] == [org_id]
    assert client.get("/api/v1/organisations?house=de-haard").status_code == 404
    staff = app.test_client()
    login(staff, make_user("beheerder", house))
    assert staff.get("/api/v1/organisations?house=de-haard").get_json() == {"organisations": []}
