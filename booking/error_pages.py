"""Error pages in Dutch, or the JSON error format under /api/. Never a stack trace.

The one place where the error vocabulary of `booking/errors.py` becomes an HTTP answer:
the Dutch HTML page for a browser, the JSON error of DESIGN section 10 for the API and
for the kiosk's JSON calls.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Flask, current_app, g, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from booking.api.errors import ApiError, api_error, render_api_error
from booking.api.serialise import alternative_json, busy_json
from booking.database import (
    describe_database_error,
    is_transient_database_error,
    recover_session,
    release_session,
)
from booking.errors import DomainError, InvalidInput, NotFound, RuleViolation, SlotTaken
from booking.extensions import db, login_manager
from booking.i18n import say
from booking.security import is_api_request

log = logging.getLogger(__name__)

_CODES = {
    400: "ongeldig_verzoek",
    401: "niet_ingelogd",
    403: "geen_toegang",
    404: "niet_gevonden",
    405: "methode_niet_toegestaan",
    409: "conflict",
    413: "te_groot",
    415: "verkeerd_formaat",
    422: "regel_geschonden",
    429: "te_veel_verzoeken",
    500: "serverfout",
    503: "tijdelijk_niet_beschikbaar",
}


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("Ongeldig verzoek"),
            _("Het verzoek kon niet worden verwerkt. Probeer het opnieuw."),
        ),
        401: (_("Niet ingelogd"), _("Log in om verder te gaan.")),
        403: (_("Geen toegang"), _("U heeft geen toegang tot deze pagina.")),
        404: (
            _("Pagina niet gevonden"),
            _("Deze pagina bestaat niet (meer), of u heeft er geen toegang toe."),
        ),
        405: (_("Niet toegestaan"), _("Deze handeling is hier niet mogelijk.")),
        409: (_("Al bezet"), _("De ruimte is op dat moment al bezet.")),
        413: (_("Te groot"), _("Wat u verstuurde is te groot.")),
        415: (
            _("Verkeerd formaat"),
            _("Stuur de gegevens als JSON (Content-Type: application/json)."),
        ),
        422: (_("Dit kan niet"), _("Dit verzoek past niet binnen de regels.")),
        429: (
            _("Even geduld"),
            _("Te veel pogingen achter elkaar. Wacht een paar minuten en probeer het opnieuw."),
        ),
        500: (
            _("Er ging iets mis"),
            _("Er ging aan onze kant iets mis. Probeer het later opnieuw."),
        ),
        503: (
            _("Even niet beschikbaar"),
            _("De database is even niet bereikbaar. Probeer het over een paar seconden opnieuw."),
        ),
    }


def _render(status: int, message: str | None = None) -> tuple[str, int] | Response:
    title, default = _messages().get(status, _messages()[400])
    if is_api_request():
        return api_error(status, _CODES.get(status, "fout"), message or default)
    return render_template("errors/error.html", title=title, message=message or default), status


def _handle_http(error: HTTPException) -> tuple[str, int] | Response:
    status = error.code or 500
    if status == 405 and not is_api_request():
        return _render(405)
    return _render(status)


def _handle_domain_error(error: DomainError) -> tuple[str, int] | Response:
    """A refusal from a use case, answered by its kind: the same for every view."""
    if isinstance(error, NotFound):
        return _render(404)
    if isinstance(error, SlotTaken):
        message = _messages()[409][1]
        if _wants_json():
            return api_error(
                409,
                error.code,
                message,
                conflicts=[busy_json(b) for b in error.conflicts],
                alternatives=[alternative_json(a) for a in error.alternatives],
            )
        return _page(409, message)
    if isinstance(error, RuleViolation):
        texts = [say(m) for m in error.problems]
        details: dict[str, object] = {"problems": texts}
        if error.field:
            details["field"] = error.field
        if _wants_json():
            return api_error(error.status, error.code, " ".join(texts), details)
        return _page(error.status, " ".join(texts))
    if isinstance(error, InvalidInput):
        text = say(error.message)
        if _wants_json():
            field = {"field": error.field} if error.field else {}  # "" for the body as a whole
            return api_error(400, error.code, text, {**field, **error.details})
        return _page(400, text)
    return _render(error.status)


def _page(status: int, message: str) -> tuple[str, int]:
    title = _messages().get(status, _messages()[400])[0]
    return render_template("errors/error.html", title=title, message=message), status


def _handle_csrf(error: CSRFError) -> tuple[str, int] | Response:
    return _render(
        400,
        _(
            "Het formulier is verlopen of onvolledig verstuurd. Laad de pagina opnieuw en "
            "probeer het nog eens."
        ),
    )


def _handle_unexpected(error: Exception) -> tuple[str, int] | Response:
    original = getattr(error, "original_exception", None)
    if is_transient_database_error(error) or (
        isinstance(original, Exception) and is_transient_database_error(original)
    ):
        return _database_unavailable(original if original is not None else error)
    # The engine hides bound parameters and PostgreSQL's DETAIL line (booking/database.py),
    # so the traceback shows the statement but no e-mail address or password hash.
    log.exception("unhandled error", exc_info=error)
    recover_session(db.session, error)
    return _render(500)


def _handle_database_error(error: Exception) -> tuple[str, int] | Response:
    if is_transient_database_error(error):
        return _database_unavailable(error)
    return _handle_unexpected(error)


def _database_unavailable(error: Exception) -> Response:
    """503 with Retry-After: a timeout, a held lock or a lost connection. Retrying later
    helps, so this is no bug; the failed transaction is ended so the next request works."""
    log.warning("database temporarily unavailable: %s", describe_database_error(error))
    _answer_without_the_database()
    recover_session(db.session, error)
    status = 503
    title, message = _messages()[status]
    if _wants_json():
        response = api_error(status, _CODES[status], message)
    else:
        response = make_response(
            render_template("errors/error.html", title=title, message=message), status
        )
    retry_after = int(current_app.config.get("DATABASE_RETRY_AFTER_SECONDS", 5))
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


def _answer_without_the_database() -> None:
    """Settle the language, then treat the request as anonymous: the error page must not
    load (or reload) the user from the database that just failed."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or state.expired_attributes:
        g._login_user = login_manager.anonymous_user()
    with suppress(SQLAlchemyError):
        get_locale()  # cached for the request: from the session, a loaded user, the browser
    g._login_user = login_manager.anonymous_user()


def _wants_json() -> bool:
    """The API, and the kiosk's JSON endpoints (a JSON body, or JSON asked for)."""
    if is_api_request() or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"


def _end_database_session(_exc: BaseException | None) -> None:
    """Close the session before Flask-SQLAlchemy removes it, surviving a dead connection.

    Registered after `db.init_app`, so it runs first (teardowns run in reverse). A
    connection killed after the view answered would otherwise make the session's closing
    ROLLBACK raise in the teardown, and the WSGI server turn the finished answer into a
    500; here the failure is logged and the connection invalidated instead.
    """
    if db.session.registry.has():
        release_session(db.session)


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_end_database_session)
    app.register_error_handler(ApiError, render_api_error)
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(DBAPIError, _handle_database_error)
    app.register_error_handler(PoolTimeoutError, _handle_database_error)
    app.register_error_handler(Exception, _handle_unexpected)
