"""What the beheerder's invoicing pages read: a house's invoices with filters, one invoice
with what refers to it, and which invoice a booking is on. Reads only; the gate is
`Permission.manage_invoices` on the house named in the address (else 404)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.extensions import db
from booking.models import Booking, House, Invoice, InvoiceLine, User
from booking.rules.invoices import InvoiceKind, InvoiceStatus
from booking.rules.permissions import Permission
from booking.rules.statuses import BookingStatus
from booking.services.houses import house_for
from booking.services.invoices.common import house_invoice, invoicing_of
from booking.services.invoices.documents import has_ubl
from booking.services.invoices.payments import Outstanding, outstanding
from booking.services.invoicing import Month, parse_month

MAX_LISTED = 500


@dataclass(frozen=True)
class InvoiceList:
    house: House
    invoices: list[Invoice]
    status: InvoiceStatus | None
    month: Month | None
    has_settings: bool


def _status(text: str | None) -> InvoiceStatus | None:
    try:
        return InvoiceStatus(text) if text else None
    except ValueError:
        return None


def _month(text: str | None) -> Month | None:
    try:
        return parse_month(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


def house_invoices(
    actor: User, slug: str, status_text: str | None = None, month_text: str | None = None
) -> InvoiceList:
    """The house's invoices and credit notes, newest first; an unknown filter value is
    ignored (the form shows it as "all")."""
    house = house_for(actor, slug, Permission.manage_invoices)
    status, month = _status(status_text), _month(month_text)
    query = (
        select(Invoice)
        .options(selectinload(Invoice.organisation), selectinload(Invoice.person))
        .where(Invoice.house_id == house.id)
        .order_by(Invoice.id.desc())
        .limit(MAX_LISTED)
    )
    if status is not None:
        query = query.where(Invoice.status == status.value)
    if month is not None:
        query = query.where(Invoice.period_month == str(month))
    invoices = list(db.session.scalars(query))
    return InvoiceList(house, invoices, status, month, invoicing_of(house.id) is not None)


@dataclass(frozen=True)
class InvoicePage:
    invoice: Invoice
    credit_notes: list[Invoice]  # the credit notes that correct this invoice
    reasons: dict[int, list[str]]  # per line id: its stored tariff reasons

    @property
    def original(self) -> Invoice | None:
        """The invoice a credit note corrects."""
        return self.invoice.credits

    @property
    def has_ubl(self) -> bool:
        """Whether the e-invoice exists: numbered and for a buyer with a KvK number."""
        return has_ubl(self.invoice)


def stored_reasons(line: InvoiceLine) -> list[str]:
    """The line's tariff reasons as stored (each shown with `reason_text`)."""
    try:
        items = json.loads(line.reasons) if line.reasons else []
    except ValueError:
        return [line.reasons]
    return [str(item) for item in items if item] if isinstance(items, list) else [line.reasons]


def invoice_page(actor: User, slug: str, invoice_id: int) -> InvoicePage:
    invoice = house_invoice(actor, slug, invoice_id)
    notes = list(
        db.session.scalars(
            select(Invoice).where(Invoice.credits_invoice_id == invoice.id).order_by(Invoice.id)
        )
    )
    return InvoicePage(invoice, notes, {line.id: stored_reasons(line) for line in invoice.lines})


@dataclass(frozen=True)
class BookingInvoicing:
    """What the booking page says about invoicing: the invoice the booking is on, or
    whether "Nu factureren" may be offered."""

    invoice: Invoice | None
    can_invoice_now: bool


def booking_invoicing(actor: User, booking: Booking) -> BookingInvoicing | None:
    """None for whom does not manage the house's invoices (nothing is shown)."""
    house_id = booking.room.house_id
    if not actor.can(Permission.manage_invoices, house_id):
        return None
    invoice = db.session.scalar(
        select(Invoice)
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(
            InvoiceLine.booking_id == booking.id,
            InvoiceLine.live.is_(True),
            Invoice.kind == InvoiceKind.factuur.value,
        )
        .order_by(Invoice.id.desc())
        .limit(1)
    )
    chargeable = (
        booking.status == BookingStatus.bevestigd.value
        and booking.amount_cents > 0
        and not booking.not_invoiced
        and not booking.is_on_behalf
    )
    return BookingInvoicing(invoice, invoice is None and chargeable)


@dataclass(frozen=True)
class OutstandingPage:
    house: House
    rows: list[Outstanding]

    @property
    def due_cents(self) -> int:
        return sum(row.invoice.due_cents for row in self.rows)

    @property
    def overdue_cents(self) -> int:
        return sum(row.invoice.due_cents for row in self.rows if row.overdue)


def outstanding_page(actor: User, slug: str, today: date) -> OutstandingPage:
    """The open invoices of the house (`payments.outstanding`) with their totals."""
    house = house_for(actor, slug, Permission.manage_invoices)
    return OutstandingPage(house, outstanding(actor, slug, today))
