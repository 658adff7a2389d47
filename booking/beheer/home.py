"""The first beheer page of a house: rooms, policy, opening hours, staff, the export form."""

from __future__ import annotations

from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.pages import Page, render_page, today
from booking.services import invoicing
from booking.services.beheer import house_settings


@bp.route("/<slug>")
def house_overview(slug: str) -> Page:
    overview = house_settings.overview(current_user, slug)
    return render_page(
        "beheer/house.html",
        overview.house,
        staff=overview.staff,
        policy=overview.policy,
        export_month=str(invoicing.previous_month(today())),
    )
