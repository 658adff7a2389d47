"""The `beheer` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
