"""Flask extensions, created unbound and attached in create_app."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from booking.models.base import Base


def _client_address() -> str:
    """Rate-limit key: the client address as the proxy in front reported it."""
    return get_remote_address() or request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=_client_address, default_limits=[])


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# One per-address budget for the web and the API login together (a shared scope), so
# guessing through both doors counts once. The per-account throttle is in the database.
login_rate_limit = limiter.shared_limit(
    _login_rate_limit,
    scope="login",
    methods=["POST"],
    deduct_when=lambda response: response.status_code >= 400,
)
