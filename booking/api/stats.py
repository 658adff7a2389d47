"""GET /api/v1/stats/reach: the reach of a house (or, for the gemeente, of all houses).

The answer has exactly the shape of DESIGN section 10, after the same suppression as the
page and the CSV: a small cell is the string "<5", a secondarily hidden one "x".
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.errors import ApiError
from booking.api.openapi import add_paths, error_response, json_response
from booking.rules.permissions import Permission
from booking.services import houses, stats


def _period() -> stats.Period:
    try:
        return stats.make_period(
            stats.parse_day(request.args.get("from"), "from"),
            stats.parse_day(request.args.get("to"), "to"),
        )
    except stats.StatsError as error:
        raise ApiError(400, "ongeldige_periode", _(error.message, **error.params)) from error


def _scope() -> stats.Scope:
    slug = request.args.get("house")
    if slug is None or not slug.strip():
        if current_user.is_gemeente:
            return stats.Scope()
        raise ApiError(400, "huis_ontbreekt", "Geef een huis op: house=<slug>.")
    house = houses.get_house(slug.strip())
    if house is None or not current_user.can(Permission.see_statistics, house.id):
        raise ApiError(404, "niet_gevonden", "Dit huis bestaat niet, of u ziet de cijfers niet.")
    return stats.Scope((house.id,))


@bp.route("/stats/reach")
def stats_reach() -> Response:
    scope = _scope()
    shown = stats.shown_reach(stats.reach(_period(), scope))
    return jsonify(
        visits=shown.visits,
        distinct_devices=shown.distinct_devices,
        first_visits=shown.first_visits,
        by_channel=shown.by_channel,
        by_area=shown.by_area,
        by_age=shown.by_age,
        by_day={day.isoformat(): cell for day, cell in shown.by_day.items()},
    )


_CELL: dict[str, Any] = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^(<[0-9]+|x)$"}],
    "description": 'A count, or "<5" (1 up to the threshold) or "x" (hidden so a "<5" '
    "cannot be recomputed from the total).",
}
_CELLS = {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/StatsCell"}}

add_paths(
    {
        "/stats/reach": {
            "get": {
                "summary": "Reach of a house in a period, with small cells suppressed",
                "description": "see_statistics in the house (sociaal beheerder, beheerder, "
                "gemeente). Without `house` the gemeente gets all houses together. "
                "Suspicious check-ins are left out.",
                "parameters": [
                    {
                        "name": "house",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string"},
                        "description": "house slug",
                    },
                    {
                        "name": "from",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "date"},
                        "description": "first day (Europe/Amsterdam), inclusive",
                    },
                    {
                        "name": "to",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "format": "date"},
                        "description": "last day, inclusive; at most two years after from",
                    },
                ],
                "responses": {
                    "200": json_response("Reach", {"$ref": "#/components/schemas/Reach"}),
                    "400": error_response("Malformed dates, from after to, over two years"),
                    "401": error_response("Not logged in"),
                    "404": error_response("Unknown house, or not yours to see"),
                },
            }
        }
    },
    {
        "StatsCell": _CELL,
        "Reach": {
            "type": "object",
            "required": [
                "visits",
                "distinct_devices",
                "first_visits",
                "by_channel",
                "by_area",
                "by_age",
                "by_day",
            ],
            "properties": {
                "visits": {"type": "integer"},
                "distinct_devices": {
                    "type": "integer",
                    "description": "exact for raw visits; an upper bound "
                    "for days only kept as daily roll-ups",
                },
                "first_visits": {"$ref": "#/components/schemas/StatsCell"},
                "by_channel": {**_CELLS, "description": "qr, tablet, tally, poster"},
                "by_area": {**_CELLS, "description": "area names, elders, geen_antwoord, onbekend"},
                "by_age": {**_CELLS, "description": "0-17 ... 67+, geen_antwoord, onbekend"},
                "by_day": {**_CELLS, "description": "every day of the period, ISO date keys"},
            },
        },
    },
)
