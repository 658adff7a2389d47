"""The beheerder's kiosk page: make a kiosk and show its pairing code, revoke one, posters,
visitor cards (their own views are kiosk/card_views.py)."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.models import House, Room
from booking.rules.permissions import Permission
from booking.services import visitor_cards
from booking.services.houses import house_for
from booking.urls import public_url
from kiosk import pairing, places, web
from kiosk.access import managed_room
from kiosk.blueprint import bp
from kiosk.forms import BlockCardForm, NewKioskForm, PrintCardsForm
from kiosk.qr import qr_png, qr_svg


def _new_kiosk_form(house: House) -> NewKioskForm:
    form = NewKioskForm()
    form.room.choices = [SelectChoice(r.id, r.name) for r in house.rooms if r.active]
    return form


def manage_page(
    house: House,
    form: NewKioskForm | None = None,
    *,
    print_form: PrintCardsForm | None = None,
    block_form: BlockCardForm | None = None,
) -> str:
    now = web.now()
    return render_template(
        "kiosk/manage.html",
        house=house,
        form=form or _new_kiosk_form(house),
        print_form=print_form or PrintCardsForm(formdata=None),
        block_form=block_form or BlockCardForm(formdata=None),
        kiosks=pairing.kiosks_of(house),
        batches=visitor_cards.recent_batches(house, now),
        now=now,
    )


@bp.route("/kiosk/beheer/<slug>")
def manage(slug: str) -> str:
    house = house_for(current_user, slug, Permission.manage_programme)
    return manage_page(house)


@bp.route("/kiosk/beheer/<slug>/nieuw", methods=["POST"])
def create(slug: str) -> web.Page:
    house = house_for(current_user, slug, Permission.manage_programme)
    form = _new_kiosk_form(house)
    if not form.validate_on_submit():
        return manage_page(house, form), 400
    kiosk, code = pairing.create_kiosk(
        current_user, form.room.data, web.now(), form.name.data or ""
    )
    url = public_url("kiosk.pair_link", code=code.replace("-", ""))
    return render_template(
        "kiosk/paircode.html",
        house=house,
        kiosk=kiosk,
        code=code,
        url=url,
        qr=qr_svg(url, _("QR-code om de tablet te koppelen")),
    )


@bp.route("/kiosk/beheer/<slug>/<int:kiosk_id>/intrekken", methods=["POST"])
def revoke(slug: str, kiosk_id: int) -> Response:
    house = house_for(current_user, slug, Permission.manage_programme)
    pairing.revoke(current_user, house, kiosk_id, web.now())
    flash(_("De tablet is ontkoppeld; de QR-codes die hij toonde werken niet meer."), "success")
    return redirect(url_for("kiosk.manage", slug=slug))


def _poster_room(room_id: int) -> tuple[Room, str]:
    room = managed_room(current_user, room_id)
    return room, public_url("kiosk.poster", token=places.poster_url_token(room))


@bp.route("/kiosk/poster/<int:room_id>")
def poster_page(room_id: int) -> str:
    room, url = _poster_room(room_id)
    return render_template(
        "kiosk/poster.html", room=room, url=url, qr=qr_svg(url, _("QR-code om in te checken"))
    )


@bp.route("/kiosk/poster/<int:room_id>.svg")
def poster_svg(room_id: int) -> Response:
    room, url = _poster_room(room_id)
    response = make_response(qr_svg(url, room.name))
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="poster-qr-{room.id}.svg"'
    return response


@bp.route("/kiosk/poster/<int:room_id>.png")
def poster_png(room_id: int) -> Response:
    _room, url = _poster_room(room_id)
    response = make_response(qr_png(url))
    response.headers["Content-Type"] = "image/png"
    response.headers["Content-Disposition"] = f'attachment; filename="poster-qr-{room_id}.png"'
    return response
