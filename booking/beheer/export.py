"""The bookkeeper's downloads: a house's bookings of a month (from the house overview) and
its numbered invoices and credit notes (from the invoice list), both as CSV."""

from __future__ import annotations

from flask import Response, make_response, request
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.pages import today
from booking.services import invoicing
from booking.services.invoices import export


def _csv_download(text: str, filename: str) -> Response:
    response = make_response(text.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<slug>/export.csv")
def export_csv(slug: str) -> Response:
    found = invoicing.month_export(current_user, slug, request.args.get("maand"), today())
    return _csv_download(found.text, found.filename)


@bp.route("/<slug>/facturen.csv")
def invoices_csv(slug: str) -> Response:
    found = export.invoices_csv(
        current_user, slug, request.args.get("status"), request.args.get("maand")
    )
    return _csv_download(found.text, found.filename)
