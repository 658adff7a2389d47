"""Finalising: a concept becomes a numbered, frozen invoice (or credit note) and is sent.

The number comes from `invoice_counter` by one upsert that returns the new value: on
PostgreSQL the row stays locked until the transaction ends, on SQLite the write lock
(BEGIN IMMEDIATE) is held, so two finalising requests at once get consecutive numbers and
a rolled-back one gives its number back — no duplicate and no gap, as the Belastingdienst
asks of one series per house and year. Credit notes share the series.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from booking.errors import IllegalTransition, RuleViolation
from booking.extensions import db
from booking.models import Invoice, InvoiceCounter, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.invoices import InvoiceStatus, invoice_number
from booking.rules.messages import N_, Message
from booking.rules.slots import AMSTERDAM
from booking.services import audit
from booking.services.invoices.common import (
    buyer_of,
    managed_invoice,
    recompute,
    require_invoicing,
    seller_of,
)
from booking.services.invoices.sending import send_invoice


def next_sequence(house_id: int, year: int) -> int:
    """The next number of the house's series for the year, taken inside this transaction."""
    table = InvoiceCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(table)
        .values(house_id=house_id, year=year, last_sequence=1)
        .on_conflict_do_update(
            index_elements=["house_id", "year"],
            set_={"last_sequence": table.c.last_sequence + 1},
        )
        .returning(table.c.last_sequence)
    )
    return int(db.session.execute(statement).scalar_one())


def _refuse_stale_credit(note: Invoice) -> None:
    original = note.credits
    assert original is not None
    live = {line.id for line in original.lines if line.live}
    if any(line.credited_line_id not in live for line in note.lines):
        raise RuleViolation(
            Message(N_("Een deel van deze regels is al gecrediteerd; maak de run opnieuw.")),
            code="al_gecrediteerd",
        )


def apply_credit(note: Invoice) -> None:
    """A finalised credit note takes its lines back from the original invoice."""
    original = note.credits
    assert original is not None
    credited_ids = {line.credited_line_id for line in note.lines}
    for line in original.lines:
        if line.id in credited_ids:
            line.live = False
    original.credited_cents += note.total_cents
    original.follow_money()


def finalise(actor: User, invoice_id: int, *, now: datetime) -> Invoice:
    """Number, freeze and send a concept; an empty or final one is refused."""
    invoice = managed_invoice(actor, invoice_id, for_update=True)
    if invoice.state is not InvoiceStatus.concept:
        raise IllegalTransition(Message(N_("Deze factuur is al definitief.")), code="al_definitief")
    if not invoice.lines:
        raise RuleViolation(
            Message(N_("Een factuur zonder regels kan niet definitief worden.")),
            code="lege_factuur",
        )
    settings = require_invoicing(invoice.house_id)
    if invoice.is_credit_note:
        _refuse_stale_credit(invoice)
    recompute(invoice, settings)
    today = now.astimezone(AMSTERDAM).date()
    sequence = next_sequence(invoice.house_id, today.year)
    invoice.seller = (
        dict(invoice.credits.seller) if invoice.credits is not None else seller_of(settings)
    )
    invoice.buyer = (
        dict(invoice.credits.buyer) if invoice.credits is not None else buyer_of(invoice)
    )
    invoice.finalise(
        year=today.year,
        sequence=sequence,
        number=invoice_number(settings.number_prefix, today.year, sequence),
        issued=today,
        due=today if invoice.is_credit_note else today + timedelta(days=settings.payment_term_days),
        now=now,
    )
    if invoice.is_credit_note:
        apply_credit(invoice)
    audit.record(
        AuditAction.invoice_credited if invoice.is_credit_note else AuditAction.invoice_finalised,
        AuditObject.invoice,
        invoice.id,
        actor_id=actor.id,
        house_id=invoice.house_id,
        number=invoice.number,
        total_cents=invoice.total_cents,
    )
    send_invoice(invoice, now=now)
    db.session.flush()
    return invoice
