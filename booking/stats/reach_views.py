"""Reach pages (bereik): the gemeente's comparison, one house's figures, their CSV.

Thin views: read the filters, ask `booking.services.reach_figures` for published
figures, render. A house the user may not see is the service's `Forbidden` (404, never
403); malformed filters answer 400 with the form and its errors. Anyone but the
gemeente asking for all houses is sent on to their first house.
"""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from booking.errors import InvalidInput
from booking.models import House
from booking.rules.periods import Period, default_period
from booking.rules.permissions import Permission
from booking.services import reach_figures
from booking.services.reach_figures import HouseFigures
from booking.stats import export, filters
from booking.stats.blueprint import bp
from booking.stats.breakdowns import breakdowns, shown_hours
from booking.stats.forms import HouseFilterForm, NoteForm, PeriodForm
from booking.stats.pages import (
    Page,
    bad_request,
    chosen_period,
    csv_name,
    csv_response,
    filter_args,
    first_error,
    now,
    period_args,
    quick_choices,
    show_period,
    to_first_house,
    today,
)

KEPT_FILTERS = ("ruimte", "activiteit", "verdacht")

# The gemeente's comparison ---------------------------------------------------------------


@bp.route("/")
def overview() -> Page:
    if not current_user.is_gemeente:
        return to_first_house("stats.house", today_totals=True)
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        quick = quick_choices("stats.overview")
        return render_template("stats/overview.html", form=form, comparison=None, quick=quick), 400
    comparison = reach_figures.comparison(
        current_user, chosen_period(form), include_suspicious=bool(form.verdacht.data)
    )
    show_period(form, comparison.period)
    return render_template(
        "stats/overview.html",
        form=form,
        comparison=comparison,
        quick=quick_choices("stats.overview", verdacht=filter_args().get("verdacht")),
        export_url=url_for("stats.export_all", **filter_args()),
        rendement_url=url_for("stats.rendement_all", **period_args(comparison.period)),
    )


@bp.route("/export.csv")
def export_all() -> Response | tuple[str, int]:
    reach_figures.check_all_houses(current_user)
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return bad_request(first_error(form))
    comparison = reach_figures.comparison(
        current_user, chosen_period(form), include_suspicious=bool(form.verdacht.data)
    )
    name = csv_name("bereik-alle-huizen", comparison.period)
    return csv_response(export.comparison_csv(comparison), name)


# One house -------------------------------------------------------------------------------


def _count(house: House, form: HouseFilterForm) -> HouseFigures | Period:
    """The house's figures; when the filters are refused, the period the form falls
    back on (the default for malformed dates, else the chosen one)."""
    if not form.validate():
        return default_period(today())
    wanted = filters.house_request(form)
    try:
        return reach_figures.house_figures(current_user, house, **wanted)
    except InvalidInput as error:
        filters.refuse(form[error.field], error)
        return wanted["period"]


def _page_context(
    house: House, args: MultiDict[str, str], form: HouseFilterForm, note_form: NoteForm
) -> dict[str, object]:
    quick = quick_choices(
        "stats.house", slug=house.slug, ruimte=args.get("ruimte"), verdacht=args.get("verdacht")
    )
    can_write = current_user.can(Permission.run_kiosk, house.id)
    return {
        "house": house,
        "form": form,
        "quick": quick,
        "can_write_notes": can_write,
        "note_form": note_form,
        "shown": None,
    }


def house_page(
    house: House, args: MultiDict[str, str], *, note: NoteForm | None = None, status: int = 200
) -> tuple[str, int]:
    """A house's full figures; also shown again, with its errors, after a refused note."""
    form = HouseFilterForm(formdata=args)
    counted = _count(house, form)
    if isinstance(counted, Period):
        found = reach_figures.house_activities(current_user, house, counted)
        filters.fill_choices(form, house, found)
        context = _page_context(house, args, form, filters.note_form(found, counted, note))
        return render_template("stats/house.html", **context), 400
    filters.show_filters(form, counted)
    context = _page_context(
        house, args, form, filters.note_form(counted.activities, counted.period, note)
    )
    kept = {k: v for k, v in args.items() if k in KEPT_FILTERS and v}
    dates = period_args(counted.period)
    context.update(
        shown=counted.shown,
        filters=filters.describe(counted),
        breakdowns=breakdowns(counted.shown),
        hours=shown_hours(counted.shown),
        notes=counted.notes,
        export_url=url_for("stats.export_house", slug=house.slug, **dates, **kept),
        rendement_url=url_for("stats.rendement_house", slug=house.slug, **dates),
    )
    return render_template("stats/house.html", **context), status


def today_page(house: House, *, note: NoteForm | None = None, status: int = 200) -> tuple[str, int]:
    """What a gastheer sees: today's totals and notes; also shown after a refused note."""
    figures = reach_figures.today_figures(current_user, house, now())
    return render_template(
        "stats/today.html",
        house=house,
        shown=figures.shown,
        notes=figures.notes,
        can_write_notes=current_user.can(Permission.run_kiosk, house.id),
        note_form=filters.note_form(figures.activities, figures.period, note),
    ), status


@bp.route("/<slug>")
def house(slug: str) -> Page:
    found = reach_figures.visible_house(current_user, slug, Permission.see_today_totals)
    if current_user.can(Permission.see_statistics, found.id):
        return house_page(found, request.args)
    return today_page(found)


@bp.route("/<slug>/export.csv")
def export_house(slug: str) -> Response | tuple[str, int]:
    house = reach_figures.visible_house(current_user, slug, Permission.see_statistics)
    form = HouseFilterForm(formdata=request.args)
    if not form.validate():
        return bad_request(first_error(form))
    figures = reach_figures.house_figures(current_user, house, **filters.house_request(form))
    text = export.reach_csv(house.name, filters.describe(figures), figures.shown)
    return csv_response(text, csv_name(f"bereik-{house.slug}", figures.period))
