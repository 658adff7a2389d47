"""Voorrangsblokken of a house: the list with a form to add one, and the delete button."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.forms import DeleteForm, PriorityBlockForm, options
from booking.beheer.pages import Page, problems_of, render_page, require_delete_form, room_choices
from booking.errors import RuleViolation
from booking.i18n import weekday_name
from booking.services.beheer import priority_blocks as service


def _block_input(form: PriorityBlockForm) -> service.PriorityBlockInput:
    return service.PriorityBlockInput(
        room_id=int(form.room.data),
        weekday=form.weekday.data,
        starts=form.starts.data,
        ends=form.ends.data,
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
        note=form.note.data or "",
    )


def _blocks_page(
    page: service.BlocksPage,
    form: PriorityBlockForm,
    status: int = 200,
    problems: list[str] | None = None,
) -> tuple[str, int]:
    return render_page(
        "beheer/priority_blocks.html",
        page.house,
        status,
        form=form,
        blocks=page.blocks,
        rooms_by_id={r.id: r for r in page.house.rooms},
        delete_form=DeleteForm(formdata=None),
        problems=problems or [],
    )


@bp.route("/<slug>/voorrangsblokken", methods=["GET", "POST"])
def priority_blocks(slug: str) -> Page:
    page = service.blocks_page(current_user, slug)
    form = PriorityBlockForm() if request.method == "POST" else PriorityBlockForm(formdata=None)
    form.room.choices = room_choices(page.house)
    form.weekday.choices = options((d, weekday_name(d)) for d in range(7))
    if request.method == "GET":
        return _blocks_page(page, form)
    if not form.validate_on_submit():
        return _blocks_page(page, form, 400)
    try:
        service.add_priority_block(current_user, slug, _block_input(form))
    except RuleViolation as error:
        return _blocks_page(page, form, 422, problems_of(error))
    flash(_("Het voorrangsblok is toegevoegd."), "success")
    return redirect(url_for("beheer.priority_blocks", slug=page.house.slug))


@bp.route("/<slug>/voorrangsblokken/<int:block_id>/verwijderen", methods=["POST"])
def delete_priority_block(slug: str, block_id: int) -> Page:
    require_delete_form()
    service.delete_priority_block(current_user, slug, block_id)
    flash(_("Het voorrangsblok is verwijderd."), "success")
    return redirect(url_for("beheer.priority_blocks", slug=slug))
