"""The request edge of the login sessions (services/my_account/sessions.py).

A login (web or API: Flask-Login's `user_logged_in` signal) opens a session row and puts
its key in the signed session cookie; a logout takes the key out again. Before each
request of a signed-in cookie session, the row's "last seen" moves on (a write at most
once a quarter hour). Checking the key on every request is the user loader's job
(booking/security.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import request, session
from flask_login import current_user, user_logged_in, user_logged_out

from booking.accounts.blueprint import bp
from booking.models import User
from booking.services.my_account import sessions


def _opened(_sender: Any, user: User, **_extra: Any) -> None:
    session[sessions.SESSION_KEY] = sessions.open_session(user, datetime.now(UTC))


def _closed(_sender: Any, user: Any = None, **_extra: Any) -> None:
    session.pop(sessions.SESSION_KEY, None)


def connect() -> None:
    """Listen to Flask-Login's signals (connecting twice is connecting once)."""
    user_logged_in.connect(_opened)
    user_logged_out.connect(_closed)


@bp.before_app_request
def _seen() -> None:
    if request.endpoint == "static" or "_user_id" not in session:
        return
    if current_user.is_authenticated:
        sessions.touch(current_user, session.get(sessions.SESSION_KEY), datetime.now(UTC))
