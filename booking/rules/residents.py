"""A resident booked for by staff (DESIGN section 13): who phoned or walked in, no account.

The booking's organiser is then the staff member; the resident's name, and optionally a
phone number and an e-mail address for the confirmation, are kept on the booking and shown
to the house's staff only. Pure: the checks here are what every caller must pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from booking.rules.messages import N_, Message
from booking.rules.phone import PhoneError, normalise_phone
from booking.rules.text import clean_text

NAME_MAX = 120
EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Resident:
    """Name (required), phone ("" or normalised) and e-mail ("" or an address)."""

    name: str
    phone: str = ""
    email: str = ""


class ResidentError(ValueError):
    """One field of the resident is wrong: which (`name`, `phone`, `email`) and why."""

    def __init__(self, field: str, message: Message) -> None:
        super().__init__(message.template)
        self.field = field
        self.message = message


def check_resident(name: str | None, phone: str | None, email: str | None) -> Resident:
    """The resident as stored, or `ResidentError` for the first field that is wrong."""
    cleaned = clean_text(name or "", max_length=NAME_MAX)
    if isinstance(cleaned, Message):
        raise ResidentError("name", cleaned)
    if not cleaned.strip():
        raise ResidentError("name", Message(N_("Vul de naam van de bewoner in.")))
    try:
        number = normalise_phone(phone)
    except PhoneError as error:
        raise ResidentError("phone", error.message) from error
    address = (email or "").strip()
    if address and (len(address) > EMAIL_MAX or not _EMAIL.match(address)):
        raise ResidentError(
            "email", Message(N_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."))
        )
    return Resident(cleaned.strip(), number, address)
