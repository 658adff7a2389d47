"""Staff book a weekly series for a resident who phoned (front desk, series on behalf).

The same page as a single booking for a resident, with the booking form's repetition: the
quote shows what the calendar says on every date (as the resident's own series page does),
only a confirmation of exactly that quote books, and every booking of the series carries
the resident. Audited per booking like a single booking on behalf.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta
from html import unescape

import pytest

from booking.extensions import db
from booking.models import AuditEntry, Booking, BookingSeries, User
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.residents import Resident
from booking.rules.slots import local_to_utc
from booking.services import on_behalf
from tests.beheer.test_on_behalf import RESIDENT, form, mails, post, rows, token_of
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup
from tests.conftest import activity

FIRST = 7  # days ahead: outside nothing, inside the horizon
WEEKS = 4


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def series_form(setup, **extra) -> dict:
    """Four Tuesdays-or-whatever: weekly from FIRST days ahead, until three weeks later."""
    data = {
        **form(setup),
        "day": days_ahead(FIRST).isoformat(),
        "repeat": "weekly",
        "interval": "1",
        "until": days_ahead(FIRST + 7 * (WEEKS - 1)).isoformat(),
    }
    data.update(extra)
    return data


def shown_of(html: str) -> str:
    return re.search(r'name="shown_outcomes" type="hidden" value="([^"]*)"', html).group(1)


def url_of(setup) -> str:
    return f"{setup.base}/boeken-voor-bewoner"


def quote(client, setup, **extra):
    return post(client, url_of(setup), {**series_form(setup, **extra), "action": "quote"})


def confirm(client, setup, shown_html: str, **extra):
    data = {
        **series_form(setup, **extra),
        "action": "confirm",
        "quote_token": token_of(shown_html),
        "shown_outcomes": shown_of(shown_html),
    }
    return post(client, url_of(setup), data)


def audit_of(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        found = db.session.query(AuditEntry).filter_by(action=action).order_by(AuditEntry.id)
        entries = list(found)
        db.session.expunge_all()
        return entries


# The journey ----------------------------------------------------------------------------


def test_the_page_offers_the_repetition(app, setup):
    html = client_for(app, setup.beheerder).get(url_of(setup)).get_data(as_text=True)
    assert 'name="repeat"' in html and 'name="until"' in html and 'name="interval"' in html
    assert "Elke week, of elke paar weken" in html


def test_beheerder_books_a_weekly_series_for_a_resident(app, setup):
    client = client_for(app, setup.beheerder)
    shown = quote(client, setup)
    assert shown.status_code == 200, shown.get_data(as_text=True)
    html = shown.get_data(as_text=True)
    # the per-date preview of the resident's own series page
    assert "Wat de agenda zegt" in html
    assert f"{WEEKS} van de {WEEKS} datums worden geboekt" in html
    assert html.count('class="outcome outcome-vrij"') == WEEKS
    assert "T1 bewonersinitiatief (gratis)" in html and 'id="bevestig"' in html
    assert 'value="Mevrouw Jansen"' in html  # the resident stays in the form

    confirmed = confirm(client, setup, html)
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)
    made = rows(app)
    assert len(made) == WEEKS
    assert confirmed.headers["Location"].endswith(
        f"{setup.base}/boekingen/{made[0].id}/bevestiging"
    )
    assert {b.series_id for b in made} != {None} and len({b.series_id for b in made}) == 1
    for booking in made:
        assert booking.organiser_id == setup.beheerder.id
        assert (booking.on_behalf_name, booking.on_behalf_phone, booking.on_behalf_email) == (
            "Mevrouw Jansen",
            "0612345678",
            "jansen@example.org",
        )
        assert (booking.tariff_group, booking.status) == ("T1", "bevestigd")
    days = [b.start.date() for b in made]
    assert [(d - days[0]).days for d in days] == [0, 7, 14, 21]
    with app.app_context():
        series = db.session.get(BookingSeries, made[0].series_id)
        assert series.organiser_id == setup.beheerder.id and series.freq == "weekly"
    # one mail for the series, to the resident
    assert mails(app) == [("series_booked", "jansen@example.org")]
    # audited like a single booking on behalf: one entry per booking, naming the series
    entries = audit_of(app, "booked_on_behalf")
    assert sorted(e.object_id for e in entries) == [b.id for b in made]
    assert all(e.actor_id == setup.beheerder.id for e in entries)
    assert all(json.loads(e.details)["series_id"] == made[0].series_id for e in entries)
    assert all(json.loads(e.details)["with_phone"] is True for e in entries)
    assert len(audit_of(app, "series_created")) == 1


def test_the_confirmation_lists_every_date_of_the_series(app, setup):
    client = client_for(app, setup.sociaal)  # a sociaal beheerder may too
    confirmed = confirm(client, setup, quote(client, setup).get_data(as_text=True))
    assert confirmed.status_code == 302
    page = client.get(confirmed.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Voor Mevrouw Jansen" in html and "Alle datums van de reeks" in html
    assert html.count("10:00–12:00 · bevestigd") == WEEKS
    assert "Reeks geboekt voor Mevrouw Jansen: Koffieochtend, 4 datums." in unescape(html)


def test_a_taken_date_is_shown_before_and_left_out_after(app, setup):
    room = setup.house.room_ids[0]
    blocker = book(app, setup.organiser, room, days_ahead(FIRST + 7), title="Eigen koor")
    client = client_for(app, setup.beheerder)
    shown = quote(client, setup)
    assert shown.status_code == 200
    html = unescape(shown.get_data(as_text=True))
    assert f"3 van de {WEEKS} datums worden geboekt" in html
    assert "Bezet door: Eigen koor" in html  # staff of the house read who is in the way
    confirmed = confirm(client, setup, shown.get_data(as_text=True))
    assert confirmed.status_code == 302
    made = [b for b in rows(app) if b.id != blocker]
    assert len(made) == 3 and all(b.on_behalf_name == "Mevrouw Jansen" for b in made)
    follow = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "Niet geboekt op" in follow and "De ruimte is dan al bezet." in follow


def test_calendar_changed_since_the_quote_books_nothing(app, setup):
    client = client_for(app, setup.beheerder)
    shown = quote(client, setup).get_data(as_text=True)
    late = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(FIRST + 14))
    refused = confirm(client, setup, shown)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "De agenda is veranderd" in html and "3 van de 4 datums" in html
    assert [b.id for b in rows(app)] == [late]
    assert [kind for kind, _to in mails(app)] == ["booking_bevestigd"]  # the other booking's
    assert audit_of(app, "booked_on_behalf") == []


def test_an_alternative_is_a_button_that_keeps_the_resident_and_the_answers(app, setup):
    book(app, setup.organiser, setup.house.room_ids[0], days_ahead(FIRST), title="Eigen koor")
    client = client_for(app, setup.beheerder)
    extra = {"title": "Breiclub", "contribution": "2,50"}
    html = quote(client, setup, **extra).get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" name="alternatief" value="([^"]+)"', html)
    assert buttons, "no alternative to choose"
    # another room of this house at the same time, as a button of the same form
    other_room = next(v for v in buttons if v.startswith(f"{setup.house.room_ids[1]}|"))
    assert "href=" not in html.split("Misschien past")[1].split("</ul>")[0]
    chosen = post(client, url_of(setup), {**series_form(setup, **extra), "alternatief": other_room})
    assert chosen.status_code == 200
    page = chosen.get_data(as_text=True)
    assert (
        re.search(rf'<option selected value="{setup.house.room_ids[1]}">', page)
        or f'value="{setup.house.room_ids[1]}" selected' in page
    )
    for kept in ('value="Mevrouw Jansen"', 'value="0612345678"', 'value="Breiclub"'):
        assert kept in page, kept
    assert 'value="2,50"' in page and f"{WEEKS} van de {WEEKS} datums" in page
    assert rows(app)[0].title == "Eigen koor" and len(rows(app)) == 1  # nothing booked yet


def test_an_alternative_for_a_later_date_keeps_the_first_date_of_the_series(app, setup):
    book(app, setup.organiser, setup.house.room_ids[0], days_ahead(FIRST + 7), title="Koor")
    client = client_for(app, setup.beheerder)
    html = quote(client, setup).get_data(as_text=True)
    other_room = next(
        v
        for v in re.findall(r'name="alternatief" value="([^"]+)"', html)
        if v.startswith(f"{setup.house.room_ids[1]}|")
    )
    assert f"|{days_ahead(FIRST + 7).isoformat()}T10:00|" in other_room
    chosen = post(client, url_of(setup), {**series_form(setup), "alternatief": other_room})
    page = chosen.get_data(as_text=True)
    assert chosen.status_code == 200
    assert f'value="{days_ahead(FIRST).isoformat()}"' in page  # still the first date
    assert f"{WEEKS} van de {WEEKS} datums worden geboekt" in page  # all in the other room


def test_an_alternative_in_another_house_is_no_button(app, setup):
    for room in setup.house.room_ids:  # both rooms taken: another house is suggested
        book(app, setup.organiser, room, days_ahead(FIRST))
    client = client_for(app, setup.beheerder)
    html = quote(client, setup).get_data(as_text=True)
    assert "Testhuis 2" in html  # suggested, as text
    buttons = re.findall(r'name="alternatief" value="(\d+)\|', html)
    assert str(setup.other_house.room_ids[0]) not in buttons
    assert str(setup.other_house.room_ids[1]) not in buttons


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["", "x", "1|2", "abc|2026-01-01T10:00|2026-01-01T12:00", "9|nu|straks", "1|" + "9" * 60],
)
def test_an_alternative_that_is_not_one_of_ours_is_the_form_as_sent(app, setup, value):
    client = client_for(app, setup.beheerder)
    response = post(client, url_of(setup), {**series_form(setup), "alternatief": value})
    assert response.status_code == 200, response.status_code
    assert "Wat de agenda zegt" in response.get_data(as_text=True)
    assert rows(app) == []


def test_an_alternative_in_a_room_of_another_house_is_refused(app, setup):
    client = client_for(app, setup.beheerder)
    day = days_ahead(FIRST).isoformat()
    value = f"{setup.other_house.room_ids[0]}|{day}T10:00|{day}T12:00"
    response = post(client, url_of(setup), {**series_form(setup), "alternatief": value})
    assert response.status_code == 400  # not a room the form offers
    assert rows(app) == []


@pytest.mark.parametrize("phone", ["06 1234", "bel me maar", "+1 23"])
def test_a_bad_phone_number_books_no_series(app, setup, phone):
    client = client_for(app, setup.beheerder)
    for action in ("quote", "confirm"):
        response = post(
            client, url_of(setup), {**series_form(setup, resident_phone=phone), "action": action}
        )
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'id="resident_phone-error"' in html and "telefoonnummer" in html.lower()
    assert rows(app) == [] and mails(app) == []


def test_a_repetition_without_an_end_date_is_asked_for(app, setup):
    client = client_for(app, setup.beheerder)
    response = quote(client, setup, until="")
    assert response.status_code == 400
    assert "Kies tot wanneer de boeking herhaald wordt." in response.get_data(as_text=True)
    assert rows(app) == []


@pytest.mark.parametrize(
    ("until", "said"),
    [
        (days_ahead(FIRST + 800).isoformat(), "hoogstens"),
        (days_ahead(FIRST - 1).isoformat(), "vóór de eerste keer"),
    ],
)
def test_an_end_date_that_cannot_be_is_refused(app, setup, until, said):
    client = client_for(app, setup.beheerder)
    response = quote(client, setup, until=until)
    assert response.status_code in (400, 422), response.status_code
    html = unescape(response.get_data(as_text=True))
    assert 'id="bevestig"' not in html and said in html
    assert rows(app) == []


def test_without_an_email_the_series_sends_no_mail(app, setup):
    client = client_for(app, setup.beheerder)
    shown = quote(client, setup, resident_email="").get_data(as_text=True)
    confirmed = confirm(client, setup, shown, resident_email="")
    assert confirmed.status_code == 302
    assert len(rows(app)) == WEEKS and mails(app) == []


# Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["gastheer", "organiser", "other_beheerder"])
def test_others_cannot_book_a_series_for_a_resident(app, setup, who):
    client = client_for(app, getattr(setup, who))
    response = post(client, url_of(setup), {**series_form(setup), "action": "confirm"})
    assert response.status_code == 404 and rows(app) == []


def test_the_service_checks_the_resident_and_the_house_for_a_series_too(app, setup):
    from booking.errors import Forbidden, InvalidInput, RuleViolation

    day = days_ahead(FIRST)
    start = local_to_utc(datetime.combine(day, time(10)))
    repeat = Recurrence(Frequency.weekly, 1, day + timedelta(days=21))
    with app.app_context():
        actor = db.session.get(User, setup.beheerder.id)
        outsider = db.session.get(User, setup.gastheer.id)
        args = (setup.house.room_ids[0], (start, start + timedelta(hours=2)), "Koffie", False)
        with pytest.raises(InvalidInput) as refused:
            on_behalf.book_for_resident(
                actor,
                setup.house.slug,
                *args,
                activity(),
                Resident("Jansen", "12"),
                now=datetime.now(UTC),
                recurrence=repeat,
            )
        assert refused.value.field == "resident_phone"
        with pytest.raises(Forbidden):
            on_behalf.book_for_resident(
                outsider,
                setup.house.slug,
                *args,
                activity(),
                Resident(**{k.removeprefix("resident_"): v for k, v in RESIDENT.items()}),
                now=datetime.now(UTC),
                recurrence=repeat,
            )
        with pytest.raises(RuleViolation):  # a room of another house
            on_behalf.book_for_resident(
                actor,
                setup.house.slug,
                setup.other_house.room_ids[0],
                *args[1:],
                activity(),
                Resident("Jansen"),
                now=datetime.now(UTC),
                recurrence=repeat,
            )
        assert db.session.query(Booking).count() == 0
