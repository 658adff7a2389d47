"""An invoice as a document: the frozen `InvoiceDocument` both renderings are made from,
and the PDF and UBL downloads for those who may read the invoice.

A concept is rendered from the house's details of today and marked as a concept; a
finalised invoice from what was frozen when it was numbered, so its files are the same
bytes-for-meaning whenever they are downloaded again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _

from booking.documents.invoice_pdf import invoice_pdf
from booking.documents.invoice_ubl import invoice_ubl
from booking.errors import RuleViolation
from booking.i18n import reason_text
from booking.models import Invoice, User
from booking.rules.invoices import (
    DocumentLine,
    InvoiceDocument,
    InvoiceKind,
    Party,
    VatTreatment,
    payment_reference,
    vat_breakdown,
)
from booking.rules.messages import N_, Message
from booking.rules.slots import AMSTERDAM
from booking.services.invoices.common import (
    buyer_of,
    house_invoice,
    readable_invoice,
    require_invoicing,
    seller_of,
)


@dataclass(frozen=True)
class InvoiceFile:
    filename: str
    content_type: str
    body: bytes


def _reasons(stored: str) -> tuple[str, ...]:
    try:
        items = json.loads(stored) if stored else []
    except ValueError:
        return (stored,)
    return tuple(reason_text(item) for item in items if item)


def _party(data: dict[str, str]) -> Party:
    fields = ("name", "street", "postcode", "city", "country", "email", "kvk", "btw", "iban")
    return Party(**{name: str(data.get(name, "") or "") for name in fields}) if data else Party("")


def document_of(invoice: Invoice) -> InvoiceDocument:
    """Everything the invoice says, in Dutch, as both files print it."""
    with force_locale("nl"):
        if invoice.number:
            seller, buyer = _party(invoice.seller), _party(invoice.buyer)
        else:
            seller = _party(seller_of(require_invoicing(invoice.house_id)))
            buyer = _party(buyer_of(invoice))
        lines = tuple(
            DocumentLine(
                description=line.description,
                room=line.room_name,
                start=line.start.astimezone(AMSTERDAM),
                end=line.end.astimezone(AMSTERDAM),
                hours_hundredths=line.hours_hundredths,
                tariff_group=line.tariff_group,
                reasons=_reasons(line.reasons),
                list_price_cents=line.list_price_cents,
                discount_cents=line.discount_cents,
                amount_cents=line.amount_cents,
            )
            for line in invoice.lines
        )
        starts = [line.start.date() for line in lines]
        original = invoice.credits
        number = invoice.number or _("CONCEPT")
        return InvoiceDocument(
            kind=InvoiceKind(invoice.kind),
            number=number,
            issue_date=invoice.issue_date or date.today(),
            due_date=invoice.due_date or invoice.issue_date or date.today(),
            seller=seller,
            buyer=buyer,
            lines=lines,
            vat=vat_breakdown(
                [line.amount_cents for line in invoice.lines],
                VatTreatment(invoice.vat_treatment),
                invoice.vat_rate_hundredths,
                seller.btw,
            ),
            period_start=min(starts) if starts else None,
            period_end=max(starts) if starts else None,
            credited_number=(original.number or "") if original is not None else "",
            credited_issue_date=original.issue_date if original is not None else None,
            note=invoice.note,
            payment_reference=payment_reference(number),
            buyer_reference=buyer.name[:60] or number,
        )


def files_of(invoice: Invoice) -> tuple[InvoiceFile, InvoiceFile]:
    """The PDF and the UBL file, named after the invoice number."""
    document = document_of(invoice)
    stem = (invoice.number or f"concept-{invoice.id}").replace("/", "-")
    return (
        InvoiceFile(f"{stem}.pdf", "application/pdf", invoice_pdf(document)),
        InvoiceFile(f"{stem}.xml", "application/xml", invoice_ubl(document)),
    )


def invoice_file(actor: User, invoice_id: int, kind: str) -> InvoiceFile:
    """The PDF (`kind` "pdf") or the UBL file ("xml") of an invoice the actor may read;
    a UBL file of a concept is refused, it would carry no number."""
    return _file_of(readable_invoice(actor, invoice_id), kind)


def house_invoice_file(actor: User, slug: str, invoice_id: int, kind: str) -> InvoiceFile:
    """The same for the beheer pages: an invoice of the house in the address only."""
    return _file_of(house_invoice(actor, slug, invoice_id), kind)


def _file_of(invoice: Invoice, kind: str) -> InvoiceFile:
    if kind != "pdf":
        refuse_ubl(invoice)
    pdf, xml = files_of(invoice)
    return pdf if kind == "pdf" else xml


def has_ubl(invoice: Invoice) -> bool:
    """SI-UBL asks a Dutch buyer's KvK number (BR-NL-10) and a number of the invoice."""
    return bool(invoice.number and invoice.buyer.get("kvk"))


def refuse_ubl(invoice: Invoice) -> None:
    if not invoice.number:
        raise RuleViolation(
            Message(
                N_(
                    "Een conceptfactuur heeft nog geen nummer; de e-factuur volgt bij "
                    "definitief maken."
                )
            ),
            code="concept",
        )
    if not invoice.buyer.get("kvk"):
        raise RuleViolation(
            Message(
                N_(
                    "Een e-factuur (SI-UBL) vraagt het KvK-nummer van de ontvanger, en deze "
                    "ontvanger heeft er geen. Gebruik de PDF."
                )
            ),
            code="geen_kvk",
        )
