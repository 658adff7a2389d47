"""PATCH /api/v1/bookings/{id}: change a booking (services/booking_changes.py).

The body takes the fields of a new booking that can change — room_id, start, end, title,
public, activity — each optional, plus `scope` ("occurrence" or "rest_of_series").
Refusals are the JSON error of DESIGN section 10 (404, 409 with alternatives, 422).

Imported after `bookings` (booking/api/__init__.py): for an id beyond what the database
holds, Werkzeug answers the method of the first rule on the path with 404 and the others
with 405, so GET /api/v1/bookings/{id} must be registered first to stay a 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api import booking_schema
from booking.api.blueprint import bp
from booking.api.booking_input import parse_activity, parse_moment, parse_room_id, parse_title
from booking.api.openapi import error_response, json_request, json_response
from booking.api.parsing import json_body, optional_bool
from booking.api.serialise import booking_json
from booking.errors import InvalidInput
from booking.rules.messages import N_
from booking.services.booking_changes import ChangeRequest, change_booking

SCOPES = ("occurrence", "rest_of_series")


def parse_change(data: dict[str, Any]) -> ChangeRequest:
    scope = data.get("scope", "occurrence")
    if scope not in SCOPES:
        raise InvalidInput("scope", N_("'scope' is occurrence of rest_of_series."))
    return ChangeRequest(
        room_id=parse_room_id(data) if "room_id" in data else None,
        start=parse_moment(data["start"], "start") if "start" in data else None,
        end=parse_moment(data["end"], "end") if "end" in data else None,
        title=parse_title(data) if "title" in data else None,
        public=optional_bool(data, "public") if "public" in data else None,
        activity=parse_activity(data) if "activity" in data else None,
        rest_of_series=scope == "rest_of_series",
    )


@bp.route("/bookings/<int:booking_id>", methods=["PATCH"])
def change_booking_api(booking_id: int) -> Response:
    change = parse_change(json_body())
    changed = change_booking(booking_id, current_user, change, now=datetime.now(UTC))
    first = changed.bookings[0]
    body = booking_json(first, changed.displaced)
    body["changed"] = [b.id for b in changed.bookings]
    return jsonify(body)


_CHANGE = {
    "type": "object",
    "properties": {
        "room_id": booking_schema._ID,
        "start": {"type": "string", "maxLength": 40},
        "end": {"type": "string", "maxLength": 40},
        "title": {"type": "string", "maxLength": 200},
        "public": {"type": "boolean"},
        "activity": {"$ref": "#/components/schemas/Activity"},
        "scope": {"type": "string", "enum": list(SCOPES), "default": "occurrence"},
    },
}

PATHS = {
    "/bookings/{id}": {
        "patch": {
            "summary": "Change a booking (time, room, title, public, answers)",
            "description": "Judged like a new booking; the id and UID stay, SEQUENCE rises.",
            "parameters": [booking_schema._ID_IN_PATH],
            "requestBody": json_request(_CHANGE),
            "responses": {
                "200": json_response("Changed", {"$ref": "#/components/schemas/Booking"}),
                "400": error_response("Invalid input"),
                "401": error_response("Not logged in"),
                "404": error_response("No such booking of yours"),
                "409": booking_schema.PATHS["/bookings"]["post"]["responses"]["409"],
                "422": error_response("Past, cancelled, closed or outside opening hours"),
            },
        }
    }
}


def register() -> None:
    from booking.api.openapi import add_paths

    add_paths(PATHS, {"BookingChange": _CHANGE})


register()
