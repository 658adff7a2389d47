"""The rooms of a house and their rates: the list with a form to add one, and one room's page."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.forms import RoomForm, cents_of, euro_text
from booking.beheer.pages import Page, problems_of, render_page
from booking.errors import RuleViolation
from booking.models import Room
from booking.services.beheer import rooms as service
from booking.services.beheer.checks import GROUPS


def _room_input(form: RoomForm) -> service.RoomInput:
    return service.RoomInput(
        name=form.name.data or "",
        capacity=form.capacity.data,
        base_rate_cents=cents_of(form.base_rate) or 0,
        rates_cents={group: cents_of(field) for group, field in form.rate_fields()},
        requires_approval=form.requires_approval.data,
        is_huiskamer=form.is_huiskamer.data,
        active=form.active.data,
    )


def _room_form_for(room: Room) -> RoomForm:
    data = {
        "name": room.name,
        "capacity": room.capacity,
        "base_rate": euro_text(room.base_rate_cents),
        "requires_approval": room.requires_approval,
        "is_huiskamer": room.is_huiskamer,
        "active": room.active,
    }
    for group in GROUPS:
        data[f"rate_{group.lower()}"] = euro_text(getattr(room, f"rate_{group.lower()}_cents"))
    return RoomForm(formdata=None, data=data)


@bp.route("/<slug>/ruimtes", methods=["GET", "POST"])
def rooms(slug: str) -> Page:
    house = service.rooms_house(current_user, slug)
    if request.method == "GET":
        return render_page("beheer/rooms.html", house, form=RoomForm(formdata=None), problems=[])
    form = RoomForm()
    if not form.validate_on_submit():
        return render_page("beheer/rooms.html", house, 400, form=form, problems=[])
    try:
        room = service.add_room(current_user, slug, _room_input(form))
    except RuleViolation as error:
        return render_page("beheer/rooms.html", house, 422, form=form, problems=problems_of(error))
    flash(_("Ruimte %(name)s is toegevoegd.", name=room.name), "success")
    return redirect(url_for("beheer.rooms", slug=house.slug))


@bp.route("/<slug>/ruimtes/<int:room_id>", methods=["GET", "POST"])
def edit_room(slug: str, room_id: int) -> Page:
    room = service.house_room(current_user, slug, room_id)
    if request.method == "GET":
        return render_page("beheer/room.html", room.house, room=room, form=_room_form_for(room))
    form = RoomForm()
    if not form.validate_on_submit():
        return render_page("beheer/room.html", room.house, 400, room=room, form=form)
    try:
        service.update_room(current_user, slug, room.id, _room_input(form))
    except RuleViolation as error:
        problems = problems_of(error)
        return render_page(
            "beheer/room.html", room.house, 422, room=room, form=form, problems=problems
        )
    flash(_("De ruimte is opgeslagen. Bestaande boekingen houden hun prijs."), "success")
    return redirect(url_for("beheer.rooms", slug=room.house.slug))
