"""The logboek of a house, fifty entries a page, each action and object in Dutch."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.pages import Page, render_page
from booking.i18n import audit_action_label, audit_object_label
from booking.rules.numbers import parse_whole_number
from booking.services.beheer import audit_log as service


@bp.route("/<slug>/logboek")
def audit_log(slug: str) -> Page:
    number = parse_whole_number(request.args.get("pagina", "1"), 1_000_000)
    page = service.audit_page(current_user, slug, number)
    return render_page(
        "beheer/audit_log.html",
        page.house,
        page=page,
        action_label=audit_action_label,
        object_label=audit_object_label,
    )
