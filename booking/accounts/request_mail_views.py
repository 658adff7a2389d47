"""How a beheerder hears of new requests: at once, in a daily digest, or only the dashboard.

Only for who is beheerder of a house (the service answers 404 to anyone else).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import RadioField, SelectChoice

from booking.accounts.blueprint import bp
from booking.forms import Form, required
from booking.i18n import say
from booking.rules.messages import Message
from booking.rules.request_mail import REQUEST_MAIL_LABELS, RequestMail
from booking.services import request_notices


class RequestMailForm(Form):
    choice = RadioField(
        _l("E-mail over nieuwe aanvragen"),
        choices=[SelectChoice(c.value, c.value) for c in RequestMail],
        validators=[required(_l("Kies een van de mogelijkheden."))],
    )


def _form(**kwargs: object) -> RequestMailForm:
    form = RequestMailForm(**kwargs)
    form.choice.choices = [
        SelectChoice(c.value, say(Message(REQUEST_MAIL_LABELS[c]))) for c in RequestMail
    ]
    return form


@bp.route("/account/aanvraagmail", methods=["GET", "POST"])
def request_mail_choice() -> str | Response | tuple[str, int]:
    current = request_notices.request_mail_choice(current_user)
    form = _form(data={"choice": current.value})
    if not form.is_submitted():
        return render_template("accounts/request_mail.html", form=form)
    if not form.validate():
        return render_template("accounts/request_mail.html", form=form), 400
    request_notices.choose_request_mail(current_user, RequestMail(form.choice.data))
    flash(_("Uw keuze is bewaard."), "success")
    return redirect(url_for("accounts.request_mail_choice"))
