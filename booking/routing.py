"""The app's `int` URL converter: ids bounded to what a database INTEGER holds.

Werkzeug's own converter matches any run of `\\d` (Arabic-Indic digits too) and converts
it however long it is, so `/ruimtes/99999999999999999999` reached the database and came
back as an overflow (a 500), and 5000 digits exceed Python's int-from-text limit. This
converter matches ASCII decimal numbers up to MAX_ID only (`at_most`), and refuses values
above MAX_ID: such a URL matches no route and answers 404, on every page and in the API,
whatever the method.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from booking.rules.numbers import MAX_ID


def at_most(limit: int) -> str:
    """A regex matching exactly the ASCII decimal numbers 0..`limit`, written with at most as
    many digits as `limit` (leading zeros allowed).

    The regex itself must refuse a too large id, not only `to_python`: werkzeug notes a
    rule whose path matched for another method before converting, so `PATCH /bookings/<too
    large>` answered 405 (from the GET and DELETE rules) instead of 404.
    """
    digits = str(limit)
    shorter = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    below = [
        f"{digits[:i]}[0-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}"
        for i, d in enumerate(digits)
        if d != "0"
    ]
    return "(?:" + "|".join([*shorter, *below, digits]) + ")"


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` with max=MAX_ID unless the rule names a smaller (or other) max."""

    regex = at_most(MAX_ID)

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(url_map: Map) -> None:
    """Use the bounded converter for every `<int:...>` rule added from now on."""
    url_map.converters["int"] = BoundedIntConverter
