"""Error pages in Dutch, or the JSON error format under /api/. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from booking.api.errors import ApiError, api_error, render_api_error
from booking.extensions import db
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
        413: (_("Te groot"), _("Wat u verstuurde is te groot.")),
        415: (
            _("Verkeerd formaat"),
            _("Stuur de gegevens als JSON (Content-Type: application/json)."),
        ),
        429: (
            _("Even geduld"),
            _("Te veel pogingen achter elkaar. Wacht een paar minuten en probeer het opnieuw."),
        ),
        500: (
            _("Er ging iets mis"),
            _("Er ging aan onze kant iets mis. Probeer het later opnieuw."),
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


def _handle_csrf(error: CSRFError) -> tuple[str, int] | Response:
    return _render(
        400,
        _(
            "Het formulier is verlopen of onvolledig verstuurd. Laad de pagina opnieuw en "
            "probeer het nog eens."
        ),
    )


def _handle_unexpected(error: Exception) -> tuple[str, int] | Response:
    log.exception("unhandled error", exc_info=error)
    db.session.rollback()
    return _render(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, render_api_error)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)
