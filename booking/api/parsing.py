"""Reading JSON bodies strictly: the right content type, an object, known field types."""

from __future__ import annotations

from typing import Any

from flask import request

from booking.api.errors import ApiError
from booking.rules.numbers import MAX_ID


def json_body() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(
            415, "verkeerd_formaat", "Stuur de gegevens als JSON (Content-Type: application/json)."
        )
    data = request.get_json(silent=True)
    if data is None:
        raise ApiError(400, "ongeldige_json", "De JSON kon niet worden gelezen.")
    if not isinstance(data, dict):
        raise ApiError(400, "ongeldige_json", "Verwacht een JSON-object.")
    return data


def string_field(data: dict[str, Any], name: str, *, max_length: int = 200) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(
            400, "ongeldig_veld", f"Het veld '{name}' ontbreekt of is leeg.", {"field": name}
        )
    if len(value) > max_length:
        raise ApiError(
            400,
            "ongeldig_veld",
            f"Het veld '{name}' is te lang (hoogstens {max_length} tekens).",
            {"field": name},
        )
    return value


def optional_bool(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise ApiError(
            400, "ongeldig_veld", f"Het veld '{name}' moet true of false zijn.", {"field": name}
        )
    return value


def integer_field(
    data: dict[str, Any],
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int = MAX_ID,
) -> int:
    """A whole number; at most what a database INTEGER holds unless a smaller maximum."""
    value = data.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(
            400, "ongeldig_veld", f"Het veld '{name}' moet een geheel getal zijn.", {"field": name}
        )
    if (minimum is not None and value < minimum) or value > maximum:
        raise ApiError(
            400,
            "ongeldig_veld",
            f"Het veld '{name}' valt buiten de toegestane waarden.",
            {"field": name, "minimum": minimum, "maximum": maximum},
        )
    return value
