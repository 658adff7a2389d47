"""/api/v1/invoices (issue 13): run, list, read, files, finalise, payments, credit — the
whole flow through JSON, and each kind of bad input answered with the JSON error, the
right 4xx and nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking.extensions import db
from booking.models import (
    Booking,
    HouseInvoicing,
    Invoice,
    Organisation,
    OrganisationContact,
    OutboxMail,
    Payment,
)
from booking.rules.permissions import Role
from tests.conftest import PASSWORD, activity


def api_login(client, user) -> None:
    response = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


@pytest.fixture
def house(app, make_house):
    ref = make_house(slug="de-berchplaats-test")
    with app.app_context():
        db.session.add(
            HouseInvoicing(
                house_id=ref.id,
                legal_name="Stichting De Berchplaets",
                street="Kruisstraat 1",
                postcode="5341 AA",
                city="Oss",
                kvk_number="41234567",
                iban="NL91ABNA0417164300",
                payment_term_days=30,
                number_prefix="BP",
                vat_treatment="vrijgesteld",
                vat_rate_hundredths=0,
                email="penning@berchplaets.example",
            )
        )
        db.session.commit()
    return ref


@pytest.fixture
def beheerder(make_user, house):
    return make_user(Role.beheerder, house)


@pytest.fixture
def choir_booking(app, make_user, house, book):
    """A rehearsal of a vereniging (T2, paid), five days ahead: confirmed in the window."""
    member = make_user()
    booking_id = book(
        member,
        house.room_ids[1],
        days_ahead=5,
        start="19:30",
        end="22:00",
        what=activity("vereniging"),
        title="Repetitie Zangkoor Vocalis",
    )
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.amount_cents > 0 and booking.status == "bevestigd"
        choir = Organisation(
            name="Zangkoor Vocalis",
            kind="vereniging",
            kvk_number="40213527",
            billing_street="Kerkstraat 5",
            billing_postcode="5341 CK",
            billing_city="Oss",
            billing_email="penningmeester@vocalis.example",
        )
        choir.contacts.append(OrganisationContact(user_id=member.id))
        db.session.add(choir)
        db.session.flush()
        booking.organisation_id = choir.id
        db.session.commit()
    return booking_id


def month_of_booking(app, booking_id) -> str:
    from booking.rules.slots import AMSTERDAM

    with app.app_context():
        return db.session.get(Booking, booking_id).start.astimezone(AMSTERDAM).strftime("%Y-%m")


def run(client, house, month):
    return client.post("/api/v1/invoices/run", json={"house": house.slug, "month": month})


def test_run_check_finalise_pay_credit(app, client, house, beheerder, choir_booking):
    api_login(client, beheerder)
    month = month_of_booking(app, choir_booking)
    made = run(client, house, month)
    assert made.status_code == 200, made.get_json()
    assert len(made.get_json()["created"]) == 1 and made.get_json()["lines_added"] == 1
    assert run(client, house, month).get_json()["lines_added"] == 0  # only what is new
    invoice_id = made.get_json()["created"][0]

    concept = client.get(f"/api/v1/invoices/{invoice_id}").get_json()
    assert concept["status"] == "concept" and concept["number"] is None
    line = concept["lines"][0]
    assert line["list_price_cents"] - line["discount_cents"] == line["amount_cents"] > 0
    assert line["tariff_group"] == "T3" and line["discount_cents"] == 0  # a vereniging: regulier

    final = client.post(f"/api/v1/invoices/{invoice_id}/finalise")
    assert final.status_code == 200, final.get_json()
    body = final.get_json()
    year = datetime.now(UTC).year
    assert body["number"] == f"BP{year}-0001" and body["status"] == "verzonden"
    with app.app_context():
        mail = db.session.query(OutboxMail).filter_by(kind="invoice").one()
        assert mail.to_address == "penningmeester@vocalis.example"
        assert sorted(f.content_type for f in mail.files) == ["application/pdf", "application/xml"]
    again = client.post(f"/api/v1/invoices/{invoice_id}/finalise")
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "al_definitief"

    pdf = client.get(f"/api/v1/invoices/{invoice_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    xml = client.get(f"/api/v1/invoices/{invoice_id}.xml")
    assert xml.status_code == 200 and b"urn:fdc:nen.nl:nlcius:v1.0" in xml.data

    total = body["total_cents"]
    today = datetime.now(UTC).date().isoformat()
    part = client.post(
        f"/api/v1/invoices/{invoice_id}/payments", json={"amount_cents": 100, "paid_on": today}
    )
    assert part.status_code == 201 and part.get_json()["status"] == "deels_betaald"
    too_much = client.post(
        f"/api/v1/invoices/{invoice_id}/payments", json={"amount_cents": total, "paid_on": today}
    )
    assert too_much.status_code == 422
    assert too_much.get_json()["error"]["code"] == "meer_dan_openstaand"
    rest = client.post(
        f"/api/v1/invoices/{invoice_id}/payments",
        json={"amount_cents": total - 100, "paid_on": today},
    )
    assert rest.get_json()["status"] == "betaald" and rest.get_json()["due_cents"] == 0

    credit = client.post(f"/api/v1/invoices/{invoice_id}/credit", json={"reason": "Dubbel"})
    assert credit.status_code == 201, credit.get_json()
    note = credit.get_json()
    assert note["kind"] == "creditfactuur" and note["number"] == f"BP{year}-0002"
    assert note["credits_invoice_id"] == invoice_id and note["total_cents"] == total
    assert client.get(f"/api/v1/invoices/{invoice_id}").get_json()["status"] == "gecrediteerd"
    twice = client.post(f"/api/v1/invoices/{invoice_id}/credit", json={"reason": "Nog eens"})
    assert twice.status_code == 422 and twice.get_json()["error"]["code"] == "al_gecrediteerd"

    listed = client.get(f"/api/v1/invoices?house={house.slug}&status=gecrediteerd").get_json()
    assert [i["id"] for i in listed["invoices"]] == [invoice_id]


def test_cancelled_after_finalising_becomes_a_proposed_credit_note(
    app, client, house, beheerder, choir_booking
):
    api_login(client, beheerder)
    month = month_of_booking(app, choir_booking)
    invoice_id = run(client, house, month).get_json()["created"][0]
    client.post(f"/api/v1/invoices/{invoice_id}/finalise")
    with app.app_context():
        from booking.models import User
        from booking.services.bookings import cancel_booking

        organiser = db.session.get(Booking, choir_booking).organiser
        cancel_booking(choir_booking, db.session.get(User, organiser.id), now=datetime.now(UTC))
        db.session.commit()
        proposed = db.session.query(Invoice).filter_by(kind="creditfactuur").one()
        note_id = proposed.id  # proposed at once, not at the next run
    again = run(client, house, month).get_json()
    assert again["proposed_credit_notes"] == [note_id] and again["created"] == []
    note = client.get(f"/api/v1/invoices/{note_id}").get_json()
    assert note["status"] == "concept" and note["credits_invoice_id"] == invoice_id
    assert client.post(f"/api/v1/invoices/{note_id}/finalise").status_code == 200
    assert client.get(f"/api/v1/invoices/{invoice_id}").get_json()["status"] == "gecrediteerd"
    assert run(client, house, month).get_json()["proposed_credit_notes"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount_cents": 0, "paid_on": "2026-12-01"}, 400),
        ({"amount_cents": -5, "paid_on": "2026-12-01"}, 400),
        ({"amount_cents": "10", "paid_on": "2026-12-01"}, 400),
        ({"amount_cents": 10, "paid_on": "gisteren"}, 400),
        ({"amount_cents": 10, "paid_on": "2999-01-01"}, 400),
        ({"amount_cents": 10**9, "paid_on": "2026-12-01"}, 400),
    ],
)
def test_bad_payments_store_nothing(app, client, house, beheerder, choir_booking, body, status):
    api_login(client, beheerder)
    invoice_id = run(client, house, month_of_booking(app, choir_booking)).get_json()["created"][0]
    client.post(f"/api/v1/invoices/{invoice_id}/finalise")
    response = client.post(f"/api/v1/invoices/{invoice_id}/payments", json=body)
    assert response.status_code == status, response.get_json()
    assert set(response.get_json()["error"]) == {"code", "message", "details"}
    with app.app_context():
        assert db.session.query(Payment).count() == 0


def test_bad_runs_and_concepts(app, client, house, beheerder, choir_booking):
    api_login(client, beheerder)
    assert run(client, house, "2026-13").status_code == 400
    assert run(client, house, "december").status_code == 400
    assert (
        client.post(
            "/api/v1/invoices/run", json={"house": "nergens", "month": "2026-12"}
        ).status_code
        == 404
    )
    invoice_id = run(client, house, month_of_booking(app, choir_booking)).get_json()["created"][0]
    # A concept's UBL has no number to carry; paying or crediting a concept is refused.
    assert (
        client.post(
            f"/api/v1/invoices/{invoice_id}/payments",
            json={"amount_cents": 1, "paid_on": "2026-12-01"},
        ).status_code
        == 422
    )
    assert (
        client.post(f"/api/v1/invoices/{invoice_id}/credit", json={"reason": "x"}).status_code
        == 422
    )
    assert (
        client.post(f"/api/v1/invoices/{invoice_id}/credit", json={"reason": ""}).status_code == 400
    )
    with app.app_context():
        assert db.session.query(Invoice).filter(Invoice.number.isnot(None)).count() == 0


def test_empty_concept_cannot_be_finalised(app, client, house, beheerder):
    with app.app_context():
        from booking.models import User

        person = db.session.query(User).filter_by(id=beheerder.id).one()
        empty = Invoice(house_id=house.id, person_id=person.id)
        db.session.add(empty)
        db.session.commit()
        empty_id = empty.id
    api_login(client, beheerder)
    response = client.post(f"/api/v1/invoices/{empty_id}/finalise")
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "lege_factuur"


def test_who_sees_what(app, client, make_user, make_house, house, beheerder, choir_booking):
    api_login(client, beheerder)
    invoice_id = run(client, house, month_of_booking(app, choir_booking)).get_json()["created"][0]
    client.post("/api/v1/session/logout") if False else None
    others = [
        make_user(Role.sociaal_beheerder, house),
        make_user(Role.beheerder, make_house()),
        make_user(Role.gastheer, house),
        make_user(),
    ]
    for other in others:
        fresh = app.test_client()
        api_login(fresh, other)
        for url in (f"/api/v1/invoices/{invoice_id}", f"/api/v1/invoices/{invoice_id}.pdf"):
            assert fresh.get(url).status_code == 404, (other, url)
        assert fresh.post(f"/api/v1/invoices/{invoice_id}/finalise").status_code == 404
        assert run(fresh, house, "2026-12").status_code == 404
        assert fresh.get("/api/v1/invoices").get_json()["invoices"] == []
    gemeente = make_user(Role.gemeente)
    fresh = app.test_client()
    api_login(fresh, gemeente)
    assert fresh.get(f"/api/v1/invoices/{invoice_id}").status_code == 200


def test_a_contact_reads_the_organisations_finalised_invoice(
    app, client, house, beheerder, choir_booking
):
    api_login(client, beheerder)
    invoice_id = run(client, house, month_of_booking(app, choir_booking)).get_json()["created"][0]
    with app.app_context():
        organiser = db.session.get(Booking, choir_booking).organiser
        ref = type("Ref", (), {"email": organiser.email})
    member = app.test_client()
    api_login(member, ref)
    assert member.get(f"/api/v1/invoices/{invoice_id}").status_code == 404  # a concept
    client.post(f"/api/v1/invoices/{invoice_id}/finalise")
    assert member.get(f"/api/v1/invoices/{invoice_id}").status_code == 200
    assert [i["id"] for i in member.get("/api/v1/invoices").get_json()["invoices"]] == [invoice_id]
    assert (
        member.post(f"/api/v1/invoices/{invoice_id}/credit", json={"reason": "x"}).status_code
        == 404
    )


def test_the_cli_runs_a_month(app, runner, house, choir_booking):
    month = month_of_booking(app, choir_booking)
    result = runner.invoke(args=["invoices", "run", "--month", month, "--house", house.slug])
    assert result.exit_code == 0, result.output
    assert "1 nieuwe conceptfacturen" in result.output
    assert runner.invoke(args=["invoices", "run", "--month", "2026-13"]).exit_code != 0
    assert (
        runner.invoke(args=["invoices", "run", "--month", month, "--house", "nergens"]).exit_code
        != 0
    )
    with app.app_context():
        assert db.session.query(Invoice).count() == 1


def test_the_monthly_job_runs_each_house_once(app, house, choir_booking):
    from datetime import timedelta

    from booking.jobs import JOBS
    from booking.rules.slots import AMSTERDAM

    with app.app_context():
        start = db.session.get(Booking, choir_booking).start.astimezone(AMSTERDAM)
    next_month = (start.replace(day=28) + timedelta(days=5)).replace(day=1, hour=3)
    with app.app_context():
        first = JOBS["invoice_run"](next_month.astimezone(UTC))
        second = JOBS["invoice_run"](next_month.astimezone(UTC) + timedelta(hours=1))
        assert first.counts["conceptfacturen"] == 1 and second.counts["huizen"] == 0
        assert db.session.query(Invoice).count() == 1


def test_a_person_without_kvk_gets_the_pdf_only(app, client, house, beheerder, make_user, book):
    """SI-UBL asks the buyer's KvK number (BR-NL-10): a person is sent the PDF alone."""
    member = make_user()
    booking_id = book(member, house.room_ids[1], days_ahead=6, what=activity("vereniging"))
    api_login(client, beheerder)
    invoice_id = run(client, house, month_of_booking(app, booking_id)).get_json()["created"][0]
    final = client.post(f"/api/v1/invoices/{invoice_id}/finalise").get_json()
    assert final["ubl_url"] is None and final["status"] == "verzonden"
    with app.app_context():
        mail = db.session.query(OutboxMail).filter_by(kind="invoice").one()
        assert mail.to_address == member.email
        assert [f.content_type for f in mail.files] == ["application/pdf"]
    xml = client.get(f"/api/v1/invoices/{invoice_id}.xml")
    assert xml.status_code == 422 and xml.get_json()["error"]["code"] == "geen_kvk"


