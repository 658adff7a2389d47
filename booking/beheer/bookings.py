"""The bookings of a house as the beheerder sees them, and the actions on one booking.

The list and the booking page need see_booking_details; approving, rejecting, overriding
and cancelling need manage_building. The services check both; these views only read the
forms, call the booking use case and say how it went.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.forms import (
    ORGANISER_KIND_LABELS,
    BookingFilterForm,
    CancelForm,
    DecisionForm,
    OverrideForm,
)
from booking.beheer.pages import Page, now, problems_of, render_page, room_choices, today
from booking.errors import RuleViolation
from booking.models import Booking
from booking.rules import slots
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.services import bookings
from booking.services.beheer import house_bookings as service
from booking.services.invoices import overview as invoice_overview


def _filters(form: BookingFilterForm) -> service.BookingFilter:
    room = form.ruimte.data
    return service.BookingFilter(
        room_id=int(room) if room else None,
        status=BookingStatus(form.status.data) if form.status.data else None,
        priority_class=PriorityClass(int(form.klasse.data)) if form.klasse.data else None,
        tariff_group=TariffGroup(form.tariefgroep.data) if form.tariefgroep.data else None,
    )


def _period(form: BookingFilterForm, valid: bool) -> service.Period:
    """The week around the chosen day (today without one); the day alone if asked."""
    day = form.datum.data if valid and form.datum.data else today()
    return service.Period.around(day, week=not (valid and form.weergave.data == "dag"))


@bp.route("/<slug>/boekingen")
def bookings_overview(slug: str) -> Page:
    house = service.bookings_house(current_user, slug)
    form = BookingFilterForm(request.args)
    form.ruimte.choices = room_choices(house, ("", _("Alle ruimtes")))
    valid = form.validate()
    period = _period(form, valid)
    found = service.overview(current_user, slug, period, _filters(form) if valid else None, now())
    return render_page(
        "beheer/bookings.html",
        house,
        200 if valid else 400,
        form=form,
        view="week" if period.week else "dag",
        day=period.day,
        first=period.first,
        last=period.last,
        previous=(period.day - period.step).isoformat(),
        next=(period.day + period.step).isoformat(),
        today=today().isoformat(),
        rows=found.rows,
        requests=found.requests,
        decision_form=DecisionForm(),
        now=now(),
    )


def _booking_page(
    booking: Booking,
    status: int = 200,
    *,
    problems: list[str] | None = None,
    decision_form: DecisionForm | None = None,
    override_form: OverrideForm | None = None,
    cancel_form: CancelForm | None = None,
) -> tuple[str, int]:
    if override_form is None:
        override_form = OverrideForm(
            formdata=None,
            data={"tariff_group": booking.tariff_group, "priority_class": booking.priority_class},
        )
    return render_page(
        "beheer/booking.html",
        booking.room.house,
        status,
        booking=booking,
        problems=problems or [],
        decision_form=decision_form or DecisionForm(formdata=None),
        override_form=override_form,
        cancel_form=cancel_form or CancelForm(formdata=None),
        organiser_kinds=ORGANISER_KIND_LABELS,
        booking_day=booking.start.astimezone(slots.AMSTERDAM).date().isoformat(),
        invoicing=invoice_overview.booking_invoicing(current_user, booking),
        now=now(),
    )


@bp.route("/<slug>/boekingen/<int:booking_id>")
def booking_detail(slug: str, booking_id: int) -> Page:
    return _booking_page(service.house_booking(current_user, slug, booking_id))


def _back_to(booking: Booking, back: str | None) -> str:
    """Back to the overview the action came from, if it is one; else the booking's page."""
    slug = booking.room.house.slug
    overview = url_for("beheer.bookings_overview", slug=slug)
    if back and (back == overview or back.startswith(overview + "?")) and "//" not in back:
        return back
    return url_for("beheer.booking_detail", slug=slug, booking_id=booking.id)


@bp.route("/<slug>/boekingen/<int:booking_id>/beslissen", methods=["POST"])
def decide_booking(slug: str, booking_id: int) -> Page:
    booking = service.managed_booking(current_user, slug, booking_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _booking_page(booking, 400, decision_form=form)
    approve = form.decision.data == "goedkeuren"
    reason = form.reason.data or ""
    try:
        bookings.decide_request(booking.id, current_user, approve=approve, reason=reason, now=now())
    except RuleViolation as error:
        return _booking_page(booking, 422, problems=problems_of(error), decision_form=form)
    if approve:
        flash(_("De aanvraag is goedgekeurd."), "success")
    else:
        flash(_("De aanvraag is afgewezen."), "success")
    return redirect(_back_to(booking, form.back.data))


@bp.route("/<slug>/boekingen/<int:booking_id>/wijzigen", methods=["POST"])
def override_booking(slug: str, booking_id: int) -> Page:
    booking = service.managed_booking(current_user, slug, booking_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _booking_page(booking, 400, override_form=form)
    try:
        bookings.override_tariff(
            booking.id,
            current_user,
            tariff_group=TariffGroup(form.tariff_group.data),
            priority_class=PriorityClass(form.priority_class.data),
            reason=form.reason.data,
            now=now(),
        )
    except RuleViolation as error:
        return _booking_page(booking, 422, problems=problems_of(error), override_form=form)
    flash(_("Tariefgroep en voorrangsklasse zijn aangepast."), "success")
    return redirect(url_for("beheer.booking_detail", slug=slug, booking_id=booking.id))


@bp.route("/<slug>/boekingen/<int:booking_id>/annuleren", methods=["POST"])
def cancel_booking(slug: str, booking_id: int) -> Page:
    booking = service.managed_booking(current_user, slug, booking_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _booking_page(booking, 400, cancel_form=form)
    reason = (form.reason.data or "").strip()
    try:
        bookings.cancel_booking(booking.id, current_user, now=now(), reason=reason)
    except RuleViolation as error:
        return _booking_page(booking, 422, problems=problems_of(error), cancel_form=form)
    flash(_("De boeking is geannuleerd; de organisator krijgt bericht."), "success")
    return redirect(_back_to(booking, form.back.data))
