"""The kiosk as an installable offline web app: its manifest and its service worker.

Both are public: they hold no data of a house or a tablet, only the kiosk's own code and
names. The worker only comes into play on a tablet whose screen registered it.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify, make_response, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from booking.security import public_endpoint
from kiosk import offline
from kiosk.blueprint import bp

THEME_COLOUR = "#0b5d4b"  # the favicon's green


@bp.route("/kiosk/sw.js")
@public_endpoint
def service_worker() -> Response:
    static_dir = Path(current_app.static_folder or "static")
    source = offline.worker_source(static_dir, current_app.static_url_path or "/static")
    response = make_response(source)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Cache-Control"] = "no-cache"  # every update check asks the server
    response.headers["Service-Worker-Allowed"] = url_for("kiosk.screen")  # scope /kiosk
    return response


@bp.route("/kiosk/manifest.webmanifest")
@public_endpoint
def manifest() -> Response:
    screen = url_for("kiosk.screen")
    response = jsonify(
        name=_("Buurthuis kiosk"),
        short_name=_("Kiosk"),
        description=_("Inchecken in de huiskamer"),
        lang="nl",
        start_url=screen,
        scope=screen,
        id=screen,
        display="fullscreen",
        orientation="any",
        background_color="#ffffff",
        theme_color=THEME_COLOUR,
        icons=_icons(),
    )
    response.headers["Content-Type"] = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _icons() -> list[dict[str, str]]:
    """The house of the favicon, as PNG (drawn inside the maskable safe zone) and SVG."""
    pngs = [
        {
            "src": url_for("static", filename=f"icons/kiosk-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in (192, 512)
    ]
    svg = url_for("static", filename="favicon.svg")
    return [*pngs, {"src": svg, "sizes": "any", "type": "image/svg+xml"}]
