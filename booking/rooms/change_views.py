"""The organiser changes their own booking: the form with the current values, then the
outcome of the change (price, status, per date) before they confirm it."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.rooms.blueprint import bp
from booking.rooms.change_form import build_form, change_page, judge_change, link_values
from booking.services import booking_changes

Page = str | Response | tuple[str, int]


@bp.route("/mijn-boekingen/<int:booking_id>/wijzigen", methods=["GET", "POST"])
def change(booking_id: int) -> Page:
    booking, rooms = booking_changes.change_context(
        booking_id, current_user, datetime.now(UTC), own=True
    )
    link = link_values(booking, rooms, request.args) if request.method == "GET" else None
    form = build_form(booking, rooms, link)
    action = url_for("rooms.change", booking_id=booking_id)
    done = url_for("rooms.my_booking", booking_id=booking_id)
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return change_page(booking, form, action, status, back=done)
    return judge_change(booking, form, action, None, done)
