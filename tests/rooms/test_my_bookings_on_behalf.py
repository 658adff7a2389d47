"""Staff's "Mijn boekingen": bookings made for a resident say for whom (front desk).

A staff member is the organiser of what they booked for a resident; their list and the
booking's page say "namens <naam>", with the resident's phone for the house's staff only.
Others' bookings stay not found.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking.extensions import db
from booking.models import User
from booking.rules.residents import Resident
from booking.services import on_behalf
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup
from tests.conftest import activity, slot


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def book_for(app, staff, setup, who: Resident, days: int = 4, title: str = "Buurtsoep") -> int:
    with app.app_context():
        booked = on_behalf.book_for_resident(
            db.session.get(User, staff.id),
            setup.house.slug,
            setup.house.room_ids[0],
            slot(days),
            title,
            False,
            activity(),
            who,
            now=datetime.now(UTC),
        )
        db.session.commit()
        return booked.booking.id


def test_the_list_names_the_resident_with_the_phone(app, setup):
    made = book_for(app, setup.beheerder, setup, Resident("Mevrouw Jansen", "06 1234 5678"))
    own = book(app, setup.beheerder, setup.house.room_ids[1], days_ahead(5), title="Eigen")
    html = client_for(app, setup.beheerder).get("/mijn-boekingen").get_data(as_text=True)
    assert "namens Mevrouw Jansen" in html
    assert 'href="tel:0612345678"' in html
    assert html.count("namens ") == 1  # the staff member's own booking says nothing
    assert f'href="/mijn-boekingen/{made}"' in html and f'href="/mijn-boekingen/{own}"' in html


def test_the_booking_page_names_the_resident(app, setup):
    made = book_for(app, setup.sociaal, setup, Resident("Meneer de Vries", "+32 2 123 45 67"))
    page = client_for(app, setup.sociaal).get(f"/mijn-boekingen/{made}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Geboekt namens" in html and "Meneer de Vries" in html and "+3221234567" in html


def test_without_a_phone_only_the_name(app, setup):
    book_for(app, setup.beheerder, setup, Resident("Mevrouw Jansen"))
    html = client_for(app, setup.beheerder).get("/mijn-boekingen").get_data(as_text=True)
    assert "namens Mevrouw Jansen" in html and "tel:" not in html


def test_a_colleague_sees_the_resident_on_the_booking_page(app, setup):
    made = book_for(app, setup.beheerder, setup, Resident("Mevrouw Jansen", "0612345678"))
    html = client_for(app, setup.sociaal).get(f"/mijn-boekingen/{made}").get_data(as_text=True)
    assert "Geboekt namens" in html and "0612345678" in html
    # not in the colleague's own list: they did not make it
    mine = client_for(app, setup.sociaal).get("/mijn-boekingen").get_data(as_text=True)
    assert "Mevrouw Jansen" not in mine


def test_a_residents_own_list_says_no_namens(app, setup):
    book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    html = client_for(app, setup.organiser).get("/mijn-boekingen").get_data(as_text=True)
    assert "namens" not in html


def test_nobody_else_learns_the_resident(app, setup):
    made = book_for(app, setup.beheerder, setup, Resident("Mevrouw Jansen", "0612345678"))
    for user in (setup.organiser, setup.outsider, setup.other_beheerder, setup.gastheer):
        client = client_for(app, user)
        assert client.get(f"/mijn-boekingen/{made}").status_code == 404, user
        assert "Mevrouw Jansen" not in client.get("/mijn-boekingen").get_data(as_text=True)
    assert client_for(app, setup.beheerder).get("/mijn-boekingen/999999").status_code == 404
