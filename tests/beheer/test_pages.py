"""The beheer pages of a house: who sees them, and that each renders in Dutch.

Shared helpers for the other beheer tests live here too (`Setup`, `book`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest

from booking.demo.bookings import CHOIR, RESIDENTS
from booking.extensions import db
from booking.models import AuditEntry, Room, User
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.rules.tariff import Activity
from booking.services import bookings
from tests.conftest import HouseRef, UserRef, login

GET_PAGES = (
    "",
    "/boekingen",
    "/boekingen?weergave=dag",
    "/ruimtes",
    "/instellingen",
    "/openingstijden",
    "/sluitingen",
    "/voorrangsblokken",
    "/logboek",
)


@dataclass(frozen=True)
class Setup:
    house: HouseRef
    other_house: HouseRef
    beheerder: UserRef
    sociaal: UserRef
    gastheer: UserRef
    organiser: UserRef
    outsider: UserRef
    other_beheerder: UserRef
    gemeente: UserRef

    @property
    def base(self) -> str:
        return f"/beheer/{self.house.slug}"


def make_setup(make_house, make_user) -> Setup:
    """Two houses, and one person in each role that matters to the beheer pages."""
    house, other = make_house("de-haard"), make_house("het-anker")
    return Setup(
        house=house,
        other_house=other,
        beheerder=make_user("beheerder", house),
        sociaal=make_user("sociaal_beheerder", house),
        gastheer=make_user("gastheer", house),
        organiser=make_user("initiatiefnemer"),
        outsider=make_user("initiatiefnemer"),
        other_beheerder=make_user("beheerder", other),
        gemeente=make_user("gemeente"),
    )


@pytest.fixture
def setup(make_house, make_user) -> Setup:
    return make_setup(make_house, make_user)


def days_ahead(n: int) -> date:
    return datetime.now(AMSTERDAM).date() + timedelta(days=n)


def book(
    app,
    organiser: UserRef,
    room_id: int,
    day: date,
    start: time = time(10),
    end: time = time(12),
    activity: Activity = RESIDENTS,
    title: str = "Koffieochtend",
) -> int:
    """Book through the booking service, as an organiser would, and commit."""
    with app.app_context():
        booked = bookings.create_booking(
            db.session.get(User, organiser.id),
            room_id,
            local_to_utc(datetime.combine(day, start)),
            local_to_utc(datetime.combine(day, end)),
            title,
            False,
            activity,
            now=datetime.now(UTC),
        )
        db.session.commit()
        return booked.booking.id


def require_approval(app, room_id: int) -> None:
    with app.app_context():
        db.session.get(Room, room_id).requires_approval = True
        db.session.commit()


def audit_actions(app, house_id: int) -> list[str]:
    with app.app_context():
        return [
            e.action
            for e in db.session.query(AuditEntry)
            .filter_by(house_id=house_id)
            .order_by(AuditEntry.id)
        ]


def client_for(app, user: UserRef):
    client = app.test_client()
    login(client, user)
    return client


# Tests -------------------------------------------------------------------------------------


def test_every_page_renders_in_dutch_for_the_beheerder(app, setup):
    book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    client = client_for(app, setup.beheerder)
    for page in GET_PAGES:
        response = client.get(setup.base + page)
        assert response.status_code == 200, page
        html = response.get_data(as_text=True)
        assert 'lang="nl"' in html
        assert "<script>" not in html and " style=" not in html and "<style" not in html, page
        assert 'aria-label="Beheer van Testhuis 1"' in html, page


def test_bookings_overview_shows_the_table(app, setup):
    day = days_ahead(3)
    booking_id = book(app, setup.organiser, setup.house.room_ids[1], day, title="Buurtsoep")
    client = client_for(app, setup.beheerder)
    html = client.get(f"{setup.base}/boekingen?weergave=dag&datum={day.isoformat()}").get_data(
        as_text=True
    )
    assert "Buurtsoep" in html and "Zaal 2" in html
    assert "Test initiatiefnemer" in html and setup.organiser.email in html
    assert 'status-bevestigd">bevestigd<' in html and "€\xa00,00" in html
    assert "<caption>" in html and 'scope="col"' in html
    assert f"/beheer/de-haard/boekingen/{booking_id}" in html
    # the week holding the day shows it too; the day before does not
    week = client.get(f"{setup.base}/boekingen?weergave=week&datum={day.isoformat()}")
    assert "Buurtsoep" in week.get_data(as_text=True)
    before = (day - timedelta(days=1)).isoformat()
    other_day = client.get(f"{setup.base}/boekingen?weergave=dag&datum={before}")
    assert "Buurtsoep" not in other_day.get_data(as_text=True)


def test_bookings_overview_filters(app, setup):
    day = days_ahead(3)
    room_1, room_2 = setup.house.room_ids
    book(app, setup.organiser, room_1, day, title="Bewonerskoffie")
    book(app, setup.organiser, room_2, day, activity=CHOIR, title="Koorrepetitie")
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/boekingen?weergave=dag&datum={day.isoformat()}"

    def titles(query: str) -> set[str]:
        html = client.get(url + query).get_data(as_text=True)
        return {t for t in ("Bewonerskoffie", "Koorrepetitie") if t in html}

    assert titles("") == {"Bewonerskoffie", "Koorrepetitie"}
    assert titles(f"&ruimte={room_1}") == {"Bewonerskoffie"}
    assert titles("&tariefgroep=T3") == {"Koorrepetitie"}
    assert titles("&klasse=1") == {"Bewonerskoffie"}
    assert titles("&status=geannuleerd") == set()


@pytest.mark.parametrize(
    "query",
    [
        "weergave=maand",
        "datum=2026-13-40",
        "ruimte=999999",
        "status=weg",
        "klasse=9",
        "tariefgroep=T9",
    ],
)
def test_bookings_overview_refuses_bad_filters(app, setup, query):
    client = client_for(app, setup.beheerder)
    response = client.get(f"{setup.base}/boekingen?{query}")
    assert response.status_code == 400
    assert "Controleer het formulier" in response.get_data(as_text=True)


def test_a_room_of_another_house_is_not_a_filter(app, setup):
    client = client_for(app, setup.beheerder)
    other_room = setup.other_house.room_ids[0]
    assert client.get(f"{setup.base}/boekingen?ruimte={other_room}").status_code == 400


@pytest.mark.parametrize("who", ["organiser", "gastheer", "other_beheerder"])
def test_others_get_404_on_every_page(app, setup, who):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    client = client_for(app, getattr(setup, who))
    pages = [
        *GET_PAGES,
        "/export.csv?maand=2026-12",
        f"/boekingen/{booking_id}",
        f"/ruimtes/{setup.house.room_ids[0]}",
    ]
    for page in pages:
        assert client.get(setup.base + page).status_code == 404, page


def test_the_organiser_of_a_booking_still_gets_404_in_beheer(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    client = client_for(app, setup.organiser)
    assert client.get(f"{setup.base}/boekingen/{booking_id}").status_code == 404


def test_sociaal_beheerder_sees_programme_but_not_the_building(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    client = client_for(app, setup.sociaal)
    for page in ("", "/boekingen", f"/boekingen/{booking_id}", "/voorrangsblokken", "/logboek"):
        assert client.get(setup.base + page).status_code == 200, page
    for page in (
        "/ruimtes",
        f"/ruimtes/{setup.house.room_ids[0]}",
        "/instellingen",
        "/openingstijden",
        "/sluitingen",
        "/export.csv?maand=2026-12",
    ):
        assert client.get(setup.base + page).status_code == 404, page
    nav = client.get(setup.base).get_data(as_text=True)
    assert "Voorrangsblokken" in nav and "Instellingen" not in nav and "Download CSV" not in nav
    detail = client.get(f"{setup.base}/boekingen/{booking_id}").get_data(as_text=True)
    assert "Annuleer deze boeking" not in detail and "Aanpassen" not in detail


def test_gemeente_may_run_every_house(app, setup):
    client = client_for(app, setup.gemeente)
    for page in (*GET_PAGES, "/export.csv?maand=2026-12"):
        assert client.get(setup.base + page).status_code == 200, page


def test_unknown_booking_or_room_is_404(app, setup):
    client = client_for(app, setup.beheerder)
    assert client.get(f"{setup.base}/boekingen/999999").status_code == 404
    assert client.get(f"{setup.base}/ruimtes/999999").status_code == 404
    assert client.get(f"{setup.base}/ruimtes/{setup.other_house.room_ids[0]}").status_code == 404


def test_booking_of_another_house_is_404(app, setup):
    other_booking = book(app, setup.organiser, setup.other_house.room_ids[0], days_ahead(2))
    client = client_for(app, setup.beheerder)
    assert client.get(f"{setup.base}/boekingen/{other_booking}").status_code == 404


def test_house_overview_links_every_page(app, setup):
    client = client_for(app, setup.beheerder)
    html = client.get(setup.base).get_data(as_text=True)
    for path in (
        "/boekingen",
        "/ruimtes",
        "/instellingen",
        "/openingstijden",
        "/sluitingen",
        "/voorrangsblokken",
        "/logboek",
        "/export.csv",
    ):
        assert f'href="{setup.base}{path}"' in html or f'action="{setup.base}{path}"' in html, path


def test_audit_log_is_newest_first_and_paginated(app, setup):
    with app.app_context():
        from booking.services import audit

        for n in range(55):
            audit.record(
                "room_updated",
                "room",
                setup.house.room_ids[0],
                actor_id=setup.beheerder.id,
                house_id=setup.house.id,
                reason=f"wijziging {n}",
            )
        audit.record(
            "closure_created",
            "closure",
            1,
            actor_id=setup.beheerder.id,
            house_id=setup.other_house.id,
            reason="ander huis",
        )
        db.session.commit()
    client = client_for(app, setup.sociaal)
    first = client.get(f"{setup.base}/logboek").get_data(as_text=True)
    assert "wijziging 54" in first and "Ruimte gewijzigd" in first and "Test beheerder" in first
    assert "wijziging 4<" not in first and "ander huis" not in first
    assert first.index("wijziging 54") < first.index("wijziging 53")
    assert "pagina 1 van 2" in first
    second = client.get(f"{setup.base}/logboek?pagina=2").get_data(as_text=True)
    assert "wijziging 4<" in second and "wijziging 0<" in second and "wijziging 54" not in second
    for bad in ("0", "abc", "-1", "99999999999"):
        response = client.get(f"{setup.base}/logboek?pagina={bad}")
        assert response.status_code == 400
        assert "paginanummer" in response.get_data(as_text=True)


def test_audit_log_names_booking_actions_in_dutch(app, setup):
    require_approval(app, setup.house.room_ids[0])
    book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2), title="Vraag")
    html = client_for(app, setup.beheerder).get(f"{setup.base}/logboek").get_data(as_text=True)
    assert "Boeking gemaakt" in html and "booking_created" not in html


def test_pages_have_unique_ids_and_labelled_inputs(app, setup):
    import re

    require_approval(app, setup.house.room_ids[0])
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    client = client_for(app, setup.beheerder)
    for page in (*GET_PAGES, f"/boekingen/{booking_id}", f"/ruimtes/{setup.house.room_ids[0]}"):
        html = client.get(setup.base + page).get_data(as_text=True)
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (page, sorted(i for i in ids if ids.count(i) > 1))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in tag:
                continue
            field_id = re.search(r'\sid="([^"]+)"', tag)
            assert field_id and f'for="{field_id.group(1)}"' in html, (page, tag)


def test_booking_page_offers_decision_override_and_cancel(app, setup):
    require_approval(app, setup.house.room_ids[0])
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    html = client_for(app, setup.beheerder).get(f"{setup.base}/boekingen/{booking_id}")
    text = html.get_data(as_text=True)
    for words in (
        "Besluit over de aanvraag",
        "Tariefgroep of voorrang aanpassen",
        "Annuleer deze boeking",
        "aangevraagd",
        "Wie organiseert",
    ):
        assert words in text


def test_pages_render_in_english_too(app, setup):
    booking_id = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(2))
    client = client_for(app, setup.beheerder)
    with client.session_transaction() as session:
        session["lang"] = "en"
    for page in (*GET_PAGES, f"/boekingen/{booking_id}"):
        response = client.get(setup.base + page)
        assert response.status_code == 200, page
        assert '<html lang="en"' in response.get_data(as_text=True)
