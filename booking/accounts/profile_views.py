"""Name, organisation and preferred language on /account (the phone: phone_views.py)."""

from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.accounts.account_page import profile_form, render_account
from booking.accounts.blueprint import bp
from booking.errors import InvalidInput
from booking.i18n import say
from booking.services.my_account import profile


@bp.route("/account/gegevens", methods=["POST"])
def update_profile() -> Response | tuple[str, int]:
    form = profile_form()
    if not form.validate_on_submit():
        return render_account(400, profile_form=form)
    try:
        profile.update_profile(
            current_user, form.name.data or "", form.organisation.data or "", form.locale.data
        )
    except InvalidInput as error:
        form[error.field].errors = [say(error.message)]
        return render_account(400, profile_form=form)
    session.pop("lang", None)  # the language chosen here now wins over the header's switch
    flash(_("Uw gegevens zijn bewaard."), "success")
    return redirect(url_for("accounts.account"))
