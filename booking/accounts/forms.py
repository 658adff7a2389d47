"""Account forms. Labels are Dutch msgids, translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, Length

from booking.forms import Form, email_address, one_line, required, secret
from booking.services.accounts import MIN_PASSWORD_LENGTH


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[one_line(254), required()])
    password = PasswordField(_l("Wachtwoord"), validators=[secret(200), required()])


def new_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            secret(200),
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
            secret(200),
            required(),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
    )


class RegisterForm(Form):
    name = StringField(_l("Uw naam"), validators=[one_line(120), required()])
    organisation = StringField(
        _l("Organisatie of initiatief (niet verplicht)"), validators=[one_line(120)]
    )
    email = EmailField(_l("E-mailadres"), validators=[one_line(254), required(), email_address()])


class FinishRegistrationForm(Form):
    password = new_password(_l("Wachtwoord (minstens 10 tekens)"))
    password_again = repeated_password()


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Huidig wachtwoord"), validators=[secret(200), required()])
    password = new_password(_l("Nieuw wachtwoord (minstens 10 tekens)"))
    password_again = repeated_password()


class EndSessionsForm(Form):
    revoke_api_tokens = BooleanField(_l("Trek ook mijn API-tokens in (koppelingen stoppen)"))


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[one_line(254), required(), email_address()])


class ResetPasswordForm(Form):
    password = new_password(_l("Nieuw wachtwoord (minstens 10 tekens)"))
    password_again = repeated_password()
