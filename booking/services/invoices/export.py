"""The bookkeeper's CSV of a house's invoices and credit notes, the way Dutch spreadsheets
read it (see `services.invoicing`: `;`, decimal comma, BOM, CRLF, no formulas).

Only numbered documents are listed, in number order: a concept is not yet a bookkeeping
fact and may still change or disappear. Amounts are exclusive and inclusive of VAT as
invoiced; a credit note's amounts are negative, so a column adds up to the turnover.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import House, Invoice, User
from booking.rules.invoices import InvoiceStatus
from booking.rules.permissions import Permission
from booking.services.houses import house_for
from booking.services.invoicing import BOM, Month, csv_text, decimal_comma, parse_month

HEADER = (
    "nummer",
    "soort",
    "status",
    "factuurdatum",
    "vervaldatum",
    "periode",
    "ontvanger",
    "kvk",
    "e-mail",
    "corrigeert",
    "bedrag zonder btw",
    "btw",
    "totaal",
    "gecrediteerd",
    "betaald",
    "open",
)


@dataclass(frozen=True)
class InvoicesExport:
    filename: str
    text: str


def _filters(status_text: str | None, month_text: str | None) -> tuple[str | None, Month | None]:
    """Unknown filter values are ignored, as on the list page the link comes from."""
    status = status_text if status_text in {s.value for s in InvoiceStatus} else None
    try:
        month = parse_month(month_text.strip()) if month_text and month_text.strip() else None
    except ValueError:
        month = None
    return status, month


def _row(invoice: Invoice) -> list[str]:
    sign = -1 if invoice.is_credit_note else 1
    buyer = invoice.buyer or {}
    return [
        invoice.number or "",
        invoice.kind,
        invoice.status,
        invoice.issue_date.strftime("%d-%m-%Y") if invoice.issue_date else "",
        invoice.due_date.strftime("%d-%m-%Y") if invoice.due_date else "",
        invoice.period_month or "",
        csv_text(buyer.get("name", "")),
        csv_text(buyer.get("kvk", "")),
        csv_text(buyer.get("email", "")),
        invoice.credits.number if invoice.credits and invoice.credits.number else "",
        decimal_comma(sign * invoice.net_cents),
        decimal_comma(sign * invoice.tax_cents),
        decimal_comma(sign * invoice.total_cents),
        decimal_comma(invoice.credited_cents),
        decimal_comma(invoice.paid_cents),
        "" if invoice.is_credit_note else decimal_comma(invoice.due_cents),
    ]


def invoices_csv(
    actor: User, slug: str, status_text: str | None, month_text: str | None
) -> InvoicesExport:
    house: House = house_for(actor, slug, Permission.manage_invoices)
    status, month = _filters(status_text, month_text)
    query = (
        select(Invoice)
        .options(selectinload(Invoice.credits))
        .where(Invoice.house_id == house.id, Invoice.number.is_not(None))
        .order_by(Invoice.year, Invoice.sequence)
    )
    if status is not None:
        query = query.where(Invoice.status == status)
    if month is not None:
        query = query.where(Invoice.period_month == str(month))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    for invoice in db.session.scalars(query):
        writer.writerow(_row(invoice))
    name = f"facturen-{house.slug}" + (f"-{month}" if month else "") + ".csv"
    return InvoicesExport(name, BOM + out.getvalue())
