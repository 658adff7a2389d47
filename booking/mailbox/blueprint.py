"""The `mailbox` blueprint object; its routes live in the view modules."""

from flask import Blueprint

bp = Blueprint("mailbox", __name__, url_prefix="/post")
