"""An outbox row as the exact bytes of a MIME message, or the reason it cannot be one.

Split from the sender (booking/mail/sender.py) because building is about the mail alone:
no database, no server. Everything that depends on the mail happens here, so a fault in a
mail fails that mail's build step and never the SMTP conversation the other mails share.

Header text that comes from user data (the subject: a booking title) is cleaned to one line
by booking/rules/mail_headers.py, here and already when the mail is queued, so a title with
a line break in it is simply sent with a clean subject.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from email import errors
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses

from booking.models import OutboxMail
from booking.rules.mail_headers import header_text

_ADDRESS_SPECIALS = frozenset('<>()[]\\,;:"')


class UnbuildableMail(ValueError):
    """This outbox row cannot be made into a message; it would fail the same way again."""


@dataclass(frozen=True)
class PreparedMail:
    """One mail, completely built: the envelope and the exact bytes to hand to the server."""

    envelope_from: str
    to_address: str
    data: bytes
    international: bool  # a non-ASCII address: needs the server's SMTPUTF8 extension


def build_message(mail: OutboxMail, mail_from: str) -> EmailMessage:
    """The MIME message: text with an HTML alternative, and the attachment if any.

    The Message-ID is derived from the outbox id, so if a mail is ever sent twice (a crash
    between sending and recording) the receiving side can recognise the duplicate. The
    subject is cleaned to one line here as well, for rows queued before queue_mail did so.
    Raises (UnbuildableMail, ValueError, ...) when the row cannot be a message.
    """
    message = EmailMessage()
    message["Subject"] = header_text(mail.subject)
    message["From"] = mail_from
    message["To"] = recipient_address(mail.to_address)
    message["Date"] = format_datetime(mail.created_at)
    message["Message-ID"] = f"<outbox-{mail.id}@{_sender_domain(mail_from)}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    if mail.attachment_name:
        maintype, _, subtype = (mail.attachment_type or "application/octet-stream").partition("/")
        if maintype == "text":
            message.add_attachment(
                mail.attachment_body,
                subtype=subtype or "plain",
                filename=header_text(mail.attachment_name, 100),
            )
        else:
            message.add_attachment(
                mail.attachment_body.encode(),
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=header_text(mail.attachment_name, 100),
            )
    for file in mail.files:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(
            file.body,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=header_text(file.filename, 100),
        )
    return message


def prepare(mail: OutboxMail, mail_from: str) -> PreparedMail:
    """Build the message and serialise it to the bytes that will be sent, as smtplib would.

    Everything that depends on the mail happens here, so that a fault in it fails this step
    (and this mail) and never the SMTP conversation the other mails share.
    """
    message = build_message(mail, mail_from)
    envelope_from = envelope_sender(mail_from)
    to_address = recipient_address(mail.to_address)
    international = not (envelope_from + to_address).isascii()
    policy = message.policy.clone(utf8=True) if international else message.policy
    with io.BytesIO() as buffer:
        BytesGenerator(buffer, policy=policy).flatten(message, linesep="\r\n")
        data = buffer.getvalue()
    return PreparedMail(envelope_from, to_address, data, international)


def recipient_address(raw: str) -> str:
    """The one plain address (local@domain) a mail goes to, or UnbuildableMail.

    Stricter than the mail header parser, which accepts almost anything with a defect noted:
    no spaces or controls (no header or SMTP command injection), no second address, no
    display name. A non-ASCII local part is allowed; sending it needs SMTPUTF8.
    """
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    if (
        not (at and local and domain)
        or "@" in local
        or not text.isprintable()
        or any(char.isspace() or char in _ADDRESS_SPECIALS for char in text)
    ):
        raise UnbuildableMail(f"ongeldig adres: {raw!r}")
    try:
        Address(addr_spec=text)
    except errors.NonASCIILocalPartDefect:
        pass  # valid with SMTPUTF8, which the sender asks the server for
    except (errors.MessageError, ValueError, IndexError, TypeError) as error:
        raise UnbuildableMail(f"ongeldig adres: {raw!r} ({error})") from error
    return text


def envelope_sender(mail_from: str) -> str:
    """The bare address of MAIL_FROM ("Naam <adres>"), for the SMTP envelope."""
    addresses = getaddresses([mail_from])
    return addresses[0][1] if addresses else ""


def sender_problem(mail_from: str) -> str:
    """What is wrong with MAIL_FROM, or "" when it makes a valid From header and envelope."""
    try:
        EmailMessage()["From"] = mail_from
        recipient_address(envelope_sender(mail_from))  # the same rules for ours
    except (errors.MessageError, ValueError, IndexError, TypeError) as error:
        return str(error) or type(error).__name__
    return ""


def _sender_domain(mail_from: str) -> str:
    addresses = getaddresses([mail_from])
    address = addresses[0][1] if addresses else ""
    try:
        return Address(addr_spec=address).domain or "buurthuis.invalid"
    except (ValueError, IndexError):
        return "buurthuis.invalid"
