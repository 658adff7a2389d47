"""Confirmation ("Weet u het zeker?") before a booking or the rest of a series is cancelled.

The booking page's buttons lead here (GET); this page's button posts to the unchanged
cancel endpoints of rooms/views.py. Works without JavaScript.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.errors import RuleViolation
from booking.i18n import say
from booking.rooms.blueprint import bp
from booking.services import confirmations


def _page(booking_id: int, *, series: bool) -> str | Response:
    try:
        found = confirmations.own_cancellation(
            booking_id, current_user, datetime.now(UTC), series=series
        )
    except RuleViolation as error:
        flash(" ".join(say(m) for m in error.problems), "error")
        return redirect(url_for("rooms.my_booking", booking_id=booking_id))
    endpoint = "rooms.cancel_series" if series else "rooms.cancel"
    return render_template(
        "rooms/confirm_cancel.html",
        booking=found.booking,
        dates=found.dates,
        action=url_for(endpoint, booking_id=booking_id),
        confirm_label=_("Ja, annuleer de reeks vanaf deze datum") if series else _("Ja, annuleer"),
        back_url=url_for("rooms.my_booking", booking_id=booking_id),
    )


@bp.route("/mijn-boekingen/<int:booking_id>/annuleren/bevestigen")
def confirm_cancel(booking_id: int) -> str | Response:
    return _page(booking_id, series=False)


@bp.route("/mijn-boekingen/<int:booking_id>/annuleren-reeks/bevestigen")
def confirm_cancel_series(booking_id: int) -> str | Response:
    return _page(booking_id, series=True)
