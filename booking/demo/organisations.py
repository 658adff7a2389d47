"""The demo's organisation: Zangkoor Vocalis, whose secretary (vereniging@) books its
rehearsals namens the choir. Get-or-create, so loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select, update

from booking.extensions import db
from booking.models import Booking, Organisation, OrganisationContact
from booking.services import accounts

CHOIR_NAME = "Zangkoor Vocalis"
REHEARSAL = "Repetitie Zangkoor Vocalis"


def load_demo_organisation(domain: str) -> Organisation | None:
    secretary = accounts.find_user(f"vereniging@{domain}")
    if secretary is None:
        return None
    choir = db.session.scalar(select(Organisation).where(Organisation.name == CHOIR_NAME))
    if choir is None:
        choir = Organisation(
            name=CHOIR_NAME,
            kind="vereniging",
            kvk_number="40213527",
            billing_street="Kruisstraat 12",
            billing_postcode="5341 HK",
            billing_city="Oss",
            billing_email=f"penningmeester@{domain}",
        )
        choir.contacts.append(OrganisationContact(user_id=secretary.id))
        db.session.add(choir)
        db.session.flush()
    db.session.execute(
        update(Booking)
        .where(
            Booking.organiser_id == secretary.id,
            Booking.title == REHEARSAL,
            Booking.organisation_id.is_(None),
        )
        .values(organisation_id=choir.id)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return choir
