"""Host notes (vertellen): a short note on a day or an activity, shown beside the figures.

Counting is half the story ("tellen *en* vertellen", DESIGN section 7): what happened,
who found their way in. Anyone who may run the kiosk in the house writes one (gastheer,
sociaal beheerder, beheerder, gemeente); whoever sees the house's figures, even only
today's totals, reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import Forbidden, InvalidInput, NotFound, RuleViolation
from booking.extensions import db
from booking.models import Booking, HostNote, House, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.periods import MAX_YEAR, MIN_YEAR, Period, today_amsterdam
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM
from booking.services import audit
from booking.services.activities import house_booking

NOTE_MAX = 1000


@dataclass(frozen=True)
class NoteView:
    id: int
    house_id: int
    day: date
    text: str
    author: str
    booking_title: str | None
    booking_start: datetime | None
    created_at: datetime


def _check_note(house_id: int, day: date, text: str, now: datetime, booking_id: int | None) -> None:
    """Every refusal names the form field it is about (tekst, dag, activiteit)."""
    if not text:
        raise InvalidInput("tekst", Message(N_("Schrijf eerst wat er gebeurde.")))
    if len(text) > NOTE_MAX:
        raise InvalidInput(
            "tekst", Message(N_("Een notitie is hoogstens %(n)s tekens."), {"n": NOTE_MAX})
        )
    if not MIN_YEAR <= day.year <= MAX_YEAR or day > today_amsterdam(now):
        raise RuleViolation(
            Message(N_("Een notitie gaat over vandaag of een dag die al geweest is.")), "dag"
        )
    if booking_id is None:
        return
    booking = house_booking(house_id, booking_id)
    if booking is None:
        raise InvalidInput("activiteit", Message(N_("Deze activiteit hoort niet bij dit huis.")))
    if booking.start.astimezone(AMSTERDAM).date() != day:
        raise RuleViolation(Message(N_("Deze activiteit was niet op die dag.")), "activiteit")


def add_note(
    actor: User,
    house_id: int,
    day: date,
    text: str,
    now: datetime,
    *,
    booking_id: int | None = None,
) -> HostNote:
    """Store a host's note, audited. The text itself stays out of the audit entry: a note
    may name people, and the audit log is kept longer and read more widely than the note.
    """
    begin_write()
    house = db.session.get(House, house_id)
    if house is None:
        raise NotFound(house_id)
    if not actor.can(Permission.run_kiosk, house.id):
        raise Forbidden(house_id)
    text = (text or "").strip()
    _check_note(house.id, day, text, now, booking_id)
    note = HostNote(
        house_id=house.id,
        booking_id=booking_id,
        day=day,
        text=text,
        author_id=actor.id,
        created_at=now,
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        AuditAction.host_note_added,
        AuditObject.host_note,
        note.id,
        actor_id=actor.id,
        house_id=house.id,
        day=day.isoformat(),
        booking_id=booking_id,
        characters=len(text),
    )
    db.session.flush()
    return note


def notes(
    house_ids: Sequence[int], period: Period, booking_id: int | None = None
) -> list[NoteView]:
    """The notes of the period, by day (a query: the caller has checked who asks)."""
    query = (
        select(HostNote, User.name, Booking.title, Booking.start)
        .outerjoin(User, User.id == HostNote.author_id)
        .outerjoin(Booking, Booking.id == HostNote.booking_id)
        .where(
            HostNote.house_id.in_(list(house_ids)),
            HostNote.day >= period.first,
            HostNote.day <= period.last,
        )
        .order_by(HostNote.day, HostNote.created_at, HostNote.id)
    )
    if booking_id is not None:
        query = query.where(HostNote.booking_id == booking_id)
    return [
        NoteView(n.id, n.house_id, n.day, n.text, author or "", title, start, n.created_at)
        for n, author, title, start in db.session.execute(query).tuples()
    ]
