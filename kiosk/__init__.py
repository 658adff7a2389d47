"""The kiosk: the huiskamer tablet, the phone check-in page and the privacy page.

Kiosk pages are public to Flask-Login: a paired tablet proves itself with its own
device credential, a phone with a signed short-lived token.
"""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from kiosk import (  # noqa: F401
        app_views,
        card_views,
        confirm_views,
        host_views,
        manage_views,
        phone_views,
        tablet_views,
    )
    from kiosk.blueprint import bp

    return bp
