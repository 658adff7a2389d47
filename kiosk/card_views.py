"""Visitor cards: print a sheet, show it again (HTML, PDF), block a card, the tablet's
read, and the page a phone lands on when it scans a card (issue 14)."""

from __future__ import annotations

from flask import flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.api.errors import api_error
from booking.documents.card_sheet_pdf import SheetCard, SheetTexts, card_sheet_pdf
from booking.errors import InvalidInput
from booking.extensions import csrf, limiter
from booking.i18n import say
from booking.models import House
from booking.rules.permissions import Permission
from booking.rules.visitor_cards import show_short_code
from booking.security import public_endpoint
from booking.services import visitor_cards
from booking.services.houses import house_for
from booking.urls import public_url
from kiosk import cards, web
from kiosk.blueprint import bp
from kiosk.forms import BlockCardForm, PrintCardsForm
from kiosk.manage_views import manage_page
from kiosk.qr import qr_png, qr_svg
from kiosk.tablet_views import parse_moment


def _house(slug: str) -> House:
    return house_for(current_user, slug, Permission.manage_programme)


def card_url(code: str) -> str:
    return public_url("kiosk.card_info", code=code)


@bp.route("/kiosk/beheer/<slug>/kaarten", methods=["POST"])
def print_cards(slug: str) -> web.Page:
    house = _house(slug)
    form = PrintCardsForm()
    if not form.validate_on_submit():
        return manage_page(house, print_form=form), 400
    batch = visitor_cards.print_cards(house, form.count.data or 0, web.now())
    return redirect(url_for("kiosk.card_sheet", slug=slug, batch_id=batch.id))


@bp.route("/kiosk/beheer/<slug>/kaarten/<int:batch_id>")
def card_sheet(slug: str, batch_id: int) -> web.Page:
    house = _house(slug)
    sheet = visitor_cards.sheet(house, batch_id, web.now())
    printed = [
        (
            qr_svg(card_url(c.code), _("QR-code van een bezoekerskaart")),
            show_short_code(c.short_code),
        )
        for c in sheet.cards
    ]
    page = render_template("kiosk/card_sheet.html", house=house, sheet=sheet, cards=printed)
    return page if sheet.cards else (page, 410)


@bp.route("/kiosk/beheer/<slug>/kaarten/<int:batch_id>.pdf")
def card_sheet_pdf_file(slug: str, batch_id: int) -> web.Page:
    house = _house(slug)
    sheet = visitor_cards.sheet(house, batch_id, web.now())
    if not sheet.cards:
        return redirect(url_for("kiosk.card_sheet", slug=slug, batch_id=batch_id))
    texts = SheetTexts(
        house.name, _("Houd deze kaart voor de tablet"), _("Blokkeercode"), _("Bezoekerskaarten")
    )
    printed = [
        SheetCard(qr_png(card_url(c.code), 10), show_short_code(c.short_code)) for c in sheet.cards
    ]
    response = make_response(card_sheet_pdf(texts, printed))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="kaarten-{batch_id}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/kiosk/beheer/<slug>/kaarten/blokkeren", methods=["POST"])
def block_card(slug: str) -> web.Page:
    house = _house(slug)
    form = BlockCardForm()
    if not form.validate_on_submit():
        return manage_page(house, block_form=form), 400
    try:
        short = visitor_cards.block_card(house, form.short_code.data or "", web.now())
    except InvalidInput as error:
        form.short_code.errors = [say(error.message)]
        return manage_page(house, block_form=form), 400
    flash(
        _("Kaart %(code)s is geblokkeerd; hij telt niet meer mee.", code=show_short_code(short)),
        "success",
    )
    return redirect(url_for("kiosk.manage", slug=slug, _anchor="bezoekerskaarten"))


@bp.route("/kaart/<code>")
@public_endpoint
def card_info(code: str) -> str:
    """What a phone that scans a card sees: the same page for every code, so it tells
    nothing about the card and checks nobody in."""
    return render_template("kiosk/card_info.html")


@bp.route("/kiosk/kaart", methods=["POST"])
@public_endpoint
@csrf.exempt
@limiter.limit("120 per minute")
def card_read() -> Response:
    """A card read by the tablet's camera or a scanner, possibly from its offline queue.
    The kiosk cookie is SameSite=Strict, as for the tap."""
    kiosk = web.this_kiosk()
    if kiosk is None:
        return api_error(401, "geen_kiosk", _("Deze tablet is niet (meer) gekoppeld."))
    data = web.json_body()
    read = cards.read_card(
        kiosk, data.get("client_id"), data.get("code"), parse_moment(data.get("read_at")), web.now()
    )
    return make_response(
        jsonify(
            counted=read.counted,
            outcome=read.outcome,
            message=say(cards.OUTCOME_MESSAGES[read.outcome]),
        ),
        201 if read.counted else 200,
    )
