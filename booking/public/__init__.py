"""Public pages: the houses and their rooms, the language switch, the health check."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.public import agenda_views, views  # noqa: F401
    from booking.public.blueprint import bp

    return bp
