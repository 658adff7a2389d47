"""Booking for a resident who phoned or walked in, and the confirmation to print for them.

Like the resident's own booking page (booking/rooms/views.py): the server's quote is shown
first, and only a confirmation of exactly that quote books. Who may is
`services/on_behalf.py` (book_on_behalf: beheerder, sociaal beheerder, gemeente).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.forms import options
from booking.beheer.on_behalf_forms import OnBehalfForm
from booking.beheer.pages import Page, now, problems_of, render_page
from booking.errors import InvalidInput, RuleViolation, SlotTaken
from booking.i18n import say, status_label
from booking.models import House
from booking.rules import dates, horizon, slots
from booking.rules.residents import Resident
from booking.services import on_behalf as service
from booking.services import quotes
from booking.services.quote_tokens import matches, quote_token

Slot = tuple[datetime, datetime]


def _form(house: House) -> OnBehalfForm:
    form = OnBehalfForm(data=_prefill())
    form.room.choices = options(
        [("", _("Kies een ruimte"))]
        + [
            (r.id, _("%(room)s (%(capacity)s personen)", room=r.name, capacity=r.capacity))
            for r in house.rooms
            if r.active
        ]
    )
    return form


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
    last_day = horizon.last_bookable_day(now(), quotes.horizon_months(house))
    return render_page(
        "beheer/on_behalf.html", house, status, form=form, last_day=last_day, **shown
    )


@bp.route("/<slug>/boeken-voor-bewoner", methods=["GET", "POST"])
def book_on_behalf(slug: str) -> Page:
    """Quote first; book only when the quote shown is confirmed (its token matches)."""
    house = service.on_behalf_house(current_user, slug)
    form = _form(house)
    if request.method == "GET" or not form.validate_on_submit():
        return _page(house, form, 400 if request.method == "POST" else 200)
    try:
        slot = form.moments()
    except slots.NonexistentLocalTime:
        form.start_time.errors = [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
        return _page(house, form, 400)
    activity, room_id = form.activity(), int(form.room.data)
    token = quote_token(room_id, *slot, activity)
    if request.form.get("action") == "confirm" and matches(form.quote_token.data, token):
        return _confirm(house, form, room_id, slot)
    quote = service.quote_for_resident(current_user, slug, room_id, *slot, activity, now=now())
    form.quote_token.data = token
    return _page(house, form, 422 if quote.problems else 200, quote=quote)


def _confirm(house: House, form: OnBehalfForm, room_id: int, slot: Slot) -> Page:
    """Book; a refusal shows the form again with the problem (and is rolled back)."""
    who = Resident(form.resident_name.data, form.resident_phone.data, form.resident_email.data)
    try:
        booked = service.book_for_resident(
            current_user,
            house.slug,
            room_id,
            slot,
            form.title.data,
            form.public.data,
            form.activity(),
            who,
            now=now(),
        )
    except InvalidInput as error:
        form[error.field].errors = [say(error.message)]
        return _page(house, form, 400)
    except RuleViolation as error:
        return _page(house, form, 422, problems=problems_of(error))
    except SlotTaken as error:
        return _page(house, form, 409, taken=error)
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
    return redirect(
        url_for("beheer.on_behalf_confirmation", slug=house.slug, booking_id=booking.id)
    )


@bp.route("/<slug>/boekingen/<int:booking_id>/bevestiging")
def on_behalf_confirmation(slug: str, booking_id: int) -> Page:
    """The confirmation to print (or read out) for the resident."""
    booking = service.confirmation(current_user, slug, booking_id)
    return render_page(
        "beheer/on_behalf_confirmation.html", booking.room.house, booking=booking, now=now()
    )
