"""Register an organisation and change its details, checked before anything is stored.

The name is required, the kind one of `OrganisationKind`; the KvK number is optional but,
when given, must be eight digits (`normalise_kvk`); the billing e-mail is optional but must
be an address (email-validator, as the forms check it); street, postcode and city are short
single lines. Every problem is refused at once, with the field it is about, and nothing is
stored. A user who registers one becomes its first contact; a house's staff register one
for their house (`Organisation.house_id`), so they see it before its first booking.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from email_validator import EmailNotValidError, validate_email

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import Organisation, OrganisationContact, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.organisations import OrganisationKind
from booking.rules.registry_numbers import normalise_kvk
from booking.rules.text import clean_text
from booking.services import audit
from booking.services.organisations.access import organisation_for, staff_house

LIMITS = {
    "name": 120,
    "billing_street": 120,
    "billing_postcode": 10,
    "billing_city": 80,
    "billing_email": 254,
}
KVK_WRONG = N_("Een KvK-nummer heeft acht cijfers, bijvoorbeeld 12345678.")
EMAIL_WRONG = N_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")


@dataclass(frozen=True)
class OrganisationInput:
    """What the form or the API sends; every field as typed."""

    name: str
    kind: str
    kvk_number: str = ""
    billing_street: str = ""
    billing_postcode: str = ""
    billing_city: str = ""
    billing_email: str = ""


Problems = list[tuple[str, Message]]


def _text(field: str, value: str, problems: Problems) -> str:
    cleaned = clean_text((value or "").strip(), max_length=LIMITS[field])
    if isinstance(cleaned, Message):
        problems.append((field, cleaned))
        return ""
    return cleaned


def checked(data: OrganisationInput) -> tuple[dict[str, object], Problems]:
    """The values to store, and every problem (field, message) with them."""
    problems: Problems = []
    values: dict[str, object] = {
        field: _text(field, getattr(data, field), problems) for field in LIMITS
    }
    if not values["name"] and not any(f == "name" for f, _m in problems):
        problems.append(("name", Message(N_("Vul de naam van de organisatie in."))))
    if data.kind not in {k.value for k in OrganisationKind}:
        problems.append(("kind", Message(N_("Kies wat voor organisatie het is."))))
    values["kind"] = data.kind
    kvk = None
    if (data.kvk_number or "").strip():
        kvk = normalise_kvk(data.kvk_number)
        if kvk is None:
            problems.append(("kvk_number", Message(KVK_WRONG)))
    values["kvk_number"] = kvk
    email = str(values["billing_email"])
    if email:
        try:
            values["billing_email"] = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            problems.append(("billing_email", Message(EMAIL_WRONG)))
    return values, problems


def _refuse(problems: Problems) -> None:
    if problems:
        raise RuleViolation([message for _field, message in problems], field=problems[0][0])


def create_organisation(
    actor: User, data: OrganisationInput, *, slug: str | None = None
) -> Organisation:
    """A user registers their organisation (and is its first contact); with `slug`, a
    house's staff register one for that house."""
    begin_write()
    house = staff_house(actor, slug) if slug is not None else None
    values, problems = checked(data)
    _refuse(problems)
    organisation = Organisation(**values, house_id=house.id if house else None)
    if house is None:
        organisation.contacts.append(OrganisationContact(user_id=actor.id))
    db.session.add(organisation)
    db.session.flush()
    audit.record(
        AuditAction.organisation_created,
        AuditObject.organisation,
        organisation.id,
        actor_id=actor.id,
        house_id=house.id if house else None,
    )
    return organisation


def update_organisation(
    actor: User, organisation_id: int, data: OrganisationInput, *, slug: str | None = None
) -> list[str]:
    """Its contacts, or staff who see it (`slug`), change the details; returns the fields
    that changed (the logboek names them, not their values)."""
    begin_write()
    organisation = organisation_for(actor, organisation_id, slug)
    values, problems = checked(data)
    _refuse(problems)
    changed = [name for name, value in values.items() if getattr(organisation, name) != value]
    for name in changed:
        setattr(organisation, name, values[name])
    if changed:
        audit.record(
            AuditAction.organisation_updated,
            AuditObject.organisation,
            organisation.id,
            actor_id=actor.id,
            house_id=organisation.house_id,
            fields=changed,
        )
        db.session.flush()
    return changed


def input_of(organisation: Organisation) -> OrganisationInput:
    """The stored details as the form shows them."""
    return OrganisationInput(
        name=organisation.name,
        kind=organisation.kind,
        kvk_number=organisation.kvk_number or "",
        billing_street=organisation.billing_street,
        billing_postcode=organisation.billing_postcode,
        billing_city=organisation.billing_city,
        billing_email=organisation.billing_email,
    )


def as_dict(data: OrganisationInput) -> dict[str, str]:
    return asdict(data)
