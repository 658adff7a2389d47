"""The form staff fill in when they book for a resident: the resident booking form (same
questionnaire, same times, same repetition), plus the room and who the resident is."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TelField
from wtforms.validators import Optional, ValidationError

from booking.forms import email_address, one_line, required
from booking.i18n import say
from booking.rooms.forms import BookingForm
from booking.rules.phone import PhoneError, normalise_phone
from booking.rules.residents import EMAIL_MAX, NAME_MAX


class OnBehalfForm(BookingForm):
    """One booking or a series in a room of the house, for a resident."""

    room = SelectField(_l("Ruimte"), validators=[required(_l("Kies een ruimte."))])
    resident_name = StringField(
        _l("Naam van de bewoner"),
        validators=[one_line(NAME_MAX), required(_l("Vul de naam van de bewoner in."))],
    )
    resident_phone = TelField(
        _l("Telefoonnummer (niet verplicht)"), validators=[one_line(40), Optional()]
    )
    resident_email = EmailField(
        _l("E-mailadres voor de bevestiging (niet verplicht)"),
        validators=[one_line(EMAIL_MAX), Optional(), email_address()],
    )

    def validate_resident_phone(self, field: StringField) -> None:
        try:
            field.data = normalise_phone(field.data)
        except PhoneError as error:
            raise ValidationError(say(error.message)) from error
