"""Credit notes: the only way a finalised invoice is corrected (DESIGN §14).

A credit note is its own document (UBL CreditNote, a number of the same series) that
names the invoice it corrects and repeats the lines it takes back with their amounts. The
run proposes one as a concept when a booking on a finalised invoice is cancelled or
changed; a beheerder may also credit what is left of an invoice at once, with a reason.
When a credit note is finalised the lines it credits stop charging their bookings, so a
booking that still takes place is invoiced again, at its new price, by the next run.
"""

from __future__ import annotations

from datetime import datetime

from booking.errors import InvalidInput, RuleViolation
from booking.extensions import db
from booking.models import Invoice, InvoiceLine, User
from booking.rules.invoices import FINAL_STATUSES, InvoiceKind, InvoiceStatus
from booking.rules.messages import N_, Message
from booking.rules.text import clean_text
from booking.services.invoices.common import managed_invoice, recompute, require_invoicing
from booking.services.invoices.finalising import finalise

MAX_REASON = 300


def concept_credit_note(original: Invoice, reason: Message | str) -> Invoice:
    """The concept credit note of an invoice, made if it has none open."""
    for note in db.session.query(Invoice).filter_by(
        credits_invoice_id=original.id, status=InvoiceStatus.concept.value
    ):
        return note
    note = Invoice(
        house_id=original.house_id,
        kind=InvoiceKind.creditfactuur.value,
        status=InvoiceStatus.concept.value,
        organisation_id=original.organisation_id,
        person_id=original.person_id,
        period_month=original.period_month,
        credits_invoice_id=original.id,
        note=reason if isinstance(reason, str) else reason.template,
        buyer=dict(original.buyer),
    )
    db.session.add(note)
    return note


def credit_line(line: InvoiceLine) -> InvoiceLine:
    """The line of a credit note that takes `line` back, amounts as they were charged."""
    return InvoiceLine(
        kind=line.kind,
        booking_id=line.booking_id,
        live=False,
        credited_line_id=line.id,
        description=line.description,
        room_name=line.room_name,
        start=line.start,
        end=line.end,
        hours_hundredths=line.hours_hundredths,
        tariff_group=line.tariff_group,
        reasons=line.reasons,
        list_price_cents=line.list_price_cents,
        discount_cents=line.discount_cents,
        amount_cents=line.amount_cents,
    )


def credit_invoice(actor: User, invoice_id: int, reason: str, *, now: datetime) -> Invoice:
    """Credit all that is still charged on a finalised invoice, as one finalised credit
    note with the reason on it; crediting twice is refused."""
    original = managed_invoice(actor, invoice_id, for_update=True)
    cleaned = clean_text(reason or "", max_length=MAX_REASON)
    if isinstance(cleaned, Message):
        raise InvalidInput("reason", cleaned)
    reason = cleaned.strip()  # a reason of spaces only is no reason
    if not reason:
        raise InvalidInput(
            "reason", Message(N_("Schrijf waarom u crediteert; de reden komt op de creditfactuur."))
        )
    if original.is_credit_note or original.state not in FINAL_STATUSES:
        raise RuleViolation(
            Message(N_("Alleen een definitieve factuur kan worden gecrediteerd.")),
            code="niet_definitief",
        )
    remaining = [line for line in original.lines if line.live]
    if not remaining:
        raise RuleViolation(
            Message(N_("Deze factuur is al helemaal gecrediteerd.")), code="al_gecrediteerd"
        )
    settings = require_invoicing(original.house_id)
    note = concept_credit_note(original, reason)
    note.note = reason
    note.lines.clear()
    for position, line in enumerate(remaining, start=1):
        credited = credit_line(line)
        credited.position = position
        note.lines.append(credited)
    recompute(note, settings)
    db.session.flush()
    return finalise(actor, note.id, now=now)
