"""Delete my account: a page that says what will happen (or why not yet), then the form.

The page works without JavaScript: the form asks for the password and a tick, and posts
to the same address. Afterwards the visitor is logged out and sees the home page.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from booking.accounts.blueprint import bp
from booking.accounts.forms import DeleteAccountForm
from booking.errors import RuleViolation
from booking.extensions import limiter
from booking.i18n import say
from booking.services.my_account import deletion, sessions


def _page(
    form: DeleteAccountForm, status: int, problems: list[str] | None = None
) -> tuple[str, int]:
    check = deletion.deletion_check(current_user, datetime.now(UTC))
    problems = problems if problems is not None else [say(p) for p in check.problems]
    return render_template(
        "accounts/delete.html", form=form, check=check, problems=problems
    ), status


@bp.route("/account/verwijderen", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def delete_account() -> str | Response | tuple[str, int]:
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 400 if form.is_submitted() else 200)
    try:
        deletion.delete_account(current_user, form.current_password.data or "", datetime.now(UTC))
    except RuleViolation as error:
        if error.field == "current_password":
            form.current_password.errors = [say(error.message)]
            return _page(form, 400)
        return _page(form, 422, [say(p) for p in error.problems])
    logout_user()
    session.pop(sessions.SESSION_KEY, None)
    flash(_("Uw account is verwijderd. Bedankt dat u Buurthuis gebruikte."), "success")
    return redirect(url_for("public.home"))
