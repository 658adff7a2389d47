"""Accounts: log in and out, register, reset a password, the personal dashboard."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.accounts import phone_views, request_mail_views, views  # noqa: F401
    from booking.accounts.blueprint import bp

    return bp
