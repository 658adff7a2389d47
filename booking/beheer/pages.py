"""What every beheer view shares: the page frame with the house's sub-navigation, the clock,
a room picker, and the delete button's check.

Who may open a page is decided by the services (`booking/services/beheer/access.py`);
this module only shows the links the user may follow.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Response, render_template
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from booking.beheer.forms import DeleteForm, options
from booking.errors import InvalidInput, RuleViolation
from booking.i18n import say
from booking.models import House
from booking.rules import slots
from booking.rules.messages import N_, Message
from booking.services.beheer.access import rights_in

Page = str | Response | tuple[str, int]


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today in Amsterdam, where the houses are."""
    return now().astimezone(slots.AMSTERDAM).date()


def render_page(template: str, house: House, status: int = 200, **context: Any) -> tuple[str, int]:
    """A beheer page with the house's sub-navigation, showing only what the user may use."""
    rights = rights_in(current_user, house.id)
    html = render_template(
        template,
        house=house,
        can_see_bookings=rights.see_bookings,
        can_manage_programme=rights.manage_programme,
        can_manage_building=rights.manage_building,
        **context,
    )
    return html, status


def problems_of(error: RuleViolation) -> list[str]:
    """The broken rules as sentences in the user's language, for the page's problem list."""
    return [say(message) for message in error.problems]


def room_choices(house: House, first: tuple[str, str] | None = None) -> list[SelectChoice]:
    choices = [first] if first else []
    return options(choices + [(r.id, r.name) for r in house.rooms])


def require_delete_form() -> None:
    """A delete button sends only its CSRF token; without it the request is malformed."""
    if not DeleteForm().validate_on_submit():
        raise InvalidInput("csrf_token", Message(N_("Het formulier is onvolledig verstuurd.")))
