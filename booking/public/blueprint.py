"""The `public` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("public", __name__)
