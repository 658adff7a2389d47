"""Phone numbers of organisers and of residents booked for by staff: one rule, pure Python.

A phone number is optional everywhere; when one is given it must be one. Accepted are
Dutch numbers as people write them ("06 12345678", "0412-123456", "+31 6 1234 5678",
"0031 (0)412 123456") and international numbers with their country code ("+32 2 123 45 67",
"0049 30 1234567"). Spaces, dashes, dots, slashes and brackets are only layout.

What is stored is one plain form, so the same number typed twice is the same text:

- a Dutch number: the ten national digits, "0612345678" (how staff dial it);
- any other number: "+" and the digits, "+3221234567" (E.164, at most 15 digits).

A refusal raises `PhoneError` with a Dutch message (a msgid, translated at the edge).
"""

from __future__ import annotations

import re

from booking.rules.messages import N_, Message

PHONE_MAX = 40
"""The longest text accepted at all (the column's size): longer is refused unread."""

DUTCH_COUNTRY_CODE = "31"
DUTCH_NATIONAL_DIGITS = 9
"""Digits after the trunk 0 (or after +31) of every Dutch number, mobile or landline."""
INTERNATIONAL_MIN_DIGITS = 8
"""Country code and subscriber number together: fewer cannot be a reachable number."""
INTERNATIONAL_MAX_DIGITS = 15
"""E.164's limit, country code included."""

_LAYOUT = re.compile(r"[\s\-./()]")
_TRUNK_IN_BRACKETS = re.compile(r"^(\+|00)(\d{1,3})\s*\(0\)")

NOT_A_NUMBER = Message(
    N_(
        "Dit is geen telefoonnummer. Gebruik alleen cijfers, spaties, streepjes en eventueel "
        "een + vooraan, bijvoorbeeld 06 12345678 of +31 6 1234 5678."
    )
)
DUTCH_LENGTH = Message(
    N_("Een Nederlands telefoonnummer heeft 10 cijfers, bijvoorbeeld 06 12345678 of 0412 123456.")
)
INTERNATIONAL_LENGTH = Message(
    N_(
        "Een buitenlands telefoonnummer heeft de landcode en %(min)s tot %(max)s cijfers, "
        "bijvoorbeeld +32 2 123 45 67."
    ),
    {"min": INTERNATIONAL_MIN_DIGITS, "max": INTERNATIONAL_MAX_DIGITS},
)


class PhoneError(ValueError):
    """The text is not a phone number; `message` says why, in Dutch."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.template)
        self.message = message


def normalise_phone(text: str | None) -> str:
    """The stored form of a phone number, or "" for no number; `PhoneError` otherwise."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) > PHONE_MAX:
        raise PhoneError(NOT_A_NUMBER)
    text = _TRUNK_IN_BRACKETS.sub(r"\1\2", text)  # "+31 (0)6 …": the (0) is not dialled
    compact = _LAYOUT.sub("", text)
    international = compact.startswith(("+", "00"))
    digits = compact[1:] if compact.startswith("+") else compact
    if not digits.isascii() or not digits.isdigit():
        raise PhoneError(NOT_A_NUMBER)
    if international:
        digits = digits[2:] if compact.startswith("00") else digits
        if digits.startswith(DUTCH_COUNTRY_CODE):
            return _dutch(digits[len(DUTCH_COUNTRY_CODE) :])
        if digits.startswith("0") or not (
            INTERNATIONAL_MIN_DIGITS <= len(digits) <= INTERNATIONAL_MAX_DIGITS
        ):
            raise PhoneError(INTERNATIONAL_LENGTH)
        return "+" + digits
    if not digits.startswith("0"):
        raise PhoneError(DUTCH_LENGTH)
    return _dutch(digits[1:])


def _dutch(national: str) -> str:
    """Ten digits from the nine after the trunk 0 (a stray leading 0 after +31 is dropped)."""
    if len(national) == DUTCH_NATIONAL_DIGITS + 1 and national.startswith("0"):
        national = national[1:]
    if len(national) != DUTCH_NATIONAL_DIGITS or national.startswith("0"):
        raise PhoneError(DUTCH_LENGTH)
    return "0" + national
