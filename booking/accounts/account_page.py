"""The /account page, with every form on it: shown as it is, or again with one form's problem.

Each form posts to its own view module (profile_views, email_views, views for the
password, access_views for sessions and tokens); when one comes back with a problem, the
whole page is shown again with that form filled in and the others fresh.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import render_template, session
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from booking.accounts.forms import (
    ChangePasswordForm,
    EmailChangeForm,
    EndSessionsForm,
    ProfileForm,
)
from booking.i18n import LANGUAGE_NAMES
from booking.services.my_account import profile, sessions, tokens


def profile_form(**kwargs: Any) -> ProfileForm:
    """The details form, with the languages the site speaks as its choices."""
    form = ProfileForm(**kwargs)
    form.locale.choices = [
        SelectChoice("", _("Zoals mijn browser is ingesteld")),
        *(SelectChoice(code, LANGUAGE_NAMES.get(code, code)) for code in profile.languages()),
    ]
    return form


def _own_profile_form() -> ProfileForm:
    user = current_user
    return profile_form(
        formdata=None,
        data={"name": user.name, "organisation": user.organisation, "locale": user.locale or ""},
    )


def render_account(status: int = 200, **forms: Any) -> tuple[str, int]:
    """The account page; `forms` replaces the fresh form of the same name."""
    now = datetime.now(UTC)
    context = {
        "profile_form": _own_profile_form(),
        "email_form": EmailChangeForm(formdata=None),
        "password_form": ChangePasswordForm(formdata=None),
        "sessions_form": EndSessionsForm(formdata=None),
        **forms,
    }
    return render_template(
        "accounts/account.html",
        open_sessions=sessions.open_sessions(current_user, session.get(sessions.SESSION_KEY), now),
        api_tokens=tokens.valid_tokens(current_user),
        **context,
    ), status
