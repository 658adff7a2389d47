"""Forms of the invoicing pages. They read text; the invoicing services check the rules,
so a form with several mistakes shows them all at once (DESIGN §14)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Field, RadioField, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from booking.beheer.forms import options
from booking.forms import Form, email_address, in_calendar, one_line
from booking.rules.invoices import STATUS_LABELS, InvoiceStatus
from booking.rules.money import parse_euro
from booking.services.invoices.credits import MAX_REASON

INVALID = -1
"""What an unreadable number becomes: out of every range, so the service names the field."""
_PERCENT = re.compile(r"(\d{1,3})(?:[,.](\d{1,2}))?\s*%?")


def hundredths_of_percent(text: str | None) -> int:
    """ "21" → 2100, "9" → 900, "5,5" → 550; empty → 0; unreadable → INVALID."""
    match = _PERCENT.fullmatch((text or "").strip())
    if not (text or "").strip():
        return 0
    if match is None:
        return INVALID
    return int(match[1]) * 100 + int((match[2] or "0").ljust(2, "0"))


def whole(text: str | None, *, empty: int | None = None) -> int | None:
    """A whole number typed in a text field; `empty` when left empty; INVALID otherwise."""
    body = (text or "").strip()
    if not body:
        return empty
    return int(body) if body.isdigit() and len(body) < 7 else INVALID


def readable_euro(form: Form, field: Field) -> None:
    try:
        parse_euro(field.data or "")
    except ValueError as error:
        raise ValidationError(_l("Vul een bedrag in, bijvoorbeeld 35,00.")) from error


class InvoiceFilterForm(Form):
    """The filters of the invoice list; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        default="",
        choices=options(
            [("", _l("Alle statussen"))] + [(s.value, STATUS_LABELS[s]) for s in InvoiceStatus]
        ),
        validators=[Optional()],
    )
    maand = StringField(_l("Maand (JJJJ-MM)"), validators=[one_line(7)])


class RunForm(Form):
    month = StringField(_l("Maand (JJJJ-MM)"), validators=[one_line(7)])


class PaymentForm(Form):
    amount = StringField(_l("Bedrag"), validators=[one_line(20), readable_euro])
    paid_on = DateField(_l("Betaald op"), validators=[in_calendar])


class CreditForm(Form):
    reason = StringField(
        _l("Reden (komt op de creditfactuur)"),
        validators=[one_line(MAX_REASON)],
        id="credit-reden",
    )


class InvoicingForm(Form):
    legal_name = StringField(_l("Naam van de stichting"), validators=[one_line(160)])
    street = StringField(_l("Straat en huisnummer"), validators=[one_line(120)])
    postcode = StringField(_l("Postcode"), validators=[one_line(10)])
    city = StringField(_l("Plaats"), validators=[one_line(80)])
    kvk_number = StringField(_l("KvK-nummer"), validators=[one_line(20)])
    btw_number = StringField(_l("Btw-nummer (niet verplicht)"), validators=[one_line(20)])
    iban = StringField(_l("IBAN"), validators=[one_line(42)])
    payment_term_days = StringField(_l("Betaaltermijn (dagen)"), validators=[one_line(6)])
    number_prefix = StringField(_l("Voorvoegsel van het factuurnummer"), validators=[one_line(10)])
    vat_treatment = RadioField(
        _l("Btw"),
        default="vrijgesteld",
        validate_choice=False,  # the service names a wrong choice with the other problems
        choices=options(
            [
                ("vrijgesteld", _l("Vrijgesteld: zaalverhuur zonder btw")),
                ("belast", _l("Belast: het huis rekent btw")),
            ]
        ),
    )
    vat_rate = StringField(_l("Btw-tarief (procent)"), validators=[one_line(8)])
    late_cancel_free_days = StringField(
        _l("Annuleren is gratis tot zoveel dagen vooraf"), validators=[one_line(6)]
    )
    late_cancel_percent = StringField(
        _l("Daarna rekent het huis (procent van het bedrag)"), validators=[one_line(6)]
    )
    email = StringField(
        _l("E-mailadres voor facturen"), validators=[one_line(254), Optional(), email_address()]
    )
