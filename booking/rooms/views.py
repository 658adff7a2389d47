"""Pages for initiatiefnemers. Thin: read the form, call one service, render or redirect.

The request edge commits a success and rolls back anything else; an unknown or foreign
booking or room is a `NotFound` from the service, answered by the registered 404 page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.errors import RuleViolation, SlotTaken
from booking.i18n import say, status_label
from booking.models import House, Room
from booking.rooms.blueprint import bp
from booking.rooms.forms import BookingForm, SearchForm
from booking.rooms.quote_page import (
    answers_from_link,
    book_page,
    flash_not_booked,
    quote_page,
    with_organisations,
)
from booking.rooms.week import monday_of, this_week, week_grid
from booking.rules import calendar_grid, dates, horizon, slots
from booking.rules.numbers import parse_whole_number
from booking.rules.recurrence import Recurrence, RecurrenceError
from booking.rules.tariff import Activity
from booking.security import public_endpoint
from booking.services import availability, bookings, houses, quotes, series
from booking.services.bookings import Booked
from booking.services.quote_tokens import matches, quote_token
from booking.services.quoted_booking import book_as_shown
from booking.services.slot_outcomes import CALENDAR_CHANGED

Page = str | Response | tuple[str, int]
Slot = tuple[datetime, datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@bp.context_processor
def _horizon_context() -> dict[str, object]:
    """The booking form's hint: the last day the room's house takes bookings for."""

    def last_bookable_day(house: House) -> date:
        return horizon.last_bookable_day(_now(), quotes.horizon_months(house))

    return {"last_bookable_day": last_bookable_day}


@bp.route("/ruimtes")
@public_endpoint
def search() -> Page:
    form = _search_form()
    if request.args and not form.validate():
        return render_template("rooms/search.html", form=form, rooms=[], slot=None), 400
    slot, problems = _searched_slot(form)
    house = houses.get_house(form.house.data) if form.house.data else None
    rooms = availability.find_rooms(
        slot,
        _now(),
        min_capacity=form.capacity.data or 1,
        house_id=house.id if house else None,
        area_id=parse_whole_number(form.area.data),
    )
    return render_template(
        "rooms/search.html", form=form, rooms=rooms, slot=slot, problems=problems
    ), 400 if problems else 200


def _search_form() -> SearchForm:
    form = SearchForm(request.args)
    form.house.choices = [SelectChoice("", _("Alle huizen"))] + [
        SelectChoice(h.slug, h.name) for h in houses.list_houses(active_only=True)
    ]
    form.area.choices = [SelectChoice("", _("Alle wijken en kernen"))] + [
        SelectChoice(str(a.id), a.name) for a in houses.list_areas()
    ]
    return form


def _searched_slot(form: SearchForm) -> tuple[Slot | None, list[str]]:
    """The slot the search asks for, if complete; a DST gap or an end before the start
    is a problem to show next to the results."""
    if not (form.day.data and form.start_time.data and form.end_time.data):
        return None, []
    try:
        start = slots.local_to_utc(datetime.combine(form.day.data, form.start_time.data))
        end = slots.local_to_utc(datetime.combine(form.day.data, form.end_time.data))
    except slots.NonexistentLocalTime:
        return None, [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
    if end <= start:
        return None, [_("De eindtijd moet na de begintijd liggen.")]
    return (start, end), []


@bp.route("/ruimtes/<int:room_id>")
@public_endpoint
def room(room_id: int) -> Page:
    found = quotes.load_room(room_id)
    if "week" in request.args:
        day = dates.parse_day(request.args["week"])
        if day is None:
            return _bad_request(
                _("Deze week kunnen we niet tonen.") + " " + say(dates.OUT_OF_RANGE)
            )
        monday = monday_of(day)
    else:
        monday = this_week(_now())
    previous, following = monday - timedelta(days=7), monday + timedelta(days=7)
    return render_template(
        "rooms/room.html",
        room=found,
        grid=week_grid(found, monday, _now()),
        grid_label=calendar_grid.label,
        previous=previous if dates.in_range(previous) else None,
        next=following if dates.in_range(following) else None,
    )


def _bad_request(message: str) -> tuple[str, int]:
    return render_template("errors/error.html", title=_("Ongeldig verzoek"), message=message), 400


@bp.route("/ruimtes/<int:room_id>/boeken", methods=["GET", "POST"])
def book(room_id: int) -> Page:
    """Show the server's quote for the answers first; book only when the booker confirms
    the quote they saw (its token matches the answers)."""
    room = quotes.load_room(room_id)
    form = with_organisations(BookingForm(data=_prefill()))
    if request.method == "GET" or not form.validate_on_submit():
        return _book_page(room, form, 400 if request.method == "POST" else 200)
    try:
        start, end = form.moments()
    except slots.NonexistentLocalTime:
        form.start_time.errors = [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
        return _book_page(room, form, 400)
    activity, recurrence = form.activity(), form.recurrence()
    token = quote_token(room.id, start, end, activity, recurrence)
    if request.form.get("action") == "confirm" and matches(form.quote_token.data, token):
        return _confirm(room, (start, end), form, activity, recurrence, token)
    return quote_page(room, form, (start, end), activity, recurrence, token)


def _book_page(room: Room, form: BookingForm, status: int, **shown: object) -> tuple[str, int]:
    return book_page(room, form, status, **shown)


def _prefill() -> dict[str, object] | None:
    """Start and end from a week-grid link (?start=2026-12-03T10:00); an alternative's
    link also carries the title and the answers (rooms/quote_page.py)."""
    if request.method != "GET" or "start" not in request.args:
        return None
    start = dates.parse_moment(request.args["start"])
    end = dates.parse_moment(request.args["end"]) if "end" in request.args else None
    if start is None:  # only a suggestion from a link: the form then starts empty
        return None
    if end is None or end.date() != start.date() or end <= start:
        end = start + timedelta(hours=2)
    return {
        "day": start.date(),
        "start_time": start.time().replace(tzinfo=None),
        "end_time": end.time().replace(tzinfo=None),
        **answers_from_link(request.args),
    }


def _confirm(
    room: Room,
    slot: Slot,
    form: BookingForm,
    activity: Activity,
    recurrence: Recurrence | None,
    token: str,
) -> Page:
    """Book; a refusal shows the form again with the problem (and is rolled back). When
    the calendar changed since the quote, nothing is booked and the fresh quote is shown."""
    try:
        target = _book(room, slot, form, activity, recurrence)
    except RecurrenceError as error:
        form.until.errors = [say(error.message)]
        return _book_page(room, form, 422)
    except RuleViolation as error:
        problems = [say(m) for m in error.problems]
        if error.code == CALENDAR_CHANGED:
            return quote_page(room, form, slot, activity, recurrence, token, changed=problems)
        return _book_page(room, form, 422, problems=problems)
    except SlotTaken as error:
        return _book_page(room, form, 409, taken=error)
    return redirect(url_for("rooms.my_booking", booking_id=target))


def _book(
    room: Room,
    slot: Slot,
    form: BookingForm,
    activity: Activity,
    recurrence: Recurrence | None,
) -> int:
    """One booking or a series; flashes what was booked, returns the booking to show."""
    start, end = slot
    booked = book_as_shown(
        current_user,
        room.id,
        start,
        end,
        form.title.data,
        form.public.data,
        activity,
        recurrence,
        form.shown_outcomes.data or None,
        now=_now(),
        organisation_id=form.organisation_id(),
    )
    if not isinstance(booked, Booked):
        return _book_series(booked)
    flash(
        _(
            "Geboekt: %(title)s (%(status)s).",
            title=booked.booking.title,
            status=status_label(booked.booking.status),
        ),
        "success",
    )
    return booked.booking.id


def _book_series(made: series.SeriesBooked) -> int:
    flash(_("Reeks geboekt: %(booked)s datums.", booked=len(made.occurrences)), "success")
    flash_not_booked(made.conflicts)
    return made.occurrences[0].booking.id


@bp.route("/mijn-boekingen")
def my_bookings() -> str:
    everything = bookings.bookings_of(current_user)
    now = _now()
    upcoming = [b for b in everything if b.end >= now]
    past = [b for b in everything if b.end < now][-50:]
    return render_template("rooms/my_bookings.html", upcoming=upcoming, past=list(reversed(past)))


@bp.route("/mijn-boekingen/<int:booking_id>")
def my_booking(booking_id: int) -> str:
    booking = bookings.visible_booking(booking_id, current_user, _now())
    return render_template("rooms/booking.html", booking=booking, now=_now())


@bp.route("/mijn-boekingen/<int:booking_id>/annuleren", methods=["POST"])
def cancel(booking_id: int) -> Response:
    try:
        bookings.cancel_booking(booking_id, current_user, now=_now())
    except RuleViolation as error:
        return _refused(booking_id, error)
    flash(_("De boeking is geannuleerd."), "success")
    return redirect(url_for("rooms.my_bookings"))


@bp.route("/mijn-boekingen/<int:booking_id>/annuleren-reeks", methods=["POST"])
def cancel_series(booking_id: int) -> Response:
    try:
        cancelled = bookings.cancel_rest_of_series(booking_id, current_user, now=_now())
    except RuleViolation as error:
        return _refused(booking_id, error)
    flash(_("%(count)s datums van de reeks zijn geannuleerd.", count=len(cancelled)), "success")
    return redirect(url_for("rooms.my_bookings"))


def _refused(booking_id: int, error: RuleViolation) -> Response:
    """Back to the booking with the reason. The service refuses before it changes
    anything, so the redirect's commit has nothing of the refused cancellation to keep."""
    flash(" ".join(say(m) for m in error.problems), "error")
    return redirect(url_for("rooms.my_booking", booking_id=booking_id))
