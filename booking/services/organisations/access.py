"""Who may see and change an organisation, and the lists each actor sees.

A **contact** sees and changes their own organisations (`my_organisations`, the pages
under Mijn account). **Staff** with `Permission.manage_invoices` of a house (its
beheerder; a sociaal beheerder has no such right) see the organisations registered by that
house (`Organisation.house_id`) or with a booking in one of its rooms; the gemeente sees
all. Anything else is `Forbidden` (answered 404, like an organisation that does not exist).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import selectinload

from booking.errors import Forbidden, NotFound
from booking.extensions import db
from booking.models import Booking, House, Organisation, OrganisationContact, Room, User
from booking.rules.permissions import Permission
from booking.services.houses import house_for


def my_organisations(user: User) -> list[Organisation]:
    """The organisations the user is a contact of, by name."""
    return list(
        db.session.scalars(
            select(Organisation)
            .join(OrganisationContact)
            .where(OrganisationContact.user_id == user.id)
            .options(selectinload(Organisation.contacts))
            .order_by(Organisation.name, Organisation.id)
        )
    )


def _booked_in(house: House) -> Select[tuple[int | None]]:
    return (
        select(Booking.organisation_id)
        .join(Room, Room.id == Booking.room_id)
        .where(Room.house_id == house.id, Booking.organisation_id.is_not(None))
    )


def _seen_by_house(house: House) -> ColumnElement[bool]:
    return or_(Organisation.house_id == house.id, Organisation.id.in_(_booked_in(house)))


def staff_house(actor: User, slug: str) -> House:
    """The house whose organisations the actor may manage (its beheerder, the gemeente)."""
    return house_for(actor, slug, Permission.manage_invoices)


def house_organisations(actor: User, slug: str) -> tuple[House, list[Organisation]]:
    """The organisations the house's staff see; the gemeente sees every organisation."""
    house = staff_house(actor, slug)
    query = select(Organisation).options(selectinload(Organisation.contacts))
    if not actor.is_gemeente:
        query = query.where(_seen_by_house(house))
    return house, list(db.session.scalars(query.order_by(Organisation.name, Organisation.id)))


def _get(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id) if organisation_id > 0 else None
    if organisation is None:
        raise NotFound(organisation_id)
    return organisation


def own_organisation(actor: User, organisation_id: int) -> Organisation:
    """One of the actor's own organisations (they are a contact of it)."""
    organisation = _get(organisation_id)
    if not organisation.has_contact(actor):
        raise Forbidden(organisation_id)
    return organisation


def house_organisation(actor: User, slug: str, organisation_id: int) -> tuple[House, Organisation]:
    """An organisation the house's staff see (see the module), by its address."""
    house = staff_house(actor, slug)
    organisation = _get(organisation_id)
    if actor.is_gemeente:
        return house, organisation
    seen = db.session.scalar(
        select(Organisation.id).where(Organisation.id == organisation.id, _seen_by_house(house))
    )
    if seen is None:
        raise Forbidden(organisation_id)
    return house, organisation


def organisation_for(actor: User, organisation_id: int, slug: str | None) -> Organisation:
    """As a contact (`slug` None, the Mijn account pages) or as a house's staff."""
    if slug is None:
        return own_organisation(actor, organisation_id)
    return house_organisation(actor, slug, organisation_id)[1]
