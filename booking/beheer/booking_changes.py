"""The beheerder changes a booking of their house: another time or room of the house, title,
public flag, answers — the same form, outcome and rules as the organiser's own page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.beheer.blueprint import bp
from booking.rooms.change_form import build_form, change_page, judge_change, link_values
from booking.services import booking_changes

Page = str | Response | tuple[str, int]


@bp.route("/<slug>/boekingen/<int:booking_id>/bewerken", methods=["GET", "POST"])
def change_booking(slug: str, booking_id: int) -> Page:
    booking, rooms = booking_changes.change_context(
        booking_id, current_user, datetime.now(UTC), house_slug=slug
    )
    link = link_values(booking, rooms, request.args) if request.method == "GET" else None
    form = build_form(booking, rooms, link)
    action = url_for("beheer.change_booking", slug=slug, booking_id=booking_id)
    done = url_for("beheer.booking_detail", slug=slug, booking_id=booking_id)
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return change_page(booking, form, action, status, back=done)
    return judge_change(booking, form, action, slug, done)
