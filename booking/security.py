"""Deny by default, API bearer tokens, and the security headers of every response.

Every endpoint needs a logged-in user unless its view is marked @public_endpoint; the
kiosk and feed views are public to Flask-Login and check their own device or feed
credential. Permissions beyond 'logged in' are checked by the views and services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.extensions import db, login_manager
from booking.models import User
from booking.rules.numbers import parse_whole_number

F = TypeVar("F", bound=Callable[..., Any])

_CSP_WITHOUT_FRAMING = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]
CONTENT_SECURITY_POLICY = "; ".join([*_CSP_WITHOUT_FRAMING, "frame-ancestors 'none'"])


def embed_policy(frame_ancestors: str) -> str:
    """The CSP of an @embeddable page: the same, but other sites may frame it.

    The configured sources are split on white space; a ';' or ',' cannot add a directive.
    """
    sources = " ".join(frame_ancestors.replace(";", " ").replace(",", " ").split()) or "'none'"
    return "; ".join([*_CSP_WITHOUT_FRAMING, f"frame-ancestors {sources}"])


def public_endpoint(view: F) -> F:
    """Mark a view as reachable without logging in."""
    view._public = True  # type: ignore[attr-defined]
    return view


def embeddable(view: F) -> F:
    """Mark a view as one other websites may show in an iframe (EMBED_FRAME_ANCESTORS).

    Every other page keeps `frame-ancestors 'none'` and X-Frame-Options DENY.
    """
    view._embeddable = True  # type: ignore[attr-defined]
    return view


def _endpoint_is_embeddable() -> bool:
    if request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "_embeddable", False))


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _endpoint_is_public() -> bool:
    if request.endpoint is None or request.endpoint == "static":
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "_public", False))


def _require_login() -> Response | None:
    if _endpoint_is_public() or current_user.is_authenticated:
        return None
    if is_api_request():
        from booking.api.errors import api_error

        return api_error(401, "niet_ingelogd", "Log in of stuur een geldig API-token mee.")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _signed_in() -> bool:
    """Whether this answer is for a signed-in user, without touching the user row.

    These headers are set after the request's commit has expired every loaded row, so
    asking `current_user.is_authenticated` would load the user again in a second
    transaction; the user the request loaded, or else the session, already says it.
    """
    user = g.get("_login_user")
    if user is not None:
        return not user.is_anonymous
    return "_user_id" in session


def _security_headers(response: Response) -> Response:
    if _endpoint_is_embeddable() and response.status_code < 400:
        ancestors = current_app.config.get("EMBED_FRAME_ANCESTORS", "")
        response.headers.setdefault("Content-Security-Policy", embed_policy(ancestors))
    else:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if "Cache-Control" not in response.headers and _signed_in():
        # A signed-in page must not stay in a shared computer's cache (the huiskamer PC).
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    """The user of a session cookie, while the cookie's session version is current and the
    login session its key names is open (services/my_account/sessions.py)."""
    user_id, _, version = session_id.partition(".")
    number, version_number = parse_whole_number(user_id), parse_whole_number(version)
    if number is None or version_number is None:
        return None
    user = db.session.get(User, number)
    if user is None or user.session_version != version_number:
        return None
    from booking.services.my_account import sessions  # and the login session it names

    if not sessions.is_open(user, session.get(sessions.SESSION_KEY), datetime.now(UTC)):
        return None
    return user


@login_manager.request_loader
def _load_user_from_bearer_token(req: Any) -> User | None:
    """API clients authenticate with `Authorization: Bearer <token>`; pages never do."""
    header = req.headers.get("Authorization", "")
    if not req.path.startswith("/api/") or not header.lower().startswith("bearer "):
        return None
    from booking.services.accounts import user_for_api_token

    return user_for_api_token(header[7:].strip())


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_require_login)
    app.after_request(_security_headers)
