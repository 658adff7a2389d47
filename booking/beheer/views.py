"""Beheer pages. Every view names the permission it needs in that house; others get 404.

Thin: find the house with `house_for`, read the form, call one service, commit once, flash
a Dutch message and redirect. A broken rule rolls back and shows the page again with the
reason (422); a malformed form shows its errors (400).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from booking.beheer.blueprint import bp
from booking.beheer.forms import (
    ORGANISER_KIND_LABELS,
    BookingFilterForm,
    CancelForm,
    ClosureForm,
    DecisionForm,
    DeleteForm,
    OpeningHoursForm,
    OverrideForm,
    PriorityBlockForm,
    RoomForm,
    SettingsForm,
    cents_of,
    options,
)
from booking.extensions import db
from booking.i18n import audit_action_label, audit_object_label, say, weekday_name
from booking.models import Booking, House, Room
from booking.rules import slots
from booking.rules.numbers import parse_whole_number
from booking.rules.permissions import Permission
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.services import beheer, bookings, houses, invoicing

Page = str | Response | tuple[str, int]


def _now() -> datetime:
    return datetime.now(UTC)


def house_for(slug: str, permission: Permission) -> House:
    """The house, if the user holds the permission there; else 404, never 403."""
    house = houses.get_house(slug)
    if house is None or not current_user.can(permission, house.id):
        abort(404)
    return house


def _render(template: str, house: House, status: int = 200, **context: Any) -> tuple[str, int]:
    """A beheer page with the house's sub-navigation, showing only what the user may use."""
    html = render_template(
        template,
        house=house,
        can_see_bookings=current_user.can(Permission.see_booking_details, house.id),
        can_manage_programme=current_user.can(Permission.manage_programme, house.id),
        can_manage_building=current_user.can(Permission.manage_building, house.id),
        **context,
    )
    return html, status


def _problems(error: bookings.RuleViolation) -> list[str]:
    return [say(message) for message in error.problems]


def _bad_request(message: str) -> tuple[str, int]:
    return render_template("errors/error.html", title=_("Ongeldig verzoek"), message=message), 400


def _delete(remove: Callable[[], object], done: str, back: str) -> Page:
    """A delete button sends only its CSRF token; an id that is gone or elsewhere is a 404."""
    if not DeleteForm().validate_on_submit():
        return _bad_request(_("Het formulier is onvolledig verstuurd."))
    try:
        remove()
    except bookings.NotFound:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(done, "success")
    return redirect(back)


@bp.route("/<slug>")
def house_overview(slug: str) -> Page:
    house = house_for(slug, Permission.manage_programme)
    return _render(
        "beheer/house.html",
        house,
        staff=houses.staff_of(house),
        policy=houses.house_policy(house),
        export_month=str(invoicing.previous_month(_now().astimezone(slots.AMSTERDAM).date())),
    )


# Bookings ------------------------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return slots.local_to_utc(datetime.combine(day, time(0)))


def _filters(form: BookingFilterForm, house: House) -> beheer.BookingFilter:
    room = form.ruimte.data
    return beheer.BookingFilter(
        room_id=int(room) if room else None,
        status=BookingStatus(form.status.data) if form.status.data else None,
        priority_class=PriorityClass(int(form.klasse.data)) if form.klasse.data else None,
        tariff_group=TariffGroup(form.tariefgroep.data) if form.tariefgroep.data else None,
    )


@bp.route("/<slug>/boekingen")
def bookings_overview(slug: str) -> Page:
    house = house_for(slug, Permission.see_booking_details)
    form = BookingFilterForm(request.args)
    form.ruimte.choices = options([("", _("Alle ruimtes"))] + [(r.id, r.name) for r in house.rooms])
    today = _now().astimezone(slots.AMSTERDAM).date()
    valid = form.validate()
    view = form.weergave.data if valid and form.weergave.data in ("dag", "week") else "week"
    day = form.datum.data if valid and form.datum.data else today
    if view == "week":
        first, after = beheer.week_bounds(day)
        step = timedelta(days=7)
    else:
        first, after = day, day + timedelta(days=1)
        step = timedelta(days=1)
    rows = (
        beheer.house_bookings(house.id, _day_start(first), _day_start(after), _filters(form, house))
        if valid
        else []
    )
    can_manage = current_user.can(Permission.manage_building, house.id)
    return _render(
        "beheer/bookings.html",
        house,
        200 if valid else 400,
        form=form,
        view=view,
        day=day,
        first=first,
        last=after - timedelta(days=1),
        previous=(day - step).isoformat(),
        next=(day + step).isoformat(),
        today=today.isoformat(),
        rows=rows,
        requests=beheer.open_requests(house.id, _now()) if can_manage else [],
        decision_form=DecisionForm(),
        now=_now(),
    )


