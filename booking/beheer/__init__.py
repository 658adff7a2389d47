"""Beheer: running a house — rooms, opening hours, staff, and (later) approvals and exports."""

from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")

from booking.beheer import views  # noqa: E402,F401
