"""Statistics pages: reach (bereik) per house and across houses, host notes, rendement.

Thin views: read the filters, ask `services.stats` for counts, apply suppression once
(`shown_reach`, `shown_comparison`) and hand only suppressed cells to templates and CSV
writers, so no raw small count can reach a page by accident. Objects the user may not
see answer 404 (never 403); malformed filters answer 400 with the form and its errors.

Who sees what (DESIGN section 3): see_statistics (sociaal beheerder, beheerder of the
house; gemeente everywhere) sees a house's full figures, its rendement and the exports;
a gastheer (see_today_totals) sees only today's totals of the house, and writes notes
(run_kiosk). The comparison of all houses is the gemeente's; anyone else with a house
is sent on to their first house.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from booking.extensions import db
from booking.i18n import fmt_date, fmt_time
from booking.models import Booking, House
from booking.rules.permissions import Permission
from booking.rules.suppression import Cell
from booking.services import houses, stats
from booking.stats import charts, export, labels
from booking.stats.blueprint import bp
from booking.stats.forms import HouseFilterForm, NoteForm, PeriodForm

Page = str | Response | tuple[str, int]


def _now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return stats.today_amsterdam(_now())


@bp.context_processor
def _formatting() -> dict[str, Any]:
    """Number and label helpers for the statistics templates only."""
    return {
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
    }


def _house(slug: str, permission: Permission) -> House:
    house = houses.get_house(slug)
    if house is None or not current_user.can(permission, house.id):
        abort(404)
    return house


def _bad_request(message: str) -> tuple[str, int]:
    return render_template("errors/error.html", title=_("Ongeldig verzoek"), message=message), 400


def _first_error(form: PeriodForm) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return _("Controleer de filters.")


def _first_house(endpoint: str, *, today_totals: bool) -> Response:
    """Not the gemeente: on to the first house the user has figures of, else 404."""
    found = stats.statistics_houses(current_user)
    if not found and today_totals:
        found = stats.today_houses(current_user)
    if not found:
        abort(404)
    return redirect(url_for(endpoint, slug=found[0].slug))


def _quick_choices(endpoint: str, **values: Any) -> list[tuple[str, str]]:
    today = _today()
    choices = (
        (_("Deze maand"), stats.this_month(today)),
        (_("Vorige maand"), stats.previous_month(today)),
        (_("Dit kwartaal"), stats.this_quarter(today)),
        (_("Vorig kwartaal"), stats.previous_quarter(today)),
    )
    kept = {k: v for k, v in values.items() if v}
    return [
        (label, url_for(endpoint, van=p.first.isoformat(), tot=p.last.isoformat(), **kept))
        for label, p in choices
    ]


def _show_period(form: PeriodForm, period: stats.Period) -> None:
    """Fill the date inputs with the period in use (the default when none was chosen)."""
    form.van.data, form.tot.data = period.first.isoformat(), period.last.isoformat()


def _csv_response(text: str, filename: str) -> Response:
    response = make_response(text.encode("utf-8"))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _args() -> dict[str, str]:
    return {
        k: v
        for k, v in request.args.items()
        if k in ("van", "tot", "ruimte", "activiteit", "verdacht") and v
    }


# The gemeente's comparison ---------------------------------------------------------------


def _comparison(form: PeriodForm) -> stats.ShownComparison:
    period = form.period(stats.default_period(_today()))
    _show_period(form, period)
    rows = stats.reach_per_house(period, include_suspicious=bool(form.verdacht.data))
    return stats.shown_comparison(period, rows)


@bp.route("/")
def overview() -> Page:
    if not current_user.is_gemeente:
        return _first_house("stats.house", today_totals=True)
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return render_template(
            "stats/overview.html",
            form=form,
            comparison=None,
            quick=_quick_choices("stats.overview"),
        ), 400
    comparison = _comparison(form)
    return render_template(
        "stats/overview.html",
        form=form,
        comparison=comparison,
        quick=_quick_choices("stats.overview", verdacht=_args().get("verdacht")),
        export_url=url_for("stats.export_all", **_args()),
        rendement_url=url_for("stats.rendement_all", van=form.van.data, tot=form.tot.data),
    )


@bp.route("/export.csv")
def export_all() -> Response | tuple[str, int]:
    if not current_user.is_gemeente:
        abort(404)
    form = PeriodForm(formdata=request.args)
    if not form.validate():
        return _bad_request(_first_error(form))
    comparison = _comparison(form)
    p = comparison.period
    return _csv_response(
        export.comparison_csv(comparison),
        f"bereik-alle-huizen-{p.first.isoformat()}-{p.last.isoformat()}.csv",
    )


# One house -------------------------------------------------------------------------------


class _Filters:
    """The house page's filters, checked against the house (room and activity are its own)."""

    def __init__(self, house: House, args: MultiDict[str, str]) -> None:
        self.form = HouseFilterForm(formdata=args)
        self.valid = self.form.validate()
        default = stats.default_period(_today())
        self.period = self.form.period(default) if self.valid else default
        self.activities = stats.activities(house.id, self.period)
        self.room = None
        self.booking: Booking | None = None
        form = self.form
        if self.valid and form.ruimte.data:
            self.room = stats.house_room(house.id, int(form.ruimte.data))
            if self.room is None:
                form.ruimte.errors = [_("Deze ruimte hoort niet bij dit huis.")]
                self.valid = False
        if self.valid and form.activiteit.data:
            self.booking = stats.house_booking(house.id, int(form.activiteit.data))
            if self.booking is None:
                form.activiteit.errors = [_("Deze activiteit hoort niet bij dit huis.")]
                self.valid = False
            elif self.booking not in self.activities:
                self.activities.insert(0, self.booking)
        form.ruimte.choices = [("", _("Alle ruimtes"))] + [(str(r.id), r.name) for r in house.rooms]
        form.activiteit.choices = [("", _("Alle activiteiten"))] + [
            (str(b.id), activity_label(b)) for b in self.activities
        ]
        if self.valid:
            _show_period(form, self.period)
        self.scope = stats.Scope(
            (house.id,),
            room_id=self.room.id if self.room else None,
            booking_id=self.booking.id if self.booking else None,
            include_suspicious=bool(form.verdacht.data),
        )

    def describe(self) -> str:
        parts = []
        if self.room is not None:
            parts.append(_("ruimte %(name)s", name=self.room.name))
        if self.booking is not None:
            parts.append(_("activiteit %(name)s", name=activity_label(self.booking)))
        if self.scope.include_suspicious:
            parts.append(_("inclusief verdachte check-ins"))
        return ", ".join(parts) or _("alle bezoeken")


