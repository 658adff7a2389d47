"""GET /api/v1/stats/reach: the reach of a house (or, for the gemeente, of all houses).

The answer has exactly the shape of DESIGN section 10, after the same suppression as the
page and the CSV: a small cell is the string "<5", a secondarily hidden one "x". Refusals
are the service's: a malformed period is InvalidInput (400, code "ongeldige_periode"), no
house for anyone but the gemeente 400 "huis_ontbreekt", a house the caller may not see
404, as the registered handler answers them.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.openapi import add_paths, error_response, json_response
from booking.services import reach_figures


@bp.route("/stats/reach")
def stats_reach() -> Response:
    args = request.args
    shown = reach_figures.api_reach(
        current_user, args.get("house"), args.get("from"), args.get("to")
    )
    return jsonify(
        visits=shown.visits,
        distinct_devices=shown.distinct_devices,
        first_visits=shown.first_visits,
        by_channel=shown.by_channel,
        by_area=shown.by_area,
        by_age=shown.by_age,
        by_day={day.isoformat(): cell for day, cell in shown.by_day.items()},
        visitors={
            "distinct": shown.visitors.distinct,
            "returning": shown.visitors.returning,
            "new_this_year": shown.visitors.new,
            "exact": shown.visitors.exact,
        },
    )


_CELL: dict[str, Any] = {
    "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": "^(<[0-9]+|x)$"}],
    "description": 'A count, or "<5" (1 up to the threshold) or "x" (hidden so a "<5" '
    "cannot be recomputed from the total).",
}


def _group_cells(keys: tuple[str, ...], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": list(keys),
        "additionalProperties": False,
        "properties": {k: {"$ref": "#/components/schemas/StatsCell"} for k in keys},
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
                "visitors",
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
                "visitors": {"$ref": "#/components/schemas/ReachVisitors"},
            },
        },
        "ReachVisitors": {
            "type": "object",
            "description": "Distinct visitors counted from keyed hashes (a phone's cookie, "
            "a visitor card's code; per house and reporting year), suppressed with the rest. "
            "telefoon + kaart of `distinct` add up to distinct_devices.",
            "required": ["distinct", "returning", "new_this_year", "exact"],
            "additionalProperties": False,
            "properties": {
                "distinct": _group_cells(("telefoon", "kaart"), "distinct hashes in the period"),
                "returning": _group_cells(
                    ("telefoon", "kaart", "totaal"), "hashes seen on two or more days"
                ),
                "new_this_year": _group_cells(
                    ("telefoon", "kaart", "totaal"),
                    "hashes whose first visit of their reporting year is in the period",
                ),
                "exact": {
                    "type": "boolean",
                    "description": "false when days kept only as daily roll-ups were added: "
                    "distinct is then an upper bound, returning and new count raw visits only",
                },
            },
        },
    },
)