def test_a_commercial_booking_shows_its_own_price_and_no_discount(
    app, client, house, beheerder, make_user, book
):
    """T4 pays above the list price (T3): the line must not show a negative discount."""
    company = make_user()
    booking_id = book(company, house.room_ids[1], days_ahead=6, what=activity("commercieel"))
    api_login(client, beheerder)
    invoice_id = run(client, house, month_of_booking(app, booking_id)).get_json()["created"][0]
    line = client.get(f"/api/v1/invoices/{invoice_id}").get_json()["lines"][0]
    assert line["tariff_group"] == "T4"
    assert line["discount_cents"] == 0 and line["list_price_cents"] == line["amount_cents"] > 0


def test_reminders_after_the_term_never_twice_a_day(app, client, house, beheerder, choir_booking):
    from datetime import timedelta

    from booking.jobs import JOBS

    api_login(client, beheerder)
    invoice_id = run(client, house, month_of_booking(app, choir_booking)).get_json()["created"][0]
    client.post(f"/api/v1/invoices/{invoice_id}/finalise")
    now = datetime.now(UTC)
    with app.app_context():
        invoice = db.session.get(Invoice, invoice_id)
        invoice.due_date = now.date() - timedelta(days=3)
        db.session.commit()
    with app.app_context():
        assert JOBS["invoice_reminders"](now).counts["herinneringen"] == 1
        assert JOBS["invoice_reminders"](now + timedelta(hours=6)).counts["herinneringen"] == 0
        mail = db.session.query(OutboxMail).filter_by(kind="invoice_reminder").one()
        assert mail.to_address == "penningmeester@vocalis.example" and len(mail.files) == 1
        invoice = db.session.get(Invoice, invoice_id)
        assert invoice.number in mail.subject and "staat" in mail.body_text
        assert invoice.reminders_sent == 1
        assert JOBS["invoice_reminders"](now + timedelta(days=15)).counts["herinneringen"] == 1
