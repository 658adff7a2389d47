"""The `stats` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/bereik")
