"""The public agenda: "wat is er te doen" across all houses, and a house's agenda to embed.

A house's own page (`public.house` in views.py) shows its agenda as well; all three read
`services/agenda.py` and share `templates/public/_agenda_days.html`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import render_template, request

from booking.public import agenda_html
from booking.public.blueprint import bp
from booking.security import embeddable, public_endpoint
from booking.services import agenda

bp.add_app_template_global(agenda_html.items_html, "agenda_items_html")


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/wat-is-er-te-doen")
@public_endpoint
def whats_on() -> tuple[str, int]:
    """Filters are GET parameters (wijk, dag, soort), so the form works without JavaScript."""
    found = agenda.town_agenda(
        area=request.args.get("wijk"),
        day=request.args.get("dag"),
        kind=request.args.get("soort"),
        now=_now(),
    )
    status = 400 if found.problem is not None else 200
    return render_template("public/whats_on.html", agenda=found), status


@bp.route("/huizen/<slug>/agenda-embed")
@public_endpoint
@embeddable
def agenda_embed(slug: str) -> str:
    """The house's agenda without the site's header and menu, for a house's own website."""
    found = agenda.house_agenda(slug, now=_now())
    return render_template("public/agenda_embed.html", house=found.house, agenda=found)
