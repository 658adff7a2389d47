"""The text rule for what arrives outside forms and JSON: path values and query strings.

Forms and JSON fields each go through `booking.rules.text.clean_text` with their own bound
and message. What a URL carries is checked here, before any view (or the login check) runs:
a slug, token or id with a control character, a bidi control, a lone surrogate or a
noncharacter is none of ours, so the page does not exist (404); a query string with one is a
bad request (400), in Dutch on a page or as the JSON error under /api/. Either way such text
never reaches the database: PostgreSQL refuses NUL outright, which would be a 500.

Pages and mails are cleaned on the way out as well (`clean_output`, Jinja's finalize):
whatever a template writes, a path echoed into a link, a rejected form value shown
again, an old row, passes through `printable_text`, so no raw control or bidi override
character ever reaches a reader.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup, escape

from booking.errors import InvalidInput
from booking.rules.messages import N_, Message
from booking.rules.text import has_unsafe_chars, printable_text
from booking.security import is_api_request

NAME_SHOWN = 40
"""At most this much of a parameter's name goes into the JSON error."""


def _bad_path_value() -> bool:
    values = (request.view_args or {}).values()
    return any(isinstance(value, str) and has_unsafe_chars(value) for value in values)


def _bad_query_parameter() -> str | None:
    """The name of the first query parameter whose name or value breaks the rule."""
    for name, value in request.args.items(multi=True):
        if has_unsafe_chars(name) or has_unsafe_chars(value):
            return name
    return None


def check_request() -> tuple[str, int] | None:
    if _bad_path_value():
        abort(404)
    name = _bad_query_parameter()
    if name is None:
        return None
    if is_api_request():
        shown = printable_text(name)[:NAME_SHOWN]
        raise InvalidInput(
            shown,
            Message(
                N_(
                    "De parameter '%(name)s' bevat een teken dat niet mag (zoals een NUL- of "
                    "stuurteken)."
                ),
                {"name": shown},
            ),
        )
    message = _(
        "Het adres van deze pagina bevat een teken dat niet mag (zoals een NUL- of "
        "stuurteken). Controleer de link of zoek opnieuw."
    )
    return render_template("errors/error.html", title=_("Ongeldig verzoek"), message=message), 400


class CleanMarkup(Markup):
    """HTML whose every piece of data already went through `printable_text` and `escape`
    where it was written (`booking.beheer.calendar_html`); `clean_output` lets it pass, as
    scanning a calendar's kilobytes of markup a second time cost more than writing them."""

    __slots__ = ()


def clean_html_text(value: str) -> str:
    """What `clean_output` and autoescape make of a value: printable, then escaped; for the
    pieces of data a `CleanMarkup` is written from."""
    return escape(printable_text(value))


def clean_output(value: Any) -> Any:
    """Jinja's finalize: every {{ … }} of every template, escaped HTML included."""
    if type(value) is CleanMarkup:
        return value
    if isinstance(value, Markup):
        return Markup(printable_text(str(value), multiline=True))
    if isinstance(value, str):
        return printable_text(value, multiline=True)
    return value


def init_app(app: Flask) -> None:
    """Register the check; call it before security.init_app so it runs before the login."""
    app.before_request(check_request)
    app.jinja_env.finalize = clean_output
