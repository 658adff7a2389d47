"""GET /api/v1/organisations: the caller's own organisations (to book namens one), or with
`?house=slug` the organisations that house's staff see (its beheerder, the gemeente)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.openapi import add_paths, error_response, json_response
from booking.models import Organisation
from booking.rules.organisations import OrganisationKind
from booking.services.organisations import access


def organisation_json(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.id,
        "name": organisation.name,
        "kind": organisation.kind,
        "kvk_number": organisation.kvk_number,
        "billing_street": organisation.billing_street,
        "billing_postcode": organisation.billing_postcode,
        "billing_city": organisation.billing_city,
        "billing_email": organisation.billing_email,
    }


@bp.route("/organisations")
def list_organisations() -> Response:
    """An unknown house, or one whose organisations the caller may not see, is 404."""
    slug = request.args.get("house")
    if slug:
        found = access.house_organisations(current_user, slug)[1]
    else:
        found = access.my_organisations(current_user)
    return jsonify(organisations=[organisation_json(o) for o in found])


_ORGANISATION = {
    "type": "object",
    "required": ["id", "name", "kind"],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": [k.value for k in OrganisationKind]},
        "kvk_number": {"type": ["string", "null"]},
        "billing_street": {"type": "string"},
        "billing_postcode": {"type": "string"},
        "billing_city": {"type": "string"},
        "billing_email": {"type": "string"},
    },
}

add_paths(
    {
        "/organisations": {
            "get": {
                "summary": "Own organisations (book namens one with organisation_id); with "
                "`house`, those the house's staff see",
                "parameters": [{"name": "house", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": json_response(
                        "Organisations",
                        {
                            "type": "object",
                            "required": ["organisations"],
                            "properties": {
                                "organisations": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Organisation"},
                                }
                            },
                        },
                    ),
                    "404": error_response("Unknown house, or not yours to manage"),
                },
            }
        }
    },
    {"Organisation": _ORGANISATION},
)
