"""Rooms and bookings for initiatiefnemers: find a room, see its week, book, follow it."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.rooms import change_views, confirm_views, views  # noqa: F401
    from booking.rooms.blueprint import bp

    return bp
