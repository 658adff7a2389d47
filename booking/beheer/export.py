"""The invoicing export: one CSV per house and month, downloaded from the house overview."""

from __future__ import annotations

from flask import Response, make_response, request
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.pages import today
from booking.services import invoicing


@bp.route("/<slug>/export.csv")
def export_csv(slug: str) -> Response:
    export = invoicing.month_export(current_user, slug, request.args.get("maand"), today())
    response = make_response(export.text.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
