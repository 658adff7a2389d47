"""A small factory of invoice documents, so each test says only what it is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from booking.rules.invoices import (
    DocumentLine,
    InvoiceDocument,
    InvoiceKind,
    Party,
    VatTreatment,
    vat_breakdown,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
SELLER = Party(
    name="Stichting Buurthuis De Poort",
    street="Kruisstraat 12",
    postcode="5341 AB",
    city="Oss",
    email="administratie@depoort.example",
    kvk="41234567",
    btw="NL123456782B01",
    iban="NL91ABNA0417164300",
)
BUYER = Party(
    name="Zangkoor Vocalis",
    street="Molenstraat 3",
    postcode="5341 GK",
    city="Oss",
    email="penningmeester@vocalis.example",
)


def make_line(
    index: int = 0,
    *,
    list_price_cents: int = 7500,
    discount_cents: int = 2500,
    hours_hundredths: int = 250,
    description: str = "Repetitie Zangkoor Vocalis",
    room: str = "Grote zaal",
    tariff_group: str = "T2",
    reasons: tuple[str, ...] = ("Vereniging zonder winstoogmerk", "Leden wonen in Oss"),
) -> DocumentLine:
    start = datetime(2026, 12, 1, 19, 30, tzinfo=AMSTERDAM) + timedelta(days=index % 28)
    end = start + timedelta(minutes=hours_hundredths * 60 // 100)
    return DocumentLine(
        description=description,
        room=room,
        start=start,
        end=end,
        hours_hundredths=hours_hundredths,
        tariff_group=tariff_group,
        reasons=reasons,
        list_price_cents=list_price_cents,
        discount_cents=discount_cents,
        amount_cents=list_price_cents - discount_cents,
    )


def make_document(
    lines: tuple[DocumentLine, ...] | None = None,
    *,
    kind: InvoiceKind = InvoiceKind.factuur,
    treatment: VatTreatment = VatTreatment.belast,
    rate_hundredths: int = 2100,
    seller: Party = SELLER,
    buyer: Party = BUYER,
    **changes: object,
) -> InvoiceDocument:
    """An invoice (or credit note) whose VAT is computed as the service computes it."""
    lines = lines if lines is not None else (make_line(0), make_line(1, discount_cents=0))
    vat = vat_breakdown(
        [line.amount_cents for line in lines], treatment, rate_hundredths, seller.btw
    )
    credit = kind is InvoiceKind.creditfactuur
    doc = InvoiceDocument(
        kind=kind,
        number="BP2026-0008" if credit else "BP2026-0007",
        issue_date=date(2026, 12, 31),
        due_date=date(2027, 1, 14),
        seller=seller,
        buyer=buyer,
        lines=lines,
        vat=vat,
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
        credited_number="BP2026-0007" if credit else "",
        credited_issue_date=date(2026, 12, 31) if credit else None,
        note="Repetitie van 8 december ging niet door" if credit else "",
        payment_reference="BP2026-0008" if credit else "BP2026-0007",
        buyer_reference="Vocalis 2026",
    )
    return replace(doc, **changes) if changes else doc


@pytest.fixture
def invoice() -> InvoiceDocument:
    return make_document()


@pytest.fixture
def credit_note() -> InvoiceDocument:
    return make_document(kind=InvoiceKind.creditfactuur)
