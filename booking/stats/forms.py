"""Forms of the statistics pages. Filters are GET forms (no CSRF: they change nothing);
the host note is a POST form with a CSRF token.

Dates are read by `booking.rules.periods.read_day` rather than WTForms' DateField, so a
typo, a day that does not exist and a year like 9999 all get one clear Dutch message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import DateInput

from booking.forms import Form, lines, one_line, required
from booking.i18n import say
from booking.rules.numbers import parse_whole_number
from booking.rules.periods import Period, period_problem, read_day
from booking.services.host_notes import NOTE_MAX
from booking.services.reach import make_period, parse_day


class DayField(StringField):
    """A date input (the browser's date picker) whose text the service parses."""

    widget = DateInput()

    def day(self) -> date | None:
        """The date, once validated; None when left empty."""
        text = (self.data or "").strip()
        return parse_day(text, "") if text else None


def valid_day(form: Form, field: Field) -> None:
    text = (field.data or "").strip()
    if not text:
        return
    found = read_day(text, str(field.label.text))
    if not isinstance(found, date):
        raise ValidationError(say(found))


def whole_number_or_empty(form: Form, field: Field) -> None:
    text = (field.data or "").strip()
    if text and parse_whole_number(text) is None:
        raise ValidationError(_l("Kies een waarde uit de lijst."))


class PeriodForm(Form):
    """Period and whether to count suspicious check-ins; empty dates mean the default."""

    class Meta:
        csrf = False

    van = DayField(_l("Van"), validators=[one_line(10), Optional(), valid_day])
    tot = DayField(_l("Tot en met"), validators=[one_line(10), Optional(), valid_day])
    verdacht = BooleanField(_l("Ook verdachte check-ins meetellen"))

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            return False
        first, last = self.van.day(), self.tot.day()
        if (first is None) != (last is None):
            missing = self.tot if last is None else self.van
            missing.errors = [*missing.errors, _("Vul beide datums in, of geen van beide.")]
            return False
        if first is not None and last is not None:
            problem = period_problem(first, last)
            if problem is not None:
                self.tot.errors = [*self.tot.errors, say(problem)]
                return False
        return True

    def period(self, default: Period) -> Period:
        """The chosen period (after validate), or the default when no dates were given."""
        first, last = self.van.day(), self.tot.day()
        if first is None or last is None:
            return default
        return make_period(first, last)


class HouseFilterForm(PeriodForm):
    """One house's page: also a room and an activity (a booking) of that house."""

    ruimte = SelectField(
        _l("Ruimte"), default="", validate_choice=False, validators=[whole_number_or_empty]
    )
    activiteit = SelectField(
        _l("Activiteit"), default="", validate_choice=False, validators=[whole_number_or_empty]
    )


class NoteForm(Form):
    """A host's note on a day, optionally on one activity of that day."""

    # Own ids: the page also has the filter form, with its own 'van' and 'activiteit'.
    dag = DayField(
        _l("Dag"),
        validators=[one_line(10), required(_l("Kies de dag.")), valid_day],
        id="notitie-dag",
    )
    activiteit = SelectField(
        _l("Over de activiteit (niet verplicht)"),
        default="",
        validate_choice=False,
        validators=[whole_number_or_empty],
        id="notitie-activiteit",
    )
    tekst = TextAreaField(
        _l("Wat gebeurde er? Wie vond de weg naar binnen?"),
        validators=[lines(NOTE_MAX), required(_l("Schrijf eerst wat er gebeurde."))],
        id="notitie-tekst",
    )
    van = HiddenField(validators=[one_line(10), Optional()], id="notitie-van")
    tot = HiddenField(validators=[one_line(10), Optional()], id="notitie-tot")
