"""The gemeente's house pages: add, edit, deactivate and reactivate a house, as the gemeente
would in the browser (through the test client), and every kind of bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from booking.extensions import db
from booking.models import Area, Booking, House, ServedArea
from booking.services import feeds
from tests.conftest import api_activity, slot
from tests.gemeente.conftest import audit_entries, client_for, post

NEW = {
    "name": "Wijkhuis Elzenburg",
    "slug": "",
    "area_id": "",
    "address": "Elzenburgplein 1, 5343 AA Oss",
    "contact_email": "info@elzenburg.example",
    "contact_phone": "0412 654 321",
    "website": "https://elzenburg.example",
    "stichting_name": "Stichting Wijkhuis Elzenburg",
    "kvk_number": "1234 5678",
}


def area_id(app, name: str) -> int:
    with app.app_context():
        area = db.session.query(Area).filter_by(name=name).one_or_none()
        if area is None:
            area = Area(name=name, kind="wijk")
            db.session.add(area)
            db.session.commit()
        return area.id


def house_row(app, slug: str) -> dict | None:
    with app.app_context():
        house = db.session.query(House).filter_by(slug=slug).one_or_none()
        if house is None:
            return None
        return {c: getattr(house, c) for c in ("name", "slug", "area_id", "address", "website")} | {
            "kvk_number": house.kvk_number,
            "stichting_name": house.stichting_name,
            "active": house.active,
            "contact_phone": house.contact_phone,
            "request_expiry_days": house.request_expiry_days,
            "booking_horizon_months": house.booking_horizon_months,
        }


def house_count(app) -> int:
    with app.app_context():
        return db.session.query(House).count()


def test_the_gemeente_adds_a_house_that_appears_on_the_public_home_page(app, town):
    client = client_for(app, town.gemeente)
    elzenburg = area_id(app, "Elzenburg")
    assert "Huis toevoegen" in client.get("/gemeente/huizen").get_data(as_text=True)
    response = post(client, "/gemeente/huizen/nieuw", {**NEW, "area_id": str(elzenburg)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/gemeente/huizen/wijkhuis-elzenburg"
    stored = house_row(app, "wijkhuis-elzenburg")
    assert stored == {
        "name": "Wijkhuis Elzenburg",
        "slug": "wijkhuis-elzenburg",
        "area_id": elzenburg,
        "address": "Elzenburgplein 1, 5343 AA Oss",
        "website": "https://elzenburg.example",
        "kvk_number": "12345678",
        "stichting_name": "Stichting Wijkhuis Elzenburg",
        "active": True,
        "contact_phone": "0412 654 321",
        "request_expiry_days": 7,
        "booking_horizon_months": 18,
    }
    with app.app_context():  # the area had no house yet: the new one serves it
        assert db.session.get(ServedArea, elzenburg).house.slug == "wijkhuis-elzenburg"
    (entry,) = audit_entries(app, "house_created")
    assert json.loads(entry.details)["kvk_number"] == "12345678"
    assert entry.actor_id == town.gemeente.id
    assert "Wijkhuis Elzenburg" in app.test_client().get("/").get_data(as_text=True)
    public = app.test_client().get("/huizen/wijkhuis-elzenburg")
    assert public.status_code == 200 and "Elzenburgplein 1" in public.get_data(as_text=True)
    api = app.test_client().get("/api/v1/houses").get_json()
    assert "wijkhuis-elzenburg" in [h["slug"] for h in api["houses"]]


def test_an_own_slug_is_kept_and_the_house_is_edited_with_an_audit_of_what_changed(app, town):
    client = client_for(app, town.gemeente)
    data = {**NEW, "slug": "elzenburg", "area_id": str(area_id(app, "Elzenburg"))}
    assert post(client, "/gemeente/huizen/nieuw", data).status_code == 302
    changed = {**data, "address": "Elzenburgplein 2, 5343 AA Oss", "slug": "wijkhuis-elzenburg"}
    response = post(client, "/gemeente/huizen/elzenburg", changed)
    assert response.status_code == 302  # no bookings, feeds or kiosks yet: the slug may change
    assert house_row(app, "elzenburg") is None
    assert house_row(app, "wijkhuis-elzenburg")["address"] == "Elzenburgplein 2, 5343 AA Oss"
    (entry,) = audit_entries(app, "house_updated")
    assert json.loads(entry.details)["changed"] == {
        "address": ["Elzenburgplein 1, 5343 AA Oss", "Elzenburgplein 2, 5343 AA Oss"],
        "slug": ["elzenburg", "wijkhuis-elzenburg"],
    }


def test_the_slug_is_fixed_once_the_house_has_a_booking(app, town, book):
    book(town.organiser, town.house.room_ids[0])
    client = client_for(app, town.gemeente)
    page = client.get(f"/gemeente/huizen/{town.house.slug}").get_data(as_text=True)
    assert "Het ligt vast" in page
    before = house_row(app, town.house.slug)
    data = {**NEW, "name": "Testhuis 1", "slug": "nieuwe-naam", "area_id": str(before["area_id"])}
    response = post(client, f"/gemeente/huizen/{town.house.slug}", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "De webadres-naam ligt vast" in html and 'id="slug-error"' in html
    assert house_row(app, town.house.slug) == before
    assert house_row(app, "nieuwe-naam") is None
    # the other details may still change; the slug stays
    data["slug"] = town.house.slug
    assert post(client, f"/gemeente/huizen/{town.house.slug}", data).status_code == 302
    assert house_row(app, town.house.slug)["website"] == "https://elzenburg.example"


def test_a_feed_fixes_the_slug_too(app, town):
    with app.app_context():
        from booking.models import User

        user = db.session.get(User, town.beheerder.id)
        feeds.create_feed(user, "house", town.house.slug, now=datetime.now(UTC))
        db.session.commit()
    client = client_for(app, town.gemeente)
    area = house_row(app, town.house.slug)["area_id"]
    data = {**NEW, "name": "Testhuis 1", "slug": "ander-adres", "area_id": str(area)}
    assert post(client, f"/gemeente/huizen/{town.house.slug}", data).status_code == 422


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"slug": "de-haard"}, 422, "is al van een ander huis"),
        ({"slug": "Wijkhuis De Haard"}, 400, "kleine letters (zonder accenten)"),
        ({"slug": "wijkhuis--haard"}, 400, "kleine letters (zonder accenten)"),
        ({"slug": "-haard"}, 400, "kleine letters (zonder accenten)"),
        ({"slug": "nieuw"}, 400, "al in gebruik door een pagina"),
        ({"slug": "x"}, 400, "2 tot 80 tekens"),
        ({"slug": "a" * 81}, 400, "Hoogstens 80 tekens."),
        ({"name": ""}, 400, "Vul de naam van het huis in."),
        ({"name": "Testhuis 1"}, 422, "Er is al een huis met de naam Testhuis 1."),
        ({"area_id": ""}, 400, "Kies een wijk of kern."),
        ({"area_id": "999999"}, 400, "Ongeldige keuze."),
        ({"kvk_number": "1234567"}, 400, "Een KvK-nummer heeft acht cijfers"),
        ({"kvk_number": "1234567a"}, 400, "Een KvK-nummer heeft acht cijfers"),
        ({"website": "javascript:alert(1)"}, 400, "begint met https://"),
        ({"website": "elzenburg.nl"}, 400, "begint met https://"),
        ({"contact_email": "geen-adres"}, 400, "Vul een geldig e-mailadres in"),
        ({"contact_phone": "bel maar"}, 400, "Dit is geen telefoonnummer."),
        ({"address": "Straat\x001"}, 400, "onzichtbaar stuurteken"),
    ],
)
def test_bad_house_input_is_refused_and_nothing_is_stored(app, town, change, status, message):
    client = client_for(app, town.gemeente)
    data = {**NEW, "area_id": str(area_id(app, "Elzenburg")), **change}
    before = house_count(app)
    response = post(client, "/gemeente/huizen/nieuw", data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert house_count(app) == before
    assert audit_entries(app, "house_created") == []


def test_a_slug_made_from_a_taken_name_is_refused(app, town):
    client = client_for(app, town.gemeente)
    data = {**NEW, "name": "De Haard!", "area_id": str(area_id(app, "Elzenburg"))}
    response = post(client, "/gemeente/huizen/nieuw", data)
    assert response.status_code == 422
    assert "de-haard is al van een ander huis" in response.get_data(as_text=True)


def test_a_slug_taken_meanwhile_is_a_422_not_a_500(app, town, monkeypatch):
    """Two gemeente users adding the same slug at once: the unique index has the last word."""
    from booking.services.gemeente import houses as service

    monkeypatch.setattr(service, "_database_problems", lambda *args: {})
    client = client_for(app, town.gemeente)
    data = {**NEW, "slug": "de-haard", "area_id": str(area_id(app, "Elzenburg"))}
    before = house_count(app)
    response = post(client, "/gemeente/huizen/nieuw", data)
    assert response.status_code == 422
    assert "is al van een ander huis" in response.get_data(as_text=True)
    assert house_count(app) == before


def test_only_the_gemeente_adds_or_edits_houses(app, town):
    for user in (town.beheerder, town.organiser):
        client = client_for(app, user)
        data = {**NEW, "area_id": str(area_id(app, "Elzenburg"))}
        assert post(client, "/gemeente/huizen/nieuw", data).status_code == 404
        assert post(client, f"/gemeente/huizen/{town.house.slug}", data).status_code == 404
    assert house_row(app, "wijkhuis-elzenburg") is None
    assert house_row(app, town.house.slug)["name"] == "Testhuis 1"
    client = client_for(app, town.gemeente)
    assert client.get("/gemeente/huizen/bestaat-niet").status_code == 404


def quote(client, room_id: int, days_ahead: int = 5):
    start, end = slot(days_ahead)
    return client.post(
        "/api/v1/quote",
        json={
            "room_id": room_id,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "activity": api_activity(),
        },
    )


def test_a_deactivated_house_keeps_its_history_and_takes_no_bookings(app, town, book):
    booked = book(town.organiser, town.house.room_ids[0], days_ahead=10)
    with app.app_context():
        from booking.models import User

        user = db.session.get(User, town.beheerder.id)
        feed = feeds.create_feed(user, "house", town.house.slug, now=datetime.now(UTC))
        db.session.commit()
    client = client_for(app, town.gemeente)
    url = f"/gemeente/huizen/{town.house.slug}/deactiveren"
    page = client.get(url).get_data(as_text=True)
    assert "Er staat nog 1 boeking in de toekomst." in page
    assert post(client, url, {}).status_code == 302
    assert house_row(app, town.house.slug)["active"] is False
    (entry,) = audit_entries(app, "house_deactivated")
    assert json.loads(entry.details) == {"future_bookings": 1}

    anyone = app.test_client()
    assert "Testhuis 1" not in anyone.get("/").get_data(as_text=True)
    assert "Testhuis 2" in anyone.get("/").get_data(as_text=True)
    assert anyone.get(f"/huizen/{town.house.slug}").status_code == 200  # links keep working
    slugs = [h["slug"] for h in anyone.get("/api/v1/houses").get_json()["houses"]]
    assert town.house.slug not in slugs and town.other_house.slug in slugs
    assert anyone.get(f"/feeds/{feed.token}.ics").status_code == 200
    search = anyone.get("/ruimtes").get_data(as_text=True)
    assert f'value="{town.house.slug}"' not in search

    organiser = client_for(app, town.organiser)
    refused = quote(organiser, town.house.room_ids[0])
    assert refused.status_code == 200
    assert "Dit huis neemt geen boekingen meer aan." in json.dumps(refused.get_json())
    with app.app_context():  # the booking made before stays as it was
        assert db.session.get(Booking, booked).status == "bevestigd"
    assert quote(organiser, town.other_house.room_ids[0]).status_code == 200

    again = f"/gemeente/huizen/{town.house.slug}/activeren"
    assert post(client, again, {}).status_code == 302
    assert house_row(app, town.house.slug)["active"] is True
    assert len(audit_entries(app, "house_reactivated")) == 1
    assert "Dit huis neemt geen" not in json.dumps(quote(organiser, town.house.room_ids[0]).json)


def test_booking_a_room_of_a_deactivated_house_is_refused_with_a_dutch_message(app, town):
    client = client_for(app, town.gemeente)
    assert post(client, f"/gemeente/huizen/{town.house.slug}/deactiveren", {}).status_code == 302
    organiser = client_for(app, town.organiser)
    start, end = slot(5)
    response = organiser.post(
        "/api/v1/bookings",
        json={
            "room_id": town.house.room_ids[0],
            "start": start.isoformat(),
            "end": end.isoformat(),
            "title": "Koffie",
            "public": True,
            "activity": api_activity(),
        },
    )
    assert response.status_code == 422
    assert "Dit huis neemt geen boekingen meer aan." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Booking).count() == 0


def test_deactivating_twice_is_a_422(app, town):
    client = client_for(app, town.gemeente)
    url = f"/gemeente/huizen/{town.house.slug}/deactiveren"
    assert post(client, url, {}).status_code == 302
    assert post(client, url, {}).status_code == 422
    assert len(audit_entries(app, "house_deactivated")) == 1


def test_the_house_list_shows_every_house_with_its_state(app, town):
    client = client_for(app, town.gemeente)
    post(client, f"/gemeente/huizen/{town.house.slug}/deactiveren", {})
    html = client.get("/gemeente/huizen").get_data(as_text=True)
    assert "Testhuis 1" in html and "Testhuis 2" in html
    assert "gedeactiveerd" in html and "actief" in html
    edit = client.get(f"/gemeente/huizen/{town.house.slug}").get_data(as_text=True)
    assert "Huis weer activeren" in edit


def test_the_deactivation_time_is_stored(app, town):
    client = client_for(app, town.gemeente)
    before = datetime.now(UTC)
    post(client, f"/gemeente/huizen/{town.house.slug}/deactiveren", {})
    with app.app_context():
        house = db.session.get(House, town.house.id)
        assert house.deactivated_at is not None and house.deactivated_at >= before
