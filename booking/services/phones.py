"""An organiser's own phone number: optional, and shown to the staff of the houses where
they book only (the beheer booking page, the day sheet) — never on public pages, in feeds
or the API, or to other residents."""

from __future__ import annotations

from booking.errors import InvalidInput
from booking.models import User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.phone import PhoneError, normalise_phone
from booking.services import audit

PHONE_FIELD = "phone"


def set_own_phone(actor: User, text: str | None) -> str:
    """Store the actor's phone number in its one plain form ("" removes it)."""
    try:
        number = normalise_phone(text)
    except PhoneError as error:
        raise InvalidInput(PHONE_FIELD, error.message) from error
    if number != actor.phone:
        actor.phone = number
        audit.record(
            AuditAction.phone_changed,
            AuditObject.user,
            actor.id,
            actor_id=actor.id,
            removed=not number,
        )
    return number
