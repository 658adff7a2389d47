"""Maatschappelijk rendement pages: one house, or all houses side by side, and their CSV.

The overview comes from `booking.services.rendement.overview`, which checks who asks
and publishes the first-time visitors; these views only read the period and render.
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.models import House
from booking.rules.periods import Period, year_to_date
from booking.rules.permissions import Permission
from booking.services import reach_figures, rendement
from booking.stats import export
from booking.stats.blueprint import bp
from booking.stats.forms import PeriodForm
from booking.stats.pages import (
    Page,
    bad_request,
    chosen_period,
    csv_name,
    csv_response,
    first_error,
    period_args,
    quick_choices,
    show_period,
    to_first_house,
)
from booking.stats.pages import today as today_amsterdam


def _opening_period() -> Period:
    """The rendement overview opens on the year to date, not on an empty quarter."""
    return year_to_date(today_amsterdam())


def _rendement_page(house: House | None, form: PeriodForm) -> Page:
    endpoint = "stats.rendement_house" if house else "stats.rendement_all"
    slug = {"slug": house.slug} if house else {}
    context: dict[str, Any] = {
        "house": house,
        "form": form,
        "rows": None,
        "quick": [
            (_("Dit jaar"), url_for(endpoint, **period_args(_opening_period()), **slug)),
            *quick_choices(endpoint, **slug),
        ],
    }
    if not form.validate():
        return render_template("stats/rendement.html", **context), 400
    found = rendement.overview(current_user, house, chosen_period(form, _opening_period()))
    show_period(form, found.period)
    dates = period_args(found.period)
    reach_url = (
        url_for("stats.house", slug=house.slug, **dates)
        if house
        else url_for("stats.overview", **dates)
    )
    context.update(
        period=found.period,
        rows=found.rows,
        total=found.total,
        visitors=found.visitors,
        total_visitors=found.total_visitors,
        csv_url=url_for(endpoint + "_csv", **slug, **dates),
        reach_url=reach_url,
        house_slugs={r.house_id: r.slug for r, _ in found.rows},
        threshold=found.threshold,
        with_invoices=found.with_invoices,
    )
    return render_template("stats/rendement.html", **context)


def _rendement_csv(house: House | None, form: PeriodForm) -> Response | tuple[str, int]:
    if not form.validate():
        return bad_request(first_error(form))
    found = rendement.overview(current_user, house, chosen_period(form, _opening_period()))
    name = csv_name(f"rendement-{house.slug if house else 'alle-huizen'}", found.period)
    return csv_response(export.rendement_csv(found), name)


@bp.route("/rendement")
def rendement_all() -> Page:
    if not current_user.is_gemeente:
        return to_first_house("stats.rendement_house", today_totals=False)
    return _rendement_page(None, PeriodForm(formdata=request.args))


@bp.route("/rendement.csv")
def rendement_all_csv() -> Response | tuple[str, int]:
    reach_figures.check_all_houses(current_user)
    return _rendement_csv(None, PeriodForm(formdata=request.args))


@bp.route("/<slug>/rendement")
def rendement_house(slug: str) -> Page:
    house = reach_figures.visible_house(current_user, slug, Permission.see_statistics)
    return _rendement_page(house, PeriodForm(formdata=request.args))


@bp.route("/<slug>/rendement.csv")
def rendement_house_csv(slug: str) -> Response | tuple[str, int]:
    house = reach_figures.visible_house(current_user, slug, Permission.see_statistics)
    return _rendement_csv(house, PeriodForm(formdata=request.args))
