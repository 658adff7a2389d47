"""Confirmation ("Weet u het zeker?") before a tablet is unpaired (revoked).

The kiosk page's button leads here (GET); this page's button posts to the unchanged revoke
endpoint (manage_views.py). Works without JavaScript.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.errors import RuleViolation
from booking.i18n import say
from booking.services import confirmations
from kiosk.blueprint import bp


@bp.route("/kiosk/beheer/<slug>/<int:kiosk_id>/intrekken/bevestigen")
def confirm_revoke(slug: str, kiosk_id: int) -> str | Response:
    try:
        house, kiosk = confirmations.kiosk_to_revoke(current_user, slug, kiosk_id)
    except RuleViolation as error:
        flash(" ".join(say(m) for m in error.problems), "error")
        return redirect(url_for("kiosk.manage", slug=slug))
    return render_template(
        "kiosk/confirm_revoke.html",
        house=house,
        kiosk=kiosk,
        action=url_for("kiosk.revoke", slug=slug, kiosk_id=kiosk_id),
        confirm_label=_("Ja, ontkoppel deze tablet"),
        back_url=url_for("kiosk.manage", slug=slug),
    )
