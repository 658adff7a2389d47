"""Booking endpoints: availability, quote, book (single or series), list, get, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.blueprint import bp
from booking.api.booking_input import (
    MAX_CONTRIBUTION_CENTS,
    parse_activity,
    parse_moment,
    parse_recurrence,
    parse_room_id,
    parse_slot,
    parse_title,
)
from booking.api.errors import ApiError
from booking.api.openapi import add_paths, error_response, json_request, json_response
from booking.api.parsing import json_body, optional_bool, query_integer
from booking.api.serialise import (
    alternative_json,
    booking_json,
    busy_json,
    occurrence_conflict_json,
    quote_json,
)
from booking.extensions import db
from booking.i18n import say
from booking.rules.numbers import MAX_ID
from booking.rules.recurrence import RecurrenceError
from booking.security import public_endpoint
from booking.services import availability, bookings, houses
from booking.services import booking_queries as queries
from booking.services.quote_tokens import quote_token

MAX_RANGE = timedelta(days=62)


def _now() -> datetime:
    return datetime.now(UTC)


def _raise_for(error: bookings.BookingError) -> None:
    if isinstance(error, bookings.NotFound):
        raise ApiError(404, "niet_gevonden", "Niet gevonden.")
    if isinstance(error, bookings.RuleViolation):
        texts = [say(m) for m in error.problems]
        raise ApiError(422, "regel_geschonden", " ".join(texts), {"problems": texts})
    if isinstance(error, bookings.SlotTaken):
        raise ApiError(
            409,
            "bezet",
            "De ruimte is op dat moment al bezet.",
            conflicts=[busy_json(b) for b in error.conflicts],
            alternatives=[alternative_json(a) for a in error.alternatives],
        )
    raise error


def _range_args(default_days: int = 7) -> tuple[datetime, datetime]:
    start = parse_moment(request.args["from"], "from") if "from" in request.args else _now()
    end = (
        parse_moment(request.args["to"], "to")
        if "to" in request.args
        else start + timedelta(days=default_days)
    )
    if end <= start or end - start > MAX_RANGE:
        raise ApiError(
            400, "ongeldige_periode", "'to' moet na 'from' liggen, hoogstens 62 dagen later."
        )
    return start, end


@bp.route("/rooms/<int:room_id>/availability")
@public_endpoint
def room_availability(room_id: int) -> Response:
    room = houses.get_room(room_id)
    if room is None or not room.active:
        raise ApiError(404, "niet_gevonden", "Deze ruimte bestaat niet.")
    start, end = _range_args()
    return jsonify(
        room_id=room.id,
        house=room.house.slug,
        busy=[busy_json(b) for b in availability.busy(room.id, start, end)],
        opening_hours=[
            {
                "weekday": p.weekday,
                "opens": p.opens.strftime("%H:%M"),
                "closes": p.closes.strftime("%H:%M"),
            }
            for p in room.house.opening_hours
        ],
    )


@bp.route("/quote", methods=["POST"])
def quote() -> Response:
    data = json_body()
    room_id, (start, end), activity = parse_room_id(data), parse_slot(data), parse_activity(data)
    try:
        result = bookings.quote(room_id, start, end, activity, now=_now())
    except bookings.BookingError as error:
        _raise_for(error)
    token = quote_token(room_id, start, end, activity, parse_recurrence(data))
    return jsonify({**quote_json(result), "quote_token": token})


@bp.route("/bookings", methods=["POST"])
def create_booking() -> tuple[Response, int]:
    data = json_body()
    room_id, (start, end) = parse_room_id(data), parse_slot(data)
    title, activity = parse_title(data), parse_activity(data)
    public, recurrence = optional_bool(data, "public"), parse_recurrence(data)
    try:
        if recurrence is None:
            booked = bookings.create_booking(
                current_user, room_id, start, end, title, public, activity, now=_now()
            )
            body = booking_json(booked.booking, booked.displaced)
        else:
            series = bookings.create_series(
                current_user, room_id, start, end, title, public, activity, recurrence, now=_now()
            )
            body = {
                "series_id": series.series.id,
                "occurrences": [booking_json(b.booking, b.displaced) for b in series.occurrences],
                "conflicts": [occurrence_conflict_json(c) for c in series.conflicts],
            }
    except RecurrenceError as error:
        db.session.rollback()
        raise ApiError(422, "regel_geschonden", say(error.message)) from error
    except bookings.BookingError as error:
        db.session.rollback()
        _raise_for(error)
    db.session.commit()
    return jsonify(body), 201


@bp.route("/bookings")
def list_bookings() -> Response:
    start, end = _range_args(default_days=31)
    room_id = query_integer("room_id")
    house_slug = request.args.get("house")
    found = queries.visible_bookings(
        current_user, start, end, house_slug=house_slug, room_id=room_id, now=_now()
    )
    return jsonify(bookings=[booking_json(b) for b in found])


@bp.route("/bookings/<int:booking_id>")
def get_booking(booking_id: int) -> Response:
    try:
        booking = bookings.visible_booking(booking_id, current_user, _now())
    except bookings.BookingError as error:
        _raise_for(error)
    return jsonify(booking_json(booking))


@bp.route("/bookings/<int:booking_id>", methods=["DELETE"])
def cancel_booking(booking_id: int) -> Response:
    try:
        booking = bookings.cancel_booking(booking_id, current_user, now=_now())
    except bookings.BookingError as error:
        db.session.rollback()
        _raise_for(error)
    db.session.commit()
    return jsonify(booking_json(booking))


@bp.route("/free-rooms")
@public_endpoint
def free_rooms() -> Response:
    """Rooms free for a whole slot, across all houses unless narrowed by house or capacity."""
    start = parse_moment(request.args.get("start"), "start")
    end = parse_moment(request.args.get("end"), "end")
    if end <= start or end - start > timedelta(hours=24):
        raise ApiError(400, "ongeldige_periode", "'end' moet na 'start' liggen, op dezelfde dag.")
    house = houses.get_house(request.args["house"]) if request.args.get("house") else None
    if request.args.get("house") and house is None:
        raise ApiError(404, "niet_gevonden", "Dit huis bestaat niet.")
    capacity = query_integer("capacity") or 1
    rooms = availability.free_rooms(
        start, end, _now(), min_capacity=capacity, house_id=house.id if house else None
    )
    return jsonify(
        rooms=[
            {
                "id": r.id,
                "name": r.name,
                "capacity": r.capacity,
                "house": r.house.slug,
                "house_name": r.house.name,
            }
            for r in rooms
        ]
    )


_ACTIVITY = {
    "type": "object",
    "required": ["organiser_kind"],
    "properties": {
        "organiser_kind": {
            "type": "string",
            "enum": [
                "bewoners",
                "vereniging",
                "maatschappelijk",
                "sociale_onderneming",
                "commercieel",
                "gemeente",
            ],
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
            "enum": [
                "aangevraagd",
                "onder_voorbehoud",
                "bevestigd",
                "geannuleerd",
                "verdrongen",
                "afgewezen",
            ],
        },
        "status_reason": {"type": "string"},
        "tariff_group": {"type": "string", "enum": ["T1", "T2", "T3", "T4"]},
        "priority_class": {"type": "integer", "minimum": 1, "maximum": 4},
        "amount_cents": {"type": "integer"},
        "list_price_cents": {"type": "integer"},
        "series_id": {"type": ["integer", "null"]},
        "organiser_id": {"type": ["integer", "null"]},
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
            "enum": ["zelfde_ruimte_ander_tijdstip", "andere_ruimte", "ander_huis"],
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

add_paths(
    {
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
                    {
                        "name": "capacity",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    },
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
                    {"name": "room_id", "in": "query", "schema": _ID},
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
    },
    {"Activity": _ACTIVITY, "Booking": _BOOKING, "Series": _SERIES},
)
