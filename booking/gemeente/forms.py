"""Forms of the gemeente pages. They check format and presence with the same pure rules the
services check again (`rules/house_details.py`, `rules/cbs.py`, `rules/policy.py`), so a
problem shows next to its field with a 400; what only the database knows (a slug or CBS
code in use) comes back from the service as a 422."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional, ValidationError

from booking.beheer.forms import Euro, needed
from booking.forms import Form, email_address, one_line, required
from booking.i18n import say
from booking.rules import cbs, house_details
from booking.rules import policy as rules
from booking.rules.messages import Message
from booking.rules.phone import PhoneError, normalise_phone
from booking.services.gemeente import houses as house_service


class Rule:
    """A pure rule as a validator: `check(text)` returns a Message when the text breaks it.
    An empty field passes (whether it may be empty is another validator's business)."""

    def __init__(self, check: Callable[[str], Message | None]) -> None:
        self.check = check

    def __call__(self, form: Form, field: Field) -> None:
        text = (field.data or "").strip()
        problem = self.check(text) if text else None
        if problem is not None:
            raise ValidationError(say(problem))


def _phone(text: str) -> Message | None:
    try:
        normalise_phone(text)
    except PhoneError as error:
        return error.message
    return None


class HouseForm(Form):
    name = StringField(
        _l("Naam van het huis"),
        validators=[one_line(house_service.NAME_MAX), required(_l("Vul de naam van het huis in."))],
    )
    slug = StringField(
        _l("Webadres-naam"),
        validators=[one_line(house_details.SLUG_MAX), Rule(house_details.slug_problem)],
    )
    area_id = SelectField(_l("Wijk of kern"), validators=[required(_l("Kies een wijk of kern."))])
    address = StringField(_l("Adres"), validators=[one_line(house_service.ADDRESS_MAX)])
    contact_email = StringField(
        _l("E-mailadres"),
        validators=[one_line(house_service.EMAIL_MAX), Optional(), email_address()],
    )
    contact_phone = StringField(
        _l("Telefoonnummer"), validators=[one_line(house_service.PHONE_MAX), Rule(_phone)]
    )
    website = StringField(
        _l("Website"),
        validators=[one_line(house_details.WEBSITE_MAX), Rule(house_details.website_problem)],
    )
    stichting_name = StringField(
        _l("Naam van de stichting"), validators=[one_line(house_service.STICHTING_MAX)]
    )
    kvk_number = StringField(
        _l("KvK-nummer van de stichting"),
        validators=[one_line(20), Rule(house_details.kvk_problem)],
    )


class AreaForm(Form):
    name = StringField(
        _l("Naam"), validators=[one_line(80), required(_l("Vul de naam van de wijk of kern in."))]
    )
    kind = RadioField(
        _l("Soort"),
        choices=[
            SelectChoice("wijk", _l("wijk (van de stad)")),
            SelectChoice("kern", _l("kern (een dorp)")),
        ],
        validators=[required(_l("Kies wijk of kern."))],
    )
    cbs_code = StringField(_l("CBS-code"), validators=[one_line(40), Rule(cbs.code_problem)])
    cbs_year = IntegerField(
        _l("Jaar van de CBS-code"),
        validators=[
            Optional(),
            NumberRange(cbs.FIRST_YEAR, 2999, _l("Kies een jaar van %(min)s tot %(max)s.")),
        ],
    )
    vulnerable = BooleanField(_l("Kwetsbare wijk of kern (telt apart in de statistieken)"))
    served_by_id = SelectField(_l("Bediend door het huis"), default="")


def _bounded(name: str, label: str) -> IntegerField:
    bound = rules.BOUNDS[name]
    return IntegerField(
        label,
        validators=[
            needed(),
            NumberRange(bound.low, bound.high, _l("Kies een getal van %(min)s tot %(max)s.")),
        ],
    )


class PolicyForm(Form):
    """Every setting of `rules.BOUNDS`; the field is named like the setting."""

    factor_t1_percent = _bounded("factor_t1_percent", _l("T1 bewonersinitiatief (procent)"))
    factor_t2_percent = _bounded("factor_t2_percent", _l("T2 maatschappelijk (procent)"))
    factor_t3_percent = _bounded("factor_t3_percent", _l("T3 regulier (procent)"))
    factor_t4_percent = _bounded("factor_t4_percent", _l("T4 commercieel (procent)"))
    contribution_cap = StringField(
        _l("Grens voor een bescheiden eigen bijdrage (euro)"),
        validators=[one_line(20), Euro(rules.CAP_MAX_CENTS, optional=False)],
    )
    voorrangstermijn_days = _bounded("voorrangstermijn_days", _l("Voorrangstermijn (dagen)"))
    booking_horizon_months = _bounded(
        "booking_horizon_months", _l("Boekingshorizon (maanden vooruit)")
    )
    request_expiry_days = _bounded("request_expiry_days", _l("Een aanvraag vervalt na (dagen)"))
    visit_retention_months = _bounded("visit_retention_months", _l("Bezoeken bewaren (maanden)"))
    booking_retention_years = _bounded(
        "booking_retention_years", _l("Persoonsgegevens van boekingen bewaren (jaren)")
    )
    account_inactivity_months = _bounded(
        "account_inactivity_months", _l("Ongebruikte accounts verwijderen na (maanden)")
    )
    burst_kiosk = _bounded("burst_kiosk", _l("Per kiosk"))
    burst_tablet = _bounded("burst_tablet", _l("Tikken op de tablet, per ruimte"))
    burst_qr = _bounded("burst_qr", _l("QR-codes met de telefoon, per ruimte"))
    burst_poster = _bounded("burst_poster", _l("Posters, per ruimte"))

    def factor_fields(self) -> list[Field]:
        return [self[f"factor_{group.lower()}_percent"] for group in rules.GROUPS]

    def burst_fields(self) -> list[Field]:
        return [self.burst_kiosk, self.burst_tablet, self.burst_qr, self.burst_poster]


class ConfirmForm(Form):
    """A confirmation button: only its CSRF token."""
