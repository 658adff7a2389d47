"""Feed endpoints: make a secret calendar feed URL, and revoke it (DESIGN section 10)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.openapi import add_paths, error_response, json_request, json_response
from booking.api.parsing import json_body
from booking.errors import NotFound
from booking.rules.numbers import MAX_ID
from booking.services import feeds


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/feeds", methods=["POST"])
def create_feed() -> tuple[Response, int]:
    """The URL is in the answer once; only its hash is stored, so it cannot be read back."""
    data = json_body()
    target_id = data.get("id")
    if (
        data.get("scope") == "room"
        and isinstance(target_id, int)
        and not isinstance(target_id, bool)
        and not 1 <= target_id <= MAX_ID
    ):
        # No room has such an id (and the database could not even compare it): 404.
        raise NotFound(target_id)
    created = feeds.create_feed(current_user, data.get("scope"), target_id, now=_now())
    return jsonify(id=created.feed.id, url=created.url), 201


@bp.route("/feeds/<int:feed_id>", methods=["DELETE"])
def revoke_feed(feed_id: int) -> tuple[str, int]:
    feeds.revoke_feed(current_user, feed_id, now=_now())
    return "", 204


add_paths(
    {
        "/feeds": {
            "post": {
                "summary": "Make a secret iCalendar feed URL (shown once; revoke to stop it)",
                "requestBody": json_request({"$ref": "#/components/schemas/FeedRequest"}),
                "responses": {
                    "201": json_response("The feed", {"$ref": "#/components/schemas/Feed"}),
                    "400": error_response("Unknown scope, missing or malformed id"),
                    "401": error_response("Not logged in"),
                    "404": error_response("No such house or room, or not yours to publish"),
                    "415": error_response("Not JSON"),
                    "422": error_response("Too many live feeds"),
                },
            }
        },
        "/feeds/{id}": {
            "delete": {
                "summary": "Revoke a feed (its owner, or feed staff of its house)",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    }
                ],
                "responses": {
                    "204": {"description": "Revoked"},
                    "401": error_response("Not logged in"),
                    "404": error_response("Unknown, already revoked, or not yours"),
                },
            }
        },
    },
    {
        "FeedRequest": {
            "type": "object",
            "required": ["scope"],
            "properties": {
                "scope": {"type": "string", "enum": ["house", "room", "mine", "public"]},
                "id": {
                    "oneOf": [{"type": "string"}, {"type": "integer"}],
                    "description": "house slug for house and public, room id for room, "
                    "absent for mine",
                },
            },
        },
        "Feed": {
            "type": "object",
            "required": ["id", "url"],
            "properties": {
                "id": {"type": "integer"},
                "url": {
                    "type": "string",
                    "format": "uri",
                    "description": "https URL of the .ics feed; use webcal:// for one-click "
                    "subscribing. Keep it secret.",
                },
            },
        },
    },
)
