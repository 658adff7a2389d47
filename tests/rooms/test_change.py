"""The organiser's change page: current values, the outcome before confirming, then the
change; others' bookings are not found and a refusal changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking.extensions import db
from booking.models import Booking
from booking.rules.slots import AMSTERDAM
from tests.conftest import local_day, login, post_form

ANSWERS = {
    "organiser_kind": "bewoners",
    "open_to_all": "ja",
    "membership_required": "nee",
    "contribution": "1,00",
    "profit_making": "nee",
    "subsidised": "nee",
    "mainly_meeting": "ja",
    "gives_in_return": "nee",
}


def form(room_id, days=5, start="14:00", end="16:00", **extra):
    data = {
        "room_id": str(room_id),
        "day": local_day(days).isoformat(),
        "start_time": start,
        "end_time": end,
        "title": "Koffieochtend",
        "public": "y",
        "scope": "occurrence",
        **ANSWERS,
    }
    data.update(extra)
    return data


def stored(app, booking_id):
    with app.app_context():
        b = db.session.get(Booking, booking_id)
        return b.start, b.room_id, b.sequence, b.title


def test_form_shows_the_current_values(client, make_house, make_user, book):
    house, user = make_house(), make_user()
    booking_id = book(user, house.room_ids[1], days_ahead=4)
    login(client, user)
    page = client.get(f"/mijn-boekingen/{booking_id}/wijzigen")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="Koffieochtend"' in html
    assert f'value="{local_day(4).isoformat()}"' in html
    assert 'value="10:00"' in html
    assert "Wijzigen" in client.get(f"/mijn-boekingen/{booking_id}").get_data(as_text=True)


def test_preview_then_confirm_moves_the_booking(app, client, make_house, make_user, book):
    house, user = make_house(), make_user()
    booking_id = book(user, house.room_ids[1], days_ahead=4)
    login(client, user)
    url = f"/mijn-boekingen/{booking_id}/wijzigen"
    before = stored(app, booking_id)
    preview = post_form(client, url, {**form(house.room_ids[0]), "action": "preview"}, page=url)
    assert preview.status_code == 200
    assert "Bevestig de wijziging" in preview.get_data(as_text=True)
    assert stored(app, booking_id) == before
    done = post_form(client, url, {**form(house.room_ids[0]), "action": "confirm"}, page=url)
    assert done.status_code == 302
    start, room_id, sequence, _ = stored(app, booking_id)
    assert room_id == house.room_ids[0]
    assert start.astimezone(AMSTERDAM).hour == 14 and start.astimezone(
        AMSTERDAM
    ).date() == local_day(5)
    assert sequence == before[2] + 1


def test_outside_opening_hours_is_422_and_nothing_changes(app, client, make_house, make_user, book):
    house, user = make_house(), make_user()
    booking_id = book(user, house.room_ids[1], days_ahead=4)
    login(client, user)
    url = f"/mijn-boekingen/{booking_id}/wijzigen"
    before = stored(app, booking_id)
    data = {**form(house.room_ids[1], start="06:00", end="07:00"), "action": "confirm"}
    response = post_form(client, url, data, page=url)
    assert response.status_code == 422
    assert "flash-error" in response.get_data(as_text=True)
    assert stored(app, booking_id) == before


def test_taken_slot_is_409_with_alternatives(app, client, make_house, make_user, book):
    house, user, other = make_house(), make_user(), make_user()
    booking_id = book(user, house.room_ids[1], days_ahead=4)
    book(other, house.room_ids[1], days_ahead=5, start="14:00", end="16:00")
    login(client, user)
    url = f"/mijn-boekingen/{booking_id}/wijzigen"
    response = post_form(client, url, {**form(house.room_ids[1]), "action": "preview"}, page=url)
    assert response.status_code == 409
    assert "al bezet" in response.get_data(as_text=True)


def test_someone_elses_booking_is_404(client, make_house, make_user, book):
    house, owner, stranger = make_house(), make_user(), make_user()
    booking_id = book(owner, house.room_ids[1], days_ahead=4)
    login(client, stranger)
    assert client.get(f"/mijn-boekingen/{booking_id}/wijzigen").status_code == 404


def test_a_past_booking_cannot_be_changed(app, client, make_house, make_user, book):
    house, user = make_house(), make_user()
    booking_id = book(
        user, house.room_ids[1], days_ahead=-1, now=datetime.now(UTC) - timedelta(days=3)
    )
    login(client, user)
    url = f"/mijn-boekingen/{booking_id}/wijzigen"
    response = post_form(client, url, {**form(house.room_ids[1]), "action": "confirm"}, page="/")
    assert response.status_code == 422
    assert "kan niet worden gewijzigd" in response.get_data(as_text=True)


def test_a_beheerder_moves_a_booking_to_another_room_and_the_organiser_is_mailed(
    app, client, make_house, make_user, book
):
    from booking.models import OutboxMail
    from booking.rules.permissions import Role

    house, elsewhere = make_house(), make_house()
    user = make_user()
    beheerder = make_user(Role.beheerder, house)
    booking_id = book(user, house.room_ids[1], days_ahead=4)
    login(client, beheerder)
    url = f"/beheer/{house.slug}/boekingen/{booking_id}/bewerken"
    page = client.get(url)
    assert page.status_code == 200
    assert "Zaal 1" in page.get_data(as_text=True)
    assert "Wijzigen" in client.get(f"/beheer/{house.slug}/boekingen/{booking_id}").get_data(
        as_text=True
    )
    data = {**form(house.room_ids[0], days=4, start="10:00", end="12:00"), "action": "confirm"}
    assert post_form(client, url, data, page=url).status_code == 302
    assert stored(app, booking_id)[1] == house.room_ids[0]
    with app.app_context():
        mail = db.session.query(OutboxMail).filter_by(kind="booking_changed").one()
        assert mail.to_address == user.email
        assert "beheerder" in mail.body_text
    other_house = {**data, "room_id": str(elsewhere.room_ids[0])}
    assert post_form(client, url, other_house, page=url).status_code == 400
    assert (
        client.get(f"/beheer/{elsewhere.slug}/boekingen/{booking_id}/bewerken").status_code == 404
    )
