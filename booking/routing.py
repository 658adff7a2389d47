"""The app's `int` URL converter: ids bounded to what a database INTEGER holds.

Werkzeug's own converter matches any run of `\\d` (Arabic-Indic digits too) and converts
it however long it is, so `/ruimtes/99999999999999999999` reached the database and came
back as an overflow (a 500), and 5000 digits exceed Python's int-from-text limit. This
converter matches ASCII digits only, at most as many as MAX_ID has, and refuses values
above MAX_ID: such a URL matches no route and answers 404, on every page and in the API.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

from booking.rules.numbers import MAX_ID


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` with max=MAX_ID unless the rule names a smaller (or other) max."""

    regex = rf"[0-9]{{1,{len(str(MAX_ID))}}}"

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
