"""The filter and note forms of a house's page, as the reach figures service reads them.

The forms check the text (dates, whole numbers); the service checks that a room or an
activity is the house's own (`InvalidInput` at its field). Here the two meet: what the
form holds becomes the service's arguments, the service's refusal becomes the field's
error, and the dropdowns get the house's rooms and activities.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import Field

from booking.errors import InvalidInput, RuleViolation
from booking.i18n import fmt_date, fmt_time, say
from booking.models import Booking, House
from booking.rules.periods import Period
from booking.services.reach_figures import HouseFigures
from booking.stats.forms import HouseFilterForm, NoteForm
from booking.stats.pages import chosen_period, show_period, today


def activity_label(booking: Booking) -> str:
    return f"{fmt_date(booking.start, 'EEE d MMM')} {fmt_time(booking.start)} {booking.title}"


def house_request(form: HouseFilterForm) -> dict[str, Any]:
    """The keyword arguments of `reach_figures.house_figures` from a validated form."""
    return {
        "period": chosen_period(form),
        "room_id": int(form.ruimte.data) if form.ruimte.data else None,
        "booking_id": int(form.activiteit.data) if form.activiteit.data else None,
        "include_suspicious": bool(form.verdacht.data),
    }


def refuse(field: Field, error: InvalidInput | RuleViolation) -> None:
    """Show a service's refusal at the form field it is about."""
    field.errors = [*field.errors, say(error.message)]


def fill_choices(form: HouseFilterForm, house: House, activities: list[Booking]) -> None:
    form.ruimte.choices = [("", _("Alle ruimtes"))] + [(str(r.id), r.name) for r in house.rooms]
    form.activiteit.choices = [("", _("Alle activiteiten"))] + [
        (str(b.id), activity_label(b)) for b in activities
    ]


def describe(figures: HouseFigures) -> str:
    """The filters in a few words, beside the period on the page and in the CSV."""
    parts = []
    if figures.room is not None:
        parts.append(_("ruimte %(name)s", name=figures.room.name))
    if figures.booking is not None:
        parts.append(_("activiteit %(name)s", name=activity_label(figures.booking)))
    if figures.include_suspicious:
        parts.append(_("inclusief verdachte check-ins"))
    return ", ".join(parts) or _("alle bezoeken")


def show_filters(form: HouseFilterForm, figures: HouseFigures) -> None:
    """The form as the figures were counted: dates filled in, dropdowns complete."""
    fill_choices(form, figures.house, figures.activities)
    show_period(form, figures.period)


def note_form(activities: list[Booking], period: Period, form: NoteForm | None = None) -> NoteForm:
    """The note form under the figures: a day inside the period, today when it is."""
    if form is None:
        current = today()
        day = current if period.first <= current <= period.last else min(period.last, current)
        form = NoteForm(
            formdata=None,
            data={
                "dag": day.isoformat(),
                "van": period.first.isoformat(),
                "tot": period.last.isoformat(),
            },
        )
    form.activiteit.choices = [("", _("Geen bepaalde activiteit"))] + [
        (str(b.id), activity_label(b)) for b in activities
    ]
    return form
