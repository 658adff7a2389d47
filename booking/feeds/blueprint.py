"""The `feeds` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)
