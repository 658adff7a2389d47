"""Forms of the beheer pages. They check format and presence; the services check the rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional, ValidationError

from booking.forms import Form, email_address, in_calendar, lines, one_line, required
from booking.rules import horizon
from booking.rules.money import parse_euro
from booking.rules.statuses import BookingStatus, OrganiserKind, PriorityClass, TariffGroup
from booking.services.beheer.checks import GROUPS, TEXT_MAX
from booking.services.beheer.house_settings import (
    CAP_MAX_CENTS,
    CONTACT_EMAIL_MAX,
    CONTACT_PHONE_MAX,
    DURATION_MAX_MINUTES,
    EXPIRY_MAX_DAYS,
    FACTOR_MAX_PERCENT,
    HUISKAMER_HOURS_MAX,
    WINDOW_MAX_DAYS,
)
from booking.services.beheer.rooms import CAPACITY_MAX, NAME_MAX, RATE_MAX_CENTS
from booking.services.invoicing import decimal_comma

REASON_MAX = 1000
GRID = 15


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Select options as WTForms 3.3 wants them (value, label); values become strings."""
    return [SelectChoice(str(value), label) for value, label in pairs]


GROUP_CHOICES = [
    (TariffGroup.T1.value, _l("T1 bewonersinitiatief (gratis)")),
    (TariffGroup.T2.value, _l("T2 maatschappelijk")),
    (TariffGroup.T3.value, _l("T3 regulier")),
    (TariffGroup.T4.value, _l("T4 commercieel")),
]
CLASS_CHOICES = [
    (int(PriorityClass.DOOR_EN_VOOR_BEWONERS), _l("1: door en voor bewoners")),
    (int(PriorityClass.MAATSCHAPPELIJK), _l("2: maatschappelijk")),
    (int(PriorityClass.REGULIER), _l("3: regulier")),
    (int(PriorityClass.COMMERCIEEL), _l("4: commercieel")),
]
ORGANISER_KIND_LABELS = {
    OrganiserKind.bewoners.value: _l("bewoners (een bewonersinitiatief)"),
    OrganiserKind.vereniging.value: _l("een vereniging of club"),
    OrganiserKind.maatschappelijk.value: _l("een maatschappelijke organisatie"),
    OrganiserKind.sociale_onderneming.value: _l("een sociale onderneming"),
    OrganiserKind.commercieel.value: _l("een bedrijf of zzp'er"),
    OrganiserKind.gemeente.value: _l("de gemeente"),
}
STATUS_CHOICES = [
    (BookingStatus.aangevraagd.value, _l("aangevraagd")),
    (BookingStatus.onder_voorbehoud.value, _l("onder voorbehoud")),
    (BookingStatus.bevestigd.value, _l("bevestigd")),
    (BookingStatus.geannuleerd.value, _l("geannuleerd")),
    (BookingStatus.verdrongen.value, _l("verdrongen")),
    (BookingStatus.afgewezen.value, _l("afgewezen")),
]


def needed(message: str | None = None) -> InputRequired:
    """Like `required`, but 0 counts as an answer (a factor of 0 %, say)."""
    return InputRequired(message=message or _l("Dit veld is verplicht."))


def whole_number(label: str, low: int, high: int, *, optional: bool = False) -> IntegerField:
    first = Optional() if optional else needed()
    return IntegerField(
        label,
        validators=[
            first,
            NumberRange(low, high, _l("Kies een getal van %(min)s tot %(max)s.")),
        ],
    )


class Euro:
    """A euro amount typed the Dutch way ("35,00", "€ 1.234,50"); empty only if optional."""

    def __init__(self, maximum_cents: int, *, optional: bool) -> None:
        self.maximum_cents = maximum_cents
        self.optional = optional

    def __call__(self, form: Form, field: Field) -> None:
        text = (field.data or "").strip()
        if not text:
            if self.optional:
                return
            raise ValidationError(_l("Vul een bedrag in, bijvoorbeeld 35,00."))
        try:
            cents = parse_euro(text)
        except ValueError as error:
            raise ValidationError(_l("Vul een bedrag in, bijvoorbeeld 35,00.")) from error
        if cents < 0:
            raise ValidationError(_l("Een bedrag kan niet negatief zijn."))
        if cents > self.maximum_cents:
            raise ValidationError(_l("Dat bedrag is te hoog."))


def cents_of(field: Field) -> int | None:
    """The cents of a validated Euro field; None when it was left empty."""
    text = (field.data or "").strip()
    return parse_euro(text) if text else None


def euro_text(cents: int | None) -> str:
    """An amount as a Euro field shows it ("35,00"); empty for no amount."""
    return "" if cents is None else decimal_comma(cents)


