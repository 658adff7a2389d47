"""The JSON API under /api/v1 (DESIGN section 10)."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.api import (  # noqa: F401
        bookings,
        changes,  # after bookings: see its docstring
        feeds,
        invoices,
        kiosks,
        organisations,
        stats,
        views,
    )
    from booking.api.blueprint import bp

    return bp
