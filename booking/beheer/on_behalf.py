"""Booking for a resident who phoned or walked in, and the confirmation to print for them.

Like the resident's own booking page (booking/rooms/views.py): the server's quote is shown
first — with what the calendar says on each date, also of a weekly or monthly series —
and only a confirmation of exactly that quote books. Who may is `services/on_behalf.py`
(book_on_behalf: beheerder, sociaal beheerder, gemeente).

An alternative the page offers for a taken date is a button of the same form: it sends
everything filled in (the resident, the title, every answer, the repetition) with the
alternative's room and times in place of the typed ones, and shows the quote for that.
The resident's name and phone never travel in a link.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from booking.beheer.blueprint import bp
from booking.beheer.forms import options
from booking.beheer.on_behalf_forms import OnBehalfForm
from booking.beheer.pages import Page, now, problems_of, render_page
from booking.errors import InvalidInput, RuleViolation, SlotTaken
from booking.i18n import local_iso, say, status_label
from booking.models import House
from booking.rooms.quote_page import flash_not_booked, outcome_context, quote_status
from booking.rules import dates, horizon, slots
from booking.rules.recurrence import Recurrence, RecurrenceError
from booking.rules.residents import Resident
from booking.rules.tariff import Activity
from booking.services import on_behalf as service
from booking.services import quotes
from booking.services.availability import Alternative
from booking.services.bookings import Booked
from booking.services.quote_tokens import matches, quote_token
from booking.services.series import SeriesBooked
from booking.services.slot_outcomes import CALENDAR_CHANGED

Slot = tuple[datetime, datetime]
ALTERNATIVE = "alternatief"
"""The name of an alternative's button; its value is "room id|start|end" (local ISO)."""


def _form(house: House) -> OnBehalfForm:
    form = OnBehalfForm(formdata=_posted(), data=_prefill())
    form.room.choices = options(
        [("", _("Kies een ruimte"))]
        + [
            (r.id, _("%(room)s (%(capacity)s personen)", room=r.name, capacity=r.capacity))
            for r in house.rooms
            if r.active
        ]
    )
    return form


def alternative_value(house: House, alternative: Alternative) -> str | None:
    """The button value choosing this alternative; None for a room of another house."""
    if alternative.room.house_id != house.id:
        return None
    return f"{alternative.room.id}|{local_iso(alternative.start)}|{local_iso(alternative.end)}"


def _posted() -> MultiDict[str, str] | None:
    """The posted form; an alternative's button puts its room and times in place of the
    typed ones (a value that is not one of ours leaves the form as it was sent). With a
    repetition the series keeps its first date: an alternative found for a later date
    gives the whole series its room and times."""
    if request.method != "POST":
        return None
    posted = MultiDict(request.form)
    room, _sep, rest = posted.pop(ALTERNATIVE, "").partition("|")
    start_text, _sep, end_text = rest.partition("|")
    start, end = dates.parse_moment(start_text), dates.parse_moment(end_text)
    if room.isdigit() and start and end and start.tzinfo is None and end.tzinfo is None:
        posted.setlist("room", [room])
        if not posted.get("repeat"):
            posted.setlist("day", [start.date().isoformat()])
        posted.setlist("start_time", [start.strftime("%H:%M")])
        posted.setlist("end_time", [end.strftime("%H:%M")])
        posted.setlist("action", ["quote"])
    return posted


def _prefill() -> dict[str, object] | None:
    """Room and times from a calendar link (?ruimte=3&start=2026-12-03T10:00&end=…)."""
    if request.method != "GET":
        return None
    data: dict[str, object] = {}
    if request.args.get("ruimte", "").isdigit():
        data["room"] = request.args["ruimte"]
    start = dates.parse_moment(request.args.get("start"))
    if start is not None:
        end = dates.parse_moment(request.args.get("end"))
        if end is None or end.date() != start.date() or end <= start:
            end = start + timedelta(hours=2)
        data.update(
            day=start.date(),
            start_time=start.time().replace(tzinfo=None),
            end_time=end.time().replace(tzinfo=None),
        )
    return data or None


def _page(house: House, form: OnBehalfForm, status: int, **shown: object) -> tuple[str, int]:
    shown.setdefault("quote", None)
    shown.setdefault("calendar", None)
    last_day = horizon.last_bookable_day(now(), quotes.horizon_months(house))
    room = next((r for r in house.rooms if str(r.id) == str(form.room.data)), None)
    return render_page(
        "beheer/on_behalf.html",
        house,
        status,
        form=form,
        last_day=last_day,
        alternative_value=lambda alternative: alternative_value(house, alternative),
        **(outcome_context(room) if room is not None else {}),
        **shown,
    )


