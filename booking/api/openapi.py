"""The OpenAPI 3.1 document of /api/v1, extended by each area that adds endpoints.

Areas register their paths with `add_paths`; the document is assembled on request so it
always matches what is registered.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

_PATHS: dict[str, dict[str, Any]] = {}
_SCHEMAS: dict[str, dict[str, Any]] = {}


def add_paths(
    paths: dict[str, dict[str, Any]], schemas: dict[str, dict[str, Any]] | None = None
) -> None:
    for path, operations in paths.items():
        _PATHS.setdefault(path, {}).update(operations)
    _SCHEMAS.update(schemas or {})


def error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def json_request(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string", "description": "Dutch, safe to show to a user"},
                "details": {"type": "object"},
            },
        }
    },
}

add_paths(
    {
        "/session": {
            "post": {
                "summary": "Log in with e-mail and password (session cookie)",
                "security": [],
                "requestBody": json_request({"$ref": "#/components/schemas/Credentials"}),
                "responses": {
                    "200": json_response("Logged in", {"$ref": "#/components/schemas/SessionUser"}),
                    "400": error_response("Malformed body"),
                    "401": error_response("Wrong e-mail or password"),
                    "415": error_response("Not JSON"),
                    "429": error_response("Too many failed attempts"),
                },
            },
            "get": {
                "summary": "The logged-in user",
                "responses": {
                    "200": json_response("The user", {"$ref": "#/components/schemas/SessionUser"}),
                    "401": error_response("Not logged in"),
                },
            },
            "delete": {
                "summary": "Log out",
                "security": [],
                "responses": {"204": {"description": "Logged out"}},
            },
        },
        "/houses": {
            "get": {
                "summary": "Houses with their rooms (public)",
                "security": [],
                "responses": {
                    "200": json_response(
                        "Houses",
                        {
                            "type": "object",
                            "properties": {
                                "houses": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/House"},
                                }
                            },
                        },
                    )
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": {"200": {"description": "OpenAPI"}},
            }
        },
    },
    {
        "Error": ERROR_SCHEMA,
        "Credentials": {
            "type": "object",
            "required": ["email", "password"],
            "properties": {
                "email": {"type": "string", "format": "email"},
                "password": {"type": "string"},
            },
        },
        "SessionUser": {
            "type": "object",
            "properties": {
                "user": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"},
                        "email": {"type": "string"},
                        "name": {"type": "string"},
                        "role": {
                            "type": "string",
                            "enum": [
                                "initiatiefnemer",
                                "gastheer",
                                "sociaal_beheerder",
                                "beheerder",
                                "gemeente",
                            ],
                        },
                        "houses": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
        },
        "House": {
            "type": "object",
            "required": ["slug", "name", "area", "rooms"],
            "properties": {
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "area": {"type": "string", "description": "wijk or kern"},
                "area_kind": {"type": "string", "enum": ["wijk", "kern"]},
                "rooms": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "capacity": {"type": "integer"},
                            "is_huiskamer": {"type": "boolean"},
                        },
                    },
                },
            },
        },
    },
)


def _with_common_responses(paths: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The answers any operation can give, whatever its area wrote down.

    A query string with a control character is refused (400) before any view runs, a
    protected operation answers 401 without a login, a body is bounded (413, 1 MiB) and
    must be JSON (415), and a briefly unreachable database answers 503.
    """
    for operations in paths.values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("400", error_response("Bad input"))
            if operation.get("security") != []:
                responses.setdefault("401", error_response("Not logged in"))
            if "requestBody" in operation:
                responses.setdefault("413", error_response("Body larger than 1 MiB"))
                responses.setdefault("415", error_response("Not JSON"))
            responses.setdefault(
                "503", error_response("Database briefly unavailable; retry after Retry-After")
            )
    return paths


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Buurthuis API",
            "version": "1",
            "description": "Room booking and anonymous reach statistics for community centres. "
            "Times are ISO 8601; without an offset they mean Europe/Amsterdam. "
            'Errors: {"error": {"code", "message", "details"}}.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": _with_common_responses(deepcopy(_PATHS)),
        "components": {
            "schemas": deepcopy(_SCHEMAS),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "flask users token EMAIL",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
