"""The huiskamer tablet: pairing, the welcome screen with its QR code, the *Ik ben er* tap."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import (
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from booking.api.errors import api_error
from booking.errors import InvalidInput, NotFound
from booking.extensions import csrf, limiter
from booking.i18n import say
from booking.models import Booking
from booking.rules.kiosk_windows import PAIRING_CODE_LENGTH, normalise_code
from booking.security import public_endpoint
from booking.urls import public_url
from kiosk import check_in, offline, pairing, places, tokens, web
from kiosk.blueprint import bp
from kiosk.counting import running_activity
from kiosk.forms import PairingForm
from kiosk.qr import qr_svg

WELCOME_LANGUAGE = "nl"  # the language the welcome screen returns to after each visitor


@bp.route("/kiosk")
@public_endpoint
def screen() -> web.Page:
    kiosk = web.this_kiosk()
    if kiosk is None:
        return render_template("kiosk/pair.html", form=PairingForm())
    activity = running_activity(kiosk.room, web.now())
    keep = offline.shell_may_be_kept(
        str(get_locale()), WELCOME_LANGUAGE, bool(session.get("_flashes"))
    )
    response = make_response(
        render_template("kiosk/screen.html", kiosk=kiosk, now_line=_now_line(activity))
    )
    if keep:  # the service worker may keep this page as the shell for an offline reload
        response.headers[offline.SHELL_HEADER] = "1"
    response.headers["Cache-Control"] = "no-store"  # the worker's cache, not the browser's
    # The visitor card is read with the tablet's camera, on this page only (issue 14).
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    return response


def _now_line(activity: Booking | None) -> str:
    """What the screen says is on now; a private booking's title is not shown."""
    if activity is not None and activity.public:
        return _("Nu: %(title)s", title=activity.title)
    return _("Loop gerust binnen.")


@bp.route("/kiosk/koppelen", methods=["POST"])
@public_endpoint
@limiter.limit("20 per hour")
def pair() -> web.Page:
    form = PairingForm()
    if not form.validate_on_submit():
        return render_template("kiosk/pair.html", form=form), 400
    try:
        _kiosk, credential = pairing.pair(form.code.data or "", web.now())
    except InvalidInput as error:
        form.code.errors = [say(error.message)]
        return render_template("kiosk/pair.html", form=form), 400
    response = redirect(url_for("kiosk.screen"))
    response.set_cookie(
        web.KIOSK_COOKIE,
        credential,
        max_age=web.COOKIE_MAX_AGE,
        httponly=True,
        secure=web.secure_cookies(),
        samesite="Strict",
    )
    return response


@bp.route("/kiosk/koppelen/<code>")
@public_endpoint
def pair_link(code: str) -> str:
    """Opened from the pairing QR: confirm with one tap (a prefetch must not pair)."""
    form = PairingForm(data={"code": normalise_code(code)[:PAIRING_CODE_LENGTH]})
    return render_template("kiosk/pair.html", form=form, from_link=True)


@bp.route("/kiosk/status.json")
@public_endpoint
def status() -> Response:
    kiosk = web.this_kiosk()
    if kiosk is None:
        return make_response(jsonify(paired=False), 401)
    now = web.now()
    pairing.seen(kiosk, now)
    activity = running_activity(kiosk.room, now)
    return jsonify(
        paired=True,
        now_on=activity.title if activity and activity.public else None,
        now_line=_now_line(activity),
        qr_src=url_for("kiosk.qr_image", v=tokens.slot_of(now)),
    )


@bp.route("/kiosk/qr.svg")
@public_endpoint
def qr_image() -> Response:
    kiosk = web.this_kiosk()
    if kiosk is None:
        raise NotFound("kiosk")
    url = public_url("kiosk.phone", token=places.qr_token(kiosk, web.now()))
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
    post counts once and returns to the welcome screen, in Dutch again for the next
    visitor (with script, kiosk.js asks for Dutch once its thanks are done)."""
    kiosk = web.this_kiosk()
    if not request.is_json:
        if kiosk is not None:
            check_in.tap(kiosk, str(uuid.uuid4()), None, web.now())
            flash(_("Dank u wel, fijn dat u er bent!"), "success")
            session["lang"] = WELCOME_LANGUAGE
        return redirect(url_for("kiosk.screen"))
    if kiosk is None:
        return api_error(401, "geen_kiosk", _("Deze tablet is niet (meer) gekoppeld."))
    client_id, tapped_at = _tap_of_request()
    counted = check_in.tap(kiosk, client_id, tapped_at, web.now())
    return make_response(jsonify(counted=counted), 201 if counted else 200)


def _tap_of_request() -> tuple[str, datetime | None]:
    """The client id and the tablet's moment of a JSON tap; a malformed body is a bad tap."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # `[[[[…` thousands deep: the parser recurses per level
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("client_id"), str):
        raise InvalidInput("client_id", check_in.BAD_TAP)
    return data["client_id"], parse_moment(data.get("tapped_at"))


def parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(UTC) if moment.tzinfo else None
    except (ValueError, OverflowError):  # year 1 at +14:00 has no UTC moment
        return None
