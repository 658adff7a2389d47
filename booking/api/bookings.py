"""Booking endpoints: availability, quote, book (single or series), list, get, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api import bp
from booking.api.booking_input import (
    parse_activity,
    parse_moment,
    parse_recurrence,
    parse_room_id,
    parse_slot,
    parse_title,
)
from booking.api.errors import ApiError
from booking.api.parsing import json_body, optional_bool
from booking.api.serialise import (
    alternative_json,
    booking_json,
    busy_json,
    occurrence_conflict_json,
    quote_json,
)
from booking.extensions import db
from booking.i18n import say
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
            409, "bezet", "De ruimte is op dat moment al bezet.",
            conflicts=[busy_json(b) for b in error.conflicts],
            alternatives=[alternative_json(a) for a in error.alternatives],
        )
    raise error


def _range_args(default_days: int = 7) -> tuple[datetime, datetime]:
    start = parse_moment(request.args["from"], "from") if "from" in request.args else _now()
    end = (parse_moment(request.args["to"], "to") if "to" in request.args
           else start + timedelta(days=default_days))
    if end <= start or end - start > MAX_RANGE:
        raise ApiError(400, "ongeldige_periode", "'to' moet na 'from' liggen, hoogstens 62 dagen later.")
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
        opening_hours=[{"weekday": p.weekday, "opens": p.opens.strftime("%H:%M"),
                        "closes": p.closes.strftime("%H:%M")} for p in room.house.opening_hours],
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
            booked = bookings.create_booking(current_user, room_id, start, end, title, public,
                                             activity, now=_now())
            body = booking_json(booked.booking, booked.displaced)
        else:
            series = bookings.create_series(current_user, room_id, start, end, title, public,
                                            activity, recurrence, now=_now())
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
    room_id = request.args.get("room_id", type=int)
    house_slug = request.args.get("house")
    found = queries.visible_bookings(current_user, start, end, house_slug=house_slug,
                                     room_id=room_id, now=_now())
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
    capacity = request.args.get("capacity", default=1, type=int) or 1
    rooms = availability.free_rooms(start, end, _now(), min_capacity=max(1, capacity),
                                    house_id=house.id if house else None)
    return jsonify(rooms=[{"id": r.id, "name": r.name, "capacity": r.capacity,
                           "house": r.house.slug, "house_name": r.house.name} for r in rooms])
