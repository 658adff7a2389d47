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


def new_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            required(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Kies een wachtwoord van minstens 10 en hoogstens 200 tekens."),
            ),
        ],
    )


def repeated_password() -> PasswordField:
    return PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            required(),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
    )


class RegisterForm(FlaskForm):
    name = StringField(_l("Uw naam"), validators=[required(), max_length(120)])
    organisation = StringField(
        _l("Organisatie of initiatief (niet verplicht)"), validators=[max_length(120)]
    )
    email = EmailField(_l("E-mailadres"), validators=[required(), email_address(), max_length(254)])
    password = new_password(_l("Wachtwoord (minstens 10 tekens)"))
    password_again = repeated_password()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[required(), email_address(), max_length(254)])


class ResetPasswordForm(FlaskForm):
    password = new_password(_l("Nieuw wachtwoord (minstens 10 tekens)"))
    password_again = repeated_password()
