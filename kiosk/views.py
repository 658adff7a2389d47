"""Kiosk views."""

from __future__ import annotations

from flask import render_template

from booking.security import public_endpoint
from kiosk import bp


@bp.route("/privacy")
@public_endpoint
def privacy() -> str:
    """What a check-in stores and what it never stores, in plain Dutch."""
    return render_template("kiosk/privacy.html")
