"""The OpenAPI description of the booking endpoints (booking/api/bookings.py).

Kept apart from the views so each stays readable; the closed vocabularies come from the
enums of booking/rules, so the document cannot drift from what the API accepts and sends.
"""

from __future__ import annotations

from typing import Any

from booking.api.booking_input import MAX_CONTRIBUTION_CENTS
from booking.api.openapi import error_response, json_request, json_response
from booking.api.outcome_schema import CALENDAR_TOKEN, QUOTE_CALENDAR_PROPERTIES
from booking.rules.numbers import MAX_ID
from booking.rules.statuses import AlternativeKind, BookingStatus, OrganiserKind, TariffGroup

_ACTIVITY = {
    "type": "object",
    "required": ["organiser_kind"],
    "properties": {
        "organiser_kind": {
            "type": "string",
            "enum": [k.value for k in OrganiserKind],
        },
        "open_to_all": {"type": "boolean"},
        "membership_required": {"type": "boolean"},
        "contribution_cents": {
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_CONTRIBUTION_CENTS,
        },
        "profit_making": {"type": "boolean"},
        "subsidised": {"type": "boolean"},
        "mainly_meeting": {"type": "boolean"},
        "gives_in_return": {"type": "boolean"},
    },
}
_MOMENT = {
    "type": "string",
    "maxLength": 40,
    "description": "ISO 8601; without an offset: Europe/Amsterdam; in the years 2000-2100",
}
_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_ID_IN_PATH = {"name": "id", "in": "path", "required": True, "schema": _ID}
_EMPTY = {"type": "string", "enum": [""]}


def _optional_filter(minimum: int = 1) -> dict[str, object]:
    """A whole-number query filter; left empty (as a GET form sends it) it does not filter."""
    return {
        "anyOf": [{"type": "integer", "minimum": minimum, "maximum": MAX_ID}, _EMPTY],
        "description": "empty: no filter",
    }


