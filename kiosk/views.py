"""Kiosk views: the tablet, the phone, the host, and the beheerder's kiosk page.

The tablet authenticates with its device credential (an HttpOnly cookie set when it was
paired); phones with the signed token in the QR code; hosts and beheerders with their
account. Every view checks its own credential: none of them relies on the URL alone.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from booking.extensions import csrf, db, limiter
from booking.models import Booking, House, Kiosk, Room
from booking.rules.permissions import Permission
from booking.security import public_endpoint
from booking.services import houses
from booking.urls import public_url
from kiosk import services as kiosks
from kiosk.blueprint import bp
from kiosk.forms import NewKioskForm, PairingForm, QuestionsForm, TallyForm
from kiosk.qr import qr_png, qr_svg

KIOSK_COOKIE = "bh_kiosk"
DEVICE_COOKIE = "bh_apparaat"
COOKIE_MAX_AGE = 400 * 24 * 3600

Page = str | Response | tuple[str, int]


def _now() -> datetime:
    return datetime.now(UTC)


def _secure() -> bool:
    return bool(current_app.config.get("SESSION_COOKIE_SECURE"))


def _this_kiosk() -> Kiosk | None:
    if "kiosk" not in g:
        g.kiosk = kiosks.kiosk_for_credential(request.cookies.get(KIOSK_COOKIE))
    return g.kiosk


# The tablet ----------------------------------------------------------------------------


@bp.route("/kiosk")
@public_endpoint
def screen() -> Page:
    kiosk = _this_kiosk()
    if kiosk is None:
        return render_template("kiosk/pair.html", form=PairingForm())
    activity = kiosks.running_activity(kiosk.room, _now())
    return render_template("kiosk/screen.html", kiosk=kiosk, now_line=_now_line(activity))


def _now_line(activity: Booking | None) -> str:
    """What the screen says is on now; a private booking's title is not shown."""
    if activity is not None and activity.public:
        return _("Nu: %(title)s", title=activity.title)
    return _("Loop gerust binnen.")


@bp.route("/kiosk/koppelen", methods=["POST"])
@public_endpoint
@limiter.limit("20 per hour")
def pair() -> Page:
    form = PairingForm()
    if not form.validate_on_submit():
        return render_template("kiosk/pair.html", form=form), 400
    try:
        _kiosk, credential = kiosks.pair(form.code.data or "", _now())
    except kiosks.KioskError as error:
        db.session.rollback()
        form.code.errors = [_(str(error))]
        return render_template("kiosk/pair.html", form=form), 400
    db.session.commit()
    response = redirect(url_for("kiosk.screen"))
    response.set_cookie(
        KIOSK_COOKIE,
        credential,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=_secure(),
        samesite="Strict",
    )
    return response


@bp.route("/kiosk/koppelen/<code>")
@public_endpoint
def pair_link(code: str) -> str:
    """Opened from the pairing QR: confirm with one tap (a prefetch must not pair)."""
    form = PairingForm(data={"code": kiosks.normalise_code(code)[:8]})
    return render_template("kiosk/pair.html", form=form, from_link=True)


@bp.route("/kiosk/status.json")
@public_endpoint
def status() -> Response:
    kiosk = _this_kiosk()
    if kiosk is None:
        return make_response(jsonify(paired=False), 401)
    now = _now()
    kiosks.seen(kiosk, now)
    db.session.commit()
    activity = kiosks.running_activity(kiosk.room, now)
    return jsonify(
        paired=True,
        now_on=activity.title if activity and activity.public else None,
        now_line=_now_line(activity),
        qr_src=url_for("kiosk.qr_image", v=kiosks.tokens.slot_of(now)),
    )


@bp.route("/kiosk/qr.svg")
@public_endpoint
def qr_image() -> Response:
    kiosk = _this_kiosk()
    if kiosk is None:
        abort(404)
    url = public_url("kiosk.phone", token=kiosks.qr_token(kiosk, _now()))
    response = make_response(qr_svg(url, _("QR-code om in te checken met uw telefoon")))
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/kiosk/tik", methods=["POST"])
@public_endpoint
@csrf.exempt
@limiter.limit("120 per minute")
def tap() -> Response:
    """An *Ik ben er* tap. The kiosk cookie is SameSite=Strict, so no other site can post
    one; the script sends JSON with its own client id, and without script the plain form
    post counts once and returns to the welcome screen."""
    kiosk = _this_kiosk()
    if not request.is_json:
        if kiosk is None:
            return redirect(url_for("kiosk.screen"))
        kiosks.tap(kiosk, str(uuid.uuid4()), None, _now())
        db.session.commit()
        flash(_("Dank u wel, fijn dat u er bent!"), "success")
        return redirect(url_for("kiosk.screen"))
    if kiosk is None:
        return _json_error(401, "geen_kiosk", _("Deze tablet is niet (meer) gekoppeld."))
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # `[[[[…` thousands deep: the parser recurses per level
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("client_id"), str):
        return _json_error(400, "ongeldig_verzoek", _("Ongeldige tik."))
    try:
        counted = kiosks.tap(kiosk, data["client_id"], _parse_moment(data.get("tapped_at")), _now())
    except kiosks.KioskError as error:
        db.session.rollback()
        return _json_error(400, "ongeldig_verzoek", _(str(error)))
    db.session.commit()
    return make_response(jsonify(counted=counted), 201 if counted else 200)


