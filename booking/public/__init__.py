"""Public pages: the houses and their rooms, the language switch, the health check."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from booking.public import views  # noqa: E402,F401
