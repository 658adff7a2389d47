"""The organisation form (Mijn account and beheer share it) and the contact form.

The forms check presence, length and shape; the service (services/organisations) checks
again and stores. Labels are Dutch msgids, translated lazily.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from booking.errors import InvalidInput, RuleViolation
from booking.forms import Form, email_address, one_line, required
from booking.i18n import say
from booking.rules.messages import N_, Message
from booking.rules.organisations import KIND_LABELS, OrganisationKind
from booking.rules.registry_numbers import normalise_kvk
from booking.services.organisations.details import KVK_WRONG, LIMITS, OrganisationInput


class OrganisationForm(Form):
    name = StringField(
        _l("Naam van de organisatie"), validators=[one_line(LIMITS["name"]), required()]
    )
    kind = SelectField(
        _l("Soort organisatie"),
        choices=[SelectChoice(k.value, _l(KIND_LABELS[k])) for k in OrganisationKind],
        validators=[required(_l("Kies wat voor organisatie het is."))],
    )
    kvk_number = StringField(_l("KvK-nummer (niet verplicht)"), validators=[one_line(20)])
    billing_street = StringField(
        _l("Factuuradres: straat en huisnummer"), validators=[one_line(LIMITS["billing_street"])]
    )
    billing_postcode = StringField(
        _l("Postcode"), validators=[one_line(LIMITS["billing_postcode"])]
    )
    billing_city = StringField(_l("Plaats"), validators=[one_line(LIMITS["billing_city"])])
    billing_email = EmailField(
        _l("E-mailadres voor facturen (niet verplicht)"),
        validators=[one_line(LIMITS["billing_email"]), Optional(), email_address()],
    )

    def validate_kvk_number(self, field: StringField) -> None:
        if (field.data or "").strip() and normalise_kvk(field.data) is None:
            raise ValidationError(_l(KVK_WRONG))

    def organisation_input(self) -> OrganisationInput:
        return OrganisationInput(
            name=self.name.data or "",
            kind=self.kind.data or "",
            kvk_number=self.kvk_number.data or "",
            billing_street=self.billing_street.data or "",
            billing_postcode=self.billing_postcode.data or "",
            billing_city=self.billing_city.data or "",
            billing_email=self.billing_email.data or "",
        )


class ContactForm(Form):
    email = EmailField(
        _l("E-mailadres van de nieuwe contactpersoon"),
        validators=[one_line(254), required(), email_address()],
    )


class ButtonForm(Form):
    """A form of one button (remove a contact): its CSRF token is the whole point."""


def require_button() -> None:
    """A remove button sends only its CSRF token; without it the request is malformed."""
    if not ButtonForm().validate_on_submit():
        raise InvalidInput("csrf_token", Message(N_("Het formulier is onvolledig verstuurd.")))


def show_refusal(form: Form, error: InvalidInput | RuleViolation) -> None:
    """The service's refusal next to the field it is about (else the form's main field)."""
    messages = error.problems if isinstance(error, RuleViolation) else [error.message]
    name = error.field if error.field in form else ("email" if "email" in form else "name")
    form[name].errors = [say(m) for m in messages]
