"""POST /api/v1/kiosks: a beheerder creates a kiosk and gets its one-time pairing code."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.openapi import add_paths, error_response, json_request, json_response
from booking.api.parsing import integer_field, json_body
from booking.rules.numbers import MAX_ID
from booking.urls import public_url
from kiosk import pairing


@bp.route("/kiosks", methods=["POST"])
def create_kiosk() -> tuple[Response, int]:
    """An unknown room, or one the caller does not manage, is 404 (the error handler)."""
    room_id = integer_field(json_body(), "room_id", minimum=1)
    kiosk, code = pairing.create_kiosk(current_user, room_id, datetime.now(UTC))
    url = public_url("kiosk.pair_link", code=code.replace("-", ""))
    return jsonify(id=kiosk.id, pairing_code=code, pairing_url=url), 201


add_paths(
    {
        "/kiosks": {
            "post": {
                "summary": "Create a kiosk for a room; returns a one-time pairing code",
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["room_id"],
                        "properties": {
                            "room_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID}
                        },
                    }
                ),
                "responses": {
                    "201": json_response(
                        "Kiosk created",
                        {
                            "type": "object",
                            "properties": {
                                "id": {"type": "integer"},
                                "pairing_code": {"type": "string"},
                                "pairing_url": {"type": "string"},
                            },
                        },
                    ),
                    "400": error_response("Bad input"),
                    "401": error_response("Not logged in"),
                    "404": error_response("Unknown room, or not yours to manage"),
                },
            }
        }
    }
)
