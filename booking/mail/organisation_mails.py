"""What a person hears when they become a contact of an organisation (issue 13).

Rendered in the recipient's language (Dutch unless their account says otherwise).
"""

from __future__ import annotations

from booking.mail.outbox import queue_mail
from booking.models import Organisation, User
from booking.urls import public_url


def queue_contact_added(user: User, organisation: Organisation, *, added_by: User) -> None:
    """The new contact may now book namens the organisation; the link shows their list."""
    queue_mail(
        "organisation_contact_added",
        user.email,
        template="organisation_contact",
        locale=user.locale or "nl",
        user=user,
        organisation=organisation.name,
        added_by=added_by.name,
        link=public_url("accounts.my_organisations"),
    )
