"""Accounts: log in and out, register, reset a password, the personal dashboard, my account."""

from flask import Blueprint


def create_blueprint() -> Blueprint:
    """The blueprint with every route of this area: importing the views attaches them."""
    from booking.accounts import (  # noqa: F401
        access_views,
        data_views,
        delete_views,
        email_views,
        invitation_views,
        organisation_views,
        phone_views,
        profile_views,
        request_mail_views,
        session_tracking,
        value_views,
        views,
    )
    from booking.accounts.blueprint import bp

    session_tracking.connect()
    return bp
