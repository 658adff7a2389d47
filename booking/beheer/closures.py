"""Closures of a house or one room: the list with a form to add one, and the delete button."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.forms import ClosureForm, DeleteForm
from booking.beheer.pages import (
    Page,
    now,
    problems_of,
    render_page,
    require_delete_form,
    room_choices,
)
from booking.errors import RuleViolation
from booking.services.beheer import closures as service


def _closure_input(form: ClosureForm) -> service.ClosureInput:
    return service.ClosureInput(
        starts=datetime.combine(form.start_date.data, form.start_time.data),
        ends=datetime.combine(form.end_date.data, form.end_time.data),
        reason=form.reason.data,
        room_id=int(form.room.data) if form.room.data else None,
    )


def _closures_page(
    page: service.ClosuresPage,
    form: ClosureForm,
    status: int = 200,
    problems: list[str] | None = None,
) -> tuple[str, int]:
    return render_page(
        "beheer/closures.html",
        page.house,
        status,
        form=form,
        closures=page.closures,
        rooms_by_id={r.id: r for r in page.house.rooms},
        delete_form=DeleteForm(formdata=None),
        problems=problems or [],
    )


def _warn_about(touched: int) -> None:
    flash(
        _(
            "Let op: %(count)s boekingen vallen in deze sluiting. Ze zijn niet vanzelf "
            "geannuleerd; bekijk ze in het boekingenoverzicht.",
            count=touched,
        ),
        "info",
    )


@bp.route("/<slug>/sluitingen", methods=["GET", "POST"])
def closures(slug: str) -> Page:
    page = service.closures_page(current_user, slug, now())
    form = ClosureForm() if request.method == "POST" else ClosureForm(formdata=None)
    form.room.choices = room_choices(page.house, ("", _("Het hele huis")))
    if request.method == "GET":
        return _closures_page(page, form)
    if not form.validate_on_submit():
        return _closures_page(page, form, 400)
    try:
        _closure, touched = service.add_closure(current_user, slug, _closure_input(form))
    except RuleViolation as error:
        return _closures_page(page, form, 422, problems_of(error))
    flash(_("De sluiting is toegevoegd."), "success")
    if touched:
        _warn_about(len(touched))
    return redirect(url_for("beheer.closures", slug=page.house.slug))


@bp.route("/<slug>/sluitingen/<int:closure_id>/verwijderen", methods=["POST"])
def delete_closure(slug: str, closure_id: int) -> Page:
    require_delete_form()
    service.delete_closure(current_user, slug, closure_id)
    flash(_("De sluiting is verwijderd."), "success")
    return redirect(url_for("beheer.closures", slug=slug))
