"""A house's own settings (factors, voorrangstermijn, durations, horizon) and opening hours."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.forms import OpeningHoursForm, SettingsForm, cents_of, euro_text
from booking.beheer.pages import Page, problems_of, render_page
from booking.errors import RuleViolation
from booking.i18n import weekday_name
from booking.models import House
from booking.services import houses
from booking.services.beheer import house_settings as service

# Settings ------------------------------------------------------------------------------------


def _settings_form_for(house: House) -> SettingsForm:
    return SettingsForm(
        formdata=None,
        data={
            "factor_t1": house.factor_t1_percent,
            "factor_t2": house.factor_t2_percent,
            "factor_t3": house.factor_t3_percent,
            "factor_t4": house.factor_t4_percent,
            "contribution_cap": euro_text(house.contribution_cap_cents),
            "voorrangstermijn": house.voorrangstermijn_days,
            "request_expiry_days": house.request_expiry_days,
            "min_duration": house.min_duration_minutes,
            "max_duration": house.max_duration_minutes,
            "booking_horizon": house.booking_horizon_months,
            "contact_email": house.contact_email,
            "contact_phone": house.contact_phone,
            "huiskamer_hours": house.huiskamer_hours,
        },
    )


def _settings_input(form: SettingsForm) -> service.HouseSettingsInput:
    return service.HouseSettingsInput(
        factors_percent={group: field.data for group, field in form.factor_fields()},
        contribution_cap_cents=cents_of(form.contribution_cap),
        voorrangstermijn_days=form.voorrangstermijn.data,
        request_expiry_days=form.request_expiry_days.data,
        min_duration_minutes=form.min_duration.data,
        max_duration_minutes=form.max_duration.data,
        booking_horizon_months=form.booking_horizon.data,
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        huiskamer_hours=form.huiskamer_hours.data or "",
    )


def _settings_page(
    house: House, form: SettingsForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return render_page(
        "beheer/settings.html",
        house,
        status,
        form=form,
        defaults=houses.policy(),
        problems=problems or [],
    )


@bp.route("/<slug>/instellingen", methods=["GET", "POST"])
def settings(slug: str) -> Page:
    house = service.settings_house(current_user, slug)
    if request.method == "GET":
        return _settings_page(house, _settings_form_for(house))
    form = SettingsForm()
    if not form.validate_on_submit():
        return _settings_page(house, form, 400)
    try:
        service.update_settings(current_user, slug, _settings_input(form))
    except RuleViolation as error:
        return _settings_page(house, form, 422, problems_of(error))
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


def _opening_periods(form: OpeningHoursForm) -> list[service.OpeningPeriodInput]:
    periods = []
    for weekday in range(7):
        closed, opens, closes = form.day(weekday)
        if not closed.data:
            periods.append(service.OpeningPeriodInput(weekday, opens.data, closes.data))
    return periods


def _opening_page(
    house: House, form: OpeningHoursForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    weekdays = [p.weekday for p in house.opening_hours]
    split_days = sorted({d for d in weekdays if weekdays.count(d) > 1})
    return render_page(
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
    house = service.settings_house(current_user, slug)
    if request.method == "GET":
        return _opening_page(house, _opening_form_for(house))
    form = OpeningHoursForm()
    if not form.validate_on_submit():
        return _opening_page(house, form, 400)
    try:
        service.replace_opening_hours(current_user, slug, _opening_periods(form))
    except RuleViolation as error:
        return _opening_page(house, form, 422, problems_of(error))
    flash(_("De openingstijden zijn opgeslagen."), "success")
    return redirect(url_for("beheer.opening_hours", slug=house.slug))
