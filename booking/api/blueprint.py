"""The `api` blueprint object; its routes live in the view modules."""

from flask import Blueprint

from booking.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON only: writes require Content-Type application/json, which no form can send
