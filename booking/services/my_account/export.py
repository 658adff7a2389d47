"""Download my data: everything the product keeps about the actor, as one JSON document.

The AVG's right of access (art. 15) and to data portability (art. 20): the account, the
house roles, the bookings the actor made, the organisations it is a contact of, the
invoices addressed to it, the calendar links, the host notes written, the API tokens and
the open sessions. Secrets are never in it (password hash, token and feed
hashes), and neither are other people's data: a booking made for a resident says so, but
not the resident's name, phone or address.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from booking.extensions import db
from booking.models import (
    ApiToken,
    Booking,
    FeedToken,
    HostNote,
    House,
    Invoice,
    OrganisationContact,
    Room,
    User,
)
from booking.services.my_account.sessions import open_sessions

FORMAT_VERSION = 1


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "phone": user.phone,
        "organisation": user.organisation,
        "preferred_language": user.locale,
        "role": user.role,
        "request_mail": user.request_mail,
        "created_at": _when(user.created_at),
        "house_roles": [
            {"house": m.house.slug, "house_name": m.house.name, "role": m.role}
            for m in sorted(user.memberships, key=lambda m: (m.house.slug, m.role))
        ],
    }


def _booking(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.id,
        "house": booking.room.house.slug,
        "room_id": booking.room_id,
        "room": booking.room.name,
        "title": booking.title,
        "public": booking.public,
        "start": _when(booking.start),
        "end": _when(booking.end),
        "status": booking.status.value,
        "tariff_group": booking.tariff_group,
        "priority_class": booking.priority_class,
        "amount_cents": booking.amount_cents,
        "list_price_cents": booking.list_price_cents,
        "series_id": booking.series_id,
        "for_resident": booking.is_on_behalf,
        "on_behalf_of_organisation_id": booking.organisation_id,
        "activity": {
            "organiser_kind": booking.organiser_kind,
            "open_to_all": booking.open_to_all,
            "membership_required": booking.membership_required,
            "contribution_cents": booking.contribution_cents,
            "profit_making": booking.profit_making,
            "subsidised": booking.subsidised,
            "mainly_meeting": booking.mainly_meeting,
            "gives_in_return": booking.gives_in_return,
        },
        "created_at": _when(booking.created_at),
        "updated_at": _when(booking.updated_at),
    }


def _feeds(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(FeedToken, House.slug, Room.name)
        .outerjoin(House, House.id == FeedToken.house_id)
        .outerjoin(Room, Room.id == FeedToken.room_id)
        .where(FeedToken.owner_id == user.id)
        .order_by(FeedToken.created_at, FeedToken.id)
    ).all()
    return [
        {
            "id": feed.id,
            "scope": feed.scope,
            "house": slug,
            "room_id": feed.room_id,
            "room": room,
            "label": feed.label,
            "created_at": _when(feed.created_at),
            "revoked_at": _when(feed.revoked_at),
        }
        for feed, slug, room in rows
    ]


def _notes(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(HostNote, House.slug)
        .join(House, House.id == HostNote.house_id)
        .where(HostNote.author_id == user.id)
        .order_by(HostNote.day, HostNote.id)
    ).all()
    return [
        {
            "id": note.id,
            "house": slug,
            "day": note.day.isoformat(),
            "booking_id": note.booking_id,
            "text": note.text,
            "created_at": _when(note.created_at),
        }
        for note, slug in rows
    ]


def _organisations(user: User) -> list[dict[str, Any]]:
    """The organisations the actor is a contact of: the actor's link to them is theirs."""
    contacts = db.session.scalars(
        select(OrganisationContact)
        .where(OrganisationContact.user_id == user.id)
        .options(joinedload(OrganisationContact.organisation))
        .order_by(OrganisationContact.organisation_id)
    ).all()
    return [
        {
            "id": c.organisation.id,
            "name": c.organisation.name,
            "kind": c.organisation.kind,
            "kvk_number": c.organisation.kvk_number,
            "billing_email": c.organisation.billing_email,
            "contact_since": _when(c.created_at),
        }
        for c in contacts
    ]


def _invoices(user: User) -> list[dict[str, Any]]:
    """Numbered invoices addressed to the actor as a person (an organisation's are its)."""
    invoices = db.session.scalars(
        select(Invoice)
        .where(Invoice.person_id == user.id, Invoice.number.is_not(None))
        .order_by(Invoice.year, Invoice.sequence)
    ).all()
    return [
        {
            "number": i.number,
            "kind": i.kind,
            "status": i.status,
            "issue_date": i.issue_date.isoformat() if i.issue_date else None,
            "total_cents": i.total_cents,
            "paid_cents": i.paid_cents,
        }
        for i in invoices
    ]


def my_data(actor: User, session_key: object, now: datetime) -> dict[str, Any]:
    """The actor's data as plain JSON values (ISO 8601 times in UTC, money in cents)."""
    bookings = db.session.scalars(
        select(Booking)
        .where(Booking.organiser_id == actor.id)
        .options(joinedload(Booking.room).joinedload(Room.house))
        .order_by(Booking.start, Booking.id)
    ).all()
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id)
    ).all()
    return {
        "format": "buurthuis-mijn-gegevens",
        "version": FORMAT_VERSION,
        "exported_at": _when(now),
        "account": _account(actor),
        "bookings": [_booking(b) for b in bookings],
        "organisations": _organisations(actor),
        "invoices": _invoices(actor),
        "feeds": _feeds(actor),
        "host_notes": _notes(actor),
        "api_tokens": [
            {"id": t.id, "created_at": _when(t.created_at), "revoked_at": _when(t.revoked_at)}
            for t in tokens
        ],
        "sessions": [
            {
                "created_at": _when(s.created_at),
                "last_seen_at": _when(s.last_seen_at),
                "this_session": s.is_this_one,
            }
            for s in open_sessions(actor, session_key, now)
        ],
    }
