"""Reading the outbox for the mail viewer; nothing here writes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import OutboxAttachment, OutboxMail

PAGE_SIZE = 50


@dataclass(frozen=True)
class OutboxPage:
    mails: list[OutboxMail]
    page: int
    pages: int
    total: int


def outbox_page(page: int, to_address: str | None, per_page: int = PAGE_SIZE) -> OutboxPage:
    """One page of the outbox, newest first (id breaks ties between equal times).

    With `to_address`, only the mail addressed to it: a reader sees their own mail only.
    """
    where = [] if to_address is None else [OutboxMail.to_address == to_address]
    total = db.session.scalar(select(func.count()).select_from(OutboxMail).where(*where)) or 0
    pages = max(1, math.ceil(total / per_page))
    mails = db.session.scalars(
        select(OutboxMail)
        .where(*where)
        .order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return OutboxPage(list(mails), page, pages, total)


def get_mail(mail_id: int, to_address: str | None) -> OutboxMail | None:
    mail = db.session.get(OutboxMail, mail_id)
    if mail is None or (to_address is not None and mail.to_address != to_address):
        return None
    return mail


def get_attachment(mail_id: int, file_id: int, to_address: str | None) -> OutboxAttachment | None:
    """A file of a mail this reader may read; None for anyone else's (answered 404)."""
    mail = get_mail(mail_id, to_address)
    if mail is None:
        return None
    return next((f for f in mail.files if f.id == file_id), None)
