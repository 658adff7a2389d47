"""Queue mail in the outbox, in the same transaction as the change that causes it.

Mails are rendered in the recipient's language (Dutch unless their account says
otherwise) from templates/emails/<name>.txt and .html.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale

from booking.extensions import db
from booking.models import OutboxMail


def queue_mail(
    kind: str,
    to_address: str,
    *,
    template: str,
    locale: str | None = "nl",
    dedupe_key: str | None = None,
    attachment: tuple[str, str, str] | None = None,
    **context: Any,
) -> OutboxMail | None:
    """Write one mail to the outbox; with a dedupe key, a second identical mail is skipped."""
    if dedupe_key and db.session.query(OutboxMail.id).filter_by(dedupe_key=dedupe_key).first():
        return None
    with force_locale(locale or "nl"):
        subject = render_template(f"emails/{template}.subject.txt", **context).strip()
        body_text = render_template(f"emails/{template}.txt", **context)
        body_html = render_template(f"emails/{template}.html", **context)
    mail = OutboxMail(
        kind=kind,
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        dedupe_key=dedupe_key,
    )
    if attachment:
        mail.attachment_name, mail.attachment_type, mail.attachment_body = attachment
    db.session.add(mail)
    db.session.flush()
    return mail
