"""The phone: check in by the tablet's QR code or a room's poster, then the questions.

Phones are not signed in: a QR token is signed and short-lived, a poster's token signed
and static. The device cookie is a random id set by the server; only its keyed hash is
stored (DESIGN section 6).
"""

from __future__ import annotations

import secrets

from flask import make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from booking.errors import InvalidInput, RuleViolation
from booking.extensions import limiter
from booking.i18n import say
from booking.rules.visit_vocabulary import AreaAnswer
from booking.security import public_endpoint
from booking.services import houses, retention
from kiosk import check_in, places, web
from kiosk.blueprint import bp
from kiosk.forms import QuestionsForm


def _device_key() -> str:
    """Rate-limit phones by their device cookie; a house's wifi puts many behind one IP."""
    return "device:" + (request.cookies.get(web.DEVICE_COOKIE) or request.remote_addr or "?")


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
def phone(token: str) -> web.Page:
    grace_slots = 0 if request.method == "GET" else 1
    place = places.place_for_qr(token, web.now(), grace_slots=grace_slots)
    if place is None:
        return render_template("kiosk/expired.html", poster=False), 410
    return _phone_page(place, "kiosk.phone", token)


@bp.route("/p/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit(POSTER_PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_DEVICE, methods=["POST"], key_func=_device_key)
def poster(token: str) -> web.Page:
    place = places.place_for_poster(token)
    if place is None:  # a poster's code does not expire: unknown, forged or room closed
        return render_template("kiosk/expired.html", poster=True), 404
    return _phone_page(place, "kiosk.poster", token)


def _phone_page(place: places.Place, endpoint: str, token: str) -> web.Page:
    device_id = request.cookies.get(web.DEVICE_COOKIE) or ""
    if not (20 <= len(device_id) <= 64):
        device_id = secrets.token_urlsafe(32)
    if request.method == "GET":
        page = make_response(
            render_template("kiosk/phone.html", place=place, action=url_for(endpoint, token=token))
        )
        return _with_device_cookie(page, device_id)
    checked = check_in.check_in_phone(place, device_id, web.now())
    session["visit"] = checked.visit_id
    session["visit_counted"] = checked.counted
    return _with_device_cookie(redirect(url_for("kiosk.questions")), device_id)


def _with_device_cookie(response: Response, device_id: str) -> Response:
    """A random id, set by the server as HttpOnly (Safari keeps script-set cookies 7 days)."""
    response.set_cookie(
        web.DEVICE_COOKIE,
        device_id,
        max_age=web.COOKIE_MAX_AGE,
        httponly=True,
        secure=web.secure_cookies(),
        samesite="Lax",
    )
    return response


@bp.route("/k/vragen", methods=["GET", "POST"])
@public_endpoint
@limiter.limit(PER_ADDRESS, methods=["POST"])
def questions() -> web.Page:
    visit_id = session.get("visit")
    if not isinstance(visit_id, int):
        return render_template("kiosk/thanks.html", counted=None)
    form = _questions_form()
    if "skip" in request.form or not check_in.can_answer(visit_id, web.now()):
        return _thanks()
    if request.method == "GET":
        return _questions_page(form)
    if not form.validate_on_submit():
        return _questions_page(form, 400)
    try:
        check_in.answer(
            visit_id,
            web.now(),
            first_time=form.first_time.data,
            area=form.area.data,
            age_group=form.age_group.data,
        )
    except (InvalidInput, RuleViolation) as error:
        form[error.field or "area"].errors = [say(error.message)]
        return _questions_page(form, 400)
    return _thanks()


def _questions_form() -> QuestionsForm:
    """The questions, with the house's areas and the two answers outside that list."""
    form = QuestionsForm()
    form.area.choices = (
        [SelectChoice("", _("Kies uw wijk of kern"))]
        + [SelectChoice(str(a.id), a.name) for a in houses.list_areas()]
        + [
            SelectChoice(AreaAnswer.elders, _("elders")),
            SelectChoice(AreaAnswer.geen_antwoord, _("zeg ik liever niet")),
        ]
    )
    return form


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


@bp.route("/privacy")
@public_endpoint
def privacy() -> str:
    """What a check-in stores and what it never stores, and how long bookings and accounts
    keep personal data, in plain Dutch with the periods in force."""
    return render_template("kiosk/privacy.html", terms=retention.privacy_terms())
