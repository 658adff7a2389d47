"""Host notes (vertellen): the note form under a house's figures posts here.

A refused note shows the page it came from again (the full figures, or today's totals
for a gastheer) with the problem at its field, answered 400; nothing is stored, since
the request edge rolls back every answer of 400 and up.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from booking.errors import InvalidInput, RuleViolation
from booking.models import House
from booking.rules.permissions import Permission
from booking.services import host_notes, reach_figures
from booking.stats import filters
from booking.stats.blueprint import bp
from booking.stats.forms import NoteForm, PeriodForm
from booking.stats.pages import Page, now
from booking.stats.reach_views import house_page, today_page

NOTE_FIELDS = ("dag", "activiteit", "tekst")


def _again(house: House, form: NoteForm, back: MultiDict[str, str]) -> Page:
    """The page the note was written on, with the form and its errors (400)."""
    if current_user.can(Permission.see_statistics, house.id):
        return house_page(house, back, note=form, status=400)
    return today_page(house, note=form, status=400)


@bp.route("/<slug>/notities", methods=["POST"])
def add_note(slug: str) -> Page:
    house = reach_figures.visible_house(current_user, slug, Permission.run_kiosk)
    form = NoteForm()
    back = MultiDict({k: v for k in ("van", "tot") if (v := (form[k].data or "").strip())})
    if not form.validate_on_submit():
        return _again(house, form, back)
    booking_id = int(form.activiteit.data) if form.activiteit.data else None
    day, text = form.dag.day(), form.tekst.data or ""
    try:
        host_notes.add_note(current_user, house.id, day, text, now(), booking_id=booking_id)
    except (InvalidInput, RuleViolation) as error:
        filters.refuse(form[error.field if error.field in NOTE_FIELDS else "tekst"], error)
        return _again(house, form, back)
    flash(_("Uw notitie is opgeslagen."), "success")
    full = current_user.can(Permission.see_statistics, house.id)
    if full and PeriodForm(formdata=back).validate():
        return redirect(url_for("stats.house", slug=house.slug, **back.to_dict()))
    return redirect(url_for("stats.house", slug=house.slug))
