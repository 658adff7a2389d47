"""The JSON API under /api/v1 (DESIGN section 10)."""

from flask import Blueprint

from booking.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON only: writes require Content-Type application/json, which no form can send

from booking.api import bookings, feeds, views  # noqa: E402,F401
from booking.api import kiosks as _kiosks  # noqa: E402,F401
from booking.api import stats as _stats  # noqa: E402,F401
