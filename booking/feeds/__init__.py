"""iCalendar feeds at secret, revocable URLs, and the pages to manage them."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.feeds import views  # noqa: F401
    from booking.feeds.blueprint import bp

    return bp
