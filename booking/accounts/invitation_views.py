"""The invitation page: the invited person chooses a name and password and is logged in.

The link is public (the person has no password yet); what it may do is decided by
`services/people/invitations.py`. An unknown link answers 404; a link used before, out of
date or replaced by a newer one answers 410 with the reason in Dutch, and stores nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from werkzeug.wrappers import Response
from wtforms import StringField

from booking.accounts.blueprint import bp
from booking.accounts.forms import new_password, repeated_password
from booking.errors import RuleViolation
from booking.extensions import limiter
from booking.forms import Form, one_line, required
from booking.i18n import say
from booking.mail.people_mails import role_phrase
from booking.security import public_endpoint
from booking.services.people import invitations
from booking.services.people.roles import grants_of

Page = str | Response | tuple[str, int]


class InvitationForm(Form):
    name = StringField(_l("Uw naam"), validators=[one_line(120), required(_l("Vul uw naam in."))])
    password = new_password(_l("Wachtwoord (minstens 10 tekens)"))
    password_again = repeated_password()


def _page(form: InvitationForm, link: invitations.Link, status: int = 200) -> tuple[str, int]:
    roles = [say(role_phrase(g.role, g.house)) for g in grants_of(link.user)]
    return render_template(
        "accounts/invitation.html", form=form, email=link.user.email, roles=roles
    ), status


def _refused(problem: str) -> tuple[str, int]:
    return render_template("accounts/invitation_refused.html", problem=problem), 410


@bp.route("/uitnodiging/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("20 per hour", methods=["POST"])
def invitation(token: str) -> Page:
    now = datetime.now(UTC)
    link = invitations.look_up(token, now)
    if link.refusal is not None:
        return _refused(_(link.refusal))
    if request.method == "GET":
        return _page(InvitationForm(formdata=None, data={"name": link.user.name}), link)
    form = InvitationForm()
    if not form.validate_on_submit():
        return _page(form, link, 400)
    try:
        user = invitations.accept(token, form.name.data or "", form.password.data or "", now)
    except RuleViolation as error:
        if error.field not in form:
            return _refused(say(error.message))
        form[error.field].errors = [say(m) for m in error.problems]
        return _page(form, link, 422)
    login_user(user)
    flash(
        _(
            "Welkom bij Buurthuis, %(name)s. Uw account is klaar en u bent ingelogd.",
            name=user.name,
        ),
        "success",
    )
    return redirect(url_for("accounts.dashboard"))
