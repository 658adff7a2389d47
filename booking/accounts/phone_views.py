"""The organiser's own phone number on /account: optional, seen by house staff only."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import TelField

from booking.accounts.blueprint import bp
from booking.errors import InvalidInput
from booking.forms import Form, one_line
from booking.i18n import say
from booking.services import phones


class PhoneForm(Form):
    phone = TelField(_l("Telefoonnummer (niet verplicht)"), validators=[one_line(40)])


@bp.context_processor
def _phone_form() -> dict[str, object]:
    """The form on /account (a page of booking/accounts/views.py), filled in."""
    if not current_user.is_authenticated:
        return {}
    return {"phone_form": PhoneForm(formdata=None, data={"phone": current_user.phone})}


@bp.route("/account/telefoon", methods=["GET", "POST"])
def phone() -> str | Response | tuple[str, int]:
    form = PhoneForm(data={"phone": current_user.phone})
    if not form.is_submitted():
        return render_template("accounts/phone.html", phone_form=form)
    if not form.validate():
        return render_template("accounts/phone.html", phone_form=form), 400
    try:
        number = phones.set_own_phone(current_user, form.phone.data)
    except InvalidInput as error:
        form.phone.errors = [say(error.message)]
        return render_template("accounts/phone.html", phone_form=form), 400
    flash(_("Uw telefoonnummer is bewaard.") if number else _("Uw telefoonnummer is verwijderd."))
    return redirect(url_for("accounts.account"))
