"""Shared form building blocks with Dutch messages."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import CombinedMultiDict
from wtforms import Field
from wtforms.validators import DataRequired, Email, Length, StopValidation

from booking.i18n import say
from booking.rules.messages import Message
from booking.rules.text import check_secret, clean_text, printable_text


class Form(FlaskForm):
    """Every form of the site: filled from the posted form fields only.

    Flask-WTF would also fill a form from a JSON body, where a field can be a number, a
    list or an object instead of text, past every validator that expects text (a 500, or
    a number stored as a name). Pages take forms; JSON is for the API.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is not _Auto:
                return formdata  # given explicitly
            if not _is_submitted():
                return None
            if request.files:
                return CombinedMultiDict((request.files, request.form))
            return request.form


def required(message: str | None = None) -> DataRequired:
    return DataRequired(message=message or _l("Dit veld is verplicht."))


def email_address() -> Email:
    return Email(
        message=_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
        check_deliverability=False,
    )


def max_length(n: int) -> Length:
    return Length(max=n, message=_l("Hoogstens %(n)s tekens.", n=n))


class UserText:
    """The one rule for user text (booking.rules.text) as a WTForms validator.

    Put it first in a field's validators: it replaces the data by the clean text (NFC, bidi
    controls removed), so `required()` and the services see what will be stored. A refused
    text stops the chain with the Dutch reason, and the page shows the text back without
    the refused characters.
    """

    def __init__(self, max_length: int, *, multiline: bool = False) -> None:
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, form: object, field: Field) -> None:
        if not isinstance(field.data, str):
            return
        result = clean_text(field.data, max_length=self.max_length, multiline=self.multiline)
        if isinstance(result, Message):
            field.data = printable_text(field.data, multiline=self.multiline)
            raise StopValidation(say(result))
        field.data = result


class Secret:
    """A password field: refused only for what cannot be hashed (see `check_secret`)."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, form: object, field: Field) -> None:
        if not isinstance(field.data, str):
            return
        result = check_secret(field.data, max_length=self.max_length)
        if isinstance(result, Message):
            field.data = ""
            raise StopValidation(say(result))


def one_line(n: int) -> UserText:
    """A single-line text field of at most `n` characters."""
    return UserText(n)


def lines(n: int) -> UserText:
    """A multi-line text field (TAB and line breaks allowed) of at most `n` characters."""
    return UserText(n, multiline=True)


def secret(n: int) -> Secret:
    return Secret(n)


def in_calendar(form: object, field: Field) -> None:
    """A date (or date and time) field: only days in booking.rules.dates' window, so a
    year 1 or 9999 never reaches a week view, a closure or the database."""
    from booking.rules import dates

    value = field.data
    if value is not None and not dates.in_range(value):
        raise StopValidation(say(dates.OUT_OF_RANGE))
