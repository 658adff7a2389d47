"""The invoice run: a house's month of bookings gathered into concept invoices, one per
organisation or person, and the credit notes that changes after invoicing call for.

Running again adds only what is new: a booking is charged by at most one live line
(`uq_invoice_line_live_once`), and the run takes the house's write lock first (BEGIN
IMMEDIATE on SQLite, the house row FOR UPDATE on PostgreSQL), so two runs at once
queue rather than both invoicing a rehearsal. A concept follows its bookings (a cancelled
booking leaves it, a moved one is refreshed); a finalised invoice never changes, so a
booking cancelled or changed after finalising gets a proposed credit note instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.errors import InvalidInput, NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, House, HouseInvoicing, Invoice, InvoiceLine, Room, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.invoices import InvoiceKind, InvoiceStatus, late_cancellation_fee
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.rules.statuses import BookingStatus
from booking.services import audit
from booking.services.houses import house_for
from booking.services.invoices.common import (
    booking_line,
    invoicing_of,
    line_matches,
    recompute,
    require_invoicing,
)
from booking.services.invoices.credits import concept_credit_note, credit_line
from booking.services.invoicing import Month, parse_month


@dataclass
class RunOutcome:
    house: House
    month: Month | None
    created: list[Invoice] = field(default_factory=list)
    changed: list[Invoice] = field(default_factory=list)
    proposed_credits: list[Invoice] = field(default_factory=list)
    lines_added: int = 0

    @property
    def invoices(self) -> list[Invoice]:
        return [*self.created, *self.changed]


def month_bookings(house_id: int, month: Month) -> list[Booking]:
    """Every booking of the house that starts in the month (Amsterdam time), in any state:
    cancelled ones too, for their credit notes and late-cancellation fees."""
    start = local_to_utc(datetime.combine(month.first_day, time.min))
    end = local_to_utc(datetime.combine(month.next_first_day, time.min))
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room, Room.id == Booking.room_id)
            .options(selectinload(Booking.room))
            .where(Room.house_id == house_id, Booking.start >= start, Booking.start < end)
            .order_by(Booking.start, Booking.id)
        )
    )


def _lock_house(house: House) -> None:
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(House.id).where(House.id == house.id).with_for_update())


def _recipient(booking: Booking) -> tuple[int | None, int | None]:
    """(organisation_id, person_id): the organisation booked for, else the organiser."""
    if booking.organisation_id is not None:
        return booking.organisation_id, None
    return None, booking.organiser_id


def _concept_for(
    house: House, booking: Booking, period: str | None, outcome: RunOutcome
) -> Invoice:
    organisation_id, person_id = _recipient(booking)
    for invoice in outcome.invoices:
        if (invoice.organisation_id, invoice.person_id, invoice.period_month) == (
            organisation_id,
            person_id,
            period,
        ):
            return invoice
    invoice = db.session.scalar(
        select(Invoice)
        .options(selectinload(Invoice.lines))
        .where(
            Invoice.house_id == house.id,
            Invoice.kind == InvoiceKind.factuur.value,
            Invoice.status == InvoiceStatus.concept.value,
            Invoice.organisation_id.is_(organisation_id)
            if organisation_id is None
            else Invoice.organisation_id == organisation_id,
            Invoice.person_id.is_(None) if person_id is None else Invoice.person_id == person_id,
            Invoice.period_month.is_(None) if period is None else Invoice.period_month == period,
        )
    )
    if invoice is not None:
        outcome.changed.append(invoice)
        return invoice
    invoice = Invoice(
        house_id=house.id,
        kind=InvoiceKind.factuur.value,
        status=InvoiceStatus.concept.value,
        organisation_id=organisation_id,
        person_id=person_id,
        period_month=period,
    )
    db.session.add(invoice)
    outcome.created.append(invoice)
    return invoice


def _live_lines(booking_ids: list[int]) -> dict[tuple[int, str], InvoiceLine]:
    if not booking_ids:
        return {}
    lines = db.session.scalars(
        select(InvoiceLine)
        .options(selectinload(InvoiceLine.invoice))
        .where(InvoiceLine.live.is_(True), InvoiceLine.booking_id.in_(booking_ids))
    )
    return {(line.booking_id, line.kind): line for line in lines if line.booking_id}


def _add(invoice: Invoice, line: InvoiceLine) -> None:
    line.position = max((existing.position for existing in invoice.lines), default=0) + 1
    invoice.lines.append(line)


def _fee_line(booking: Booking, settings: HouseInvoicing, position: int) -> InvoiceLine | None:
    fee = late_cancellation_fee(
        booking.amount_cents,
        booking.start,
        booking.updated_at,
        settings.late_cancel_free_days,
        settings.late_cancel_percent,
    )
    if fee <= 0:
        return None
    line = booking_line(booking, position)
    line.kind = "annulering"
    line.description = f"Annuleringskosten: {booking.title}"[:200]
    line.list_price_cents = fee
    line.discount_cents = 0
    line.amount_cents = fee
    return line


def _propose_credit(
    line: InvoiceLine, reason: Message, outcome: RunOutcome, proposals: dict[int, Invoice]
) -> None:
    """Put the line of a finalised invoice on a concept credit note for that invoice."""
    original = line.invoice
    note = proposals.get(original.id) or concept_credit_note(original, reason)
    if note.id is None or note not in outcome.proposed_credits:
        outcome.proposed_credits.append(note)
    proposals[original.id] = note
    if not any(existing.credited_line_id == line.id for existing in note.lines):
        _add(note, credit_line(line))


def _invoiceable(booking: Booking) -> bool:
    """Free bookings get a waardeoverzicht, not an invoice; a booking made at the desk for
    a resident without an account is settled at the desk (there is nobody to address)."""
    return booking.amount_cents > 0 and not booking.not_invoiced and not booking.is_on_behalf


def _invoice_bookings(
    house: House,
    settings: HouseInvoicing,
    bookings: list[Booking],
    period: str | None,
    outcome: RunOutcome,
) -> None:
    live = _live_lines([b.id for b in bookings])
    proposals: dict[int, Invoice] = {}
    for booking in bookings:
        line = live.get((booking.id, "boeking"))
        charged = booking.status == BookingStatus.bevestigd.value
        if line is not None and line.invoice.state is InvoiceStatus.concept:
            if not charged or booking.not_invoiced:
                concept = line.invoice
                concept.lines.remove(line)
                if concept not in outcome.invoices:
                    outcome.changed.append(concept)
                line = None
            elif not line_matches(line, booking):
                fresh = booking_line(booking, line.position)
                for name in ("start", "end", "room_name", "list_price_cents", "discount_cents"):
                    setattr(line, name, getattr(fresh, name))
                line.amount_cents, line.hours_hundredths = (
                    fresh.amount_cents,
                    fresh.hours_hundredths,
                )
                if line.invoice not in outcome.invoices:
                    outcome.changed.append(line.invoice)
        elif line is not None and (not charged or not line_matches(line, booking)):
            reason = (
                Message(N_("Boeking geannuleerd na facturering."))
                if not charged
                else Message(N_("Boeking gewijzigd na facturering."))
            )
            _propose_credit(line, reason, outcome, proposals)
        elif line is None and charged and _invoiceable(booking):
            invoice = _concept_for(house, booking, period, outcome)
            _add(invoice, booking_line(booking, 0))
            outcome.lines_added += 1
        if (
            booking.status == BookingStatus.geannuleerd.value
            and (booking.id, "annulering") not in live
        ):
            fee = _fee_line(booking, settings, 0)
            if fee is not None:
                _add(_concept_for(house, booking, period, outcome), fee)
                outcome.lines_added += 1
    for invoice in list(outcome.invoices):
        if not invoice.lines:
            _drop_empty(invoice, outcome)
        else:
            recompute(invoice, settings)
    for note in outcome.proposed_credits:
        recompute(note, settings)
    db.session.flush()


def _drop_empty(invoice: Invoice, outcome: RunOutcome) -> None:
    """A concept whose every booking left it (cancelled before finalising) is removed."""
    for group in (outcome.created, outcome.changed):
        if invoice in group:
            group.remove(invoice)
    if invoice.id is not None:
        db.session.delete(invoice)
    else:
        db.session.expunge(invoice)


def run_house_month(
    house: House, month: Month, *, actor_id: int | None, now: datetime
) -> RunOutcome:
    """The edge-free run for a house and month: the CLI, the job and the views call it."""
    settings = require_invoicing(house.id)
    _lock_house(house)
    outcome = RunOutcome(house, month)
    bookings = month_bookings(house.id, month)
    _invoice_bookings(house, settings, bookings, str(month), outcome)
    audit.record(
        AuditAction.invoices_run,
        AuditObject.house,
        house.id,
        actor_id=actor_id,
        house_id=house.id,
        month=str(month),
        created=len(outcome.created),
        lines_added=outcome.lines_added,
        credits_proposed=len(outcome.proposed_credits),
    )
    return outcome


def run_month(actor: User, slug: str, month_text: str | None, *, now: datetime) -> RunOutcome:
    """A beheerder (or the gemeente) runs invoicing for one house and month."""
    house = house_for(actor, slug, Permission.manage_invoices)
    try:
        month = parse_month((month_text or "").strip())
    except ValueError as error:
        raise InvalidInput(
            "month", Message(N_("Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-12."))
        ) from error
    return run_house_month(house, month, actor_id=actor.id, now=now)


def invoice_booking(actor: User, booking_id: int, *, now: datetime) -> RunOutcome:
    """Invoice one booking now (on demand), on a concept of its own period-less kind."""
    booking = db.session.get(Booking, booking_id)
    if booking is None:
        raise NotFound(str(booking_id))
    room = db.session.get(Room, booking.room_id)
    if room is None or not actor.can(Permission.manage_invoices, room.house_id):
        raise NotFound(str(booking_id))
    house = room.house
    settings = require_invoicing(house.id)
    _lock_house(house)
    outcome = RunOutcome(house, None)
    _invoice_bookings(house, settings, [booking], None, outcome)
    if not outcome.invoices:
        raise RuleViolation(
            Message(
                N_(
                    "Deze boeking staat al op een factuur, is gratis of is niet bevestigd: "
                    "er is niets te factureren."
                )
            ),
            code="niets_te_factureren",
        )
    audit.record(
        AuditAction.invoices_run,
        AuditObject.booking,
        booking.id,
        actor_id=actor.id,
        house_id=house.id,
        created=len(outcome.created),
        lines_added=outcome.lines_added,
    )
    return outcome


def follow_booking(booking: Booking) -> RunOutcome | None:
    """After a cancellation or a change: a booking already on an invoice is followed at
    once — its concept line refreshed or removed, a credit note proposed for a finalised
    one, the late-cancellation fee put on a concept — instead of at the next run. A
    booking on no invoice is left to the run (a change must not invoice it early)."""
    if not _live_lines([booking.id]):
        return None
    house = booking.room.house
    settings = invoicing_of(house.id)
    if settings is None:
        return None
    start = booking.start.astimezone(AMSTERDAM)
    outcome = RunOutcome(house, None)
    _invoice_bookings(house, settings, [booking], f"{start.year:04d}-{start.month:02d}", outcome)
    return outcome
