"""Mail viewer views: the outbox in the browser, for development and testing.

In development there is no mail server (SMTP_HOST is empty), so this is where a beheerder
or the gemeente reads what the product would have sent. Mail HTML is never rendered into
the page: it is shown as escaped source, so a mail cannot inject markup or script.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from booking.mailbox import bp
from booking.mailbox.queries import get_mail, outbox_page
from booking.rules.numbers import parse_whole_number
from booking.rules.permissions import Role

MAX_PAGE = 1_000_000


def _require_viewer() -> None:
    """404 (not 403) unless the viewer is switched on and the user may read all mail."""
    if not current_app.config.get("SHOW_MAIL_VIEWER"):
        abort(404)
    if not (current_user.is_gemeente or current_user.role == Role.beheerder.value):
        abort(404)


def status_label(status: str) -> str:
    labels = {"wachtend": _("wachtend"), "verzonden": _("verzonden"), "mislukt": _("mislukt")}
    return labels.get(status, status)


@bp.route("")
def outbox() -> str | tuple[str, int]:
    _require_viewer()
    number = parse_whole_number(request.args.get("pagina", "1"), MAX_PAGE)
    if not number:
        return render_template(
            "errors/error.html",
            title=_("Ongeldig verzoek"),
            message=_("Kies een paginanummer vanaf 1."),
        ), 400
    page = outbox_page(number)
    return render_template(
        "mailbox/outbox.html",
        page=page,
        mail_status=status_label,
        smtp_configured=bool(current_app.config.get("SMTP_HOST")),
    )


@bp.route("/<int:mail_id>")
def mail(mail_id: int) -> str:
    _require_viewer()
    found = get_mail(mail_id)
    if found is None:
        abort(404)
    return render_template("mailbox/mail.html", mail=found, mail_status=status_label)
