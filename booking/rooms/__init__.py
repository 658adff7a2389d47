"""Rooms and bookings for initiatiefnemers: find a room, see its week, book, follow it."""

from flask import Blueprint

bp = Blueprint("rooms", __name__)

from booking.rooms import views  # noqa: E402,F401
