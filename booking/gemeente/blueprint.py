"""The `gemeente` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("gemeente", __name__, url_prefix="/gemeente")
