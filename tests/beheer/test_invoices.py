"""The beheerder's invoicing pages (issue 13), through the test client: the house's
invoicing details, the monthly run, a concept and its lines, finalising with a number and
a mail, payments, credit notes, and who gets none of it (404)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest

from booking.demo.bookings import CHOIR
from booking.extensions import db
from booking.models import (
    AuditEntry,
    Booking,
    HouseInvoicing,
    Invoice,
    InvoiceLine,
    OutboxMail,
    Payment,
    User,
)
from booking.rules.slots import AMSTERDAM
from booking.services import bookings
from booking.services.invoices import settings as invoicing_settings
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup
from tests.conftest import csrf_token

VALID = {
    "legal_name": "Stichting De Haard",
    "street": "Dorpsstraat 1",
    "postcode": "5391 AA",
    "city": "Lith",
    "kvk_number": "12345678",
    "btw_number": "",
    "iban": "NL91 ABNA 0417 1643 00",
    "payment_term_days": "30",
    "number_prefix": "dh",
    "vat_treatment": "vrijgesteld",
    "vat_rate": "",
    "late_cancel_free_days": "",
    "late_cancel_percent": "",
    "email": "penningmeester@dehaard.nl",
}
GOOD_BTW = "NL123456782B01"
YEAR = datetime.now(AMSTERDAM).year


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def post(client, url: str, data: dict | None = None, page: str | None = None):
    token = csrf_token(client, page or url.rsplit("/", 1)[0])
    return client.post(url, data={**(data or {}), "csrf_token": token})


def text_of(response) -> str:
    """The page, with Babel's no-break space in money written as a plain one."""
    return response.get_data(as_text=True).replace("\xa0", " ")


def save_settings(app, setup, **changes) -> None:
    with app.app_context():
        data = {
            **{k: v for k, v in VALID.items() if k not in {"vat_rate"}},
            "payment_term_days": 30,
            "late_cancel_free_days": None,
            "late_cancel_percent": None,
            **changes,
        }
        invoicing_settings.save_invoicing(
            db.session.get(User, setup.beheerder.id),
            setup.house.slug,
            invoicing_settings.InvoicingInput(**data),
        )
        db.session.commit()


def paid_bookings(app, setup) -> tuple[list[int], str]:
    """Three confirmed T3 bookings on one day: two of the organiser, one of the outsider."""
    day = days_ahead(4)
    room = setup.house.room_ids[1]
    ids = [
        book(app, setup.organiser, room, day, time(10), time(12), CHOIR, "Repetitie Vocalis"),
        book(app, setup.organiser, room, day, time(14), time(16), CHOIR, "Extra repetitie"),
        book(app, setup.outsider, room, day, time(19), time(21), CHOIR, "Bridgeclub"),
    ]
    with app.app_context():
        assert {db.session.get(Booking, i).status for i in ids} == {"bevestigd"}
    return ids, day.strftime("%Y-%m")


def invoices_of(app, house_id: int) -> list[dict]:
    with app.app_context():
        return [
            {
                "id": i.id,
                "kind": i.kind,
                "status": i.status,
                "number": i.number,
                "person_id": i.person_id,
                "total": i.total_cents,
                "paid": i.paid_cents,
                "lines": [(line.id, line.booking_id, line.live) for line in i.lines],
                "credits": i.credits_invoice_id,
            }
            for i in db.session.query(Invoice).filter_by(house_id=house_id).order_by(Invoice.id)
        ]


def run(app, setup, client=None):
    """Settings, three bookings and a run of their month by the beheerder."""
    save_settings(app, setup)
    ids, month = paid_bookings(app, setup)
    client = client or client_for(app, setup.beheerder)
    response = post(client, f"{setup.base}/facturen/klaarzetten", {"month": month})
    assert response.status_code == 302, text_of(response)
    return client, ids, month


def concept_of(app, setup, person_id: int) -> dict:
    return next(i for i in invoices_of(app, setup.house.id) if i["person_id"] == person_id)


def finalise(client, setup, invoice_id: int):
    return post(client, f"{setup.base}/facturen/{invoice_id}/definitief")


# The house's invoicing details ------------------------------------------------------------


