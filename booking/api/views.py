"""API endpoints of the foundation: session, houses, the OpenAPI document."""

from __future__ import annotations

from flask import current_app, jsonify
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from booking.api import bp
from booking.api.errors import ApiError
from booking.api.openapi import openapi_document
from booking.api.parsing import json_body, string_field
from booking.extensions import db, limiter
from booking.models import User
from booking.security import public_endpoint
from booking.services import accounts, houses


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/session", methods=["POST"])
@public_endpoint
@limiter.limit(_login_limit, deduct_when=lambda r: r.status_code >= 400)
def create_session() -> tuple[Response, int]:
    data = json_body()
    user = accounts.authenticate(
        string_field(data, "email", max_length=254), string_field(data, "password")
    )
    if user is None:
        raise ApiError(
            401, "onjuiste_inlog", "Dit e-mailadres en wachtwoord horen niet bij elkaar."
        )
    login_user(user)
    db.session.commit()
    return jsonify(user=_user_json(user)), 200


@bp.route("/session", methods=["GET"])
def get_session() -> Response:
    return jsonify(user=_user_json(current_user))


@bp.route("/session", methods=["DELETE"])
@public_endpoint
def delete_session() -> tuple[str, int]:
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
            for h in houses.list_houses()
        ]
    )


@bp.route("/openapi.json")
@public_endpoint
def openapi() -> Response:
    return jsonify(openapi_document())