def _json_error(status: int, code: str, message: str) -> Response:
    return make_response(jsonify(error={"code": code, "message": message, "details": {}}), status)


def _parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(UTC) if moment.tzinfo else None
    except (ValueError, OverflowError):  # year 1 at +14:00 has no UTC moment
        return None


# The phone -----------------------------------------------------------------------------


def _device_key() -> str:
    """Rate-limit phones by their device cookie; a house's wifi puts many behind one IP."""
    return "device:" + (request.cookies.get(DEVICE_COOKIE) or request.remote_addr or "?")


# Refusals, per client address and per device cookie, counted by Flask-Limiter in memory
# or Redis only: the address is a key of the limiter's counters while they last and is
# never written to the database (a visit row has no column for it, DESIGN section 6).
# Bursts that get through are flagged per room and channel (booking.rules.visits).
PER_ADDRESS = "120 per minute"
PER_DEVICE = "10 per minute"
# A poster's code is static and public, so one machine could post it all day; a house's
# wifi puts many phones behind one address, though. 30 per 10 minutes lets a whole group
# on the house wifi check in at one poster (30 arrivals in ten minutes is more than a
# room without a tablet usually sees; a phone on mobile data has an address of its own),
# while one script gets 4,320 check-ins a day instead of 172,800. What gets through in a
# rush is flagged by the room's poster limit (booking.rules.visits), not refused.
POSTER_PER_ADDRESS = "30 per 10 minutes"


