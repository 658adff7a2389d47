"""Booking endpoints: availability, quote, book (single or series), list, get, cancel.

Refusals are the services' `NotFound`, `RuleViolation` and `SlotTaken`, turned into the
JSON error of DESIGN section 10 by the registered handler; the request edge commits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api import booking_schema
from booking.api.blueprint import bp
from booking.api.booking_input import (
    parse_activity,
    parse_moment,
    parse_organisation_id,
    parse_recurrence,
    parse_room_id,
    parse_slot,
    parse_title,
)
from booking.api.openapi import add_paths
from booking.api.outcome_json import calendar_json
from booking.api.parsing import json_body, optional_bool, query_integer, string_field
from booking.api.serialise import booking_json, busy_json, occurrence_conflict_json, quote_json
from booking.errors import InvalidInput, NotFound
from booking.rules.messages import N_
from booking.security import public_endpoint
from booking.services import availability, bookings, houses, quotes, slot_outcomes
from booking.services import booking_queries as queries
from booking.services.quote_tokens import quote_token
from booking.services.quoted_booking import book_as_shown
from booking.services.series import SeriesBooked

MAX_RANGE = timedelta(days=62)


def _now() -> datetime:
    return datetime.now(UTC)


def _range_args(default_days: int = 7) -> tuple[datetime, datetime]:
    start = parse_moment(request.args["from"], "from") if "from" in request.args else _now()
    end = (
        parse_moment(request.args["to"], "to")
        if "to" in request.args
        else start + timedelta(days=default_days)
    )
    if end <= start or end - start > MAX_RANGE:
        raise InvalidInput(
            "to",
            N_("'to' moet na 'from' liggen, hoogstens 62 dagen later."),
            code="ongeldige_periode",
        )
    return start, end


@bp.route("/rooms/<int:room_id>/availability")
@public_endpoint
def room_availability(room_id: int) -> Response:
    room = quotes.load_room(room_id)
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
    recurrence = parse_recurrence(data)
    found = slot_outcomes.calendar_quote(room_id, start, end, activity, recurrence, now=_now())
    token = quote_token(room_id, start, end, activity, recurrence)
    body = {**quote_json(found.quote), **calendar_json(found, current_user)}
    return jsonify({**body, "quote_token": token})


def parse_calendar_token(data: dict[str, object]) -> str | None:
    """The quote's `calendar_token`, if sent: then the booking must still match that quote."""
    if data.get("calendar_token") is None:
        return None
    return string_field(data, "calendar_token", max_length=64)  # type: ignore[arg-type]


@bp.route("/bookings", methods=["POST"])
def create_booking() -> tuple[Response, int]:
    data = json_body()
    room_id, (start, end) = parse_room_id(data), parse_slot(data)
    title, activity = parse_title(data), parse_activity(data)
    public, recurrence = optional_bool(data, "public"), parse_recurrence(data)
    shown, organisation_id = parse_calendar_token(data), parse_organisation_id(data)
    made = book_as_shown(
        current_user,
        room_id,
        start,
        end,
        title,
        public,
        activity,
        recurrence,
        shown,
        now=_now(),
        organisation_id=organisation_id,
    )
    if isinstance(made, SeriesBooked):
        body = {
            "series_id": made.series.id,
            "occurrences": [booking_json(b.booking, b.displaced) for b in made.occurrences],
            "conflicts": [occurrence_conflict_json(c) for c in made.conflicts],
        }
        return jsonify(body), 201
    return jsonify(booking_json(made.booking, made.displaced)), 201


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
    return jsonify(booking_json(bookings.visible_booking(booking_id, current_user, _now())))


@bp.route("/bookings/<int:booking_id>", methods=["DELETE"])
def cancel_booking(booking_id: int) -> Response:
    return jsonify(booking_json(bookings.cancel_booking(booking_id, current_user, now=_now())))


@bp.route("/free-rooms")
@public_endpoint
def free_rooms() -> Response:
    """Rooms free for a whole slot, across all houses unless narrowed by house or capacity."""
    start = parse_moment(request.args.get("start"), "start")
    end = parse_moment(request.args.get("end"), "end")
    if end <= start or end - start > timedelta(hours=24):
        raise InvalidInput(
            "end", N_("'end' moet na 'start' liggen, op dezelfde dag."), code="ongeldige_periode"
        )
    house = houses.get_house(request.args["house"]) if request.args.get("house") else None
    if request.args.get("house") and house is None:
        raise NotFound(request.args["house"])
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


add_paths(booking_schema.PATHS, booking_schema.SCHEMAS)
