"""Beheer: running a house — rooms, opening hours, staff, and (later) approvals and exports."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.beheer import views  # noqa: F401
    from booking.beheer.blueprint import bp

    return bp