def activity_label(booking: Booking) -> str:
    return f"{fmt_date(booking.start, 'EEE d MMM')} {fmt_time(booking.start)} {booking.title}"


def _breakdowns(shown: stats.ShownReach) -> list[charts.Breakdown]:
    described = _(
        "Staafdiagram; elke staaf draagt haar getal. Dezelfde getallen staan in de tabel ernaast."
    )
    vulnerable = {a.key: a for a in stats.area_infos()}

    def area_name(key: str) -> str:
        info = vulnerable.get(key)
        if info is not None and info.vulnerable:
            kind = _("kwetsbare wijk") if info.kind == "wijk" else _("kwetsbare kern")
            return f"{key} ({kind})"
        return labels.area_label(key)

    hours = _shown_hours(shown)
    trend_title = _("Verloop per week") if shown.weekly else _("Verloop per dag")
    trend_label: Callable[[date], str] = labels.week_label if shown.weekly else labels.day_label
    make = charts.breakdown
    return [
        make(
            "kanaal",
            _("Bezoeken per kanaal"),
            _("Kanaal"),
            [(labels.channel_label(k), v) for k, v in shown.by_channel.items()],
            labels.number,
            described,
        ),
        make(
            "wijk",
            _("Bezoeken per wijk of kern"),
            _("Wijk of kern"),
            [(area_name(k), v) for k, v in shown.by_area.items()],
            labels.number,
            described,
        ),
        make(
            "leeftijd",
            _("Bezoeken per leeftijdsgroep"),
            _("Leeftijd"),
            [(labels.age_label(k), v) for k, v in shown.by_age.items()],
            labels.number,
            described,
        ),
        make(
            "weekdag",
            _("Bezoeken per weekdag"),
            _("Weekdag"),
            [(labels.weekday_label(w), v) for w, v in enumerate(shown.by_weekday)],
            labels.number,
            described,
        ),
        make(
            "uur",
            _("Bezoeken per uur van de dag"),
            _("Uur"),
            [(labels.hour_label(h), shown.by_hour[h]) for h in hours],
            labels.number,
            described,
        ),
        make(
            "verloop",
            trend_title,
            _("Week") if shown.weekly else _("Dag"),
            [(trend_label(d), v) for d, v in shown.trend],
            labels.number,
            described,
        ),
    ]


