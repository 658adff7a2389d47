"""iCalendar feeds at secret, revocable URLs, and the pages to manage them."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from booking.feeds import views  # noqa: E402,F401
