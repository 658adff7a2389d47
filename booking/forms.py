"""Shared form building blocks with Dutch messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, Length


def required(message: str | None = None) -> DataRequired:
    return DataRequired(message=message or _l("Dit veld is verplicht."))


def email_address() -> Email:
    return Email(
        message=_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        check_deliverability=False,
    )


def max_length(n: int) -> Length:
    return Length(max=n, message=_l("Hoogstens %(n)s tekens.", n=n))