def _shown_hours(shown: stats.ShownReach) -> list[int]:
    """Hours from the first to the last that has visits; the unknown hour when present."""
    busy = [h for h in range(24) if shown.by_hour[h] != 0]
    hours = list(range(busy[0], busy[-1] + 1)) if busy else []
    return hours + ([stats.UNKNOWN_HOUR] if len(shown.by_hour) > 24 else [])


def _note_form(
    house: House, activities: list[Booking], period: stats.Period, form: NoteForm | None = None
) -> NoteForm:
    if form is None:
        today = _today()
        day = today if period.first <= today <= period.last else min(period.last, today)
        form = NoteForm(
            formdata=None,
            data={
                "dag": day.isoformat(),
                "van": period.first.isoformat(),
                "tot": period.last.isoformat(),
            },
        )
    form.activiteit.choices = [("", _("Geen bepaalde activiteit"))] + [
        (str(b.id), activity_label(b)) for b in activities
    ]
    return form


def _house_page(
    house: House, args: MultiDict[str, str], *, note_form: NoteForm | None = None, status: int = 200
) -> tuple[str, int]:
    filters = _Filters(house, args)
    context: dict[str, Any] = {
        "house": house,
        "form": filters.form,
        "quick": _quick_choices(
            "stats.house", slug=house.slug, ruimte=args.get("ruimte"), verdacht=args.get("verdacht")
        ),
        "can_write_notes": current_user.can(Permission.run_kiosk, house.id),
        "note_form": _note_form(house, filters.activities, filters.period, note_form),
        "shown": None,
    }
    if not filters.valid:
        return render_template("stats/house.html", **context), 400
    shown = stats.shown_reach(stats.reach(filters.period, filters.scope))
    kept = {k: v for k, v in args.items() if k in ("ruimte", "activiteit", "verdacht") and v}
    period_args = {"van": filters.period.first.isoformat(), "tot": filters.period.last.isoformat()}
    context.update(
        shown=shown,
        filters=filters.describe(),
        breakdowns=_breakdowns(shown),
        hours=_shown_hours(shown),
        notes=stats.notes([house.id], filters.period, filters.scope.booking_id),
        export_url=url_for("stats.export_house", slug=house.slug, **period_args, **kept),
        rendement_url=url_for("stats.rendement_house", slug=house.slug, **period_args),
    )
    return render_template("stats/house.html", **context), status


def _today_page(
    house: House, *, note_form: NoteForm | None = None, status: int = 200
) -> tuple[str, int]:
    today = _today()
    period = stats.Period(today, today)
    shown = stats.shown_reach(stats.reach(period, stats.Scope((house.id,))))
    activities = stats.activities(house.id, period)
    return render_template(
        "stats/today.html",
        house=house,
        shown=shown,
        notes=stats.notes([house.id], period),
        can_write_notes=current_user.can(Permission.run_kiosk, house.id),
        note_form=_note_form(house, activities, period, note_form),
    ), status


@bp.route("/<slug>")
def house(slug: str) -> Page:
    found = houses.get_house(slug)
    if found is not None and current_user.can(Permission.see_statistics, found.id):
        return _house_page(found, request.args)
    if found is not None and current_user.can(Permission.see_today_totals, found.id):
        return _today_page(found)
    abort(404)


@bp.route("/<slug>/export.csv")
def export_house(slug: str) -> Response | tuple[str, int]:
    house = _house(slug, Permission.see_statistics)
    filters = _Filters(house, request.args)
    if not filters.valid:
        return _bad_request(_first_error(filters.form))
    shown = stats.shown_reach(stats.reach(filters.period, filters.scope))
    p = filters.period
    return _csv_response(
        export.reach_csv(house.name, filters.describe(), shown),
        f"bereik-{house.slug}-{p.first.isoformat()}-{p.last.isoformat()}.csv",
    )


