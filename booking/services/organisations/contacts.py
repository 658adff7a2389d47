"""The contact persons of an organisation: add one by e-mail, remove one (not the last).

Adding an address **with an account** makes that person a contact at once; they get a
short mail through the outbox (an account still waiting for its invitation does not: it
hears about its invitation first). An address **without an account** is refused with the
advice to make one first: the invitations of `services/people/` make staff accounts (a
role in a house) and refuse the initiatiefnemer, so they cannot invite a contact; a
deactivated or deleted account is refused the same way. A contact or the staff who see the
organisation may add and remove contacts; the last contact stays, so someone can always
act for the organisation.
"""

from __future__ import annotations

from datetime import datetime

from booking.database import begin_write
from booking.errors import InvalidInput, NotFound, RuleViolation
from booking.extensions import db
from booking.mail import organisation_mails
from booking.models import Organisation, OrganisationContact, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.staff_roles import PENDING_PASSWORD
from booking.services import audit
from booking.services.accounts import find_user, normalise_email
from booking.services.organisations.access import organisation_for

EMAIL_MAX = 254
NO_ACCOUNT = N_(
    "Er is geen account met dit e-mailadres. Vraag deze persoon eerst een account te maken "
    "(via Registreren) en voeg het adres daarna opnieuw toe."
)
LAST_CONTACT = N_(
    "Dit is de laatste contactpersoon. Voeg eerst iemand anders toe; daarna kan deze weg."
)


def add_contact(
    actor: User, organisation_id: int, email: str, now: datetime, *, slug: str | None = None
) -> User:
    """Make the account with this address a contact; returns it."""
    address = normalise_email(email or "")
    if not address or len(address) > EMAIL_MAX or "@" not in address.strip("@"):
        raise InvalidInput(
            "email", N_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
        )
    begin_write()
    organisation = organisation_for(actor, organisation_id, slug)
    user = find_user(address)
    if user is None or not user.active or user.deleted_at is not None:
        raise RuleViolation(NO_ACCOUNT, "email", code="geen_account")
    if organisation.has_contact(user):
        raise RuleViolation(
            Message(N_("%(email)s is al contactpersoon."), {"email": user.email}), "email"
        )
    organisation.contacts.append(OrganisationContact(user_id=user.id, created_at=now))
    db.session.flush()
    audit.record(
        AuditAction.organisation_contact_added,
        AuditObject.organisation,
        organisation.id,
        actor_id=actor.id,
        house_id=organisation.house_id,
        contact_id=user.id,
    )
    if user.password_hash != PENDING_PASSWORD:
        organisation_mails.queue_contact_added(user, organisation, added_by=actor)
    return user


def remove_contact(
    actor: User, organisation_id: int, user_id: int, *, slug: str | None = None
) -> Organisation:
    """Take a contact off the organisation (a contact may also take themselves off)."""
    begin_write()
    organisation = organisation_for(actor, organisation_id, slug)
    contact = _contact(organisation, user_id)
    if len(organisation.contacts) <= 1:
        raise RuleViolation(LAST_CONTACT, "contact", code="laatste_contactpersoon")
    organisation.contacts.remove(contact)
    db.session.flush()
    audit.record(
        AuditAction.organisation_contact_removed,
        AuditObject.organisation,
        organisation.id,
        actor_id=actor.id,
        house_id=organisation.house_id,
        contact_id=user_id,
    )
    return organisation


def _contact(organisation: Organisation, user_id: int) -> OrganisationContact:
    for contact in organisation.contacts:
        if contact.user_id == user_id:
            return contact
    raise NotFound(user_id)
