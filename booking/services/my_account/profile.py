"""The account's own details: name, organisation and preferred language.

The phone number has its own use case (services/phones.py), the e-mail address a
confirmed change (email_change.py). The audit log names the fields that changed, never
their values: the logboek is not a copy of anyone's personal data.
"""

from __future__ import annotations

from flask import current_app

from booking.database import begin_write
from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.services import audit

NAME_MAX = 120
ORGANISATION_MAX = 120


def _too_long(limit: int) -> Message:
    return Message(N_("Hoogstens %(n)s tekens."), {"n": limit})


def languages() -> tuple[str, ...]:
    """The languages a user may prefer: those the pages speak (config LANGUAGES)."""
    return tuple(current_app.config["LANGUAGES"])


def update_profile(actor: User, name: str, organisation: str, locale: str | None) -> list[str]:
    """Store the actor's details; returns the names of the fields that changed.

    `locale` None (or "") means: follow the browser's language.
    """
    name, organisation, locale = name.strip(), organisation.strip(), locale or None
    if not name:
        raise InvalidInput("name", N_("Vul uw naam in."))
    if len(name) > NAME_MAX:
        raise InvalidInput("name", _too_long(NAME_MAX))
    if len(organisation) > ORGANISATION_MAX:
        raise InvalidInput("organisation", _too_long(ORGANISATION_MAX))
    if locale is not None and locale not in languages():
        raise InvalidInput("locale", N_("Kies een taal uit de lijst."))
    begin_write()
    wanted = {"name": name, "organisation": organisation, "locale": locale}
    changed = [field for field, value in wanted.items() if getattr(actor, field) != value]
    for field in changed:
        setattr(actor, field, wanted[field])
    if changed:
        audit.record(
            AuditAction.profile_changed,
            AuditObject.user,
            actor.id,
            actor_id=actor.id,
            fields=changed,
        )
        db.session.flush()
    return changed
