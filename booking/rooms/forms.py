"""The booking form: when, what, the activity questionnaire (DESIGN section 5), repetition."""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import NumberRange, Optional, ValidationError

from booking.forms import Form, in_calendar, one_line, required
from booking.rules import slots
from booking.rules.money import parse_euro
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.statuses import OrganiserKind
from booking.rules.tariff import Activity

YES_NO = [SelectChoice("ja", _l("Ja")), SelectChoice("nee", _l("Nee"))]
ORGANISER_KINDS = [
    SelectChoice(OrganiserKind.bewoners.value, _l("Bewoners (een bewonersinitiatief)")),
    SelectChoice(OrganiserKind.vereniging.value, _l("Een vereniging of club")),
    SelectChoice(
        OrganiserKind.maatschappelijk.value, _l("Een maatschappelijke organisatie (welzijn, zorg)")
    ),
    SelectChoice(OrganiserKind.sociale_onderneming.value, _l("Een sociale onderneming")),
    SelectChoice(OrganiserKind.commercieel.value, _l("Een bedrijf of zzp'er")),
    SelectChoice(OrganiserKind.gemeente.value, _l("De gemeente")),
]


def yes_no(label: str) -> RadioField:
    return RadioField(label, choices=YES_NO, validators=[required(_l("Kies ja of nee."))])


class SearchForm(Form):
    """Find a room; a date and times make it 'find a free room' across all houses."""

    class Meta:
        csrf = False

    house = SelectField(_l("Huis"), validators=[Optional()], default="")
    area = SelectField(_l("Wijk of kern"), validators=[Optional()], default="")
    capacity = IntegerField(
        _l("Aantal personen (minstens)"),
        validators=[Optional(), NumberRange(1, 1000, _l("Kies 1 tot 1000."))],
    )
    day = DateField(_l("Datum"), validators=[Optional(), in_calendar])
    start_time = TimeField(_l("Van"), validators=[Optional()])
    end_time = TimeField(_l("Tot"), validators=[Optional()])


class BookingForm(Form):
    day = DateField(_l("Datum"), validators=[required(_l("Kies een datum.")), in_calendar])
    start_time = TimeField(_l("Begintijd"), validators=[required(_l("Kies een begintijd."))])
    end_time = TimeField(_l("Eindtijd"), validators=[required(_l("Kies een eindtijd."))])
    title = StringField(_l("Naam van de activiteit"), validators=[one_line(200), required()])
    public = BooleanField(_l("Zet de activiteit in de openbare agenda van het huis"))
    organiser_kind = SelectField(
        _l("Wie organiseert de activiteit?"), choices=ORGANISER_KINDS, validators=[required()]
    )
    open_to_all = yes_no(_l("Mag iedere bewoner meedoen?"))
    membership_required = yes_no(_l("Moeten deelnemers lid zijn?"))
    contribution = StringField(
        _l("Eigen bijdrage per deelnemer (in euro, 0 als het gratis is)"),
        default="0",
        validators=[one_line(12), required()],
    )
    profit_making = yes_no(_l("Wordt er winst gemaakt?"))
    subsidised = yes_no(_l("Krijgt u subsidie voor deze activiteit?"))
    mainly_meeting = yes_no(_l("Gaat het vooral om elkaar ontmoeten en meedoen?"))
    gives_in_return = yes_no(
        _l("Geeft u iets terug, zoals stageplekken of een gratis inloop met koffie en thee?")
    )
    repeat = SelectField(
        _l("Herhalen"),
        default="",
        choices=[
            SelectChoice("", _l("Niet herhalen")),
            SelectChoice(Frequency.weekly.value, _l("Elke week, of elke paar weken")),
            SelectChoice(Frequency.monthly.value, _l("Elke maand op dezelfde weekdag")),
        ],
    )
    interval = IntegerField(
        _l("Om de hoeveel weken of maanden"),
        default=1,
        validators=[Optional(), NumberRange(1, 52, _l("Kies 1 tot 52."))],
    )
    until = DateField(_l("Herhalen tot en met"), validators=[Optional(), in_calendar])
    organisation = SelectField(
        _l("Namens"), choices=[SelectChoice("", _l("mijzelf"))], default="", validate_choice=True
    )  # the organiser's organisations: rooms/quote_page.with_organisations
    quote_token = HiddenField(validators=[one_line(200)])
    shown_outcomes = HiddenField(validators=[one_line(200)])  # the quote's calendar

    def validate_contribution(self, field: StringField) -> None:
        try:
            cents = parse_euro(field.data or "")
        except ValueError as error:
            raise ValidationError(_l("Vul een bedrag in, bijvoorbeeld 1,50.")) from error
        if cents < 0:
            raise ValidationError(_l("De eigen bijdrage kan niet negatief zijn."))
        if cents > 100_000:
            raise ValidationError(_l("Dat bedrag is te hoog."))

    def validate(self, extra_validators: object = None) -> bool:
        """A repetition needs an end date; Optional() stops field validators when empty."""
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        if self.repeat.data and self.until.data is None and not self.until.errors:
            self.until.errors = [
                *self.until.errors,
                _l("Kies tot wanneer de boeking herhaald wordt."),
            ]
            return False
        return valid

    def activity(self) -> Activity:
        def yes(field: RadioField) -> bool:
            return field.data == "ja"

        return Activity(
            organiser_kind=OrganiserKind(self.organiser_kind.data),
            open_to_all=yes(self.open_to_all),
            membership_required=yes(self.membership_required),
            contribution_cents=parse_euro(self.contribution.data or "0"),
            profit_making=yes(self.profit_making),
            subsidised=yes(self.subsidised),
            mainly_meeting=yes(self.mainly_meeting),
            gives_in_return=yes(self.gives_in_return),
        )

    def organisation_id(self) -> int | None:
        """The organisation chosen under "Namens"; None: the organiser books for themselves."""
        return int(self.organisation.data) if self.organisation.data else None

    def moments(self) -> tuple[datetime, datetime]:
        """Start and end in UTC; raises NonexistentLocalTime in the spring DST gap."""
        day: date = self.day.data
        start_t: time = self.start_time.data
        end_t: time = self.end_time.data
        return (
            slots.local_to_utc(datetime.combine(day, start_t)),
            slots.local_to_utc(datetime.combine(day, end_t)),
        )

    def recurrence(self) -> Recurrence | None:
        if not self.repeat.data:
            return None
        return Recurrence(Frequency(self.repeat.data), self.interval.data or 1, self.until.data)
