"""A beheerder decides on requests, overrides group and class, and cancels bookings."""

from __future__ import annotations

import pytest

from booking.demo.bookings import CHOIR, COMPANY
from booking.extensions import db
from booking.models import Booking, OutboxMail
from tests.beheer.test_pages import (
    audit_actions,
    book,
    client_for,
    days_ahead,
    make_setup,
    require_approval,
)
from tests.conftest import csrf_token


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def booking_row(app, booking_id: int) -> dict:
    with app.app_context():
        b = db.session.get(Booking, booking_id)
        return {
            "status": b.status,
            "status_reason": b.status_reason,
            "tariff_group": b.tariff_group,
            "priority_class": b.priority_class,
            "amount_cents": b.amount_cents,
            "list_price_cents": b.list_price_cents,
            "override_reason": b.override_reason,
        }


def post(client, url: str, data: dict, page: str):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def a_request(app, setup) -> int:
    require_approval(app, setup.house.room_ids[0])
    booking_id = book(
        app, setup.organiser, setup.house.room_ids[0], days_ahead(4), title="Bewonersavond"
    )
    assert booking_row(app, booking_id)["status"] == "aangevraagd"
    return booking_id


def test_beheerder_approves_a_request_from_the_overview(app, setup):
    booking_id = a_request(app, setup)
    client = client_for(app, setup.beheerder)
    overview = f"{setup.base}/boekingen?weergave=dag&datum={days_ahead(4).isoformat()}"
    html = client.get(overview).get_data(as_text=True)
    assert "1 aanvraag wacht op een besluit" in html and 'value="goedkeuren"' in html
    response = post(
        client,
        f"{setup.base}/boekingen/{booking_id}/beslissen",
        {"decision": "goedkeuren", "back": overview},
        overview,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(overview)
    assert booking_row(app, booking_id)["status"] == "bevestigd"
    assert "booking_approved" in audit_actions(app, setup.house.id)
    assert "De aanvraag is goedgekeurd." in client.get(overview).get_data(as_text=True)


def test_back_link_only_goes_to_the_overview(app, setup):
    booking_id = a_request(app, setup)
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    response = post(
        client,
        f"{setup.base}/boekingen/{booking_id}/beslissen",
        {"decision": "goedkeuren", "back": "https://evil.example/"},
        page,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(page)


def test_reject_needs_a_reason(app, setup):
    booking_id = a_request(app, setup)
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    url = f"{page}/beslissen"
    response = post(client, url, {"decision": "afwijzen", "reason": "  "}, page)
    assert response.status_code == 422
    assert "Geef een reden voor de afwijzing." in response.get_data(as_text=True)
    assert booking_row(app, booking_id)["status"] == "aangevraagd"
    assert "booking_rejected" not in audit_actions(app, setup.house.id)

    response = post(
        client, url, {"decision": "afwijzen", "reason": "Zaal is dan in onderhoud"}, page
    )
    assert response.status_code == 302
    row = booking_row(app, booking_id)
    assert row["status"] == "afgewezen" and "Zaal is dan in onderhoud" in row["status_reason"]
    assert "booking_rejected" in audit_actions(app, setup.house.id)
    with app.app_context():
        assert db.session.query(OutboxMail).filter_by(to_address=setup.organiser.email).count()
    html = client.get(page).get_data(as_text=True)
    assert "Zaal is dan in onderhoud" in html and "afgewezen" in html


def test_deciding_twice_or_on_a_confirmed_booking_is_422(app, setup):
    confirmed = book(app, setup.organiser, setup.house.room_ids[1], days_ahead(4))
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{confirmed}"
    response = post(client, f"{page}/beslissen", {"decision": "goedkeuren"}, page)
    assert response.status_code == 422
    assert "Alleen een aanvraag kan worden goedgekeurd" in response.get_data(as_text=True)


def test_bad_decision_input_is_400_and_changes_nothing(app, setup):
    booking_id = a_request(app, setup)
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    for data in (
        {"decision": "misschien"},
        {},
        {"decision": "afwijzen", "reason": "x" * 100_000},
    ):
        response = post(client, f"{page}/beslissen", data, page)
        assert response.status_code == 400, data
        assert "Controleer het formulier" in response.get_data(as_text=True)
    assert booking_row(app, booking_id)["status"] == "aangevraagd"
    # without the CSRF token nothing happens either
    response = client.post(f"{page}/beslissen", data={"decision": "goedkeuren"})
    assert response.status_code == 400
    assert booking_row(app, booking_id)["status"] == "aangevraagd"


def test_override_needs_a_reason_and_reprices(app, setup):
    booking_id = book(
        app, setup.organiser, setup.house.room_ids[1], days_ahead(5), activity=CHOIR, title="Koor"
    )
    before = booking_row(app, booking_id)
    assert (before["tariff_group"], before["amount_cents"]) == ("T3", 5000)
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    url = f"{page}/wijzigen"
    response = post(client, url, {"tariff_group": "T2", "priority_class": "2", "reason": ""}, page)
    assert response.status_code == 400
    assert "Geef een reden voor de wijziging." in response.get_data(as_text=True)
    assert booking_row(app, booking_id) == before

    response = post(
        client,
        url,
        {
            "tariff_group": "T2",
            "priority_class": "2",
            "reason": "Zangkoor van het buurtcentrum, afspraak met gemeente",
        },
        page,
    )
    assert response.status_code == 302
    after = booking_row(app, booking_id)
    assert after["tariff_group"] == "T2" and after["priority_class"] == 2
    assert after["amount_cents"] == 2500 and after["list_price_cents"] == 5000
    assert after["override_reason"].startswith("Zangkoor")
    assert "booking_overridden" in audit_actions(app, setup.house.id)
    log = client.get(f"{setup.base}/logboek").get_data(as_text=True)
    assert "Tariefgroep of voorrang aangepast" in log and "Zangkoor van het buurtcentrum" in log


def test_bad_override_input_is_400(app, setup):
    booking_id = book(
        app, setup.organiser, setup.house.room_ids[1], days_ahead(5), activity=COMPANY
    )
    before = booking_row(app, booking_id)
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{booking_id}"
    for data in (
        {"tariff_group": "T9", "priority_class": "1", "reason": "x"},
        {"tariff_group": "T1", "priority_class": "7", "reason": "x"},
        {"tariff_group": "T1", "priority_class": "een", "reason": "x"},
        {"tariff_group": "T1", "priority_class": "1", "reason": "x" * 100_000},
    ):
        response = post(client, f"{page}/wijzigen", data, page)
        assert response.status_code == 400, data
    assert booking_row(app, booking_id) == before


def test_beheerder_cancels_with_an_optional_reason(app, setup):
    first = book(app, setup.organiser, setup.house.room_ids[0], days_ahead(3))
    second = book(app, setup.organiser, setup.house.room_ids[1], days_ahead(3))
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{first}"
    assert post(client, f"{page}/annuleren", {}, page).status_code == 302
    assert booking_row(app, first)["status"] == "geannuleerd"
    page = f"{setup.base}/boekingen/{second}"
    response = post(client, f"{page}/annuleren", {"reason": "Lekkage in de zaal"}, page)
    assert response.status_code == 302
    row = booking_row(app, second)
    assert row["status"] == "geannuleerd" and "Lekkage in de zaal" in row["status_reason"]
    assert audit_actions(app, setup.house.id).count("booking_cancelled") == 2
    # cancelling again: a clear message, not a 500
    response = post(client, f"{page}/annuleren", {}, page)
    assert response.status_code == 422
    assert "Deze boeking is al geannuleerd." in response.get_data(as_text=True)


def test_actions_on_a_booking_of_another_house_are_404(app, setup):
    require_approval(app, setup.other_house.room_ids[0])
    other = book(app, setup.organiser, setup.other_house.room_ids[0], days_ahead(3))
    before = booking_row(app, other)
    client = client_for(app, setup.beheerder)
    page = setup.base
    for action, data in (
        ("beslissen", {"decision": "goedkeuren"}),
        ("wijzigen", {"tariff_group": "T4", "priority_class": "4", "reason": "x"}),
        ("annuleren", {}),
    ):
        response = post(client, f"{setup.base}/boekingen/{other}/{action}", data, page)
        assert response.status_code == 404, action
    assert booking_row(app, other) == before


def test_only_the_building_may_act(app, setup):
    booking_id = a_request(app, setup)
    for who in (setup.sociaal, setup.gastheer, setup.organiser, setup.other_beheerder):
        client = client_for(app, who)
        for action, data in (
            ("beslissen", {"decision": "goedkeuren"}),
            ("wijzigen", {"tariff_group": "T4", "priority_class": "4", "reason": "x"}),
            ("annuleren", {}),
        ):
            response = post(client, f"{setup.base}/boekingen/{booking_id}/{action}", data, "/")
            assert response.status_code == 404, (who, action)
    assert booking_row(app, booking_id)["status"] == "aangevraagd"


def test_gemeente_may_decide(app, setup):
    booking_id = a_request(app, setup)
    client = client_for(app, setup.gemeente)
    page = f"{setup.base}/boekingen/{booking_id}"
    assert post(client, f"{page}/beslissen", {"decision": "goedkeuren"}, page).status_code == 302
    assert booking_row(app, booking_id)["status"] == "bevestigd"