def _house_booking(house: House, booking_id: int) -> Booking:
    try:
        return beheer.house_booking(house.id, booking_id)
    except bookings.NotFound:
        abort(404)


def _booking_page(
    house: House,
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
    return _render(
        "beheer/booking.html",
        house,
        status,
        booking=booking,
        problems=problems or [],
        decision_form=decision_form or DecisionForm(formdata=None),
        override_form=override_form,
        cancel_form=cancel_form or CancelForm(formdata=None),
        organiser_kinds=ORGANISER_KIND_LABELS,
        booking_day=booking.start.astimezone(slots.AMSTERDAM).date().isoformat(),
        now=_now(),
    )


@bp.route("/<slug>/boekingen/<int:booking_id>")
def booking_detail(slug: str, booking_id: int) -> Page:
    house = house_for(slug, Permission.see_booking_details)
    return _booking_page(house, _house_booking(house, booking_id))


def _back_to(house: House, booking_id: int, back: str | None) -> str:
    """Back to the overview the action came from, if it is one; else the booking's page."""
    overview = url_for("beheer.bookings_overview", slug=house.slug)
    if back and (back == overview or back.startswith(overview + "?")) and "//" not in back:
        return back
    return url_for("beheer.booking_detail", slug=house.slug, booking_id=booking_id)


@bp.route("/<slug>/boekingen/<int:booking_id>/beslissen", methods=["POST"])
def decide_booking(slug: str, booking_id: int) -> Page:
    house = house_for(slug, Permission.manage_building)
    booking = _house_booking(house, booking_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _booking_page(house, booking, 400, decision_form=form)
    approve = form.decision.data == "goedkeuren"
    try:
        bookings.decide_request(
            booking.id, current_user, approve=approve, reason=form.reason.data or "", now=_now()
        )
    except bookings.NotFound:
        db.session.rollback()
        abort(404)
    except bookings.RuleViolation as error:
        db.session.rollback()
        booking = _house_booking(house, booking_id)
        return _booking_page(house, booking, 422, problems=_problems(error), decision_form=form)
    db.session.commit()
    if approve:
        flash(_("De aanvraag is goedgekeurd."), "success")
    else:
        flash(_("De aanvraag is afgewezen."), "success")
    return redirect(_back_to(house, booking_id, form.back.data))


@bp.route("/<slug>/boekingen/<int:booking_id>/wijzigen", methods=["POST"])
def override_booking(slug: str, booking_id: int) -> Page:
    house = house_for(slug, Permission.manage_building)
    booking = _house_booking(house, booking_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _booking_page(house, booking, 400, override_form=form)
    try:
        bookings.override_tariff(
            booking.id,
            current_user,
            tariff_group=TariffGroup(form.tariff_group.data),
            priority_class=PriorityClass(form.priority_class.data),
            reason=form.reason.data,
            now=_now(),
        )
    except bookings.NotFound:
        db.session.rollback()
        abort(404)
    except bookings.RuleViolation as error:
        db.session.rollback()
        booking = _house_booking(house, booking_id)
        return _booking_page(house, booking, 422, problems=_problems(error), override_form=form)
    db.session.commit()
    flash(_("Tariefgroep en voorrangsklasse zijn aangepast."), "success")
    return redirect(url_for("beheer.booking_detail", slug=house.slug, booking_id=booking_id))


@bp.route("/<slug>/boekingen/<int:booking_id>/annuleren", methods=["POST"])
def cancel_booking(slug: str, booking_id: int) -> Page:
    house = house_for(slug, Permission.manage_building)
    booking = _house_booking(house, booking_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _booking_page(house, booking, 400, cancel_form=form)
    try:
        bookings.cancel_booking(
            booking.id, current_user, now=_now(), reason=(form.reason.data or "").strip()
        )
    except bookings.NotFound:
        db.session.rollback()
        abort(404)
    except bookings.RuleViolation as error:
        db.session.rollback()
        booking = _house_booking(house, booking_id)
        return _booking_page(house, booking, 422, problems=_problems(error), cancel_form=form)
    db.session.commit()
    flash(_("De boeking is geannuleerd; de organisator krijgt bericht."), "success")
    return redirect(_back_to(house, booking_id, form.back.data))


# Rooms ----------------------------------------------------------------------------------------


def _room_input(form: RoomForm) -> beheer.RoomInput:
    return beheer.RoomInput(
        name=form.name.data or "",
        capacity=form.capacity.data,
        base_rate_cents=cents_of(form.base_rate) or 0,
        rates_cents={group: cents_of(field) for group, field in form.rate_fields()},
        requires_approval=form.requires_approval.data,
        is_huiskamer=form.is_huiskamer.data,
        active=form.active.data,
    )


def _euro_text(cents: int | None) -> str:
    if cents is None:
        return ""
    return invoicing.decimal_comma(cents)


def _room_form_for(room: Room) -> RoomForm:
    data = {
        "name": room.name,
        "capacity": room.capacity,
        "base_rate": _euro_text(room.base_rate_cents),
        "requires_approval": room.requires_approval,
        "is_huiskamer": room.is_huiskamer,
        "active": room.active,
    }
    for group in beheer.GROUPS:
        data[f"rate_{group.lower()}"] = _euro_text(getattr(room, f"rate_{group.lower()}_cents"))
    return RoomForm(formdata=None, data=data)


@bp.route("/<slug>/ruimtes", methods=["GET", "POST"])
def rooms(slug: str) -> Page:
    house = house_for(slug, Permission.manage_building)
    form = RoomForm()
    if request.method == "GET":
        return _render("beheer/rooms.html", house, form=RoomForm(formdata=None), problems=[])
    if not form.validate_on_submit():
        return _render("beheer/rooms.html", house, 400, form=form, problems=[])
    try:
        room = beheer.add_room(house.id, current_user, _room_input(form))
    except bookings.RuleViolation as error:
        db.session.rollback()
        return _render("beheer/rooms.html", house, 422, form=form, problems=_problems(error))
    db.session.commit()
    flash(_("Ruimte %(name)s is toegevoegd.", name=room.name), "success")
    return redirect(url_for("beheer.rooms", slug=house.slug))


@bp.route("/<slug>/ruimtes/<int:room_id>", methods=["GET", "POST"])
def edit_room(slug: str, room_id: int) -> Page:
    house = house_for(slug, Permission.manage_building)
    try:
        room = beheer.house_room(house.id, room_id)
    except bookings.NotFound:
        abort(404)
    if request.method == "GET":
        return _render("beheer/room.html", house, room=room, form=_room_form_for(room))
    form = RoomForm()
    if not form.validate_on_submit():
        return _render("beheer/room.html", house, 400, room=room, form=form)
    try:
        beheer.update_room(house.id, room.id, current_user, _room_input(form))
    except bookings.NotFound:
        db.session.rollback()
        abort(404)
    except bookings.RuleViolation as error:
        db.session.rollback()
        room = beheer.house_room(house.id, room_id)
        return _render(
            "beheer/room.html", house, 422, room=room, form=form, problems=_problems(error)
        )
    db.session.commit()
    flash(_("De ruimte is opgeslagen. Bestaande boekingen houden hun prijs."), "success")
    return redirect(url_for("beheer.rooms", slug=house.slug))


# Settings ------------------------------------------------------------------------------------


def _settings_form_for(house: House) -> SettingsForm:
    return SettingsForm(
        formdata=None,
        data={
            "factor_t1": house.factor_t1_percent,
            "factor_t2": house.factor_t2_percent,
            "factor_t3": house.factor_t3_percent,
            "factor_t4": house.factor_t4_percent,
            "contribution_cap": _euro_text(house.contribution_cap_cents),
            "voorrangstermijn": house.voorrangstermijn_days,
            "request_expiry_days": house.request_expiry_days,
            "min_duration": house.min_duration_minutes,
            "max_duration": house.max_duration_minutes,
            "booking_horizon": house.booking_horizon_months,
        },
    )


def _settings_page(
    house: House, form: SettingsForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return _render(
        "beheer/settings.html",
        house,
        status,
        form=form,
        defaults=houses.policy(),
        problems=problems or [],
    )


@bp.route("/<slug>/instellingen", methods=["GET", "POST"])
def settings(slug: str) -> Page:
    house = house_for(slug, Permission.manage_building)
    if request.method == "GET":
        return _settings_page(house, _settings_form_for(house))
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(house, form, 400)
    data = beheer.HouseSettingsInput(
        factors_percent={group: field.data for group, field in form.factor_fields()},
        contribution_cap_cents=cents_of(form.contribution_cap),
        voorrangstermijn_days=form.voorrangstermijn.data,
        request_expiry_days=form.request_expiry_days.data,
        min_duration_minutes=form.min_duration.data,
        max_duration_minutes=form.max_duration.data,
        booking_horizon_months=form.booking_horizon.data,
    )
    try:
        beheer.update_settings(house.id, current_user, data)
    except bookings.RuleViolation as error:
        db.session.rollback()
        return _settings_page(house, form, 422, _problems(error))
    db.session.commit()
    flash(_("De instellingen zijn opgeslagen. Bestaande boekingen houden hun prijs."), "success")
    return redirect(url_for("beheer.settings", slug=house.slug))


# Opening hours -----------------------------------------------------------------------------


def _opening_form_for(house: House) -> OpeningHoursForm:
    data: dict[str, Any] = {}
    for weekday in range(7):
        periods = [p for p in house.opening_hours if p.weekday == weekday]
        data[f"closed_{weekday}"] = not periods
        if periods:
            data[f"opens_{weekday}"] = min(p.opens for p in periods)
            data[f"closes_{weekday}"] = max(p.closes for p in periods)
    return OpeningHoursForm(formdata=None, data=data)


def _opening_page(
    house: House, form: OpeningHoursForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    split_days = sorted(
        {
            p.weekday
            for p in house.opening_hours
            if sum(q.weekday == p.weekday for q in house.opening_hours) > 1
        }
    )
    return _render(
        "beheer/opening_hours.html",
        house,
        status,
        form=form,
        days=[(weekday, weekday_name(weekday), *form.day(weekday)) for weekday in range(7)],
        split_days=[weekday_name(d) for d in split_days],
        problems=problems or [],
    )


@bp.route("/<slug>/openingstijden", methods=["GET", "POST"])
def opening_hours(slug: str) -> Page:
    house = house_for(slug, Permission.manage_building)
    if request.method == "GET":
        return _opening_page(house, _opening_form_for(house))
    form = OpeningHoursForm()
    if not form.validate_on_submit():
        return _opening_page(house, form, 400)
    periods = []
    for weekday in range(7):
        closed, opens, closes = form.day(weekday)
        if not closed.data:
            periods.append(beheer.OpeningPeriodInput(weekday, opens.data, closes.data))
    try:
        beheer.replace_opening_hours(house.id, current_user, periods)
    except bookings.RuleViolation as error:
        db.session.rollback()
        return _opening_page(house, form, 422, _problems(error))
    db.session.commit()
    flash(_("De openingstijden zijn opgeslagen."), "success")
    return redirect(url_for("beheer.opening_hours", slug=house.slug))


# Closures ------------------------------------------------------------------------------------


def _room_choices(house: House, first: tuple[str, str] | None = None) -> list[SelectChoice]:
    choices = [first] if first else []
    return options(choices + [(r.id, r.name) for r in house.rooms])


def _closures_page(
    house: House, form: ClosureForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return _render(
        "beheer/closures.html",
        house,
        status,
        form=form,
        closures=beheer.closures_of(house.id, _now()),
        rooms_by_id={r.id: r for r in house.rooms},
        delete_form=DeleteForm(formdata=None),
        problems=problems or [],
    )


@bp.route("/<slug>/sluitingen", methods=["GET", "POST"])
def closures(slug: str) -> Page:
    house = house_for(slug, Permission.manage_building)
    form = ClosureForm() if request.method == "POST" else ClosureForm(formdata=None)
    form.room.choices = _room_choices(house, ("", _("Het hele huis")))
    if request.method == "GET":
        return _closures_page(house, form)
    if not form.validate_on_submit():
        return _closures_page(house, form, 400)
    try:
        starts_at = slots.local_to_utc(datetime.combine(form.start_date.data, form.start_time.data))
        ends_at = slots.local_to_utc(datetime.combine(form.end_date.data, form.end_time.data))
    except slots.NonexistentLocalTime:
        return _closures_page(
            house, form, 422, [_("Deze tijd bestaat niet door de overgang naar zomertijd.")]
        )
    try:
        _closure, touched = beheer.add_closure(
            house.id,
            current_user,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=form.reason.data,
            room_id=int(form.room.data) if form.room.data else None,
        )
    except bookings.RuleViolation as error:
        db.session.rollback()
        return _closures_page(house, form, 422, _problems(error))
    db.session.commit()
    flash(_("De sluiting is toegevoegd."), "success")
    if touched:
        flash(
            _(
                "Let op: %(count)s boekingen vallen in deze sluiting. Ze zijn niet vanzelf "
                "geannuleerd; bekijk ze in het boekingenoverzicht.",
                count=len(touched),
            ),
            "info",
        )
    return redirect(url_for("beheer.closures", slug=house.slug))


@bp.route("/<slug>/sluitingen/<int:closure_id>/verwijderen", methods=["POST"])
def delete_closure(slug: str, closure_id: int) -> Page:
    house = house_for(slug, Permission.manage_building)
    return _delete(
        lambda: beheer.delete_closure(house.id, current_user, closure_id),
        _("De sluiting is verwijderd."),
        url_for("beheer.closures", slug=house.slug),
    )


# Voorrangsblokken ----------------------------------------------------------------------------


def _blocks_page(
    house: House, form: PriorityBlockForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return _render(
        "beheer/priority_blocks.html",
        house,
        status,
        form=form,
        blocks=beheer.priority_blocks_of(house.id),
        rooms_by_id={r.id: r for r in house.rooms},
        delete_form=DeleteForm(formdata=None),
        problems=problems or [],
    )


@bp.route("/<slug>/voorrangsblokken", methods=["GET", "POST"])
def priority_blocks(slug: str) -> Page:
    house = house_for(slug, Permission.manage_programme)
    form = PriorityBlockForm() if request.method == "POST" else PriorityBlockForm(formdata=None)
    form.room.choices = _room_choices(house)
    form.weekday.choices = options((d, weekday_name(d)) for d in range(7))
    if request.method == "GET":
        return _blocks_page(house, form)
    if not form.validate_on_submit():
        return _blocks_page(house, form, 400)
    data = beheer.PriorityBlockInput(
        room_id=int(form.room.data),
        weekday=form.weekday.data,
        starts=form.starts.data,
        ends=form.ends.data,
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
        note=form.note.data or "",
    )
    try:
        beheer.add_priority_block(house.id, current_user, data)
    except bookings.RuleViolation as error:
        db.session.rollback()
        return _blocks_page(house, form, 422, _problems(error))
    db.session.commit()
    flash(_("Het voorrangsblok is toegevoegd."), "success")
    return redirect(url_for("beheer.priority_blocks", slug=house.slug))


@bp.route("/<slug>/voorrangsblokken/<int:block_id>/verwijderen", methods=["POST"])
def delete_priority_block(slug: str, block_id: int) -> Page:
    house = house_for(slug, Permission.manage_programme)
    return _delete(
        lambda: beheer.delete_priority_block(house.id, current_user, block_id),
        _("Het voorrangsblok is verwijderd."),
        url_for("beheer.priority_blocks", slug=house.slug),
    )


# Invoicing export ------------------------------------------------------------------------------


@bp.route("/<slug>/export.csv")
def export_csv(slug: str) -> Page:
    house = house_for(slug, Permission.manage_building)
    text = request.args.get("maand")
    try:
        month = (
            invoicing.parse_month(text.strip())
            if text is not None
            else invoicing.previous_month(_now().astimezone(slots.AMSTERDAM).date())
        )
    except ValueError:
        return _bad_request(_("Kies een maand in de vorm JJJJ-MM, bijvoorbeeld 2026-12."))
    response = make_response(invoicing.month_csv(house, month).encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{invoicing.filename(house, month)}"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Audit log -----------------------------------------------------------------------------------


@bp.route("/<slug>/logboek")
def audit_log(slug: str) -> Page:
    house = house_for(slug, Permission.manage_programme)
    number = parse_whole_number(request.args.get("pagina", "1"), 1_000_000)
    if not number:
        return _bad_request(_("Kies een paginanummer vanaf 1."))
    page = beheer.audit_page(house.id, number)
    return _render(
        "beheer/audit_log.html",
        house,
        page=page,
        action_label=audit_action_label,
        object_label=audit_object_label,
    )
