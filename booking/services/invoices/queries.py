"""Which invoices an actor sees: a house's for its managers, every house's for the
gemeente, and the finalised ones of their own organisations (or their own name) for a
contact. Filters by house, status and month; a filter naming a house the actor does not
manage is answered 404 like every other object that is not theirs."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import Invoice, OrganisationContact, User
from booking.rules.invoices import InvoiceStatus
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.services.houses import house_for
from booking.services.invoicing import parse_month

MAX_LISTED = 500


def list_invoices(
    actor: User, *, house_slug: str | None, status: str | None, month: str | None
) -> list[Invoice]:
    query = select(Invoice).options(selectinload(Invoice.house), selectinload(Invoice.lines))
    if status:
        if status not in {s.value for s in InvoiceStatus}:
            raise InvalidInput(
                "status",
                Message(
                    N_("Onbekende status; kies uit %(choices)s."),
                    {"choices": ", ".join(s.value for s in InvoiceStatus)},
                ),
            )
        query = query.where(Invoice.status == status)
    if month:
        try:
            query = query.where(Invoice.period_month == str(parse_month(month.strip())))
        except ValueError as error:
            raise InvalidInput(
                "month", Message(N_("Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-12."))
            ) from error
    if house_slug:
        house = house_for(actor, house_slug, Permission.manage_invoices)
        query = query.where(Invoice.house_id == house.id)
    else:
        managed = actor.house_ids_with(Permission.manage_invoices)
        own = or_(
            Invoice.person_id == actor.id,
            Invoice.organisation_id.in_(
                select(OrganisationContact.organisation_id).where(
                    OrganisationContact.user_id == actor.id
                )
            ),
        )
        readable = own & (Invoice.status != InvoiceStatus.concept.value)
        if managed is not None:
            query = query.where(or_(Invoice.house_id.in_(managed), readable))
    return list(db.session.scalars(query.order_by(Invoice.id.desc()).limit(MAX_LISTED)))
