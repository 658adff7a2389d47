"""Payments and what is still owed: record a payment (partial or whole), the outstanding
and overdue list of a house, and the reminder run after the payment term.

The status follows the money (`Invoice.follow_money`): nobody marks an invoice paid by
hand. A payment above what is still due is refused rather than stored as an overpayment:
a treasurer who receives too much pays it back, and the books of the house stay simple."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import InvalidInput, RuleViolation
from booking.extensions import db
from booking.models import Invoice, Payment, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.invoices import OPEN_STATUSES, InvoiceKind
from booking.rules.messages import N_, Message
from booking.rules.money import format_euro
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM
from booking.services import audit
from booking.services.houses import house_for
from booking.services.invoices.common import managed_invoice
from booking.services.invoices.sending import send_reminder

REMINDER_INTERVAL = timedelta(days=14)
"""A reminder the day after the term, then every two weeks while the invoice is open."""
MAX_AMOUNT_CENTS = 100_000_000


def record_payment(
    actor: User, invoice_id: int, amount_cents: int, paid_on: date, *, now: datetime
) -> Payment:
    invoice = managed_invoice(actor, invoice_id, for_update=True)
    if invoice.is_credit_note or invoice.state.value not in {s.value for s in OPEN_STATUSES}:
        raise RuleViolation(
            Message(N_("Op deze factuur kan geen betaling worden geboekt: hij staat niet open.")),
            code="staat_niet_open",
        )
    if not isinstance(amount_cents, int) or amount_cents <= 0 or amount_cents > MAX_AMOUNT_CENTS:
        raise InvalidInput("amount_cents", Message(N_("Vul een bedrag groter dan nul in.")))
    if amount_cents > invoice.due_cents:
        raise RuleViolation(
            Message(
                N_("Dat is meer dan er nog openstaat (%(due_cents)s)."),
                {"due_cents": invoice.due_cents},
            ),
            field="amount_cents",
            code="meer_dan_openstaand",
        )
    today = now.astimezone(AMSTERDAM).date()
    if paid_on > today:
        raise InvalidInput("paid_on", Message(N_("Een betaling kan niet in de toekomst liggen.")))
    if invoice.issue_date and paid_on < invoice.issue_date - timedelta(days=366):
        raise InvalidInput("paid_on", Message(N_("Die datum ligt te ver voor de factuurdatum.")))
    payment = Payment(amount_cents=amount_cents, paid_on=paid_on, recorded_by_id=actor.id)
    invoice.payments.append(payment)
    invoice.paid_cents += amount_cents
    invoice.follow_money()
    db.session.flush()
    audit.record(
        AuditAction.payment_recorded,
        AuditObject.invoice,
        invoice.id,
        actor_id=actor.id,
        house_id=invoice.house_id,
        amount=format_euro(amount_cents),
        number=invoice.number,
    )
    return payment


@dataclass(frozen=True)
class Outstanding:
    invoice: Invoice
    overdue: bool
    days_late: int


def outstanding(actor: User, slug: str, today: date) -> list[Outstanding]:
    """A house's open invoices, the overdue ones first, oldest due date first."""
    house = house_for(actor, slug, Permission.manage_invoices)
    invoices = db.session.scalars(
        select(Invoice)
        .where(
            Invoice.house_id == house.id,
            Invoice.kind == InvoiceKind.factuur.value,
            Invoice.status.in_([s.value for s in OPEN_STATUSES]),
        )
        .order_by(Invoice.due_date, Invoice.id)
    )
    rows = [
        Outstanding(i, bool(i.due_date and i.due_date < today), (today - i.due_date).days)
        for i in invoices
        if i.due_date is not None
    ]
    return sorted(rows, key=lambda r: (not r.overdue, r.invoice.due_date))


def reminder_due(invoice: Invoice, today: date) -> bool:
    if invoice.due_date is None or invoice.due_date >= today or invoice.due_cents <= 0:
        return False
    return invoice.last_reminder_on is None or invoice.last_reminder_on + REMINDER_INTERVAL <= today


def send_reminders(today: date) -> int:
    """The job: a reminder for each overdue open invoice whose last one is old enough."""
    begin_write()
    invoices = db.session.scalars(
        select(Invoice).where(
            Invoice.kind == InvoiceKind.factuur.value,
            Invoice.status.in_([s.value for s in OPEN_STATUSES]),
            Invoice.due_date < today,
        )
    )
    return sum(1 for i in invoices if reminder_due(i, today) and send_reminder(i, today=today))
