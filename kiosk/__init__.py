"""The kiosk: the huiskamer tablet, the phone check-in page and the privacy page.

Kiosk pages are public to Flask-Login: a paired tablet proves itself with its own
device credential, a phone with a signed short-lived token.
"""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)

from kiosk import views  # noqa: E402,F401
