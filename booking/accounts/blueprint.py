"""The `accounts` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
