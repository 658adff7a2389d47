"""The host (gastvrouw or gastheer): today's programme and count, the tally and its undo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.errors import RuleViolation
from booking.i18n import say
from booking.models import House
from booking.rules.permissions import Permission
from booking.services.houses import house_for
from kiosk import tallies, web
from kiosk.blueprint import bp
from kiosk.forms import TallyForm


def _tally_form(house: House) -> TallyForm:
    form = TallyForm()
    form.room.choices = [SelectChoice(r.id, r.name) for r in house.rooms if r.active]
    huiskamer = next((r.id for r in house.rooms if r.is_huiskamer), None)
    if request.method == "GET" and huiskamer:
        form.room.data = huiskamer
    return form


@bp.route("/kiosk/gastheer/<slug>")
def host(slug: str) -> str:
    house = house_for(current_user, slug, Permission.run_kiosk)
    return _host_page(house, _tally_form(house))


def _host_page(house: House, form: TallyForm) -> str:
    now = web.now()
    return render_template(
        "kiosk/host.html",
        house=house,
        form=form,
        programme=tallies.programme_today(house, now),
        visits=tallies.visits_today(house.id, now),
    )


@bp.route("/kiosk/gastheer/<slug>/tellen", methods=["POST"])
def add_tally(slug: str) -> web.Page:
    house = house_for(current_user, slug, Permission.run_kiosk)
    form = _tally_form(house)
    if not form.validate_on_submit():
        return _host_page(house, form), 400
    try:
        counted = tallies.tally(current_user, form.room.data, form.count.data, web.now())
    except RuleViolation as error:
        form.count.errors = [say(error.message)]
        return _host_page(house, form), 400
    flash(_("%(count)s bezoeker(s) geteld.", count=counted), "success")
    return redirect(url_for("kiosk.host", slug=slug))


@bp.route("/kiosk/gastheer/<slug>/ongedaan", methods=["POST"])
def undo_tally(slug: str) -> Response:
    house = house_for(current_user, slug, Permission.run_kiosk)
    removed = tallies.undo_last_tally(current_user, house, web.now())
    flash(
        _("Laatste telling ongedaan gemaakt (%(count)s).", count=removed)
        if removed
        else _("Er is vandaag nog niets geteld."),
        "success" if removed else "info",
    )
    return redirect(url_for("kiosk.host", slug=slug))
