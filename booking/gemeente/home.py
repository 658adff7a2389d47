"""The gemeente's start page: what there is to run, with a link to each concept."""

from __future__ import annotations

from flask_login import current_user

from booking.gemeente.blueprint import bp
from booking.gemeente.pages import render_page
from booking.services.gemeente.access import require_gemeente


@bp.route("/")
def home() -> tuple[str, int]:
    require_gemeente(current_user)
    return render_page("gemeente/home.html")
