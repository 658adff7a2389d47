"""Public pages anyone may see, logged in or not."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, jsonify, redirect, render_template, request, session
from sqlalchemy import text
from werkzeug.wrappers import Response

from booking.accounts.views import _safe_next
from booking.extensions import db
from booking.public.blueprint import bp
from booking.security import public_endpoint
from booking.services import agenda, houses


@bp.route("/")
@public_endpoint
def home() -> str:
    return render_template("public/home.html", houses=houses.list_houses(active_only=True))


@bp.route("/huizen/<slug>")
@public_endpoint
def house(slug: str) -> str:
    """The house, its contact details and hours, and its public agenda (agenda_views.py)."""
    found = agenda.house_agenda(slug, now=datetime.now(UTC))
    return render_template("public/house.html", house=found.house, agenda=found)


@bp.route("/taal", methods=["POST"])
@public_endpoint
def set_language() -> Response:
    """Remember the chosen language in the session; the kiosk offers more languages."""
    choice = request.form.get("lang", "")
    if choice in current_app.config["KIOSK_LANGUAGES"]:
        session["lang"] = choice
    return redirect(_safe_next(request.form.get("next")))


@bp.route("/healthz")
@public_endpoint
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return jsonify(status="fout", database="onbereikbaar"), 503
    return jsonify(status="ok", database="ok"), 200


@bp.route("/hoe-we-tellen")
@public_endpoint
def how_we_count() -> str:
    """How the reach figures are counted, in plain Dutch, with the gemeente's settings."""
    return render_template("public/how_we_count.html", policy=houses.policy())
