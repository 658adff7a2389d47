"""Reach statistics (bereik) and the maatschappelijk rendement overview."""

from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/bereik")

from booking.stats import views  # noqa: E402,F401
