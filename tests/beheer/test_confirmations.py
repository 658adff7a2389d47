""" "Weet u het zeker?" pages before destructive actions, and "geen kosten" on cancelled
bookings. The buttons lead to a GET page that changes nothing; its button posts to the
unchanged endpoint with a CSRF token; a cancel link goes back. Others get 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, Closure, Kiosk, PriorityBlock, User
from booking.services.beheer import closures, priority_blocks
from kiosk import pairing
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup
from tests.conftest import csrf_token

CONFIRM_FORM = re.compile(
    r'<form method="post" action="([^"]+)" class="form">\s*'
    r'<input type="hidden" name="csrf_token" value="[^"]+">'
)


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def status_of(app, booking_id: int) -> str:
    with app.app_context():
        return db.session.get(Booking, booking_id).status


def confirm_page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.get_data(as_text=True)
    assert "Weet u het zeker?" in html and "Nee, terug" in html
    return html


def posts_to(html: str) -> str:
    match = CONFIRM_FORM.search(html)
    assert match, "no confirm form with a CSRF token"
    return match.group(1)


# The organiser cancels their own booking ---------------------------------------------


def test_the_organiser_confirms_before_cancelling(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    client = client_for(app, setup.organiser)
    detail = client.get(f"/mijn-boekingen/{booking_id}").get_data(as_text=True)
    url = f"/mijn-boekingen/{booking_id}/annuleren/bevestigen"
    assert f'href="{url}"' in detail
    assert f'action="/mijn-boekingen/{booking_id}/annuleren"' not in detail  # no one-click POST
    html = confirm_page(client, url)
    assert "Koffieochtend" in html and "U betaalt er niets voor" in html
    assert f'href="/mijn-boekingen/{booking_id}"' in html  # the way back
    assert status_of(app, booking_id) == "bevestigd"  # looking changes nothing
    action = posts_to(html)
    assert action == f"/mijn-boekingen/{booking_id}/annuleren"
    response = client.post(action, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert status_of(app, booking_id) == "geannuleerd"
    # a second look: already cancelled, said clearly, back to the booking
    again = client.get(url)
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/mijn-boekingen/{booking_id}"
    )
    assert "al geannuleerd" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_the_series_confirmation_lists_every_date_it_cancels(app, setup):
    from booking.rules.recurrence import Frequency, Recurrence
    from booking.rules.slots import local_to_utc
    from booking.services import series
    from tests.beheer.test_pages import RESIDENTS

    day = days_ahead(3)
    with app.app_context():
        made = series.create_series(
            db.session.get(User, setup.organiser.id),
            setup.house.room_ids[0],
            local_to_utc(datetime.combine(day, time(10))),
            local_to_utc(datetime.combine(day, time(12))),
            "Breiclub",
            True,
            RESIDENTS,
            Recurrence(Frequency.weekly, 1, days_ahead(3 + 21)),
            now=datetime.now(UTC),
        )
        db.session.commit()
        first, second = (o.booking.id for o in made.occurrences[:2])
    client = client_for(app, setup.organiser)
    html = confirm_page(client, f"/mijn-boekingen/{second}/annuleren-reeks/bevestigen")
    assert "Deze 3 datums annuleren" in html
    assert posts_to(html) == f"/mijn-boekingen/{second}/annuleren-reeks"
    assert status_of(app, first) == "bevestigd"


def test_someone_elses_booking_has_no_confirmation_page(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    # as the cancel endpoint: the organiser, or a beheerder of the house (also gemeente)
    url = f"/mijn-boekingen/{booking_id}/annuleren/bevestigen"
    assert client_for(app, setup.beheerder).get(url).status_code == 200
    for who in (setup.outsider, setup.sociaal, setup.gastheer, setup.other_beheerder):
        client = client_for(app, who)
        assert client.get(f"/mijn-boekingen/{booking_id}/annuleren/bevestigen").status_code == 404
        assert (
            client.get(f"/mijn-boekingen/{booking_id}/annuleren-reeks/bevestigen").status_code
            == 404
        )
    client = client_for(app, setup.organiser)
    assert client.get(f"/mijn-boekingen/{booking_id}/annuleren-reeks/bevestigen").status_code == 404
    assert client.get("/mijn-boekingen/999999/annuleren/bevestigen").status_code == 404


# The beheerder cancels a booking of the house -----------------------------------------


def test_the_beheerder_confirms_with_the_reason_carried_over(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    detail = client.get(page).get_data(as_text=True)
    assert f'method="get" action="{page}/annuleren/bevestigen"' in detail
    html = confirm_page(client, f"{page}/annuleren/bevestigen?reason=Lekkage+in+de+zaal")
    assert "Lekkage in de zaal</textarea>" in html
    assert "De organisator krijgt een e-mail." in html
    assert posts_to(html) == f"{page}/annuleren"
    assert status_of(app, booking_id) == "bevestigd"
    response = client.post(
        f"{page}/annuleren",
        data={"reason": "Lekkage in de zaal", "csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 302
    assert status_of(app, booking_id) == "geannuleerd"
    assert client.get(f"{page}/annuleren/bevestigen").status_code == 302  # nothing left to cancel


def test_only_the_building_sees_the_cancel_confirmation(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    url = f"{setup.base}/boekingen/{booking_id}/annuleren/bevestigen"
    for who in (setup.sociaal, setup.gastheer, setup.organiser, setup.other_beheerder):
        assert client_for(app, who).get(url).status_code == 404
    assert client_for(app, setup.gemeente).get(url).status_code == 200
    other = book(app, setup.organiser, setup.other_house.room_ids[0], days_ahead(3))
    url = f"{setup.base}/boekingen/{other}/annuleren/bevestigen"
    assert client_for(app, setup.beheerder).get(url).status_code == 404


# Closures, voorrangsblokken, kiosks ---------------------------------------------------


def _closure(app, setup, house=None) -> int:
    house = house or setup.house
    who = setup.beheerder if house is setup.house else setup.other_beheerder
    with app.app_context():
        day = days_ahead(20)
        closure, _ = closures.add_closure(
            db.session.get(User, who.id),
            house.slug,
            closures.ClosureInput(
                datetime.combine(day, time(9)), datetime.combine(day, time(17)), "Schilders"
            ),
        )
        db.session.commit()
        return closure.id


def _block(app, setup, house=None) -> int:
    house = house or setup.house
    who = setup.beheerder if house is setup.house else setup.other_beheerder
    with app.app_context():
        block = priority_blocks.add_priority_block(
            db.session.get(User, who.id),
            house.slug,
            priority_blocks.PriorityBlockInput(
                house.room_ids[0], 3, time(10), time(12), note="Huiskamer"
            ),
        )
        db.session.commit()
        return block.id


def _kiosk(app, setup, house=None) -> int:
    house = house or setup.house
    who = setup.beheerder if house is setup.house else setup.other_beheerder
    with app.app_context():
        kiosk, _ = pairing.create_kiosk(
            db.session.get(User, who.id), house.room_ids[0], datetime.now(UTC), "Tablet zaal"
        )
        db.session.commit()
        return kiosk.id


def test_deleting_a_closure_is_confirmed_first(app, setup):
    closure_id = _closure(app, setup)
    client = client_for(app, setup.beheerder)
    listing = client.get(f"{setup.base}/sluitingen").get_data(as_text=True)
    url = f"{setup.base}/sluitingen/{closure_id}/verwijderen/bevestigen"
    assert f'href="{url}"' in listing and '/verwijderen"' not in listing
    html = confirm_page(client, url)
    assert "Schilders" in html and "weer boeken" in html
    assert posts_to(html) == f"{setup.base}/sluitingen/{closure_id}/verwijderen"
    with app.app_context():
        assert db.session.get(Closure, closure_id) is not None
    response = client.post(posts_to(html), data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Closure, closure_id) is None
    assert client.get(url).status_code == 404


def test_deleting_a_priority_block_is_confirmed_first(app, setup):
    block_id = _block(app, setup)
    client = client_for(app, setup.sociaal)  # the programme: sociaal beheerder may
    listing = client.get(f"{setup.base}/voorrangsblokken").get_data(as_text=True)
    url = f"{setup.base}/voorrangsblokken/{block_id}/verwijderen/bevestigen"
    assert f'href="{url}"' in listing
    html = confirm_page(client, url)
    assert "Huiskamer" in html and "door en voor bewoners" in html
    response = client.post(posts_to(html), data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PriorityBlock, block_id) is None


def test_revoking_a_kiosk_is_confirmed_first(app, setup):
    kiosk_id = _kiosk(app, setup)
    client = client_for(app, setup.beheerder)
    manage = client.get(f"/kiosk/beheer/{setup.house.slug}").get_data(as_text=True)
    url = f"/kiosk/beheer/{setup.house.slug}/{kiosk_id}/intrekken/bevestigen"
    assert f'href="{url}"' in manage
    html = confirm_page(client, url)
    assert "Tablet zaal" in html and "niet meer inchecken" in html
    assert posts_to(html) == f"/kiosk/beheer/{setup.house.slug}/{kiosk_id}/intrekken"
    with app.app_context():
        assert db.session.get(Kiosk, kiosk_id).revoked_at is None
    assert (
        client.post(posts_to(html), data={"csrf_token": csrf_token(client, url)}).status_code == 302
    )
    with app.app_context():
        assert db.session.get(Kiosk, kiosk_id).revoked_at is not None
    assert client.get(url).status_code == 302  # already unpaired: back to the list


def test_others_houses_and_roles_get_404_on_every_confirmation(app, setup):
    other = setup.other_house
    pages = [
        f"/beheer/het-anker/sluitingen/{_closure(app, setup, other)}/verwijderen/bevestigen",
        f"/beheer/het-anker/voorrangsblokken/{_block(app, setup, other)}/verwijderen/bevestigen",
        f"/kiosk/beheer/het-anker/{_kiosk(app, setup, other)}/intrekken/bevestigen",
    ]
    ours = [
        f"{setup.base}/sluitingen/{_closure(app, setup)}/verwijderen/bevestigen",
        f"{setup.base}/voorrangsblokken/{_block(app, setup)}/verwijderen/bevestigen",
        f"/kiosk/beheer/{setup.house.slug}/{_kiosk(app, setup)}/intrekken/bevestigen",
    ]
    beheerder = client_for(app, setup.beheerder)
    for url in pages:
        assert beheerder.get(url).status_code == 404, url
    # a foreign object under our own house's address is not found either
    foreign_ids = [p.split("/")[-3] for p in pages]
    assert (
        beheerder.get(
            f"{setup.base}/sluitingen/{foreign_ids[0]}/verwijderen/bevestigen"
        ).status_code
        == 404
    )
    for who in (setup.organiser, setup.gastheer):
        client = client_for(app, who)
        for url in ours:
            assert client.get(url).status_code == 404, (who, url)
    assert client_for(app, setup.sociaal).get(ours[0]).status_code == 404  # closures: building
    anonymous = app.test_client().get(ours[0])
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


# No amount due on a cancelled booking -------------------------------------------------


def test_cancelled_bookings_show_geen_kosten(app, setup):
    from booking.demo.bookings import CHOIR

    booking_id = book(app, setup.organiser, setup.house.room_ids[1], days_ahead(3), activity=CHOIR)
    with app.app_context():
        amount = db.session.get(Booking, booking_id).amount_cents
    assert amount > 0
    beheerder = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    beheerder.post(f"{page}/annuleren", data={"csrf_token": csrf_token(beheerder, page)})
    assert status_of(app, booking_id) == "geannuleerd"
    organiser = client_for(app, setup.organiser)
    pages = [
        (organiser, "/mijn-boekingen"),
        (organiser, f"/mijn-boekingen/{booking_id}"),
        (beheerder, f"{setup.base}/boekingen?weergave=dag&datum={days_ahead(3).isoformat()}"),
        (beheerder, page),
    ]
    for client, url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "geen kosten" in html, url
    mine = organiser.get("/mijn-boekingen").get_data(as_text=True)
    assert "€" not in mine.split("Komende boekingen")[1].split("</table>")[0]


def test_an_active_booking_still_shows_its_price(app, setup):
    from booking.demo.bookings import CHOIR

    booking_id = book(app, setup.organiser, setup.house.room_ids[1], days_ahead(3), activity=CHOIR)
    html = (
        client_for(app, setup.organiser).get(f"/mijn-boekingen/{booking_id}").get_data(as_text=True)
    )
    assert "geen kosten" not in html and "€" in html


def test_confirmation_pages_are_listed_with_the_booking_nav(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    html = confirm_page(
        client_for(app, setup.beheerder),
        f"{setup.base}/boekingen/{booking_id}/annuleren/bevestigen",
    )
    assert 'aria-current="page">Boekingen</a>' in html
    with app.app_context():
        assert (
            db.session.scalar(select(Booking.status).where(Booking.id == booking_id)) == "bevestigd"
        )
