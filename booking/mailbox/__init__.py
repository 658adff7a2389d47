"""The outbox in the browser: a development mail viewer for beheerders and the gemeente."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.mailbox import views  # noqa: F401
    from booking.mailbox.blueprint import bp

    return bp
