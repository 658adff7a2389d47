"""The form to change a booking: the booking form's fields without repetition, plus the
room and whether the change is for this date or also the rest of the series.

Used by the organiser's page (rooms/change_views.py) and the beheerder's
(beheer/booking_changes.py); `change_page` renders both, `change_request` reads both.

A change into a taken slot lists alternatives as links back to the same change page
(`alternative_links`); like the new-booking page (rooms/quote_page.py) a link carries the
title, the public flag and every answer, and `link_values` fills the form with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from flask import flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, RadioField, SelectChoice, SelectField

from booking.errors import RuleViolation, SlotTaken
from booking.forms import Form
from booking.i18n import local, local_iso, say
from booking.models import Booking, Room
from booking.rooms.forms import BookingForm
from booking.rooms.quote_page import answers_from_link, carried_answers
from booking.rules import dates, slots
from booking.rules.money import format_euro
from booking.services import booking_changes
from booking.services.availability import Alternative
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


def link_values(
    booking: Booking, rooms: list[Room], args: Mapping[str, str]
) -> dict[str, object] | None:
    """The form as an alternative's link fills it (?room_id=…&start=…&end=…&title=…): the
    booking's values, with the link's room (one the form offers), times, scope, title, public
    flag and answers in their place. None without a usable start: the booking as it is."""
    start = dates.parse_moment(args.get("start"))
    end = dates.parse_moment(args.get("end"))
    if start is None or end is None or start.tzinfo is not None or end <= start:
        return None
    values = current_values(booking)
    values.update(
        day=start.date(),
        start_time=start.time(),
        end_time=end.time(),
        **answers_from_link(args),
    )
    room_id = args.get("room_id", "")
    if room_id.isdigit() and int(room_id) in {r.id for r in rooms}:
        values["room_id"] = int(room_id)
    if args.get("scope") in {choice.value for choice in SCOPES}:
        values["scope"] = args["scope"]
    return values


def alternative_links(
    form: ChangeForm, action: str, alternatives: list[Alternative]
) -> list[tuple[Alternative, str | None]]:
    """Each alternative with the link that fills this change form with it (None for a room
    the form does not offer, such as another house's for staff). For the rest of a series
    the alternative's times apply from the date being changed: an alternative found for a
    later date of the series keeps the series' days."""
    offered = {choice.value for choice in form.room_id.choices or []}
    carried = {**carried_answers(form), "scope": form.scope.data or "occurrence"}
    found: list[tuple[Alternative, str | None]] = []
    for alternative in alternatives:
        if alternative.room.id not in offered:
            found.append((alternative, None))
            continue
        start, end = local_iso(alternative.start), local_iso(alternative.end)
        if carried["scope"] == "rest_of_series" and isinstance(form.day.data, date):
            start = f"{form.day.data.isoformat()}T{start[11:]}"
            end = f"{form.day.data.isoformat()}T{end[11:]}"
        query = urlencode({"room_id": alternative.room.id, "start": start, "end": end, **carried})
        found.append((alternative, f"{action}?{query}"))
    return found


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
    taken: SlotTaken | None = None,
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
            alternatives=alternative_links(form, action, taken.alternatives) if taken else [],
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
