"""The day sheet for the door: one printable A4 page per house and day (`?dag=JJJJ-MM-DD`).

Who may see it is `booking.services.day_sheet` (a gastheer today, the house's other staff
any day); this view reads the day, calls the use case and renders.
"""

from __future__ import annotations

from datetime import timedelta

from flask import request
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.pages import Page, now, render_page
from booking.services import day_sheet as service


@bp.route("/<slug>/dagstaat")
def day_sheet(slug: str) -> Page:
    moment = now()
    day = service.read_sheet_day(request.args.get(service.DAY_FIELD), moment)
    sheet = service.day_sheet(current_user, slug, day, moment)
    return render_page(
        "beheer/day_sheet.html",
        sheet.house,
        sheet=sheet,
        previous=(day - timedelta(days=1)).isoformat(),
        next=(day + timedelta(days=1)).isoformat(),
        can_see_other_days=current_user.can("see_booking_details", sheet.house.id),
    )
