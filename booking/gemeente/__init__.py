"""Gemeente: running the municipality's side on the web — houses, areas (wijken and kernen
with their CBS codes), policy settings, and people and roles. One view module per concept;
every page needs `Permission.manage_policy`, which only the gemeente role holds."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.gemeente import (  # noqa: F401
        areas,
        home,
        houses,
        people,
        people_actions,
        policy,
    )
    from booking.gemeente.blueprint import bp

    return bp
