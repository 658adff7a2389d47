"""The form to change a booking: the booking form's fields without repetition, plus the
room and whether the change is for this date or also the rest of the series.

Used by the organiser's page (rooms/change_views.py) and the beheerder's
(beheer/booking_changes.py); `change_page` renders both, `change_request` reads both.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, RadioField, SelectChoice, SelectField

from booking.errors import RuleViolation, SlotTaken
from booking.forms import Form
from booking.i18n import local, say
from booking.models import Booking, Room
from booking.rooms.forms import BookingForm
from booking.rules import slots
from booking.rules.money import format_euro
from booking.services import booking_changes
from booking.services.booking_changes import ChangeRequest, Planned

SCOPES = [
    SelectChoice("occurrence", _l("Alleen deze datum")),
    SelectChoice("rest_of_series", _l("Deze en alle volgende datums van de reeks")),
]


class ChangeForm(BookingForm):
    repeat = None
    interval = None
    until = None
    quote_token = None
    shown_outcomes = None
    room_id = SelectField(_l("Ruimte"), coerce=int)
    scope = RadioField(_l("Wat wijzigt u?"), choices=SCOPES, default="occurrence")
    action = HiddenField(default="preview")  # the pressed button: preview or confirm

    def validate(self, extra_validators: object = None) -> bool:
        return Form.validate(self, extra_validators)  # type: ignore[arg-type]


def yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def current_values(booking: Booking) -> dict[str, object]:
    """The form filled in with the booking as it is."""
    start, end = local(booking.start), local(booking.end)
    return {
        "day": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        "title": booking.title,
        "public": booking.public,
        "room_id": booking.room_id,
        "organiser_kind": booking.organiser_kind,
        "open_to_all": yes_no(booking.open_to_all),
        "membership_required": yes_no(booking.membership_required),
        "contribution": format_euro(booking.contribution_cents),
        "profit_making": yes_no(booking.profit_making),
        "subsidised": yes_no(booking.subsidised),
        "mainly_meeting": yes_no(booking.mainly_meeting),
        "gives_in_return": yes_no(booking.gives_in_return),
    }


def build_form(booking: Booking, rooms: list[Room], data: dict[str, object] | None) -> ChangeForm:
    form = ChangeForm(data=data if data is not None else current_values(booking))
    form.room_id.choices = [SelectChoice(r.id, f"{r.house.name} – {r.name}") for r in rooms]
    if booking.series_id is None:
        form.scope.data = "occurrence"
    return form


def change_request(form: ChangeForm) -> ChangeRequest:
    """Raises slots.NonexistentLocalTime in the spring DST gap."""
    start, end = form.moments()
    return ChangeRequest(
        room_id=form.room_id.data,
        start=start,
        end=end,
        title=form.title.data,
        public=bool(form.public.data),
        activity=form.activity(),
        rest_of_series=form.scope.data == "rest_of_series",
    )


def change_page(
    booking: Booking,
    form: ChangeForm,
    action: str,
    status: int = 200,
    *,
    back: str = "",
    plans: list[Planned] | None = None,
    problems: list[str] | None = None,
    taken: object = None,
) -> tuple[str, int]:
    return (
        render_template(
            "rooms/change.html",
            booking=booking,
            form=form,
            action=action,
            back=back,
            plans=plans,
            problems=problems or [],
            taken=taken,
        ),
        status,
    )


def judge_change(
    booking: Booking, form: ChangeForm, action: str, house_slug: str | None, done: str
) -> (
    Response | tuple[str, int]
):  # also the beheerder's page (beheer/booking_changes.py); `done` is the way back
    """Preview the change, or (confirmed) make it and go to `done`; a refusal shows the
    form again with the reason (and the edge rolls back)."""
    try:
        change = change_request(form)
    except slots.NonexistentLocalTime:
        form.start_time.errors = [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
        return change_page(booking, form, action, back=done, status=400)
    now = datetime.now(UTC)
    try:
        if form.action.data != "confirm":
            plans = booking_changes.preview_change(
                booking.id, current_user, change, now=now, house_slug=house_slug
            )
            return change_page(booking, form, action, back=done, plans=plans)
        changed = booking_changes.change_booking(
            booking.id, current_user, change, now=now, house_slug=house_slug
        )
    except RuleViolation as error:
        return change_page(
            booking, form, action, back=done, status=422, problems=[say(m) for m in error.problems]
        )
    except SlotTaken as error:
        return change_page(booking, form, action, back=done, status=409, taken=error)
    flash(_("De boeking is gewijzigd (%(count)s datums).", count=len(changed.bookings)), "success")
    return redirect(done)
