"""Beheer: running a house — rooms, settings and opening hours, closures, voorrangsblokken,
the house's bookings, the logboek and the invoicing export. One view module per concept."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.beheer import (  # noqa: F401
        audit_log,
        booking_changes,
        bookings,
        calendar,
        closures,
        confirmations,
        day_sheet,
        export,
        home,
        invoice_actions,
        invoice_settings,
        invoices,
        on_behalf,
        organisations,
        priority_blocks,
        rooms,
        settings,
        staff,
    )
    from booking.beheer.blueprint import bp

    return bp
