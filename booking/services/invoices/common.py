"""What the invoicing use cases share: loading an invoice the actor may see, the line a
booking becomes, and the totals of a concept."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.errors import Forbidden, NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, HouseInvoicing, Invoice, InvoiceLine, User
from booking.rules.invoices import InvoiceStatus, VatTreatment, vat_breakdown
from booking.rules.messages import N_, Message, encode_reason
from booking.rules.permissions import Permission
from booking.rules.slots import real_duration
from booking.rules.tariff import decide_tariff
from booking.services.booking_answers import activity_of
from booking.services.houses import house_for, house_policy


def invoicing_of(house_id: int) -> HouseInvoicing | None:
    return db.session.get(HouseInvoicing, house_id)


def require_invoicing(house_id: int) -> HouseInvoicing:
    """The house's invoicing details, or a refusal that says where to fill them in."""
    settings = invoicing_of(house_id)
    if settings is None:
        raise RuleViolation(
            Message(
                N_(
                    "Dit huis heeft nog geen factuurgegevens. Vul eerst bij Instellingen → "
                    "Facturen de naam van de stichting, het adres, het KvK-nummer en de IBAN in."
                )
            ),
            code="geen_factuurgegevens",
        )
    return settings


def _load(invoice_id: int, *, for_update: bool = False) -> Invoice:
    query = (
        select(Invoice)
        .options(selectinload(Invoice.lines), selectinload(Invoice.payments))
        .where(Invoice.id == invoice_id)
    )
    if for_update:
        # A writer first (BEGIN IMMEDIATE on SQLite), then the row locked on PostgreSQL:
        # two clicks on "definitief", or two payments at once, see each other's result.
        begin_write()
        query = query.with_for_update(of=Invoice).execution_options(populate_existing=True)
    invoice = db.session.scalar(query)
    if invoice is None:
        raise NotFound(str(invoice_id))
    return invoice


def managed_invoice(actor: User, invoice_id: int, *, for_update: bool = False) -> Invoice:
    """An invoice the actor manages (beheerder of its house, gemeente); else 404. With
    `for_update`, read inside the write transaction that will change it."""
    invoice = _load(invoice_id, for_update=for_update)
    if not actor.can(Permission.manage_invoices, invoice.house_id):
        raise Forbidden(str(invoice_id))
    return invoice


def house_invoice(actor: User, slug: str, invoice_id: int) -> Invoice:
    """An invoice of the house in the address (the beheer pages) that the actor manages."""
    house = house_for(actor, slug, Permission.manage_invoices)
    invoice = managed_invoice(actor, invoice_id)
    if invoice.house_id != house.id:
        raise Forbidden(str(invoice_id))
    return invoice


def may_read(actor: User, invoice: Invoice) -> bool:
    """Managers read all of a house's invoices; a contact or person only finalised ones of
    their own organisation or name."""
    if actor.can(Permission.manage_invoices, invoice.house_id):
        return True
    if invoice.state is InvoiceStatus.concept:
        return False
    if invoice.organisation_id is not None:
        return invoice.organisation is not None and invoice.organisation.has_contact(actor)
    return invoice.person_id == actor.id


def readable_invoice(actor: User, invoice_id: int) -> Invoice:
    invoice = _load(invoice_id)
    if not may_read(actor, invoice):
        raise Forbidden(str(invoice_id))
    return invoice


def hours_hundredths(start: datetime, end: datetime) -> int:
    seconds = int(real_duration(start, end).total_seconds())
    return (seconds * 100 + 1800) // 3600


def tariff_reasons(booking: Booking) -> str:
    """Why the booking has its tariff group, as stored messages (shown in each reader's
    language): the beheerder's override reason, else the decision table's facts."""
    if booking.override_reason:
        return json.dumps([booking.override_reason], ensure_ascii=False)
    cap = house_policy(booking.room.house).contribution_cap_cents
    decision = decide_tariff(activity_of(booking), cap)
    return json.dumps([encode_reason(m) for m in decision.reasons], ensure_ascii=False)


def booking_line(booking: Booking, position: int) -> InvoiceLine:
    """The line a booking becomes, with the price frozen on the booking."""
    return InvoiceLine(
        position=position,
        kind="boeking",
        booking_id=booking.id,
        live=True,
        description=booking.title[:200],
        room_name=booking.room.name,
        start=booking.start,
        end=booking.end,
        hours_hundredths=hours_hundredths(booking.start, booking.end),
        tariff_group=booking.tariff_group,
        reasons=tariff_reasons(booking),
        # T4 pays more than the list price (T3): its line shows its own price, no discount.
        list_price_cents=max(booking.list_price_cents, booking.amount_cents),
        discount_cents=max(booking.list_price_cents - booking.amount_cents, 0),
        amount_cents=booking.amount_cents,
    )


def line_matches(line: InvoiceLine, booking: Booking) -> bool:
    """Whether the booking is still what the line charged for (time, room, amount)."""
    return (
        line.start == booking.start
        and line.end == booking.end
        and line.room_name == booking.room.name
        and line.amount_cents == booking.amount_cents
        and line.list_price_cents == max(booking.list_price_cents, booking.amount_cents)
    )


def recompute(invoice: Invoice, settings: HouseInvoicing) -> None:
    """A concept's totals from its lines and the house's VAT treatment of today; a credit
    note takes back VAT as its invoice charged it."""
    source = invoice.credits if invoice.credits_invoice_id else None
    if source is not None:
        invoice.vat_treatment = source.vat_treatment
        invoice.vat_rate_hundredths = source.vat_rate_hundredths
        btw_number = source.seller.get("btw", "")
    else:
        invoice.vat_treatment = settings.vat_treatment
        invoice.vat_rate_hundredths = settings.vat_rate_hundredths
        btw_number = settings.btw_number
    breakdown = vat_breakdown(
        [line.amount_cents for line in invoice.lines],
        VatTreatment(invoice.vat_treatment),
        invoice.vat_rate_hundredths,
        btw_number,
    )
    invoice.net_cents = sum(line.amount_cents for line in invoice.lines)
    invoice.tax_cents = sum(b.tax_cents for b in breakdown)
    invoice.total_cents = invoice.net_cents + invoice.tax_cents


def seller_of(settings: HouseInvoicing) -> dict[str, str]:
    return {
        "name": settings.legal_name,
        "street": settings.street,
        "postcode": settings.postcode,
        "city": settings.city,
        "country": "NL",
        "email": settings.email,
        "kvk": settings.kvk_number,
        "btw": settings.btw_number,
        "iban": settings.iban,
    }


def buyer_of(invoice: Invoice) -> dict[str, str]:
    """Who is invoiced, as it stands when finalising (later edits reach new invoices)."""
    organisation = invoice.organisation
    if organisation is not None:
        return {
            "name": organisation.name,
            "street": organisation.billing_street,
            "postcode": organisation.billing_postcode,
            "city": organisation.billing_city,
            "country": "NL",
            "email": organisation.billing_email
            or next((c.user.email for c in organisation.contacts), ""),
            "kvk": organisation.kvk_number or "",
        }
    person = invoice.person
    assert person is not None
    return {"name": person.name, "email": person.email, "country": "NL"}
