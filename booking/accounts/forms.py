"""Account forms. Labels are Dutch msgids, translated lazily."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange

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


# My account (issue 12) -------------------------------------------------------------


class ProfileForm(Form):
    name = StringField(_l("Naam"), validators=[one_line(120), required()])
    organisation = StringField(
        _l("Organisatie of initiatief (niet verplicht)"), validators=[one_line(120)]
    )
    locale = SelectField(_l("Taal van de site en de e-mail"), choices=[], validate_choice=True)


class EmailChangeForm(Form):
    """On the account page beside the password form, so its fields have names of their own."""

    new_email = EmailField(
        _l("Nieuw e-mailadres"), validators=[one_line(254), required(), email_address()]
    )
    email_password = PasswordField(
        _l("Uw wachtwoord, ter controle"), validators=[secret(200), required()]
    )


class ConfirmForm(Form):
    """A form of one button: its CSRF token is the whole point."""


class EndSessionForm(Form):
    session_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class RevokeTokenForm(Form):
    token_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])


class DeleteAccountForm(Form):
    current_password = PasswordField(_l("Uw wachtwoord"), validators=[secret(200), required()])
    understood = BooleanField(
        _l("Ik begrijp dat dit niet ongedaan kan worden gemaakt."),
        validators=[required(_l("Vink aan dat u dit begrijpt."))],
    )
