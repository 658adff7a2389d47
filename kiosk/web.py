"""What the kiosk's view modules share: the clock, the cookies, the tablet of a request.

The tablet authenticates with its device credential (an HttpOnly cookie set when it was
paired), a phone with a random device id in a cookie of its own. Views read the clock
through `web.now()`, so a test can fix it for every kiosk view at once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, g, request
from werkzeug.wrappers import Response

from booking.errors import InvalidInput
from booking.models import Kiosk
from booking.rules.messages import N_, Message
from kiosk import pairing

BAD_BODY = Message(N_("Ongeldig verzoek: stuur een JSON-object."))

KIOSK_COOKIE = "bh_kiosk"
DEVICE_COOKIE = "bh_apparaat"
COOKIE_MAX_AGE = 400 * 24 * 3600

Page = str | Response | tuple[str, int]


def now() -> datetime:
    return datetime.now(UTC)


def secure_cookies() -> bool:
    return bool(current_app.config.get("SESSION_COOKIE_SECURE"))


def this_kiosk() -> Kiosk | None:
    """The paired tablet making this request, by its credential cookie (once a request)."""
    if "kiosk" not in g:
        g.kiosk = pairing.kiosk_for_credential(request.cookies.get(KIOSK_COOKIE))
    return g.kiosk


def json_body() -> dict:
    """The JSON object a tablet posted; anything else (or `[[[[…` thousands deep, which
    the parser recurses on) is a bad request of the body as a whole."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("", BAD_BODY)
    return data
