"""The PDF, read back with pypdf: what a treasurer must find on it is on it, long invoices
run over numbered pages, and no name in any script can make it fail."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from booking.documents.invoice_pdf import CAPTIONS, invoice_pdf, pdf_text
from booking.rules.invoices import InvoiceDocument, InvoiceKind, VatTreatment
from booking.rules.money import format_euro
from tests.documents.conftest import BUYER, SELLER, make_document, make_line


def pages(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    return [page.extract_text() for page in reader.pages]


def test_an_invoice_shows_number_total_iban_and_due_date(invoice: InvoiceDocument) -> None:
    (text,) = pages(invoice_pdf(invoice))
    assert "Factuur" in text and "Creditfactuur" not in text
    assert "BP2026-0007" in text
    assert format_euro(invoice.total_cents) == "€ 151,25"
    assert "€ 151,25" in text
    assert "NL91 ABNA 0417 1643 00" in text
    assert "14 januari 2027" in text  # the due date
    assert "31 december 2026" in text  # the issue date
    assert "Graag betalen vóór 14 januari 2027" in text
    assert "KvK 41234567" in text and "NL123456782B01" in text
    assert "Zangkoor Vocalis" in text and "Molenstraat 3" in text
    assert "1 december 2026 t/m 31 december 2026" in text


def test_the_rent_given_away_and_the_reasons_are_visible(invoice: InvoiceDocument) -> None:
    (text,) = pages(invoice_pdf(invoice))
    assert "Lijstprijs totaal" in text and "€ 150,00" in text
    assert "huur die u niet betaalt" in text and "-€ 25,00" in text
    assert "Subtotaal excl. btw" in text and "€ 125,00" in text
    assert "Btw 21% over € 125,00" in text and "€ 26,25" in text
    assert "Waarom tariefgroep T2" in text and "Vereniging zonder winstoogmerk" in text
    assert "19:30–22:00" in text and "01-12-2026" in text
    for key in ("col_when", "col_room", "col_activity", "col_hours", "col_group", "col_amount"):
        assert CAPTIONS[key] in text


def test_an_exempt_invoice_prints_the_exemption() -> None:
    doc = make_document(treatment=VatTreatment.vrijgesteld)
    (text,) = pages(invoice_pdf(doc))
    assert "Vrijgesteld van btw" in " ".join(text.split())


def test_a_credit_note_names_the_invoice_and_asks_no_payment(credit_note: InvoiceDocument) -> None:
    (text,) = pages(invoice_pdf(credit_note))
    assert "Creditfactuur" in text
    assert "Creditfactuur bij factuur BP2026-0007" in text
    assert "Repetitie van 8 december ging niet door" in text
    assert "Graag betalen" not in text
    assert "Vervaldatum" not in text


def test_fifty_five_lines_run_over_pages_with_the_header_repeated() -> None:
    doc = make_document(tuple(make_line(i) for i in range(55)))
    texts = pages(invoice_pdf(doc))
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"pagina {number} van {len(texts)}" in text
        assert "Datum/tijd" in text and "Tariefgroep" in text  # the table header
    assert format_euro(doc.total_cents) in texts[-1]
    assert sum(text.count("Waarom tariefgroep") for text in texts) == 55


@pytest.mark.parametrize(
    "name",
    [
        "Şükrü Öztürk İnşaat Derneği",
        "جمعية الجالية المغربية",
        "Koor 🎶🎉 Zingen",
        "Ζωή \u200b\ufeff\x00\x07 Łódź ÿ",
        "\ud800 lone surrogate",
    ],
)
def test_names_outside_the_font_degrade_and_never_raise(name: str) -> None:
    buyer = replace(BUYER, name=name, street=name, city=name)
    line = make_line(0, description=name, room=name, reasons=(name,))
    doc = make_document((line,), buyer=buyer, note=name, buyer_reference=name)
    (text,) = pages(invoice_pdf(doc))
    assert "BP2026-0007" in text


def test_dutch_accents_and_the_euro_sign_print_as_themselves() -> None:
    assert pdf_text("café € – één …") == "café € – één …"
    assert pdf_text("Şükrü İnşaat") == "Sükrü Insaat"
    assert pdf_text("مرحبا 🎉") == "????? ?"
    seller = replace(SELLER, name="Stichting Buurthuis Café Hé")
    (text,) = pages(invoice_pdf(make_document(seller=seller)))
    assert "Stichting Buurthuis Café Hé" in text


def test_labels_override_the_dutch_captions(invoice: InvoiceDocument) -> None:
    labels = {
        "invoice": "Invoice",
        "pay": "Please pay before %(due)s to IBAN %(iban)s (%(name)s), reference %(reference)s.",
        "page": "page %(page)s of %(pages)s",
        "total": "Total %(nonsense)s",  # broken translation: the Dutch caption stands in
    }
    (text,) = pages(invoice_pdf(replace(invoice, labels=labels)))
    assert "Invoice" in text
    assert "Please pay before 14 januari 2027 to IBAN NL91 ABNA 0417 1643 00" in text
    assert "page 1 of 1" in text
    assert "Totaal" in text


def test_the_same_document_makes_the_same_bytes(invoice: InvoiceDocument) -> None:
    assert invoice_pdf(invoice) == invoice_pdf(invoice)


@settings(max_examples=25, deadline=None, database=None)
@given(st.text(max_size=80), st.sampled_from(list(InvoiceKind)))
def test_any_text_makes_a_pdf(name: str, kind: InvoiceKind) -> None:
    line = make_line(0, description=name, room=name, reasons=(name, name))
    doc = make_document((line,), kind=kind, buyer=replace(BUYER, name=name), note=name)
    assert pages(invoice_pdf(doc))


def test_without_an_iban_the_payment_request_names_no_account() -> None:
    doc = make_document(seller=replace(SELLER, iban=""))
    (text,) = pages(invoice_pdf(doc))
    assert "Graag betalen vóór 14 januari 2027 o.v.v. BP2026-0007" in text
    assert "IBAN" not in text
