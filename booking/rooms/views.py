"""Pages for initiatiefnemers. Thin: read the form, call one service, render or redirect."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.extensions import db
from booking.i18n import say
from booking.models import House
from booking.rooms.blueprint import bp
from booking.rooms.forms import BookingForm, SearchForm
from booking.rooms.week import monday_of, this_week, week_grid
from booking.rules import dates, horizon, slots
from booking.rules.numbers import parse_whole_number
from booking.rules.recurrence import RecurrenceError
from booking.security import public_endpoint
from booking.services import bookings, houses
from booking.services.quote_tokens import matches, quote_token

Page = str | Response | tuple[str, int]


def _now() -> datetime:
    return datetime.now(UTC)


@bp.context_processor
def _horizon_context() -> dict[str, object]:
    """The booking form's hint: the last day the room's house takes bookings for."""

    def last_bookable_day(house: House) -> date:
        months = house.booking_horizon_months or horizon.DEFAULT_MONTHS
        return horizon.last_bookable_day(_now(), months)

    return {"last_bookable_day": last_bookable_day}


@bp.route("/ruimtes")
@public_endpoint
def search() -> Page:
    form = SearchForm(request.args)
    form.house.choices = [SelectChoice("", _("Alle huizen"))] + [
        SelectChoice(h.slug, h.name) for h in houses.list_houses()
    ]
    form.area.choices = [SelectChoice("", _("Alle wijken en kernen"))] + [
        SelectChoice(str(a.id), a.name) for a in houses.list_areas()
    ]
    if request.args and not form.validate():
        return render_template("rooms/search.html", form=form, rooms=[], slot=None), 400
    slot, problems = None, []
    if form.day.data and form.start_time.data and form.end_time.data:
        try:
            slot = (
                slots.local_to_utc(datetime.combine(form.day.data, form.start_time.data)),
                slots.local_to_utc(datetime.combine(form.day.data, form.end_time.data)),
            )
        except slots.NonexistentLocalTime:
            problems.append(_("Deze tijd bestaat niet door de overgang naar zomertijd."))
        if slot and slot[1] <= slot[0]:
            problems.append(_("De eindtijd moet na de begintijd liggen."))
            slot = None
    house = houses.get_house(form.house.data) if form.house.data else None
    area_id = parse_whole_number(form.area.data)
    rooms = houses.find_rooms(
        slot,
        _now(),
        min_capacity=form.capacity.data or 1,
        house_id=house.id if house else None,
        area_id=area_id,
    )
    return render_template(
        "rooms/search.html", form=form, rooms=rooms, slot=slot, problems=problems
    ), 400 if problems else 200


@bp.route("/ruimtes/<int:room_id>")
@public_endpoint
def room(room_id: int) -> Page:
    found = houses.get_room(room_id)
    if found is None or not found.active:
        abort(404)
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
        previous=previous if dates.in_range(previous) else None,
        next=following if dates.in_range(following) else None,
    )


def _bad_request(message: str) -> tuple[str, int]:
    return render_template("errors/error.html", title=_("Ongeldig verzoek"), message=message), 400


@bp.route("/ruimtes/<int:room_id>/boeken", methods=["GET", "POST"])
def book(room_id: int) -> Page:
    room = houses.get_room(room_id)
    if room is None or not room.active:
        abort(404)
    form = BookingForm(data=_prefill())
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("rooms/book.html", room=room, form=form, quote=None), status
    try:
        start, end = form.moments()
    except slots.NonexistentLocalTime:
        form.start_time.errors = [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
        return render_template("rooms/book.html", room=room, form=form, quote=None), 400
    activity, recurrence = form.activity(), form.recurrence()
    token = quote_token(room.id, start, end, activity, recurrence)
    if request.form.get("action") == "confirm" and matches(form.quote_token.data, token):
        return _confirm(room.id, start, end, form, activity, recurrence)
    quote = bookings.quote(room.id, start, end, activity, now=_now())
    form.quote_token.data = token
    return render_template(
        "rooms/book.html", room=room, form=form, quote=quote, recurrence=recurrence
    ), 422 if quote.problems else 200


def _prefill() -> dict[str, object] | None:
    """Start and end from a week-grid link (?start=2026-12-03T10:00)."""
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
    }


def _confirm(
    room_id: int,
    start: datetime,
    end: datetime,
    form: BookingForm,
    activity: bookings.Activity,
    recurrence: bookings.Recurrence | None,
) -> Page:
    room = houses.get_room(room_id)
    try:
        if recurrence is None:
            booked = bookings.create_booking(
                current_user,
                room_id,
                start,
                end,
                form.title.data,
                form.public.data,
                activity,
                now=_now(),
            )
            target = booked.booking.id
            flash(
                _(
                    "Geboekt: %(title)s (%(status)s).",
                    title=booked.booking.title,
                    status=_status(booked.booking.status),
                ),
                "success",
            )
        else:
            series = bookings.create_series(
                current_user,
                room_id,
                start,
                end,
                form.title.data,
                form.public.data,
                activity,
                recurrence,
                now=_now(),
            )
            target = series.occurrences[0].booking.id
            flash(_("Reeks geboekt: %(booked)s datums.", booked=len(series.occurrences)), "success")
            for conflict in series.conflicts:
                flash(
                    _(
                        "Niet geboekt op %(when)s: %(why)s",
                        when=conflict.start.astimezone(slots.AMSTERDAM).strftime("%d-%m-%Y %H:%M"),
                        why=" ".join(say(m) for m in conflict.reasons),
                    ),
                    "info",
                )
    except RecurrenceError as error:
        db.session.rollback()
        form.until.errors = [say(error.message)]
        return render_template("rooms/book.html", room=room, form=form, quote=None), 422
    except bookings.RuleViolation as error:
        db.session.rollback()
        return render_template(
            "rooms/book.html",
            room=room,
            form=form,
            quote=None,
            problems=[say(m) for m in error.problems],
        ), 422
    except bookings.SlotTaken as error:
        db.session.rollback()
        return render_template(
            "rooms/book.html", room=room, form=form, quote=None, taken=error
        ), 409
    db.session.commit()
    return redirect(url_for("rooms.my_booking", booking_id=target))


def _status(status: str) -> str:
    from booking.i18n import status_label

    return status_label(status)


@bp.route("/mijn-boekingen")
def my_bookings() -> str:
    everything = bookings.bookings_of(current_user)
    now = _now()
    upcoming = [b for b in everything if b.end >= now]
    past = [b for b in everything if b.end < now][-50:]
    return render_template("rooms/my_bookings.html", upcoming=upcoming, past=list(reversed(past)))


@bp.route("/mijn-boekingen/<int:booking_id>")
def my_booking(booking_id: int) -> str:
    try:
        booking = bookings.visible_booking(booking_id, current_user, _now())
    except bookings.NotFound:
        abort(404)
    return render_template("rooms/booking.html", booking=booking, now=_now())


@bp.route("/mijn-boekingen/<int:booking_id>/annuleren", methods=["POST"])
def cancel(booking_id: int) -> Response:
    return _cancel(booking_id, whole_rest=False)


@bp.route("/mijn-boekingen/<int:booking_id>/annuleren-reeks", methods=["POST"])
def cancel_series(booking_id: int) -> Response:
    return _cancel(booking_id, whole_rest=True)


def _cancel(booking_id: int, *, whole_rest: bool) -> Response:
    try:
        if whole_rest:
            cancelled = bookings.cancel_rest_of_series(booking_id, current_user, now=_now())
            flash(
                _("%(count)s datums van de reeks zijn geannuleerd.", count=len(cancelled)),
                "success",
            )
        else:
            bookings.cancel_booking(booking_id, current_user, now=_now())
            flash(_("De boeking is geannuleerd."), "success")
    except bookings.NotFound:
        db.session.rollback()
        abort(404)
    except bookings.RuleViolation as error:
        db.session.rollback()
        flash(" ".join(say(m) for m in error.problems), "error")
        return redirect(url_for("rooms.my_booking", booking_id=booking_id))
    db.session.commit()
    return redirect(url_for("rooms.my_bookings"))