@bp.route("/<slug>/boeken-voor-bewoner", methods=["GET", "POST"])
def book_on_behalf(slug: str) -> Page:
    """Quote first, with each date's outcome; book only when the quote shown is confirmed
    (its token matches the answers, its fingerprint the calendar)."""
    house = service.on_behalf_house(current_user, slug)
    form = _form(house)
    if request.method == "GET" or not form.validate_on_submit():
        return _page(house, form, 400 if request.method == "POST" else 200)
    try:
        slot = form.moments()
    except slots.NonexistentLocalTime:
        form.start_time.errors = [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
        return _page(house, form, 400)
    activity, recurrence, room_id = form.activity(), form.recurrence(), int(form.room.data)
    token = quote_token(room_id, *slot, activity, recurrence)
    if request.form.get("action") == "confirm" and matches(form.quote_token.data, token):
        return _confirm(house, form, room_id, slot, token)
    return _quote(house, form, room_id, slot, token)


def _quote(
    house: House,
    form: OnBehalfForm,
    room_id: int,
    slot: Slot,
    token: str,
    changed: list[str] | None = None,
) -> tuple[str, int]:
    """The quote and what the calendar says per date; `changed`: a confirmation found the
    calendar changed since the quote (409, nothing booked, the fresh outcome shown)."""
    activity, recurrence = form.activity(), form.recurrence()
    try:
        calendar = service.quote_for_resident(
            current_user, house.slug, room_id, *slot, activity, recurrence, now=now()
        )
    except RecurrenceError as error:
        form.until.errors = [say(error.message)]
        return _page(house, form, 422)
    form.quote_token.data = token
    form.shown_outcomes.data = calendar.fingerprint
    return _page(
        house,
        form,
        quote_status(calendar, changed=bool(changed)),
        quote=calendar.quote,
        calendar=calendar,
        recurrence=recurrence,
        problems=[*(changed or []), *(say(m) for m in calendar.problems)],
    )


def _confirm(house: House, form: OnBehalfForm, room_id: int, slot: Slot, token: str) -> Page:
    """Book; a refusal shows the form again with the problem (and is rolled back)."""
    try:
        booked = _book(house, form, room_id, slot, form.activity(), form.recurrence())
    except InvalidInput as error:
        form[error.field].errors = [say(error.message)]
        return _page(house, form, 400)
    except RecurrenceError as error:
        form.until.errors = [say(error.message)]
        return _page(house, form, 422)
    except RuleViolation as error:
        if error.code == CALENDAR_CHANGED:
            return _quote(house, form, room_id, slot, token, changed=problems_of(error))
        return _page(house, form, 422, problems=problems_of(error))
    except SlotTaken as error:
        return _page(house, form, 409, taken=error)
    booking = booked.booking if isinstance(booked, Booked) else booked.occurrences[0].booking
    _flash_booked(booked)
    return redirect(
        url_for("beheer.on_behalf_confirmation", slug=house.slug, booking_id=booking.id)
    )


def _book(
    house: House,
    form: OnBehalfForm,
    room_id: int,
    slot: Slot,
    activity: Activity,
    recurrence: Recurrence | None,
) -> Booked | SeriesBooked:
    who = Resident(form.resident_name.data, form.resident_phone.data, form.resident_email.data)
    return service.book_for_resident(
        current_user,
        house.slug,
        room_id,
        slot,
        form.title.data,
        form.public.data,
        activity,
        who,
        now=now(),
        recurrence=recurrence,
        shown=form.shown_outcomes.data or None,
    )


def _flash_booked(booked: Booked | SeriesBooked) -> None:
    if isinstance(booked, Booked):
        booking = booked.booking
        flash(
            _(
                "Geboekt voor %(name)s: %(title)s (%(status)s).",
                name=booking.on_behalf_name,
                title=booking.title,
                status=status_label(booking.status),
            ),
            "success",
        )
        return
    first = booked.occurrences[0].booking
    flash(
        _(
            "Reeks geboekt voor %(name)s: %(title)s, %(booked)s datums.",
            name=first.on_behalf_name,
            title=first.title,
            booked=len(booked.occurrences),
        ),
        "success",
    )
    flash_not_booked(booked.conflicts)


@bp.route("/<slug>/boekingen/<int:booking_id>/bevestiging")
def on_behalf_confirmation(slug: str, booking_id: int) -> Page:
    """The confirmation to print (or read out) for the resident."""
    booking = service.confirmation(current_user, slug, booking_id)
    return render_page(
        "beheer/on_behalf_confirmation.html", booking.room.house, booking=booking, now=now()
    )
