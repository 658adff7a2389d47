"""Queue mail in the outbox, in the same transaction as the change that causes it.

Mails are rendered in the recipient's language (Dutch unless their account says
otherwise) from templates/emails/<name>.txt and .html, here, at queue time: the sender only
assembles what is stored. The text templates are not autoescaped and the HTML ones are, and
user text (a booking title, a name) only ever goes in as a value, so hostile text cannot make
rendering fail. The subject is cleaned to one line of at most 200 characters (the column's
size) by booking/rules/mail_headers.py, so a booking title with a line break in it, or a long
one behind a long prefix, can neither break the transaction that queues the mail nor, later,
the sender.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale

from booking.extensions import db
from booking.models import OutboxAttachment, OutboxMail
from booking.rules.mail_headers import header_text


def queue_mail(
    kind: str,
    to_address: str,
    *,
    template: str,
    locale: str | None = "nl",
    dedupe_key: str | None = None,
    attachment: tuple[str, str, str] | None = None,
    files: tuple[tuple[str, str, bytes], ...] = (),
    **context: Any,
) -> OutboxMail | None:
    """Write one mail to the outbox; with a dedupe key, a second identical mail is skipped."""
    if dedupe_key and db.session.query(OutboxMail.id).filter_by(dedupe_key=dedupe_key).first():
        return None
    with force_locale(locale or "nl"):
        subject = header_text(render_template(f"emails/{template}.subject.txt", **context))
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
    for filename, content_type, body in files:
        mail.files.append(OutboxAttachment(filename=filename, content_type=content_type, body=body))
    db.session.add(mail)
    db.session.flush()
    return mail
