"""What every statistics page shares: the clock, the period inputs, quick choices, CSV.

The view modules (`reach_views`, `note_views`, `rendement_views`) parse, call one
service of `booking.services.reach_figures` or `booking.services.rendement`, and render
with these helpers. Refusals are the services' (`Forbidden`/`NotFound`, answered 404 by
the registered handler); the request edge commits or rolls back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Response, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.rules.periods import (
    Period,
    default_period,
    previous_month,
    previous_quarter,
    this_month,
    this_quarter,
    today_amsterdam,
)
from booking.rules.visit_vocabulary import CHANNELS
from booking.services import reach_figures
from booking.stats import labels
from booking.stats.blueprint import bp
from booking.stats.forms import PeriodForm

Page = str | Response | tuple[str, int]
FILTER_ARGS = ("van", "tot", "ruimte", "activiteit", "verdacht")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return today_amsterdam(now())


@bp.context_processor
def _formatting() -> dict[str, Any]:
    """Number and label helpers for the statistics templates only."""
    return {
        "channels": CHANNELS,
        "num": labels.number,
        "pct": labels.percent,
        "hrs": labels.hours,
        "money": labels.money,
        "channel_label": labels.channel_label,
        "channel_short_label": labels.channel_short_label,
        "area_label": labels.area_label,
        "age_label": labels.age_label,
        "hour_label": labels.hour_label,
        "short_hour_label": labels.short_hour_label,
        "day_label": labels.day_label,
        "week_label": labels.week_label,
        "period_label": labels.period_label,
        "weekday_label": labels.weekday_label,
        "visitor_rows": labels.visitor_rows,
        "visitor_columns": labels.visitor_columns,
        "visitor_column_names": labels.visitor_column_names,
    }


def chosen_period(form: PeriodForm, default: Period | None = None) -> Period:
    """The period of a validated form (`default`, else the last full quarter, when none
    was chosen)."""
    return form.period(default or default_period(today()))


def show_period(form: PeriodForm, period: Period) -> None:
    """Fill the date inputs with the period in use (the default when none was chosen)."""
    form.van.data, form.tot.data = period.first.isoformat(), period.last.isoformat()


def period_args(period: Period) -> dict[str, str]:
    return {"van": period.first.isoformat(), "tot": period.last.isoformat()}


def quick_choices(endpoint: str, **values: Any) -> list[tuple[str, str]]:
    day = today()
    choices = (
        (_("Deze maand"), this_month(day)),
        (_("Vorige maand"), previous_month(day)),
        (_("Dit kwartaal"), this_quarter(day)),
        (_("Vorig kwartaal"), previous_quarter(day)),
    )
    kept = {k: v for k, v in values.items() if v}
    return [(label, url_for(endpoint, **period_args(p), **kept)) for label, p in choices]


def filter_args() -> dict[str, str]:
    """The filters of this request that a link to the same figures keeps."""
    return {k: v for k, v in request.args.items() if k in FILTER_ARGS and v}


def to_first_house(endpoint: str, *, today_totals: bool) -> Response:
    """Not the gemeente: on to the first house the user has figures of (else 404)."""
    house = reach_figures.first_house(current_user, today_totals=today_totals)
    return redirect(url_for(endpoint, slug=house.slug))


def first_error(form: PeriodForm) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Controleer de filters.")


def bad_request(message: str) -> tuple[str, int]:
    """A refused CSV download: the error page, with the first problem of its filters."""
    return render_template("errors/error.html", title=_("Ongeldig verzoek"), message=message), 400


def csv_response(text: str, filename: str) -> Response:
    response = make_response(text.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_name(prefix: str, period: Period) -> str:
    return f"{prefix}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
