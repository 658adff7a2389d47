"""Accounts: log in and out, register, reset a password, the personal dashboard."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from booking.accounts import views  # noqa: E402,F401
