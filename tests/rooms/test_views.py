"""The initiatiefnemer's way through in HTML: find, see the week, quote, confirm, follow."""

from __future__ import annotations

import re

from booking.extensions import db
from booking.models import Booking
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


def form(days=3, start="10:00", end="12:00", **extra):
    data = {
        "day": local_day(days).isoformat(),
        "start_time": start,
        "end_time": end,
        "title": "Koffieochtend",
        "public": "y",
        "repeat": "",
        "interval": "1",
        "until": "",
        **ANSWERS,
    }
    data.update(extra)
    return data


def token_of(html: str) -> str:
    return re.search(r'name="quote_token" type="hidden" value="([0-9a-f]+)"', html).group(1)


def count(app) -> int:
    with app.app_context():
        return db.session.query(Booking).count()


def test_search_finds_free_rooms_across_houses(client, make_house, make_user, book):
    a, b = make_house("a", rooms=1), make_house("b", rooms=1)
    book(make_user(), a.room_ids[0])
    day = local_day(3).isoformat()
    html = client.get(f"/ruimtes?day={day}&start_time=10:00&end_time=12:00").get_data(as_text=True)
    assert "1 ruimte gevonden" in html and f"/ruimtes/{b.room_ids[0]}/boeken" in html


def test_search_with_bad_input_is_400(client):
    assert client.get("/ruimtes?capacity=-4").status_code == 400
    assert client.get("/ruimtes?day=2026-13-45").status_code == 400


def test_week_grid_shows_busy_and_free(client, make_house, make_user, book):
    house = make_house()
    book(make_user(), house.room_ids[0], title="Bingo")
    html = client.get(f"/ruimtes/{house.room_ids[0]}?week={local_day(3).isoformat()}").get_data(
        as_text=True
    )
    assert "Bingo" in html and "vrij" in html and "<caption>" in html


def test_quote_first_then_confirm(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    shown = post_form(client, url, {**form(), "action": "quote"})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "T1 bewonersinitiatief (gratis)" in html and "Voorrangsklasse 1" in html
    assert "eigen bijdrage € 1,00 ≤ € 3,00".replace(" ", "\xa0") in html or "eigen bijdrage" in html
    assert 'id="bevestig"' in html and count(app) == 0
    confirmed = post_form(
        client, url, {**form(), "action": "confirm", "quote_token": token_of(html)}
    )
    assert confirmed.status_code == 302 and count(app) == 1
    assert "Geboekt: Koffieochtend" in client.get(confirmed.headers["Location"]).get_data(
        as_text=True
    )


def test_confirm_without_seeing_the_quote_only_shows_it(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    response = post_form(
        client, f"/ruimtes/{house.room_ids[0]}/boeken", {**form(), "action": "confirm"}
    )
    assert response.status_code == 200 and count(app) == 0
    assert "Uw prijs en voorrang" in response.get_data(as_text=True)


def test_changed_answers_need_a_new_quote(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    token = token_of(post_form(client, url, {**form(), "action": "quote"}).get_data(as_text=True))
    changed = post_form(
        client, url, {**form(profit_making="ja"), "action": "confirm", "quote_token": token}
    )
    assert changed.status_code == 200 and count(app) == 0
    assert "T4 commercieel" in changed.get_data(as_text=True)


def test_form_errors_are_400_in_dutch(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    response = post_form(
        client,
        f"/ruimtes/{house.room_ids[0]}/boeken",
        {**form(contribution="-3", open_to_all="", title="x" * 300), "action": "quote"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and count(app) == 0
    assert "Kies ja of nee." in html and "Hoogstens 200 tekens." in html
    assert "negatief" in html or "Vul een bedrag in" in html


def test_rule_problems_are_422(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    response = post_form(
        client,
        f"/ruimtes/{house.room_ids[0]}/boeken",
        {**form(start="06:00", end="08:00"), "action": "quote"},
    )
    assert response.status_code == 422 and "openingstijd" in response.get_data(as_text=True)
    assert 'id="bevestig"' not in response.get_data(as_text=True)


def test_conflict_shows_alternatives(client, app, make_house, make_user, book):
    house = make_house()
    book(make_user(), house.room_ids[0])
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    token = token_of(post_form(client, url, {**form(), "action": "quote"}).get_data(as_text=True))
    response = post_form(client, url, {**form(), "action": "confirm", "quote_token": token})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "al bezet" in html and "Misschien past een van deze mogelijkheden" in html


def test_my_bookings_and_cancel(client, app, make_house, make_user, book):
    house, me = make_house(), make_user()
    booking_id = book(me, house.room_ids[0])
    login(client, me)
    assert "Koffieochtend" in client.get("/mijn-boekingen").get_data(as_text=True)
    detail = client.get(f"/mijn-boekingen/{booking_id}").get_data(as_text=True)
    assert "T1 bewonersinitiatief" in detail and "Annuleer deze boeking" in detail
    response = post_form(client, f"/mijn-boekingen/{booking_id}/annuleren", {})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Booking, booking_id).status == "geannuleerd"


def test_displaced_party_sees_why(client, app, make_house, make_user, book):
    from tests.conftest import activity

    house, company, resident = make_house(), make_user(), make_user()
    booking_id = book(company, house.room_ids[0], days_ahead=30, what=activity("commercieel"))
    book(resident, house.room_ids[0], days_ahead=30)
    login(client, company)
    html = client.get("/mijn-boekingen").get_data(as_text=True)
    assert "verdrongen" in html and "Verdrongen door een activiteit met voorrang" in html
    assert "Verdrongen door" in client.get(f"/mijn-boekingen/{booking_id}").get_data(as_text=True)


def test_weekly_series_through_the_form(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    data = form(repeat="weekly", interval="1", until=local_day(3 + 21).isoformat())
    token = token_of(post_form(client, url, {**data, "action": "quote"}).get_data(as_text=True))
    response = post_form(client, url, {**data, "action": "confirm", "quote_token": token})
    assert response.status_code == 302 and count(app) == 4


def test_series_without_until_is_a_form_error(client, app, make_house, make_user):
    house = make_house()
    login(client, make_user())
    response = post_form(
        client, f"/ruimtes/{house.room_ids[0]}/boeken", {**form(repeat="weekly"), "action": "quote"}
    )
    assert response.status_code == 400 and "Kies tot wanneer" in response.get_data(as_text=True)


def test_unknown_room_is_404(client, make_user):
    login(client, make_user())
    assert client.get("/ruimtes/99999/boeken").status_code == 404
    assert client.get("/ruimtes/99999").status_code == 404
