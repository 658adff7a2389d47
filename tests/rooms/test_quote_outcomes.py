"""Quotes that see the calendar, in HTML: each date's outcome before confirming, and the
confirmation books exactly what was shown (services/slot_outcomes.py, rooms/quote_page.py)."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from sqlalchemy import event

from booking.extensions import db
from booking.models import Booking, Room, User
from booking.rules.recurrence import Frequency, Recurrence
from booking.services import bookings, slot_outcomes
from tests.conftest import activity, local_day, login, post_form, slot
from tests.rooms.test_views import count, form, token_of

DAYS = 40  # outside the voorrangstermijn, inside the booking horizon


def shown_of(page: str) -> str:
    return re.search(r'name="shown_outcomes" type="hidden" value="([0-9a-f]*)"', page).group(1)


def quote(client, url, data):
    response = post_form(client, url, {**data, "action": "quote"})
    return response, response.get_data(as_text=True)


def outcomes_section(page: str) -> str:
    return page[page.index('id="agenda-kop"') : page.index("</ol>", page.index('id="agenda-kop"'))]


def test_a_free_slot_says_vrij_and_may_be_confirmed(client, make_house, make_user):
    house = make_house()
    login(client, make_user())
    response, page = quote(client, f"/ruimtes/{house.room_ids[0]}/boeken", form(days=DAYS))
    assert response.status_code == 200
    assert "Wat de agenda zegt" in page and "outcome-vrij" in page
    assert 'id="bevestig"' in page


def test_a_provisional_booking_of_lower_class_is_named_with_the_rule(
    client, make_house, make_user, book
):
    house, company, resident = make_house(), make_user(), make_user()
    book(company, house.room_ids[0], days_ahead=DAYS, what=activity("commercieel"), title="Yoga")
    login(client, resident)
    response, page = quote(client, f"/ruimtes/{house.room_ids[0]}/boeken", form(days=DAYS))
    section = outcomes_section(page)
    assert response.status_code == 200 and "outcome-verdringt" in section
    assert "Verdringt: Yoga" in section and "klasse 1" in section and "klasse 4" in section
    assert "voorrangstermijn" in section
    assert "organisator" not in section  # no organiser data for a resident
    assert 'id="bevestig"' in page


def test_staff_see_who_organises_the_booking_in_the_way(client, make_house, make_user, book):
    house, company = make_house(), make_user()
    book(company, house.room_ids[0], days_ahead=DAYS, what=activity("commercieel"))
    login(client, make_user("beheerder", house))
    _, page = quote(client, f"/ruimtes/{house.room_ids[0]}/boeken", form(days=DAYS))
    assert "(organisator: Test initiatiefnemer)" in outcomes_section(page)


def test_a_private_booking_in_the_way_shows_no_title_to_a_resident(
    client, app, make_house, make_user
):
    house, other = make_house(), make_user()
    with app.app_context():
        start, end = slot(DAYS)
        bookings.create_booking(
            db.session.get(User, other.id),
            house.room_ids[0],
            start,
            end,
            "Geheim overleg",
            False,
            activity(),
            now=datetime.now(UTC),
        )
        db.session.commit()
    login(client, make_user())
    _, page = quote(client, f"/ruimtes/{house.room_ids[0]}/boeken", form(days=DAYS))
    section = outcomes_section(page)
    assert "outcome-bezet" in section and "een besloten activiteit" in section
    assert "Geheim overleg" not in page


def test_a_taken_slot_offers_alternatives_that_keep_title_and_answers(
    client, make_house, make_user, book
):
    house = make_house(rooms=2)
    book(make_user(), house.room_ids[0], days_ahead=DAYS)  # class 1: confirmed at once
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    data = form(days=DAYS, title="Repair café", contribution="2,50", subsidised="ja")
    response, page = quote(client, url, data)
    section = outcomes_section(page)
    assert response.status_code == 200 and "outcome-bezet" in section
    assert "Bezet door: Koffieochtend" in section
    assert 'id="bevestig"' not in page  # nothing to book
    links = [
        html_lib.unescape(h) for h in re.findall(r'href="(/ruimtes/\d+/boeken\?[^"]+)"', section)
    ]
    assert links, section
    args = parse_qs(urlparse(links[0]).query)
    assert args["title"] == ["Repair café"] and args["subsidised"] == ["ja"]
    assert args["contribution"] == ["2,50"] and args["organiser_kind"] == ["bewoners"]
    # Following the link: the form is filled in with the same title and answers.
    page = client.get(links[0]).get_data(as_text=True)
    assert 'value="Repair café"' in page and 'value="2,50"' in page
    assert re.search(r'checked[^>]*name="subsidised"[^>]*value="ja"', page)
    assert re.search(r'<option selected value="bewoners"|<option value="bewoners" selected', page)


def test_the_409_page_alternatives_keep_title_and_answers(client, make_house, make_user, book):
    house = make_house(rooms=2)
    book(make_user(), house.room_ids[0], days_ahead=DAYS)
    login(client, make_user())
    url = f"/ruimtes/{house.room_ids[0]}/boeken"
    data = form(days=DAYS, title="Repair café")
    _, page = quote(client, url, data)
    response = post_form(client, url, {**data, "action": "confirm", "quote_token": token_of(page)})
    assert response.status_code == 409
    top = response.get_data(as_text=True).split('id="quote"')[0]
    link = html_lib.unescape(re.search(r'href="(/ruimtes/\d+/boeken\?[^"]+)"', top).group(1))
    assert parse_qs(urlparse(link).query)["title"] == ["Repair café"]


def test_a_weekly_series_lists_every_date_with_its_own_outcome(
    client, app, make_house, make_user, book
):
    house, company = make_house(), make_user()
    room = house.room_ids[0]
    book(make_user(), room, days_ahead=DAYS + 7)  # confirmed: taken
    book(company, room, days_ahead=DAYS + 14, what=activity("commercieel"), title="Yoga")
    login(client, make_user())
    url = f"/ruimtes/{room}/boeken"
    data = form(days=DAYS, repeat="weekly", interval="1", until=local_day(DAYS + 21).isoformat())
    response, page = quote(client, url, data)
    section = outcomes_section(page)
    kinds = re.findall(r'class="outcome outcome-(\w+)"', section)
    assert response.status_code == 200
    assert kinds == ["vrij", "bezet", "verdringt", "vrij"]
    assert "3 van de 4 datums worden geboekt" in page
    response = post_form(
        client,
        url,
        {
            **data,
            "action": "confirm",
            "quote_token": token_of(page),
            "shown_outcomes": shown_of(page),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        mine = db.session.query(Booking).filter(Booking.series_id.is_not(None)).count()
        yoga = db.session.query(Booking).filter_by(title="Yoga").one()
        assert mine == 3 and yoga.status == "verdrongen"


def test_a_provisional_series_says_until_when(client, make_house, make_user):
    house = make_house()
    login(client, make_user())
    data = form(days=DAYS, repeat="weekly", interval="1", until=local_day(DAYS + 7).isoformat())
    data.update(
        organiser_kind="commercieel", open_to_all="nee", profit_making="ja", mainly_meeting="nee"
    )
    _, page = quote(client, f"/ruimtes/{house.room_ids[0]}/boeken", data)
    section = outcomes_section(page)
    assert section.count("outcome-onder_voorbehoud") == 2
    assert "vrij, onder voorbehoud tot" in section


def test_confirmation_is_refused_when_the_calendar_changed(
    client, app, make_house, make_user, book
):
    house, company = make_house(), make_user()
    room = house.room_ids[0]
    login(client, make_user())
    url = f"/ruimtes/{room}/boeken"
    data = form(days=DAYS, repeat="weekly", interval="1", until=local_day(DAYS + 14).isoformat())
    _, page = quote(client, url, data)
    seen = shown_of(page)
    book(company, room, days_ahead=DAYS + 7, what=activity(), title="Nieuw")  # taken meanwhile
    before = count(app)
    confirm = {**data, "action": "confirm", "quote_token": token_of(page), "shown_outcomes": seen}
    response = post_form(client, url, confirm)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and count(app) == before
    assert "De agenda is veranderd" in page and "We hebben niets geboekt" in page
    assert re.findall(r'class="outcome outcome-(\w+)"', outcomes_section(page)) == [
        "vrij",
        "bezet",
        "vrij",
    ]
    assert shown_of(page) != seen
    # Confirming the fresh quote books the two free dates.
    response = post_form(client, url, {**confirm, "shown_outcomes": shown_of(page)})
    assert response.status_code == 302 and count(app) == before + 2


def test_a_single_confirmation_is_refused_when_a_displaceable_booking_appeared(
    client, app, make_house, make_user, book
):
    house = make_house()
    room = house.room_ids[0]
    login(client, make_user())
    url = f"/ruimtes/{room}/boeken"
    _, page = quote(client, url, form(days=DAYS))
    book(make_user(), room, days_ahead=DAYS, what=activity("commercieel"))
    response = post_form(
        client,
        url,
        {
            **form(days=DAYS),
            "action": "confirm",
            "quote_token": token_of(page),
            "shown_outcomes": shown_of(page),
        },
    )
    assert response.status_code == 409 and "outcome-verdringt" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Booking).filter_by(status="verdrongen").count() == 0


def test_a_whole_series_costs_a_constant_number_of_queries(app, make_house, make_user, book):
    house = make_house()
    room = house.room_ids[0]
    for week in (1, 3):
        book(make_user(), room, days_ahead=DAYS + 7 * week, what=activity("commercieel"))

    def queries_for(weeks: int) -> int:
        with app.app_context():
            start, end = slot(DAYS)
            rule = Recurrence(Frequency.weekly, 1, local_day(DAYS + 7 * weeks))
            statements = []
            engine = db.engine

            def seen(*_args):
                statements.append(1)

            event.listen(engine, "before_cursor_execute", seen)
            try:
                found = slot_outcomes.calendar_quote(
                    room, start, end, activity(), rule, now=datetime.now(UTC)
                )
            finally:
                event.remove(engine, "before_cursor_execute", seen)
            assert len(found.dates) == weeks + 1
            return len(statements)

    assert queries_for(4) == queries_for(20)


def test_answers_of_a_link_are_only_known_fields(client, make_house, make_user):
    house = make_house()
    login(client, make_user())
    day = local_day(DAYS).isoformat()
    link = f"/ruimtes/{house.room_ids[0]}/boeken?start={day}T10:00&title=Zang&quote_token=abc"
    page = client.get(link + "&organiser_kind=vereniging").get_data(as_text=True)
    assert 'value="Zang"' in page and 'value="abc"' not in page
    assert re.search(
        r'<option selected value="vereniging"|<option value="vereniging" selected', page
    )


def test_a_change_does_not_stand_in_its_own_way(app, make_house, make_user, book):
    """`date_outcomes(..., ignore=…)`: the call the change of a booking uses."""
    house = make_house()
    booking_id = book(make_user(), house.room_ids[0], days_ahead=DAYS)
    with app.app_context():
        room = db.session.get(Room, house.room_ids[0])
        wanted = [slot(DAYS, "11:00", "13:00")]
        now = datetime.now(UTC)
        plain = slot_outcomes.date_outcomes(room, wanted, activity(), now=now)
        moved = slot_outcomes.date_outcomes(room, wanted, activity(), now=now, ignore={booking_id})
        assert plain[0].outcome.kind.value == "bezet" and plain[0].blocking[0].id == booking_id
        assert moved[0].outcome.kind.value == "vrij" and not moved[0].blocking