def on_grid(form: Form, field: Field) -> None:
    value: time | None = field.data
    if value is not None and value.minute % GRID:
        raise ValidationError(_l("Kies een heel kwartier, bijvoorbeeld 09:00 of 09:15."))


def multiple_of_grid(form: Form, field: Field) -> None:
    if field.data is not None and field.data % GRID:
        raise ValidationError(_l("Kies een veelvoud van 15 minuten."))


# Bookings -----------------------------------------------------------------------------------


class BookingFilterForm(Form):
    """The filters of the bookings overview; a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    weergave = SelectField(
        _l("Weergave"),
        default="week",
        choices=options([("dag", _l("Dag")), ("week", _l("Week"))]),
        validators=[Optional()],
    )
    datum = DateField(_l("Datum"), validators=[Optional(), in_calendar])
    ruimte = SelectField(_l("Ruimte"), default="", validators=[Optional()])
    status = SelectField(
        _l("Status"),
        default="",
        choices=options([("", _l("Alle statussen")), *STATUS_CHOICES]),
        validators=[Optional()],
    )
    klasse = SelectField(
        _l("Voorrangsklasse"),
        default="",
        choices=options([("", _l("Alle klassen")), *CLASS_CHOICES]),
        validators=[Optional()],
    )
    tariefgroep = SelectField(
        _l("Tariefgroep"),
        default="",
        choices=options([("", _l("Alle groepen")), *GROUP_CHOICES]),
        validators=[Optional()],
    )


class DecisionForm(Form):
    decision = HiddenField(
        validators=[AnyOf(["goedkeuren", "afwijzen"], message=_l("Kies goedkeuren of afwijzen."))]
    )
    reason = TextAreaField(
        _l("Reden (verplicht bij afwijzen; de aanvrager krijgt hem te zien)"),
        validators=[lines(REASON_MAX), Optional()],
        id="besluit-reden",
    )
    back = HiddenField(validators=[one_line(2000), Optional()])


class OverrideForm(Form):
    tariff_group = SelectField(
        _l("Tariefgroep"),
        choices=options(GROUP_CHOICES),
        validators=[required(_l("Kies een groep."))],
    )
    priority_class = SelectField(
        _l("Voorrangsklasse"),
        choices=options(CLASS_CHOICES),
        coerce=int,
        validators=[needed(_l("Kies een klasse."))],
    )
    reason = TextAreaField(
        _l("Reden van de wijziging"),
        validators=[lines(REASON_MAX), required(_l("Geef een reden voor de wijziging."))],
        id="wijzig-reden",
    )


class CancelForm(Form):
    reason = TextAreaField(
        _l("Reden (niet verplicht; de organisator krijgt hem te zien)"),
        validators=[lines(REASON_MAX), Optional()],
        id="annuleer-reden",
    )
    back = HiddenField(validators=[one_line(2000), Optional()])


# Rooms and settings ------------------------------------------------------------------------


def _rate_field(group: str) -> StringField:
    return StringField(
        _l("Tarief %(group)s per uur (leeg: volgens de factor)", group=group),
        validators=[one_line(20), Euro(RATE_MAX_CENTS, optional=True)],
    )


class RoomForm(Form):
    name = StringField(_l("Naam"), validators=[one_line(NAME_MAX), required()])
    capacity = whole_number(_l("Aantal personen"), 1, CAPACITY_MAX)
    base_rate = StringField(
        _l("Basistarief (T3) per uur in euro"),
        validators=[one_line(20), Euro(RATE_MAX_CENTS, optional=False)],
    )
    rate_t1 = _rate_field("T1")
    rate_t2 = _rate_field("T2")
    rate_t3 = _rate_field("T3")
    rate_t4 = _rate_field("T4")
    requires_approval = BooleanField(_l("Boekingen van deze ruimte hebben goedkeuring nodig"))
    is_huiskamer = BooleanField(_l("Dit is de huiskamer van het huis"))
    active = BooleanField(_l("De ruimte is te boeken"), default=True)

    def rate_fields(self) -> list[tuple[str, Field]]:
        return [(group, self[f"rate_{group.lower()}"]) for group in GROUPS]


class SettingsForm(Form):
    factor_t1 = whole_number(_l("Factor T1 (procent)"), 0, FACTOR_MAX_PERCENT, optional=True)
    factor_t2 = whole_number(_l("Factor T2 (procent)"), 0, FACTOR_MAX_PERCENT, optional=True)
    factor_t3 = whole_number(_l("Factor T3 (procent)"), 0, FACTOR_MAX_PERCENT, optional=True)
    factor_t4 = whole_number(_l("Factor T4 (procent)"), 0, FACTOR_MAX_PERCENT, optional=True)
    contribution_cap = StringField(
        _l("Grens voor een bescheiden eigen bijdrage (euro)"),
        validators=[one_line(20), Euro(CAP_MAX_CENTS, optional=True)],
    )
    voorrangstermijn = whole_number(
        _l("Voorrangstermijn (dagen)"), 0, WINDOW_MAX_DAYS, optional=True
    )
    request_expiry_days = whole_number(_l("Een aanvraag vervalt na (dagen)"), 1, EXPIRY_MAX_DAYS)
    min_duration = whole_number(_l("Kortste boeking (minuten)"), GRID, DURATION_MAX_MINUTES)
    max_duration = whole_number(_l("Langste boeking (minuten)"), GRID, DURATION_MAX_MINUTES)
    booking_horizon = whole_number(
        _l("Boekingshorizon (maanden vooruit)"), horizon.MIN_MONTHS, horizon.MAX_MONTHS
    )
    # Shown on the public agenda (/huizen/<slug>); all three may stay empty.
    contact_email = StringField(
        _l("E-mailadres van het huis"),
        validators=[one_line(CONTACT_EMAIL_MAX), Optional(), email_address()],
    )
    contact_phone = StringField(
        _l("Telefoonnummer van het huis"), validators=[one_line(CONTACT_PHONE_MAX)]
    )
    huiskamer_hours = StringField(
        _l("Wanneer is de huiskamer open?"), validators=[one_line(HUISKAMER_HOURS_MAX)]
    )

    def validate_min_duration(self, field: IntegerField) -> None:
        multiple_of_grid(self, field)

    def validate_max_duration(self, field: IntegerField) -> None:
        multiple_of_grid(self, field)
        low = self.min_duration.data
        if field.data is not None and isinstance(low, int) and field.data < low:
            raise ValidationError(
                _l("De langste boeking moet minstens zo lang zijn als de kortste.")
            )

    def factor_fields(self) -> list[tuple[str, Field]]:
        return [(group, self[f"factor_{group.lower()}"]) for group in GROUPS]


class OpeningHoursForm(Form):
    """Per weekday one period, or closed. Fields closed_0, opens_0, closes_0 ... _6."""

    def day(self, weekday: int) -> tuple[Field, Field, Field]:
        return self[f"closed_{weekday}"], self[f"opens_{weekday}"], self[f"closes_{weekday}"]

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)
        for weekday in range(7):
            closed, opens, closes = self.day(weekday)
            if closed.data:
                continue
            for field in (opens, closes):
                if field.data is None and not field.errors:
                    field.errors.append(_l("Vul een tijd in, of kies 'gesloten' voor deze dag."))
                    valid = False
        return valid


for _weekday in range(7):
    setattr(OpeningHoursForm, f"closed_{_weekday}", BooleanField(_l("Gesloten")))
    setattr(
        OpeningHoursForm,
        f"opens_{_weekday}",
        TimeField(_l("Open van"), validators=[Optional(), on_grid]),
    )
    setattr(
        OpeningHoursForm,
        f"closes_{_weekday}",
        TimeField(_l("Open tot"), validators=[Optional(), on_grid]),
    )


class ClosureForm(Form):
    room = SelectField(_l("Wat is er dicht?"), default="")
    start_date = DateField(
        _l("Van (datum)"), validators=[required(_l("Kies een datum.")), in_calendar]
    )
    start_time = TimeField(_l("Van (tijd)"), validators=[required(_l("Kies een tijd."))])
    end_date = DateField(
        _l("Tot (datum)"), validators=[required(_l("Kies een datum.")), in_calendar]
    )
    end_time = TimeField(_l("Tot (tijd)"), validators=[required(_l("Kies een tijd."))])
    reason = StringField(
        _l("Reden (die zien boekers)"), validators=[one_line(TEXT_MAX), required()]
    )


class PriorityBlockForm(Form):
    room = SelectField(_l("Ruimte"), validators=[required(_l("Kies een ruimte."))])
    weekday = SelectField(_l("Dag"), coerce=int, validators=[needed(_l("Kies een dag."))])
    starts = TimeField(_l("Van"), validators=[required(_l("Kies een tijd.")), on_grid])
    ends = TimeField(_l("Tot"), validators=[required(_l("Kies een tijd.")), on_grid])
    valid_from = DateField(
        _l("Geldig vanaf (niet verplicht)"), validators=[Optional(), in_calendar]
    )
    valid_until = DateField(
        _l("Geldig tot en met (niet verplicht)"), validators=[Optional(), in_calendar]
    )
    note = StringField(_l("Toelichting (niet verplicht)"), validators=[one_line(TEXT_MAX)])


class DeleteForm(Form):
    """Only the CSRF token: deleting needs no more than the button."""
