"""API endpoints of the foundation: session, houses, the OpenAPI document."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import jsonify, session
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.errors import ApiError
from booking.api.openapi import openapi_document
from booking.api.parsing import json_body, string_field
from booking.extensions import login_rate_limit
from booking.models import User
from booking.security import public_endpoint
from booking.services import accounts, houses
from booking.services import login as login_service


@bp.route("/session", methods=["POST"])
@public_endpoint
@login_rate_limit
def create_session() -> tuple[Response, int]:
    data = json_body()
    now = datetime.now(UTC)
    result = login_service.authenticate(
        string_field(data, "email", max_length=254),
        string_field(data, "password", max_length=200, secret=True),
        now,
    )
    if result.user is None:
        if result.refused and result.blocked_until is not None:
            seconds = int((result.blocked_until - now).total_seconds()) + 1
            error = ApiError(
                429,
                "account_geblokkeerd",
                "Te veel mislukte pogingen voor dit account. Probeer het later opnieuw, of "
                "kies een nieuw wachtwoord.",
                {"retry_after_seconds": seconds},
            )
            error.headers = {"Retry-After": str(seconds)}
            raise error
        raise ApiError(
            401, "onjuiste_inlog", "Dit e-mailadres en wachtwoord horen niet bij elkaar."
        )
    login_user(result.user)
    return jsonify(user=_user_json(result.user)), 200


@bp.route("/session", methods=["GET"])
def get_session() -> Response:
    return jsonify(user=_user_json(current_user))


@bp.route("/session", methods=["DELETE"])
@public_endpoint
def delete_session() -> tuple[str, int]:
    """Like the web logout: every session of the user ends (bearer tokens stay)."""
    if current_user.is_authenticated and "_user_id" in session:
        accounts.end_all_sessions(current_user, now=datetime.now(UTC))
    logout_user()
    return "", 204


def _user_json(user: User) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "houses": sorted({m.house.slug for m in user.memberships}),
    }


@bp.route("/houses")
@public_endpoint
def list_houses() -> Response:
    return jsonify(
        houses=[
            {
                "slug": h.slug,
                "name": h.name,
                "area": h.area.name,
                "area_kind": h.area.kind,
                "rooms": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "capacity": r.capacity,
                        "is_huiskamer": r.is_huiskamer,
                    }
                    for r in h.rooms
                    if r.active
                ],
            }
            for h in houses.list_houses(active_only=True)
        ]
    )


@bp.route("/openapi.json")
@public_endpoint
def openapi() -> Response:
    return jsonify(openapi_document())
