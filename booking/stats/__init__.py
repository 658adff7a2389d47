"""Reach statistics (bereik) and the maatschappelijk rendement overview."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.stats import note_views, reach_views, rendement_views  # noqa: F401
    from booking.stats.blueprint import bp

    return bp