@bp.route("/<slug>/notities", methods=["POST"])
def add_note(slug: str) -> Page:
    house = _house(slug, Permission.run_kiosk)
    full = current_user.can(Permission.see_statistics, house.id)
    form = NoteForm()
    back = MultiDict({k: v for k in ("van", "tot") if (v := (form[k].data or "").strip())})

    def again(status: int) -> Page:
        if full:
            return _house_page(house, back, note_form=form, status=status)
        return _today_page(house, note_form=form, status=status)

    if not form.validate_on_submit():
        return again(400)
    booking_id = int(form.activiteit.data) if form.activiteit.data else None
    try:
        stats.add_note(
            current_user,
            house.id,
            form.dag.day(),
            form.tekst.data or "",
            _now(),
            booking_id=booking_id,
        )
    except stats.NotFound:
        db.session.rollback()
        abort(404)
    except stats.StatsError as error:
        db.session.rollback()
        field = form[error.field] if error.field in ("dag", "activiteit", "tekst") else form.tekst
        field.errors = [*field.errors, _(error.message, **error.params)]
        return again(400)
    db.session.commit()
    flash(_("Uw notitie is opgeslagen."), "success")
    if full and PeriodForm(formdata=back).validate():
        return redirect(url_for("stats.house", slug=house.slug, **back.to_dict()))
    return redirect(url_for("stats.house", slug=house.slug))


# Maatschappelijk rendement ------------------------------------------------------------------


def _rendement(
    form: PeriodForm, house_ids: list[int] | None
) -> tuple[stats.Period, list[stats.Rendement]]:
    period = form.period(stats.default_period(_today()))
    _show_period(form, period)
    return period, stats.rendement(period, house_ids)


def _rendement_page(house: House | None, form: PeriodForm) -> Page:
    endpoint = "stats.rendement_house" if house else "stats.rendement_all"
    slug = {"slug": house.slug} if house else {}
    context: dict[str, Any] = {
        "house": house,
        "form": form,
        "rows": None,
        "quick": _quick_choices(endpoint, **slug),
    }
    if not form.validate():
        return render_template("stats/rendement.html", **context), 400
    period, rows = _rendement(form, [house.id] if house else None)
    total = None if house else stats.rendement_total(rows)
    first = stats.shown_first_visits(rows, with_total=total is not None)
    dates = {"van": period.first.isoformat(), "tot": period.last.isoformat()}
    context.update(
        period=period,
        rows=list(zip(rows, first, strict=False)),
        total=(total, first[-1]) if total else None,
        csv_url=url_for(endpoint + "_csv", **slug, **dates),
        reach_url=url_for("stats.house", slug=house.slug, **dates)
        if house
        else url_for("stats.overview", **dates),
        house_slugs={h.id: h.slug for h in houses.list_houses()},
        threshold=stats.threshold(),
    )
    return render_template("stats/rendement.html", **context)


def _rendement_csv(house: House | None, form: PeriodForm) -> Response | tuple[str, int]:
    if not form.validate():
        return _bad_request(_first_error(form))
    period, rows = _rendement(form, [house.id] if house else None)
    total = None if house else stats.rendement_total(rows)
    first: list[Cell] = stats.shown_first_visits(rows, with_total=total is not None)
    name = house.slug if house else "alle-huizen"
    return _csv_response(
        export.rendement_csv(period, rows, first, total),
        f"rendement-{name}-{period.first.isoformat()}-{period.last.isoformat()}.csv",
    )


@bp.route("/rendement")
def rendement_all() -> Page:
    if not current_user.is_gemeente:
        return _first_house("stats.rendement_house", today_totals=False)
    return _rendement_page(None, PeriodForm(formdata=request.args))


@bp.route("/rendement.csv")
def rendement_all_csv() -> Response | tuple[str, int]:
    if not current_user.is_gemeente:
        abort(404)
    return _rendement_csv(None, PeriodForm(formdata=request.args))


@bp.route("/<slug>/rendement")
def rendement_house(slug: str) -> Page:
    house = _house(slug, Permission.see_statistics)
    return _rendement_page(house, PeriodForm(formdata=request.args))


@bp.route("/<slug>/rendement.csv")
def rendement_house_csv(slug: str) -> Response | tuple[str, int]:
    house = _house(slug, Permission.see_statistics)
    return _rendement_csv(house, PeriodForm(formdata=request.args))