_BOOKING = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "room_id": {"type": "integer"},
        "house": {"type": "string"},
        "title": {"type": "string"},
        "public": {"type": "boolean"},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "status": {
            "type": "string",
            "enum": [s.value for s in BookingStatus],
        },
        "status_reason": {"type": "string"},
        "tariff_group": {"type": "string", "enum": [g.value for g in TariffGroup]},
        "priority_class": {"type": "integer", "minimum": 1, "maximum": 4},
        "amount_cents": {"type": "integer"},
        "list_price_cents": {"type": "integer"},
        "series_id": {"type": ["integer", "null"]},
        "organiser_id": {"type": ["integer", "null"]},
        "organisation_id": {
            "type": ["integer", "null"],
            "description": "the organisation booked namens (invoiced), or null",
        },
        "displaced": {"type": "array", "items": {"type": "integer"}},
    },
}
_SERIES = {
    "type": "object",
    "required": ["series_id", "occurrences", "conflicts"],
    "properties": {
        "series_id": {"type": "integer"},
        "occurrences": {"type": "array", "items": {"$ref": "#/components/schemas/Booking"}},
        "conflicts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "start": {"type": "string"},
                    "end": {"type": "string"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
_BUSY = {
    "type": "object",
    "properties": {
        "start": {"type": "string"},
        "end": {"type": "string"},
        "title": {"type": ["string", "null"], "description": "only for public bookings"},
        "provisional": {"type": "boolean"},
    },
}
_ALTERNATIVE = {
    "type": "object",
    "properties": {
        "kind": {
            "type": "string",
            "enum": [k.value for k in AlternativeKind],
        },
        "room_id": {"type": "integer"},
        "room": {"type": "string"},
        "house": {"type": "string"},
        "start": {"type": "string"},
        "end": {"type": "string"},
    },
}
_BOOKING_REQUEST = {
    "type": "object",
    "required": ["room_id", "start", "end", "title", "activity"],
    "properties": {
        "room_id": _ID,
        "start": _MOMENT,
        "end": _MOMENT,
        "title": {"type": "string", "maxLength": 200},
        "public": {"type": "boolean"},
        "activity": {"$ref": "#/components/schemas/Activity"},
        "calendar_token": CALENDAR_TOKEN,
        "organisation_id": {
            "anyOf": [_ID, {"type": "null"}],
            "description": "book namens an organisation the caller is a contact of "
            "(GET /organisations); 404 otherwise. The activity still decides the tariff.",
        },
        "recurrence": {
            "type": "object",
            "required": ["freq", "until"],
            "properties": {
                "freq": {"type": "string", "enum": ["weekly", "monthly"]},
                "interval": {"type": "integer", "minimum": 1, "maximum": 52},
                "until": {
                    "type": "string",
                    "format": "date",
                    "description": "inclusive; in the years 2000-2100",
                },
            },
        },
    },
}
_SKIPPED_HOUR = error_response("A local time in the hour skipped for summer time")
_ERRORS = {
    "400": error_response("Bad input"),
    "401": error_response("Not logged in"),
    "404": error_response("Unknown, or not yours to see"),
    "422": error_response("A rule of the house is broken (details.problems)"),
}

PATHS: dict[str, dict[str, Any]] = {
    "/rooms/{id}/availability": {
        "get": {
            "summary": "Busy intervals (no private details) and opening hours of a room",
            "security": [],
            "parameters": [
                _ID_IN_PATH,
                {"name": "from", "in": "query", "schema": _MOMENT},
                {"name": "to", "in": "query", "schema": _MOMENT},
            ],
            "responses": {
                "200": json_response(
                    "Availability",
                    {
                        "type": "object",
                        "properties": {
                            "room_id": {"type": "integer"},
                            "house": {"type": "string"},
                            "busy": {"type": "array", "items": _BUSY},
                            "opening_hours": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "weekday": {
                                            "type": "integer",
                                            "minimum": 0,
                                            "maximum": 6,
                                        },
                                        "opens": {"type": "string"},
                                        "closes": {"type": "string"},
                                    },
                                },
                            },
                        },
                    },
                ),
                "400": _ERRORS["400"],
                "404": _ERRORS["404"],
                "422": _SKIPPED_HOUR,
            },
        }
    },
    "/free-rooms": {
        "get": {
            "summary": "Rooms free for a whole slot, across all houses",
            "security": [],
            "parameters": [
                {"name": "start", "in": "query", "required": True, "schema": _MOMENT},
                {"name": "end", "in": "query", "required": True, "schema": _MOMENT},
                {"name": "capacity", "in": "query", "schema": _optional_filter()},
                {"name": "house", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": json_response(
                    "Free rooms",
                    {
                        "type": "object",
                        "required": ["rooms"],
                        "properties": {
                            "rooms": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "name": {"type": "string"},
                                        "capacity": {"type": "integer"},
                                        "house": {"type": "string"},
                                        "house_name": {"type": "string"},
                                    },
                                },
                            }
                        },
                    },
                ),
                "400": _ERRORS["400"],
                "404": _ERRORS["404"],
                "422": _SKIPPED_HOUR,
            },
        }
    },
    "/quote": {
        "post": {
            "summary": "Tariff group, priority class, price and reasons, before booking",
            "requestBody": json_request(
                {
                    "type": "object",
                    "required": ["room_id", "start", "end", "activity"],
                    "properties": {
                        "room_id": _ID,
                        "start": _MOMENT,
                        "end": _MOMENT,
                        "activity": {"$ref": "#/components/schemas/Activity"},
                        "recurrence": _BOOKING_REQUEST["properties"]["recurrence"],
                    },
                }
            ),
            "responses": {
                "200": json_response(
                    "Quote",
                    {
                        "type": "object",
                        "properties": {
                            "tariff_group": {"type": "string"},
                            "priority_class": {"type": "integer"},
                            "amount_cents": {"type": "integer"},
                            "reasons": {"type": "array", "items": {"type": "string"}},
                            "problems": {"type": "array", "items": {"type": "string"}},
                            **QUOTE_CALENDAR_PROPERTIES,
                        },
                    },
                ),
                **_ERRORS,
            },
        }
    },
    "/bookings": {
        "post": {
            "summary": "Book a room once, or as a series with `recurrence`",
            "requestBody": json_request(_BOOKING_REQUEST),
            "responses": {
                "201": json_response(
                    "Booked (a single booking, or {series_id, occurrences, conflicts})",
                    {
                        "anyOf": [
                            {"$ref": "#/components/schemas/Booking"},
                            {"$ref": "#/components/schemas/Series"},
                        ]
                    },
                ),
                "409": json_response(
                    "The slot is taken",
                    {
                        "type": "object",
                        "properties": {
                            "error": {"$ref": "#/components/schemas/Error/properties/error"},
                            "conflicts": {"type": "array", "items": _BUSY},
                            "alternatives": {"type": "array", "items": _ALTERNATIVE},
                        },
                    },
                ),
                **_ERRORS,
            },
        },
        "get": {
            "summary": "Bookings the caller may see",
            "parameters": [
                {"name": "house", "in": "query", "schema": {"type": "string"}},
                {"name": "room_id", "in": "query", "schema": _optional_filter()},
                {"name": "from", "in": "query", "schema": _MOMENT},
                {"name": "to", "in": "query", "schema": _MOMENT},
            ],
            "responses": {
                "200": json_response(
                    "Bookings",
                    {
                        "type": "object",
                        "properties": {
                            "bookings": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Booking"},
                            }
                        },
                    },
                ),
                "400": _ERRORS["400"],
                "401": _ERRORS["401"],
                "422": _SKIPPED_HOUR,
            },
        },
    },
    "/bookings/{id}": {
        "get": {
            "summary": "One booking",
            "parameters": [_ID_IN_PATH],
            "responses": {
                "200": json_response("Booking", {"$ref": "#/components/schemas/Booking"}),
                "401": _ERRORS["401"],
                "404": _ERRORS["404"],
            },
        },
        "delete": {
            "summary": "Cancel a booking",
            "parameters": [_ID_IN_PATH],
            "responses": {
                "200": json_response("Cancelled", {"$ref": "#/components/schemas/Booking"}),
                "401": _ERRORS["401"],
                "404": _ERRORS["404"],
                "422": _ERRORS["422"],
            },
        },
    },
}
"""The booking routes of the OpenAPI document (registered by booking/api/bookings.py)."""

SCHEMAS: dict[str, dict[str, Any]] = {"Activity": _ACTIVITY, "Booking": _BOOKING, "Series": _SERIES}