@bp.route("/k/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_DEVICE, methods=["POST"], key_func=_device_key)
def phone(token: str) -> Page:
    place = kiosks.place_for_qr(token, _now(), grace_slots=0 if request.method == "GET" else 1)
    if place is None:
        return render_template("kiosk/expired.html", poster=False), 410
    return _phone_page(place, "kiosk.phone", token)


@bp.route("/p/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit(POSTER_PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_DEVICE, methods=["POST"], key_func=_device_key)
def poster(token: str) -> Page:
    place = kiosks.place_for_poster(token)
    if place is None:  # a poster's code does not expire: unknown, forged or room closed
        return render_template("kiosk/expired.html", poster=True), 404
    return _phone_page(place, "kiosk.poster", token)


def _phone_page(place: kiosks.Place, endpoint: str, token: str) -> Page:
    device_id = request.cookies.get(DEVICE_COOKIE) or ""
    if not (20 <= len(device_id) <= 64):
        device_id = secrets.token_urlsafe(32)
    if request.method == "GET":
        page = make_response(
            render_template("kiosk/phone.html", place=place, action=url_for(endpoint, token=token))
        )
        return _with_device_cookie(page, device_id)
    checked = kiosks.check_in_phone(place, device_id, _now())
    db.session.commit()
    session["visit"] = checked.visit_id
    session["visit_counted"] = checked.counted
    return _with_device_cookie(redirect(url_for("kiosk.questions")), device_id)


def _with_device_cookie(response: Response, device_id: str) -> Response:
    """A random id, set by the server as HttpOnly (Safari keeps script-set cookies 7 days)."""
    response.set_cookie(
        DEVICE_COOKIE,
        device_id,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        secure=_secure(),
        samesite="Lax",
    )
    return response


@bp.route("/k/vragen", methods=["GET", "POST"])
@public_endpoint
@limiter.limit(PER_ADDRESS, methods=["POST"])
def questions() -> Page:
    visit_id = session.get("visit")
    if not isinstance(visit_id, int):
        return render_template("kiosk/thanks.html", counted=None)
    form = QuestionsForm()
    form.area.choices = (
        [SelectChoice("", _("Kies uw wijk of kern"))]
        + [SelectChoice(str(a.id), a.name) for a in houses.list_areas()]
        + [
            SelectChoice("elders", _("elders")),
            SelectChoice("geen_antwoord", _("zeg ik liever niet")),
        ]
    )
    if "skip" in request.form or not kiosks.can_answer(visit_id, _now()):
        return _thanks()
    if request.method == "GET":
        return _questions_page(form)
    if not form.validate_on_submit():
        return _questions_page(form, 400)
    try:
        kiosks.answer(
            visit_id,
            _now(),
            first_time=form.first_time.data,
            area=form.area.data,
            age_group=form.age_group.data,
        )
    except kiosks.KioskError as error:
        db.session.rollback()
        form.area.errors = [_(str(error))]
        return _questions_page(form, 400)
    db.session.commit()
    return _thanks()


def _questions_page(form: QuestionsForm, status: int = 200) -> tuple[str, int]:
    """The questions, with our own words for an answer outside the lists (a forged post
    or a page from before the lists changed) instead of WTForms' English defaults."""
    own_words = {
        "first_time": _("Kies ja of nee."),
        "area": _("Kies een wijk of kern uit de lijst."),
        "age_group": _("Kies een leeftijdsgroep uit de lijst."),
    }
    for name, message in own_words.items():
        if form[name].errors:
            form[name].errors = [message]
    page = render_template(
        "kiosk/questions.html",
        form=form,
        counted=session.get("visit_counted"),
        again=bool(form.csrf_token.errors),  # the page was open too long: send it again
    )
    return page, status


def _thanks() -> str:
    counted = session.pop("visit_counted", None)
    session.pop("visit", None)
    return render_template("kiosk/thanks.html", counted=counted)


# The host --------------------------------------------------------------------------------


def _house(slug: str, permission: Permission) -> House:
    house = houses.get_house(slug)
    if house is None or not current_user.can(permission, house.id):
        abort(404)
    return house


def _tally_form(house: House) -> TallyForm:
    form = TallyForm()
    form.room.choices = [SelectChoice(r.id, r.name) for r in house.rooms if r.active]
    huiskamer = next((r.id for r in house.rooms if r.is_huiskamer), None)
    if request.method == "GET" and huiskamer:
        form.room.data = huiskamer
    return form


@bp.route("/kiosk/gastheer/<slug>")
def host(slug: str) -> str:
    house = _house(slug, Permission.run_kiosk)
    return _host_page(house, _tally_form(house))


def _host_page(house: House, form: TallyForm) -> str:
    now = _now()
    return render_template(
        "kiosk/host.html",
        house=house,
        form=form,
        programme=kiosks.programme_today(house, now),
        visits=kiosks.visits_today(house.id, now),
    )


@bp.route("/kiosk/gastheer/<slug>/tellen", methods=["POST"])
def add_tally(slug: str) -> Page:
    house = _house(slug, Permission.run_kiosk)
    form = _tally_form(house)
    if not form.validate_on_submit():
        return _host_page(house, form), 400
    try:
        counted = kiosks.tally(current_user, form.room.data, form.count.data, _now())
    except kiosks.KioskError as error:
        db.session.rollback()
        form.count.errors = [_(str(error))]
        return _host_page(house, form), 400
    db.session.commit()
    flash(_("%(count)s bezoeker(s) geteld.", count=counted), "success")
    return redirect(url_for("kiosk.host", slug=slug))


@bp.route("/kiosk/gastheer/<slug>/ongedaan", methods=["POST"])
def undo_tally(slug: str) -> Response:
    house = _house(slug, Permission.run_kiosk)
    removed = kiosks.undo_last_tally(current_user, house, _now())
    db.session.commit()
    flash(
        _("Laatste telling ongedaan gemaakt (%(count)s).", count=removed)
        if removed
        else _("Er is vandaag nog niets geteld."),
        "success" if removed else "info",
    )
    return redirect(url_for("kiosk.host", slug=slug))


# The beheerder: kiosks and posters ---------------------------------------------------


def _new_kiosk_form(house: House) -> NewKioskForm:
    form = NewKioskForm()
    form.room.choices = [SelectChoice(r.id, r.name) for r in house.rooms if r.active]
    return form


@bp.route("/kiosk/beheer/<slug>")
def manage(slug: str) -> str:
    house = _house(slug, Permission.manage_programme)
    return render_template(
        "kiosk/manage.html",
        house=house,
        form=_new_kiosk_form(house),
        kiosks=kiosks.kiosks_of(house),
        now=_now(),
    )


@bp.route("/kiosk/beheer/<slug>/nieuw", methods=["POST"])
def create(slug: str) -> Page:
    house = _house(slug, Permission.manage_programme)
    form = _new_kiosk_form(house)
    if not form.validate_on_submit():
        return render_template(
            "kiosk/manage.html", house=house, form=form, kiosks=kiosks.kiosks_of(house), now=_now()
        ), 400
    kiosk, code = kiosks.create_kiosk(current_user, form.room.data, _now(), form.name.data or "")
    db.session.commit()
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
    house = _house(slug, Permission.manage_programme)
    try:
        kiosk = kiosks.revoke(current_user, kiosk_id, _now())
    except kiosks.NotFound:
        db.session.rollback()
        abort(404)
    if kiosk.room.house_id != house.id:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("De tablet is ontkoppeld; de QR-codes die hij toonde werken niet meer."), "success")
    return redirect(url_for("kiosk.manage", slug=slug))


def _poster_room(room_id: int) -> tuple[Room, str]:
    room = houses.get_room(room_id)
    if room is None or not current_user.can(Permission.manage_programme, room.house_id):
        abort(404)
    return room, public_url("kiosk.poster", token=kiosks.poster_url_token(room))


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


@bp.route("/privacy")
@public_endpoint
def privacy() -> str:
    """What a check-in stores and what it never stores, in plain Dutch."""
    return render_template("kiosk/privacy.html")
