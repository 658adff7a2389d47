"""Account forms. Labels are Dutch msgids, translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, Length

from booking.forms import email_address, max_length, required
from booking.services.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Wachtwoord"), validators=[required(), max_length(200)])


class RegisterForm(FlaskForm):
    name = StringField(_l("Uw naam"), validators=[required(), max_length(120)])
    organisation = StringField(
        _l("Organisatie of initiatief (niet verplicht)"), validators=[max_length(120)]
    )
    email = EmailField(_l("E-mailadres"), validators=[required(), email_address(), max_length(254)])
    password = PasswordField(
        _l("Wachtwoord (minstens 10 tekens)"),
        validators=[
            required(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Kies een wachtwoord van minstens 10 en hoogstens 200 tekens."),
            ),
        ],
    )
    password_again = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            required(),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[required(), email_address(), max_length(254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nieuw wachtwoord (minstens 10 tekens)"),
        validators=[
            required(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Kies een wachtwoord van minstens 10 en hoogstens 200 tekens."),
            ),
        ],
    )
    password_again = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            required(),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
    )
