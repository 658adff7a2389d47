"""Reading JSON bodies strictly: the right content type, an object, known field types."""

from __future__ import annotations

from typing import Any

from flask import request

from booking.api.errors import ApiError
from booking.errors import InvalidInput
from booking.rules.messages import N_, Message
from booking.rules.numbers import MAX_ID, parse_whole_number
from booking.rules.text import check_secret, clean_text, too_long

MAX_JSON_DEPTH = 20
"""Arrays and objects nest at most this deep in a body; ours nest two or three levels."""


def json_body() -> dict[str, Any]:
    if not request.is_json:
        raise ApiError(
            415, "verkeerd_formaat", "Stuur de gegevens als JSON (Content-Type: application/json)."
        )
    try:
        data = request.get_json(silent=True)
    except RecursionError as error:
        # The parser recurses per level: `[[[[...` thousands deep exhausts the stack.
        raise _too_deep() from error
    if _nests_deeper_than(data, MAX_JSON_DEPTH):
        raise _too_deep()
    if data is None:
        raise InvalidInput("", N_("De JSON kon niet worden gelezen."), code="ongeldige_json")
    if not isinstance(data, dict):
        raise InvalidInput("", N_("Verwacht een JSON-object."), code="ongeldige_json")
    return data


def _too_deep() -> InvalidInput:
    return InvalidInput(
        "",
        Message(
            N_("De JSON is te diep genest (hoogstens %(max)s niveaus)."), {"max": MAX_JSON_DEPTH}
        ),
        code="ongeldige_json",
        max_depth=MAX_JSON_DEPTH,
    )


def _nests_deeper_than(data: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels; iterative, so no recursion."""
    pending: list[tuple[Any, int]] = [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            children: Any = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth + 1 > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


def query_integer(name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """An optional whole-number query parameter (a filter): absent or empty is None.

    Anything else that is not ASCII digits within minimum..maximum is a 400 naming the
    parameter, never silently ignored (`?room_id=abc` would otherwise list every room) and
    never a number beyond a database INTEGER.
    """
    text = request.args.get(name)
    if text is None or not text.strip():
        return None
    value = parse_whole_number(text.strip(), maximum)
    if value is None or value < minimum:
        raise InvalidInput(
            name,
            Message(
                N_(
                    "De parameter '%(name)s' moet een geheel getal van %(min)s tot en met "
                    "%(max)s zijn."
                ),
                {"name": name, "min": minimum, "max": maximum},
            ),
            minimum=minimum,
            maximum=maximum,
        )
    return value


def string_field(
    data: dict[str, Any], name: str, *, max_length: int = 200, secret: bool = False
) -> str:
    """A text field under the one text rule (booking.rules.text); a password as `secret`."""
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _missing(name)
    result = (
        check_secret(value, max_length=max_length)
        if secret
        else clean_text(value, max_length=max_length)
    )
    if result == too_long(max_length):
        raise InvalidInput(
            name,
            Message(
                N_("Het veld '%(name)s' is te lang (hoogstens %(max)s tekens)."),
                {"name": name, "max": max_length},
            ),
        )
    if isinstance(result, Message):
        # The text rule's messages without params (too long was answered above).
        raise InvalidInput(
            name,
            Message(
                N_("Het veld '%(name)s': %(problem_label)s"),
                {"name": name, "problem_label": result.template},
            ),
        )
    if not result.strip():
        raise _missing(name)
    return result


def _missing(name: str) -> InvalidInput:
    return InvalidInput(
        name, Message(N_("Het veld '%(name)s' ontbreekt of is leeg."), {"name": name})
    )


def optional_bool(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput(
            name, Message(N_("Het veld '%(name)s' moet true of false zijn."), {"name": name})
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
        raise InvalidInput(
            name, Message(N_("Het veld '%(name)s' moet een geheel getal zijn."), {"name": name})
        )
    if (minimum is not None and value < minimum) or value > maximum:
        raise InvalidInput(
            name,
            Message(N_("Het veld '%(name)s' valt buiten de toegestane waarden."), {"name": name}),
            minimum=minimum,
            maximum=maximum,
        )
    return value
