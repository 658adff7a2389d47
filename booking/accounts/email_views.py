"""A new e-mail address: asked for on /account, confirmed by the link mailed to it.

The link works without logging in (it may be opened on another device); its page asks
for one click, so a mail scanner that opens links changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.accounts.account_page import render_account
from booking.accounts.blueprint import bp
from booking.accounts.forms import ConfirmForm, EmailChangeForm
from booking.errors import RuleViolation
from booking.extensions import limiter
from booking.i18n import say
from booking.security import public_endpoint
from booking.services.my_account import email_change

Page = str | Response | tuple[str, int]


def refusal_status(error: RuleViolation) -> int:
    """409 when the address belongs to another account; 400 for any other problem."""
    return 409 if error.code == email_change.TAKEN else 400


@bp.route("/account/e-mailadres", methods=["POST"])
@limiter.limit("10 per hour")
def request_email_change() -> Page:
    form = EmailChangeForm()
    if not form.validate_on_submit():
        return render_account(400, email_form=form)
    try:
        email = email_change.request_email_change(
            current_user,
            form.new_email.data or "",
            form.email_password.data or "",
            datetime.now(UTC),
        )
    except RuleViolation as error:
        field = form.email_password if error.field == "current_password" else form.new_email
        field.errors = [*field.errors, say(error.message)]
        return render_account(refusal_status(error), email_form=form)
    flash(
        _(
            "We hebben een link gestuurd naar %(email)s. Uw e-mailadres verandert pas als u "
            "op die link klikt; tot dan geldt uw huidige adres.",
            email=email,
        ),
        "info",
    )
    return redirect(url_for("accounts.account"))


def _dead_link(error: RuleViolation) -> tuple[str, int]:
    """A link too old or already used (410), or an address taken meanwhile (409)."""
    status = 409 if error.code == email_change.TAKEN else 410
    return render_template("accounts/email_link_refused.html", problem=say(error.message)), status


@bp.route("/account/e-mailadres/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("20 per hour", methods=["POST"])
def confirm_email_change(token: str) -> Page:
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            pending = email_change.pending_change(token, datetime.now(UTC))
            page = render_template("accounts/email_confirm.html", form=form, pending=pending)
            return page, 400 if form.is_submitted() else 200
        pending = email_change.confirm_email_change(token, datetime.now(UTC))
    except RuleViolation as error:
        return _dead_link(error)
    flash(_("Uw e-mailadres is gewijzigd in %(email)s.", email=pending.new_email), "success")
    mine = current_user.is_authenticated and current_user.id == pending.user.id
    return redirect(url_for("accounts.account" if mine else "accounts.login"))
