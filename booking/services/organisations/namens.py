"""The organisation a booking is made on behalf of ("namens", DESIGN section 14).

Only a contact books namens an organisation; anyone else is answered as if it did not
exist (404), so the API cannot be used to find organisations. The questionnaire still
decides the tariff group and the voorrang: the organisation is only who is invoiced.
"""

from __future__ import annotations

from booking.models import Organisation, User
from booking.services.organisations.access import own_organisation


def booking_organisation(organiser: User, organisation_id: int | None) -> Organisation | None:
    """The organisation to store on the booking, or None to book for oneself."""
    if organisation_id is None:
        return None
    return own_organisation(organiser, organisation_id)
