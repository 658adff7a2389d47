"""The gemeente's houses: the list, adding and editing a house, deactivating and reactivating.

The rules (slug stability, what deactivating keeps) are in
`booking/services/gemeente/houses.py`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from booking.errors import RuleViolation
from booking.gemeente.blueprint import bp
from booking.gemeente.forms import ConfirmForm, HouseForm
from booking.gemeente.pages import nav_entry, render_page
from booking.gemeente.refusals import show_refusal
from booking.models import House
from booking.rules.messages import N_, Message
from booking.rules.numbers import parse_whole_number
from booking.services import houses as house_reads
from booking.services.gemeente import houses as service
from booking.services.gemeente.access import require_gemeente

Page = str | Response | tuple[str, int]

nav_entry(
    "gemeente.houses",
    Message(N_("Huizen")),
    "gemeente.new_house",
    "gemeente.edit_house",
    "gemeente.confirm_deactivate_house",
)


def _form(house: House | None = None) -> HouseForm:
    if request.method == "POST":
        form = HouseForm()
    elif house is None:
        form = HouseForm(formdata=None)
    else:
        form = HouseForm(formdata=None, obj=house)
        form.area_id.data = str(house.area_id)
    form.area_id.choices = [SelectChoice("", _("Kies een wijk of kern"))] + [
        SelectChoice(str(a.id), f"{a.name} ({_('wijk') if a.kind == 'wijk' else _('kern')})")
        for a in house_reads.list_areas()
    ]
    return form


def _input(form: HouseForm) -> service.HouseInput:
    return service.HouseInput(
        name=form.name.data or "",
        area_id=parse_whole_number(form.area_id.data),
        slug=(form.slug.data or "").strip(),
        address=form.address.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        website=form.website.data or "",
        stichting_name=form.stichting_name.data or "",
        kvk_number=form.kvk_number.data or "",
    )


def _page(
    form: HouseForm, house: House | None, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return render_page(
        "gemeente/house_form.html",
        status,
        form=form,
        house=house,
        slug_locked=house is not None and service.slug_locked(house),
        problems=problems or [],
    )


@bp.route("/huizen")
def houses() -> Page:
    return render_page("gemeente/houses.html", rows=service.list_houses(current_user))


@bp.route("/huizen/nieuw", methods=["GET", "POST"])
def new_house() -> Page:
    require_gemeente(current_user)
    form = _form()
    if request.method == "GET":
        return _page(form, None)
    if not form.validate_on_submit():
        return _page(form, None, 400)
    try:
        house = service.create_house(current_user, _input(form))
    except RuleViolation as error:
        return _page(form, None, 422, show_refusal(form, error))
    flash(_("Huis %(name)s is toegevoegd.", name=house.name), "success")
    return redirect(url_for("gemeente.edit_house", slug=house.slug))


@bp.route("/huizen/<slug>", methods=["GET", "POST"])
def edit_house(slug: str) -> Page:
    house = service.house_for_gemeente(current_user, slug)
    form = _form(house)
    if request.method == "GET":
        return _page(form, house)
    if not form.validate_on_submit():
        return _page(form, house, 400)
    try:
        house = service.update_house(current_user, slug, _input(form))
    except RuleViolation as error:
        return _page(form, house, 422, show_refusal(form, error))
    flash(_("De gegevens van %(name)s zijn opgeslagen.", name=house.name), "success")
    return redirect(url_for("gemeente.edit_house", slug=house.slug))


@bp.route("/huizen/<slug>/deactiveren")
def confirm_deactivate_house(slug: str) -> Page:
    found = service.deactivation(current_user, slug, datetime.now(UTC))
    return render_page(
        "gemeente/house_deactivate.html",
        house=found.house,
        future_bookings=found.future_bookings,
        action=url_for("gemeente.deactivate_house", slug=slug),
        confirm_label=_("Ja, deactiveer dit huis"),
        back_url=url_for("gemeente.edit_house", slug=slug),
    )


@bp.route("/huizen/<slug>/deactiveren", methods=["POST"])
def deactivate_house(slug: str) -> Page:
    service.house_for_gemeente(current_user, slug)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("gemeente.confirm_deactivate_house", slug=slug))
    house = service.deactivate_house(current_user, slug, datetime.now(UTC))
    flash(
        _("%(name)s is gedeactiveerd: het neemt geen nieuwe boekingen aan.", name=house.name),
        "success",
    )
    return redirect(url_for("gemeente.houses"))


@bp.route("/huizen/<slug>/activeren", methods=["POST"])
def reactivate_house(slug: str) -> Page:
    service.house_for_gemeente(current_user, slug)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("gemeente.edit_house", slug=slug))
    house = service.reactivate_house(current_user, slug)
    flash(_("%(name)s is weer actief en neemt boekingen aan.", name=house.name), "success")
    return redirect(url_for("gemeente.edit_house", slug=house.slug))
