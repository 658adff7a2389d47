"""Reading the outbox for the mail viewer; nothing here writes."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select

from booking.extensions import db
from booking.models import OutboxMail

PAGE_SIZE = 50


@dataclass(frozen=True)
class OutboxPage:
    mails: list[OutboxMail]
    page: int
    pages: int
    total: int


def outbox_page(page: int, per_page: int = PAGE_SIZE) -> OutboxPage:
    """One page of the outbox, newest first (id breaks ties between equal times)."""
    total = db.session.scalar(select(func.count()).select_from(OutboxMail)) or 0
    pages = max(1, math.ceil(total / per_page))
    mails = db.session.scalars(
        select(OutboxMail)
        .order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return OutboxPage(list(mails), page, pages, total)


def get_mail(mail_id: int) -> OutboxMail | None:
    return db.session.get(OutboxMail, mail_id)
