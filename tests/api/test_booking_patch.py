"""PATCH /api/v1/bookings/{id}: a change judged like a new booking, same id, SEQUENCE+1,
audited and mailed; refusals are the JSON error and change nothing."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import AuditEntry, Booking, Closure, OutboxMail
from booking.rules.slots import local_to_utc
from tests.conftest import PASSWORD, api_activity, local_day


def api_login(client, user):
    response = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


@pytest.fixture
def setup(client, make_house, make_user, book):
    house = make_house()
    user = make_user()
    booking_id = book(user, house.room_ids[1], days_ahead=4, what=None)
    api_login(client, user)
    return house, user, booking_id


def row(app, booking_id):
    with app.app_context():
        b = db.session.get(Booking, booking_id)
        return {
            "start": b.start,
            "room_id": b.room_id,
            "title": b.title,
            "sequence": b.sequence,
            "status": str(b.status),
            "amount": b.amount_cents,
            "tariff": b.tariff_group,
        }


def at(days, hm):
    return f"{local_day(days).isoformat()}T{hm}"


def test_move_keeps_identity_raises_sequence_audits_and_mails(app, client, setup):
    _, user, booking_id = setup
    before = row(app, booking_id)
    response = client.patch(
        f"/api/v1/bookings/{booking_id}",
        json={"start": at(5, "14:00"), "end": at(5, "16:00"), "title": "Verplaatst"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["id"] == booking_id
    after = row(app, booking_id)
    assert after["sequence"] == before["sequence"] + 1
    assert after["title"] == "Verplaatst"
    assert after["start"] != before["start"]
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "booking_changed")
        ).one()
        assert entry.object_id == booking_id
        assert '"title"' in entry.details
        mail = db.session.scalars(
            select(OutboxMail).where(OutboxMail.kind == "booking_changed")
        ).one()
        assert mail.to_address == user.email
        assert "Verplaatst" in mail.subject
        assert "Tijd: eerst" in mail.body_text
        assert "SEQUENCE:" in mail.attachment_body


def test_new_answers_freeze_a_new_price(app, client, setup):
    _, _, booking_id = setup
    before = row(app, booking_id)
    response = client.patch(
        f"/api/v1/bookings/{booking_id}", json={"activity": api_activity("commercieel")}
    )
    assert response.status_code == 200, response.get_json()
    after = row(app, booking_id)
    assert after["tariff"] != before["tariff"]
    assert after["amount"] > before["amount"]


def test_into_a_taken_slot_is_409_with_alternatives_and_nothing_changes(
    app, client, setup, make_user, book
):
    house, _, booking_id = setup
    other = make_user()
    book(other, house.room_ids[1], days_ahead=6, start="10:00", end="12:00")
    before = row(app, booking_id)
    response = client.patch(
        f"/api/v1/bookings/{booking_id}",
        json={
            "start": at(6, "11:00"),
            "end": at(6, "13:00"),
            "activity": api_activity("vereniging"),
        },
    )
    assert response.status_code == 409, response.get_json()
    body = response.get_json()
    assert body["error"]["code"] == "bezet"
    assert len(body["conflicts"]) == 1 and body["alternatives"]
    assert row(app, booking_id) == before


def test_outside_opening_hours_is_422(app, client, setup):
    _, _, booking_id = setup
    before = row(app, booking_id)
    response = client.patch(
        f"/api/v1/bookings/{booking_id}", json={"start": at(5, "06:00"), "end": at(5, "07:00")}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["message"]
    assert row(app, booking_id) == before


def test_into_a_closure_is_422(app, client, setup):
    house, _, booking_id = setup
    with app.app_context():
        db.session.add(
            Closure(
                house_id=house.id,
                starts_at=local_to_utc(datetime.combine(local_day(8), time(0))),
                ends_at=local_to_utc(datetime.combine(local_day(9), time(0))),
                reason="Feest",
            )
        )
        db.session.commit()
    response = client.patch(
        f"/api/v1/bookings/{booking_id}", json={"start": at(8, "10:00"), "end": at(8, "12:00")}
    )
    assert response.status_code == 422


def test_cancelled_booking_is_422(app, client, setup):
    _, _, booking_id = setup
    assert client.delete(f"/api/v1/bookings/{booking_id}").status_code == 200
    response = client.patch(f"/api/v1/bookings/{booking_id}", json={"title": "Nee"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "niet_wijzigbaar"


def test_someone_elses_booking_is_404(app, client, setup, make_user):
    _, _, booking_id = setup
    stranger = make_user()
    api_login(client, stranger)
    response = client.patch(f"/api/v1/bookings/{booking_id}", json={"title": "Van mij"})
    assert response.status_code == 404
    assert row(app, booking_id)["title"] == "Koffieochtend"


@pytest.mark.parametrize(
    "body",
    [
        {"start": "gisteren"},
        {"title": 5},
        {"public": "ja"},
        {"room_id": "x"},
        {"scope": "alles"},
        {"activity": {"organiser_kind": "marsmannetjes"}},
    ],
)
def test_bad_input_is_400(app, client, setup, body):
    _, _, booking_id = setup
    before = row(app, booking_id)
    response = client.patch(f"/api/v1/bookings/{booking_id}", json=body)
    assert response.status_code == 400, response.get_json()
    assert row(app, booking_id) == before


def test_unknown_booking_is_404(client, setup):
    assert client.patch("/api/v1/bookings/999999", json={"title": "x"}).status_code == 404


def test_patch_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "patch" in document["paths"]["/bookings/{id}"]
