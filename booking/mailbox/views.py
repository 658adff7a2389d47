"""Mail viewer views: the outbox in the browser, for development and testing only.

In development there is no mail server (SMTP_HOST is empty), so this is where a user reads
what the product would have sent them; the gemeente, who tests the whole product, reads
all of it. It never exists in production (create_app switches it off there): a reset link
in someone else's mail would be an account takeover. Mail HTML is never rendered into
the page: it is shown as escaped source, so a mail cannot inject markup or script.
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from booking.mailbox.blueprint import bp
from booking.mailbox.queries import get_attachment, get_mail, outbox_page
from booking.rules.numbers import parse_whole_number

MAX_PAGE = 1_000_000


def _require_viewer() -> str | None:
    """404 unless the viewer is switched on; the address whose mail this user may read.

    None means all mail (the gemeente); everyone else reads only mail addressed to them.
    """
    if not current_app.config.get("SHOW_MAIL_VIEWER"):
        abort(404)
    return None if current_user.is_gemeente else current_user.email


def status_label(status: str) -> str:
    labels = {"wachtend": _("wachtend"), "verzonden": _("verzonden"), "mislukt": _("mislukt")}
    return labels.get(status, status)


@bp.route("")
def outbox() -> str | tuple[str, int]:
    reader = _require_viewer()
    number = parse_whole_number(request.args.get("pagina", "1"), MAX_PAGE)
    if not number:
        return render_template(
            "errors/error.html",
            title=_("Ongeldig verzoek"),
            message=_("Kies een paginanummer vanaf 1."),
        ), 400
    page = outbox_page(number, reader)
    return render_template(
        "mailbox/outbox.html",
        page=page,
        mail_status=status_label,
        smtp_configured=bool(current_app.config.get("SMTP_HOST")),
    )


@bp.route("/<int:mail_id>")
def mail(mail_id: int) -> str:
    reader = _require_viewer()
    found = get_mail(mail_id, reader)
    if found is None:
        abort(404)
    return render_template("mailbox/mail.html", mail=found, mail_status=status_label)


@bp.route("/<int:mail_id>/bijlage/<int:file_id>")
def attachment(mail_id: int, file_id: int) -> Response:
    """A file as it was sent (an invoice's PDF or UBL), downloaded, never shown inline."""
    found = get_attachment(mail_id, file_id, _require_viewer())
    if found is None:
        abort(404)
    response = Response(found.body, mimetype=found.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