def test_settings_form_stores_valid_details(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/instellingen/facturen"
    assert client.get(url).status_code == 200
    data = {**VALID, "vat_treatment": "belast", "vat_rate": "21", "btw_number": GOOD_BTW}
    data.update(late_cancel_free_days="7", late_cancel_percent="50")
    response = post(client, url, data, url)
    assert response.status_code == 302, text_of(response)
    with app.app_context():
        stored = db.session.get(HouseInvoicing, setup.house.id)
        assert (stored.kvk_number, stored.iban, stored.number_prefix) == (
            "12345678",
            "NL91ABNA0417164300",
            "DH",
        )
        assert (stored.vat_treatment, stored.vat_rate_hundredths, stored.btw_number) == (
            "belast",
            2100,
            GOOD_BTW,
        )
        assert (stored.late_cancel_free_days, stored.late_cancel_percent) == (7, 50)
    page = text_of(client.get(url))
    assert 'value="21"' in page and "Stichting De Haard" in page
    data.update(vat_rate="9")
    assert post(client, url, data, url).status_code == 302
    with app.app_context():
        assert db.session.get(HouseInvoicing, setup.house.id).vat_rate_hundredths == 900


def test_settings_form_shows_every_problem_and_stores_nothing(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/instellingen/facturen"
    data = {**VALID, "iban": "NL91 ABNA 0417 1643 01", "kvk_number": "1234", "vat_rate": ""}
    data["vat_treatment"] = "belast"
    response = post(client, url, data, url)
    assert response.status_code == 422
    page = text_of(response)
    for sentence in (
        "Een KvK-nummer heeft acht cijfers.",
        "Dit IBAN klopt niet",
        "Wie btw rekent, vult het btw-nummer van het huis in.",
        "Vul het btw-tarief in, bijvoorbeeld 21.",
    ):
        assert sentence in page
    assert 'value="Stichting De Haard"' in page and 'value="1234"' in page
    bad_btw = {**VALID, "btw_number": "NL123456789B01", "late_cancel_percent": "50"}
    page = text_of(post(client, url, bad_btw, url))
    assert "Dit btw-nummer klopt niet" in page and "Vul voor annuleringskosten beide in" in page
    with app.app_context():
        assert db.session.get(HouseInvoicing, setup.house.id) is None


# The run, a concept, finalising --------------------------------------------------------


def test_run_makes_a_concept_per_organiser(app, setup):
    client, _ids, month = run(app, setup)
    found = invoices_of(app, setup.house.id)
    assert sorted(len(i["lines"]) for i in found) == [1, 2]
    assert {i["person_id"] for i in found} == {setup.organiser.id, setup.outsider.id}
    assert {i["status"] for i in found} == {"concept"} and all(i["total"] > 0 for i in found)
    page = text_of(client.get(f"{setup.base}/facturen?maand={month}"))
    assert "2 conceptfacturen gemaakt, 3 regels." in page
    assert "Test initiatiefnemer" in page and "concept" in page
    assert text_of(client.get(f"{setup.base}/facturen?status=betaald")).count("concept ") == 0
    again = post(client, f"{setup.base}/facturen/klaarzetten", {"month": month})
    assert "Er was niets nieuws te factureren" in text_of(client.get(again.location))
    assert len(invoices_of(app, setup.house.id)) == 2
    refused = post(client, f"{setup.base}/facturen/klaarzetten", {"month": "december"})
    assert refused.status_code == 400 and "JJJJ-MM" in text_of(refused)


def test_the_invoice_page_shows_lines_and_totals(app, setup):
    client, _ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    page = text_of(client.get(f"{setup.base}/facturen/{invoice['id']}"))
    for text in (
        "Repetitie Vocalis",
        "Zaal 2",
        "10:00",
        "T3",
        "2,00",
        "Definitief maken en versturen",
    ):
        assert text in page
    assert "€ 50,00" in page and "Totaal inclusief btw" in page and "Btw (vrijgesteld)" in page


def test_removing_a_line_marks_the_booking_not_invoiced(app, setup):
    client, _ids, month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    line_id, booking_id, _live = invoice["lines"][0]
    url = f"{setup.base}/facturen/{invoice['id']}/regels/{line_id}/weghalen"
    response = post(client, url, page=f"{setup.base}/facturen/{invoice['id']}")
    assert response.status_code == 302
    after = concept_of(app, setup, setup.organiser.id)
    assert len(after["lines"]) == 1 and after["total"] == invoice["total"] // 2
    with app.app_context():
        assert db.session.get(Booking, booking_id).not_invoiced is True
        assert db.session.query(AuditEntry).filter_by(action="invoice_line_removed").count() == 1
    post(client, f"{setup.base}/facturen/klaarzetten", {"month": month})
    assert len(concept_of(app, setup, setup.organiser.id)["lines"]) == 1
    assert post(client, url, page=f"{setup.base}/facturen").status_code == 404


def test_finalising_numbers_sends_and_refuses_twice(app, setup):
    client, _ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    concept_xml = client.get(f"{setup.base}/facturen/{invoice['id']}.xml")
    assert concept_xml.status_code == 422
    response = finalise(client, setup, invoice["id"])
    assert response.status_code == 302
    final = concept_of(app, setup, setup.organiser.id)
    assert final["number"] == f"DH{YEAR}-0001" and final["status"] == "verzonden"
    with app.app_context():
        mail = db.session.query(OutboxMail).filter_by(kind="invoice").one()
        assert mail.to_address == setup.organiser.email
        # A private person has no KvK number, so SI-UBL (BR-NL-10) cannot name them: PDF only.
        assert [f.filename for f in mail.files] == [f"DH{YEAR}-0001.pdf"]
    page = text_of(client.get(response.location))
    assert f"DH{YEAR}-0001" in page and "verzonden" in page and "PDF downloaden" in page
    assert "UBL-bestand downloaden" not in page and "alleen een PDF" in page
    again = finalise(client, setup, invoice["id"])
    assert again.status_code == 422 and "Deze factuur is al definitief." in text_of(again)
    download = client.get(f"{setup.base}/facturen/{invoice['id']}.pdf")
    assert download.status_code == 200 and download.content_type.startswith("application/pdf")
    assert download.data.startswith(b"%PDF")
    assert download.headers["Content-Disposition"] == f'attachment; filename="DH{YEAR}-0001.pdf"'
    refused = client.get(f"{setup.base}/facturen/{invoice['id']}.xml")
    assert refused.status_code == 422 and "KvK-nummer" in text_of(refused)
    other = concept_of(app, setup, setup.outsider.id)
    assert finalise(client, setup, other["id"]).status_code == 302
    assert concept_of(app, setup, setup.outsider.id)["number"] == f"DH{YEAR}-0002"


def test_finalising_an_empty_concept_is_refused(app, setup):
    save_settings(app, setup)
    with app.app_context():
        empty = Invoice(house_id=setup.house.id, person_id=setup.organiser.id)
        db.session.add(empty)
        db.session.commit()
        empty_id = empty.id
    client = client_for(app, setup.beheerder)
    response = finalise(client, setup, empty_id)
    assert response.status_code == 422
    assert "Een factuur zonder regels kan niet definitief worden." in text_of(response)
    assert invoices_of(app, setup.house.id)[0]["number"] is None


# Payments and credit notes --------------------------------------------------------------


def pay(client, setup, invoice_id: int, amount: str, paid_on: str | None = None):
    day = paid_on or datetime.now(AMSTERDAM).date().isoformat()
    url = f"{setup.base}/facturen/{invoice_id}/betaling"
    return post(client, url, {"amount": amount, "paid_on": day}, url.rsplit("/", 1)[0])


def payments_count(app) -> int:
    with app.app_context():
        return db.session.query(Payment).count()


def test_payments_partial_then_rest_and_refusals(app, setup):
    client, _ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    finalise(client, setup, invoice["id"])
    for amount, status, message in (
        ("0,00", 400, "Vul een bedrag groter dan nul in."),
        ("-5,00", 400, "Vul een bedrag groter dan nul in."),
        ("veel", 400, "Vul een bedrag in, bijvoorbeeld 35,00."),
        ("100,01", 422, "Dat is meer dan er nog openstaat (€ 100,00)."),
    ):
        response = pay(client, setup, invoice["id"], amount)
        assert response.status_code == status, amount
        assert message in text_of(response), amount
        assert f'value="{amount}"' in text_of(response)
    assert payments_count(app) == 0
    assert pay(client, setup, invoice["id"], "40,00").status_code == 302
    assert concept_of(app, setup, setup.organiser.id)["status"] == "deels_betaald"
    assert pay(client, setup, invoice["id"], "€ 60,00").status_code == 302
    paid = concept_of(app, setup, setup.organiser.id)
    assert (paid["status"], paid["paid"]) == ("betaald", 10000)
    assert pay(client, setup, invoice["id"], "1,00").status_code == 422
    assert payments_count(app) == 2
    page = text_of(client.get(f"{setup.base}/facturen/{invoice['id']}"))
    assert "betaald" in page and "€ 40,00" in page and "€ 60,00" in page


def test_crediting_makes_the_next_number_once(app, setup):
    client, _ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    url = f"{setup.base}/facturen/{invoice['id']}/crediteren"
    page = f"{setup.base}/facturen/{invoice['id']}"
    assert post(client, url, {"reason": "Dubbel"}, page).status_code == 422  # still a concept
    finalise(client, setup, invoice["id"])
    empty = post(client, url, {"reason": "  "}, page)
    assert empty.status_code == 400 and "Schrijf waarom u crediteert" in text_of(empty)
    response = post(client, url, {"reason": "Zaal was dubbel geboekt"}, page)
    assert response.status_code == 302
    found = invoices_of(app, setup.house.id)
    note = next(i for i in found if i["kind"] == "creditfactuur")
    assert note["number"] == f"DH{YEAR}-0002" and note["credits"] == invoice["id"]
    assert note["total"] == invoice["total"] and len(note["lines"]) == 2
    assert concept_of(app, setup, setup.organiser.id)["status"] == "gecrediteerd"
    shown = text_of(client.get(response.location))
    assert "Zaal was dubbel geboekt" in shown and f"DH{YEAR}-0001" in shown
    assert f"DH{YEAR}-0002" in text_of(client.get(page))
    twice = post(client, url, {"reason": "Nog eens"}, page)
    assert twice.status_code == 422 and "al helemaal gecrediteerd" in text_of(twice)
    assert len(invoices_of(app, setup.house.id)) == 3


def test_a_booking_cancelled_after_finalising_gets_a_proposed_credit_note(app, setup):
    client, ids, month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    finalise(client, setup, invoice["id"])
    with app.app_context():
        bookings.cancel_booking(
            ids[0], db.session.get(User, setup.organiser.id), now=datetime.now(UTC)
        )
        db.session.commit()
    response = post(client, f"{setup.base}/facturen/klaarzetten", {"month": month})
    assert "0 conceptfacturen gemaakt, 0 regels, 1 creditfactuur voorgesteld." in text_of(
        client.get(response.location)
    )
    note = next(i for i in invoices_of(app, setup.house.id) if i["kind"] == "creditfactuur")
    assert note["status"] == "concept" and note["credits"] == invoice["id"]
    assert [line[1] for line in note["lines"]] == [ids[0]]
    assert finalise(client, setup, note["id"]).status_code == 302
    original = concept_of(app, setup, setup.organiser.id)
    assert original["status"] == "verzonden" and sum(line[2] for line in original["lines"]) == 1


def test_outstanding_list(app, setup):
    client, _ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    finalise(client, setup, invoice["id"])
    page = text_of(client.get(f"{setup.base}/facturen/openstaand"))
    assert f"DH{YEAR}-0001" in page and "€ 100,00" in page
    with app.app_context():
        db.session.get(Invoice, invoice["id"]).due_date = days_ahead(-3)
        db.session.commit()
    page = text_of(client.get(f"{setup.base}/facturen/openstaand"))
    assert re.search(r'class="num">3</td>', page)


# The booking page ------------------------------------------------------------------------


def test_invoice_a_booking_now_from_its_page(app, setup):
    save_settings(app, setup)
    ids, _month = paid_bookings(app, setup)
    client = client_for(app, setup.beheerder)
    booking_page = f"{setup.base}/boekingen/{ids[0]}"
    assert "Nu factureren" in text_of(client.get(booking_page))
    response = post(client, f"{booking_page}/factureren", page=booking_page)
    assert response.status_code == 302
    invoice = invoices_of(app, setup.house.id)[0]
    assert response.location.endswith(f"/facturen/{invoice['id']}")
    assert [line[1] for line in invoice["lines"]] == [ids[0]]
    page = text_of(client.get(booking_page))
    assert "Nu factureren" not in page and f"/facturen/{invoice['id']}" in page
    again = post(client, f"{booking_page}/factureren", page=booking_page)
    assert again.status_code == 422 and "er is niets te factureren" in text_of(again)
    sociaal = client_for(app, setup.sociaal)
    assert "Nu factureren" not in text_of(sociaal.get(booking_page))


# Who may ---------------------------------------------------------------------------------


def test_the_bookkeepers_csv_lists_numbered_invoices_and_credit_notes(app, setup):
    client, _ids, month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    finalise(client, setup, invoice["id"])
    url = f"{setup.base}/facturen/{invoice['id']}/crediteren"
    post(client, url, {"reason": "=HYPERLINK(1)"}, url.rsplit("/", 1)[0])
    listing = text_of(client.get(f"{setup.base}/facturen"))
    assert f"{setup.base}/facturen.csv" in listing
    response = client.get(f"{setup.base}/facturen.csv?maand={month}")
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="facturen-{setup.house.slug}-{month}.csv"'
    )
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffnummer;soort;status;")
    rows = [line.split(";") for line in text.strip("\ufeff").rstrip("\r\n").split("\r\n")]
    assert [row[0] for row in rows[1:]] == [f"DH{YEAR}-0001", f"DH{YEAR}-0002"]  # no concept
    total = f"{invoice['total'] // 100},{invoice['total'] % 100:02d}"
    first, note = rows[1], rows[2]
    assert first[1:3] == ["factuur", "gecrediteerd"] and first[12] == total
    assert first[13] == total and first[15] == "0,00"
    assert note[1] == "creditfactuur" and note[9] == f"DH{YEAR}-0001" and note[12] == "-" + total
    other = client.get(f"{setup.base}/facturen.csv?maand=2001-01").data.decode("utf-8")
    assert other.count("\r\n") == 1  # the header only
    assert client.get(f"{setup.base}/facturen.csv?maand=nonsense").status_code == 200


def routes(setup, invoice_id: int, line_id: int, booking_id: int) -> list[tuple[str, str]]:
    base = f"{setup.base}/facturen"
    return [
        ("GET", base),
        ("GET", f"{base}/openstaand"),
        ("GET", f"{setup.base}/facturen.csv"),
        ("GET", f"{base}/{invoice_id}"),
        ("GET", f"{base}/{invoice_id}.pdf"),
        ("GET", f"{base}/{invoice_id}.xml"),
        ("GET", f"{setup.base}/instellingen/facturen"),
        ("POST", f"{setup.base}/instellingen/facturen"),
        ("POST", f"{base}/klaarzetten"),
        ("POST", f"{base}/{invoice_id}/definitief"),
        ("POST", f"{base}/{invoice_id}/regels/{line_id}/weghalen"),
        ("POST", f"{base}/{invoice_id}/betaling"),
        ("POST", f"{base}/{invoice_id}/crediteren"),
        ("POST", f"{setup.base}/boekingen/{booking_id}/factureren"),
    ]


def test_nobody_but_the_houses_managers_gets_a_page(app, setup):
    client, ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    finalise(client, setup, invoice["id"])
    concept = concept_of(app, setup, setup.outsider.id)
    for user in (setup.sociaal, setup.other_beheerder, setup.gastheer, setup.organiser):
        other = client_for(app, user)
        for target in (invoice, concept):
            line_id = target["lines"][0][0]
            for method, url in routes(setup, target["id"], line_id, ids[0]):
                data = {"csrf_token": csrf_token(other, "/")} if method == "POST" else None
                response = other.open(url, method=method, data=data)
                assert response.status_code == 404, (user, method, url, response.status_code)
    assert invoices_of(app, setup.house.id)[1]["number"] is None  # nothing was finalised
    assert "Facturen" not in text_of(client_for(app, setup.sociaal).get(setup.base))
    assert f"{setup.base}/facturen" in text_of(client.get(setup.base))
    gemeente = client_for(app, setup.gemeente)
    assert gemeente.get(f"{setup.base}/facturen/{invoice['id']}").status_code == 200


def test_another_houses_invoice_or_booking_is_not_found(app, setup):
    _client, ids, _month = run(app, setup)
    invoice = concept_of(app, setup, setup.organiser.id)
    other_base = f"/beheer/{setup.other_house.slug}"
    for user in (setup.gemeente, setup.other_beheerder):
        other = client_for(app, user)
        assert other.get(f"{other_base}/facturen/{invoice['id']}").status_code == 404
        assert other.get(f"{other_base}/facturen/{invoice['id']}.pdf").status_code == 404
        token = {"csrf_token": csrf_token(other, "/")}
        for url in (
            f"{other_base}/facturen/{invoice['id']}/definitief",
            f"{other_base}/boekingen/{ids[0]}/factureren",
        ):
            assert other.post(url, data=token).status_code == 404, url
    with app.app_context():
        assert db.session.query(InvoiceLine).count() == 3
    assert invoices_of(app, setup.house.id)[0]["number"] is None
