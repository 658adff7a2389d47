"""The outbox in the browser: a development mail viewer for beheerders and the gemeente."""

from flask import Blueprint

bp = Blueprint("mailbox", __name__, url_prefix="/post")

from booking.mailbox import views  # noqa: E402,F401
