"""Kiosk forms: pairing code, the optional visitor questions, the host's tally, cards."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import NumberRange, Optional

from booking.forms import Form, one_line, required
from booking.rules.kiosk_windows import TALLY_MAX
from booking.rules.visit_vocabulary import AgeGroup, FirstTimeAnswer
from booking.rules.visitor_cards import PRINT_BATCH_DEFAULT, PRINT_BATCH_MAX, PRINT_BATCH_MIN

AGE_CHOICES = [
    SelectChoice(AgeGroup.tot_18, _l("jonger dan 18")),
    SelectChoice(AgeGroup.van_18_tot_30, _l("18 tot 30")),
    SelectChoice(AgeGroup.van_30_tot_50, _l("30 tot 50")),
    SelectChoice(AgeGroup.van_50_tot_67, _l("50 tot 67")),
    SelectChoice(AgeGroup.vanaf_67, _l("67 of ouder")),
    SelectChoice(AgeGroup.geen_antwoord, _l("zeg ik liever niet")),
]


class PairingForm(Form):
    code = StringField(_l("Koppelcode (8 tekens)"), validators=[one_line(20), required()])


class QuestionsForm(Form):
    first_time = RadioField(
        _l("Bent u hier voor het eerst?"),
        validators=[Optional()],
        choices=[
            SelectChoice(FirstTimeAnswer.ja, _l("Ja, voor het eerst")),
            SelectChoice(FirstTimeAnswer.nee, _l("Nee")),
        ],
    )
    area = SelectField(_l("Uit welke wijk of kern komt u?"), validators=[Optional()])
    age_group = RadioField(_l("Hoe oud bent u?"), validators=[Optional()], choices=AGE_CHOICES)


class TallyForm(Form):
    room = SelectField(_l("Ruimte"), coerce=int)
    count = IntegerField(
        _l("Aantal bezoekers"),
        default=1,
        validators=[required(), NumberRange(1, TALLY_MAX, _l("Tel 1 tot 200."))],
    )


class NewKioskForm(Form):
    room = SelectField(_l("Ruimte waar de tablet staat"), coerce=int)
    name = StringField(_l("Naam van de tablet (niet verplicht)"), validators=[one_line(120)])


class PrintCardsForm(Form):
    count = IntegerField(
        _l("Aantal kaarten"),
        default=PRINT_BATCH_DEFAULT,
        validators=[
            required(),
            NumberRange(PRINT_BATCH_MIN, PRINT_BATCH_MAX, _l("Kies 1 tot en met 100 kaarten.")),
        ],
    )


class BlockCardForm(Form):
    short_code = StringField(
        _l("Korte code op de kaart (zoals ABC-DEFG)"), validators=[one_line(20), required()]
    )
