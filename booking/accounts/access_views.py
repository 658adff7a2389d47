"""The sessions and API tokens on /account: end one session, revoke one token.

"Log out everywhere" (every session, and the tokens if asked) is `end_sessions` in
views.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from booking.accounts.account_page import render_account
from booking.accounts.blueprint import bp
from booking.accounts.forms import EndSessionForm, RevokeTokenForm
from booking.services.my_account import sessions, tokens


def _expired_form() -> tuple[str, int]:
    flash(_("Het formulier is verlopen of onvolledig. Probeer het opnieuw."), "error")
    return render_account(400)


@bp.route("/account/sessies/uitloggen", methods=["POST"])
def end_session() -> Response | tuple[str, int]:
    form = EndSessionForm()
    if not form.validate_on_submit():
        return _expired_form()
    key = session.get(sessions.SESSION_KEY)
    if sessions.end_session(current_user, form.session_id.data or 0, key, datetime.now(UTC)):
        logout_user()
        flash(_("U bent uitgelogd op dit apparaat."), "success")
        return redirect(url_for("accounts.login"))
    flash(_("Die sessie is beëindigd: daar moet opnieuw worden ingelogd."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/account/api-tokens/intrekken", methods=["POST"])
def revoke_api_token() -> Response | tuple[str, int]:
    form = RevokeTokenForm()
    if not form.validate_on_submit():
        return _expired_form()
    tokens.revoke_token(current_user, form.token_id.data or 0, datetime.now(UTC))
    flash(
        _("Het API-token is ingetrokken: koppelingen die het gebruikten, werken niet meer."),
        "success",
    )
    return redirect(url_for("accounts.account"))
