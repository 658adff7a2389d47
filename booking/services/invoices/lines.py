"""Taking a line off a concept invoice: the beheerder decides a booking is not invoiced
(a favour, a mistake in the booking), so no later run puts it back."""

from __future__ import annotations

from datetime import datetime

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, Invoice, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.invoices import InvoiceStatus
from booking.rules.messages import N_, Message
from booking.services import audit
from booking.services.invoices.common import managed_invoice, recompute, require_invoicing


def remove_line(actor: User, invoice_id: int, line_id: int, now: datetime) -> Invoice:
    """Remove one line of a concept and mark its booking `not_invoiced`; the totals are
    computed again. A finalised invoice is corrected by a credit note instead."""
    invoice = managed_invoice(actor, invoice_id)
    line = next((line for line in invoice.lines if line.id == line_id), None)
    if line is None:
        raise NotFound(str(line_id))
    if invoice.state is not InvoiceStatus.concept:
        raise RuleViolation(
            Message(
                N_("Van een definitieve factuur haalt u geen regel af; maak een creditfactuur.")
            ),
            code="al_definitief",
        )
    settings = require_invoicing(invoice.house_id)
    begin_write()
    booking = db.session.get(Booking, line.booking_id) if line.booking_id else None
    if booking is not None:
        booking.not_invoiced = True
    invoice.lines.remove(line)
    recompute(invoice, settings)
    db.session.flush()
    audit.record(
        AuditAction.invoice_line_removed,
        AuditObject.invoice,
        invoice.id,
        actor_id=actor.id,
        house_id=invoice.house_id,
        booking_id=line.booking_id,
        description=line.description,
        amount_cents=line.amount_cents,
    )
    return invoice
