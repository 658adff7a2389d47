"""The feed URL calendar apps poll, and the page where users make, copy and revoke feeds.

The feed view is public to Flask-Login: the secret token in the path is the credential.
It never logs the token, answers an unknown and a revoked token with the same plain 404,
and lets clients poll cheaply with ETag/Last-Modified and 304 (STACK.md section 4).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.errors import InvalidInput, RuleViolation
from booking.feeds.blueprint import bp
from booking.feeds.forms import DownloadForm, FeedForm, fill_choices
from booking.i18n import say
from booking.rules.messages import N_, Message
from booking.rules.numbers import parse_whole_number
from booking.rules.slots import AMSTERDAM
from booking.security import public_endpoint
from booking.services import feed_contents, feeds

Page = str | Response | tuple[str, int] | tuple[str, int, dict[str, str]]
CALENDAR_MIMETYPE = "text/calendar"  # Flask adds "; charset=utf-8" to text/* types
FEED_CACHE_CONTROL = "private, max-age=900"
NOT_FOUND_BODY = "Deze agenda bestaat niet (meer).\n"


def _now() -> datetime:
    return datetime.now(UTC)


# The feed ---------------------------------------------------------------------------


def _feed_not_found() -> Response:
    """One body for unknown, revoked and orphaned tokens: nothing tells them apart.

    Plain text rather than the HTML error page, which carries a fresh CSRF token and so
    differs on every request.
    """
    response = Response(NOT_FOUND_BODY, status=404, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def _not_modified(etag: str, last_modified: datetime) -> bool:
    """If-None-Match wins over If-Modified-Since when both are sent (RFC 9110 13.2.2)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and last_modified.replace(microsecond=0) <= since


@bp.route("/feeds/<token>.ics")
@public_endpoint
def feed(token: str) -> Response:
    found = feeds.feed_for_token(token)
    rendered = feed_contents.render_feed(found, now=_now()) if found is not None else None
    if rendered is None:
        return _feed_not_found()
    etag = hashlib.sha256(rendered.body).hexdigest()[:40]
    if _not_modified(etag, rendered.last_modified):
        response = Response(status=304)
    else:
        response = Response(rendered.body, mimetype=CALENDAR_MIMETYPE)
    response.set_etag(etag)
    response.last_modified = rendered.last_modified
    response.headers["Cache-Control"] = FEED_CACHE_CONTROL
    return response


# The agenda-links page --------------------------------------------------------------


def _page(
    *,
    form: FeedForm | None = None,
    download: DownloadForm | None = None,
    created: feeds.CreatedFeed | None = None,
    problem: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    houses, rooms = feeds.creatable(current_user)
    if form is None:
        form = FeedForm(prefix="nieuw", formdata=None)
    if download is None:
        today = datetime.now(AMSTERDAM).date()
        download = DownloadForm(
            formdata=None,
            data={"van": today.isoformat(), "tot": (today + timedelta(days=30)).isoformat()},
        )
    fill_choices(form, houses, rooms)
    fill_choices(download, houses, rooms)
    mine = [(f, feeds.describe_feed(f)) for f in feeds.feeds_of(current_user)]
    others = [
        (f, feeds.describe_feed(f), owner)
        for f, owner in feeds.others_feeds_in_houses(current_user)
    ]
    return render_template(
        "feeds/index.html",
        form=form,
        download=download,
        created=created,
        mine=mine,
        others=others,
        problem=problem,
        max_days=feeds.MAX_DOWNLOAD_DAYS,
    ), status


def _target_id(scope: str | None, raw: str | None) -> str | int | None:
    """The form's id as the service expects it, with page-friendly errors.

    The page offers houses and rooms in one list; picking a room for a house agenda (or
    the other way round) is a slip to point out, not a missing object.
    """
    raw = (raw or "").strip()
    if scope == feeds.Scope.mine.value:
        return None
    if scope == feeds.Scope.room.value:
        room_id = parse_whole_number(raw)
        if room_id is None:
            raise InvalidInput("id", Message(N_("Kies bij deze agenda een ruimte.")))
        return room_id
    if scope in (feeds.Scope.house.value, feeds.Scope.public.value) and (
        not raw or parse_whole_number(raw) is not None
    ):
        raise InvalidInput("id", Message(N_("Kies bij deze agenda een huis.")))
    return raw or None


def _show_error(form: FeedForm | DownloadForm, error: InvalidInput) -> None:
    fields = {"scope": form.scope, "id": form.target}
    if isinstance(form, DownloadForm):
        fields.update(van=form.van, tot=form.tot)
    field = fields.get(error.field, form.scope)
    field.errors = [*field.errors, say(error.message)]


@bp.route("/agenda-links")
def index() -> Page:
    return _page()


@bp.route("/agenda-links", methods=["POST"])
def create() -> Page:
    form = FeedForm(prefix="nieuw")
    try:
        created = feeds.create_feed(
            current_user, form.scope.data, _target_id(form.scope.data, form.target.data), now=_now()
        )
    except InvalidInput as error:
        _show_error(form, error)
        return _page(form=form, status=400)
    except RuleViolation as error:
        return _page(form=form, status=422, problem=say(error.message))
    # Rendered, not redirected: the token exists only now and must not sit in the session;
    # and not stored by the browser either.
    body, status = _page(created=created)
    return body, status, {"Cache-Control": "no-store"}


@bp.route("/agenda-links/<int:feed_id>/intrekken", methods=["POST"])
def revoke(feed_id: int) -> Response:
    feeds.revoke_feed(current_user, feed_id, now=_now())
    flash(
        _("De agenda-link is ingetrokken: agenda's die hem gebruiken krijgen niets meer."),
        "success",
    )
    return redirect(url_for("feeds.index"))


@bp.route("/agenda-links/<int:feed_id>/intrekken/bevestigen")
def confirm_revoke(feed_id: int) -> str:
    """The "Weet u het zeker?" page before a feed is revoked; its button posts to `revoke`.
    Works without JavaScript; a feed the user may not revoke is 404, as for `revoke`."""
    found = feeds.feed_to_revoke(current_user, feed_id)
    return render_template(
        "feeds/confirm_revoke.html",
        found=found,
        mine=found.owner.id == current_user.id,
        action=url_for("feeds.revoke", feed_id=feed_id),
        confirm_label=_("Ja, trek deze agenda-link in"),
        back_url=url_for("feeds.index"),
    )


@bp.route("/agenda-links/download.ics")
def download() -> Page:
    """A period as a one-off .ics file, for importing instead of subscribing."""
    form = DownloadForm(request.args)
    errors: list[InvalidInput] = []
    target: feeds.Target | None = None
    period: tuple[date, date] | None = None
    try:
        target = feeds.resolve_target(
            current_user, form.scope.data, _target_id(form.scope.data, form.target.data)
        )
    except InvalidInput as error:
        errors.append(error)
    try:
        period = feed_contents.parse_period(form.van.data, form.tot.data)
    except InvalidInput as error:
        errors.append(error)
    if errors or target is None or period is None:
        for error in errors:
            _show_error(form, error)
        return _page(download=form, status=400)
    body = feed_contents.render_period(target, *period, now=_now())
    response = Response(body, mimetype=CALENDAR_MIMETYPE)
    filename = f"buurthuis-{target.scope.value}-{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.ics"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
