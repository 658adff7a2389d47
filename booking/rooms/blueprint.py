"""The `rooms` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("rooms", __name__)
