"""The JSON error shape of DESIGN section 10: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from werkzeug.wrappers import Response


class ApiError(Exception):
    """An answer of the HTTP protocol itself, not a refusal of a use case.

    Only for what `booking/errors.py` has no kind for because it is about the request's
    wire, not the domain: a body that is not JSON (415), a wrong login (401), a blocked
    account with its Retry-After (429). Everything a use case refuses is a kind of
    `booking/errors.py`, answered by `booking/error_pages.py`.
    """

    def __init__(
        self, status: int, code: str, message: str, details: Any = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
        self.extra = extra
        self.headers: dict[str, str] = {}


def api_error(status: int, code: str, message: str, details: Any = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "error": {
            "code": code,
            "message": message,
            "details": details if details is not None else {},
        }
    }
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    return response


def render_api_error(error: ApiError) -> Response:
    response = api_error(error.status, error.code, error.message, error.details, **error.extra)
    response.headers.update(error.headers)
    return response
