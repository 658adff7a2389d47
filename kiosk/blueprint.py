"""The `kiosk` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__)
