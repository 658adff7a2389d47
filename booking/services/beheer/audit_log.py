"""The logboek of a house: every change made there, newest first, a page at a time.

Open to whoever runs the programme there (manage_programme): the sociaal beheerder too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func, select

from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import AuditEntry, House, User
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.services.houses import house_for

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    house: House
    entries: list[tuple[AuditEntry, str | None]]
    page: int
    pages: int
    total: int


def audit_page(actor: User, slug: str, page: int | None, per_page: int = PAGE_SIZE) -> AuditPage:
    """One page of the house's logboek with each actor's name; `page` None was not a number."""
    house = house_for(actor, slug, Permission.manage_programme)
    if not page or page < 1:
        raise InvalidInput("pagina", Message(N_("Kies een paginanummer vanaf 1.")))
    total = (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.house_id == house.id)
        )
        or 0
    )
    rows = db.session.execute(
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.house_id == house.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    pages = max(1, math.ceil(total / per_page))
    return AuditPage(house, [(row[0], row[1]) for row in rows], page, pages, total)
