"""The gemeente's wijken and kernen: the list, adding and editing one (CBS code and year,
kwetsbaar, the house that serves it). Areas are never deleted: visits keep pointing at them.
"""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from booking.errors import RuleViolation
from booking.gemeente.blueprint import bp
from booking.gemeente.forms import AreaForm
from booking.gemeente.pages import nav_entry, render_page
from booking.gemeente.refusals import show_refusal
from booking.i18n import AMSTERDAM
from booking.models import Area
from booking.rules.messages import N_, Message
from booking.rules.numbers import parse_whole_number
from booking.services import houses as house_reads
from booking.services.gemeente import areas as service
from booking.services.gemeente.access import require_gemeente

Page = str | Response | tuple[str, int]

nav_entry(
    "gemeente.areas", Message(N_("Wijken en kernen")), "gemeente.new_area", "gemeente.edit_area"
)


def _this_year() -> int:
    return datetime.now(AMSTERDAM).year


def _form(area: Area | None = None) -> AreaForm:
    if request.method == "POST":
        form = AreaForm()
    elif area is None:
        form = AreaForm(formdata=None, data={"kind": "wijk"})
    else:
        form = AreaForm(formdata=None, obj=area)
        form.cbs_code.data = area.cbs_code or ""
        served = area.served_by
        form.served_by_id.data = str(served.id) if served else ""
    form.served_by_id.choices = [SelectChoice("", _("Geen huis"))] + [
        SelectChoice(str(h.id), h.name) for h in house_reads.list_houses()
    ]
    return form


def _input(form: AreaForm) -> service.AreaInput:
    return service.AreaInput(
        name=form.name.data or "",
        kind=form.kind.data or "",
        cbs_code=form.cbs_code.data or "",
        cbs_year=form.cbs_year.data,
        vulnerable=bool(form.vulnerable.data),
        served_by_id=parse_whole_number(form.served_by_id.data),
    )


def _page(
    form: AreaForm, area: Area | None, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return render_page(
        "gemeente/area_form.html",
        status,
        form=form,
        area=area,
        this_year=_this_year(),
        problems=problems or [],
    )


@bp.route("/wijken")
def areas() -> Page:
    return render_page("gemeente/areas.html", rows=service.list_areas(current_user))


@bp.route("/wijken/nieuw", methods=["GET", "POST"])
def new_area() -> Page:
    require_gemeente(current_user)
    form = _form()
    if request.method == "GET":
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, 400)
    try:
        area = service.create_area(current_user, _input(form), _this_year())
    except RuleViolation as error:
        return _page(form, None, 422, show_refusal(form, error))
    flash(_("%(name)s is toegevoegd.", name=area.name), "success")
    return redirect(url_for("gemeente.areas"))


@bp.route("/wijken/<int:area_id>", methods=["GET", "POST"])
def edit_area(area_id: int) -> Page:
    area = service.area_for(current_user, area_id)
    form = _form(area)
    if request.method == "GET":
        return _page(form, area)
    if not form.validate_on_submit():
        return _page(form, area, 400)
    try:
        area = service.update_area(current_user, area_id, _input(form), _this_year())
    except RuleViolation as error:
        return _page(form, area, 422, show_refusal(form, error))
    flash(_("%(name)s is opgeslagen.", name=area.name), "success")
    return redirect(url_for("gemeente.areas"))
