"""Visitor cards (issue 14): print a batch for a house, show its sheet, block a lost card.

The rules of the codes are in booking/rules/visitor_cards.py; the tablet's read of a card
is kiosk/cards.py. The plain codes of a batch are kept for `PRINTABLE_FOR` so that its
sheet (HTML and PDF) can be opened and printed again; every print erases the house's
expired ones and the retention job erases all of them (`erase_printable_codes`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from booking.errors import InvalidInput, NotFound
from booking.extensions import db
from booking.models import House, VisitorCard, VisitorCardBatch
from booking.rules.messages import N_, Message
from booking.rules.visitor_cards import (
    CARD_ALPHABET,
    CARD_CODE_LENGTH,
    PRINTABLE_FOR,
    SHORT_ALPHABET,
    SHORT_CODE_LENGTH,
    code_hash,
    is_print_batch_size,
    is_printable,
    normalise_short_code,
)

BAD_COUNT = Message(N_("Kies een aantal van 1 tot en met 100 kaarten."))
BAD_SHORT_CODE = Message(N_("Vul de korte code van de kaart in, zoals ABC-DEFG."))
UNKNOWN_SHORT_CODE = Message(N_("Geen kaart van dit huis heeft deze code."))


@dataclass(frozen=True)
class PrintedCard:
    code: str
    short_code: str


@dataclass(frozen=True)
class Sheet:
    batch: VisitorCardBatch
    cards: list[PrintedCard]  # empty once the plain codes are erased


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def print_cards(house: House, count: int, now: datetime) -> VisitorCardBatch:
    """A new batch of `count` cards for the house, each with a fresh short code."""
    if not is_print_batch_size(count):
        raise InvalidInput("count", BAD_COUNT)
    erase_printable_codes(now, house.id)
    taken = set(
        db.session.scalars(select(VisitorCard.short_code).where(VisitorCard.house_id == house.id))
    )
    batch = VisitorCardBatch(house_id=house.id, printed_at=now, size=count)
    db.session.add(batch)
    db.session.flush()
    for _ in range(count):
        short = _random(SHORT_ALPHABET, SHORT_CODE_LENGTH)
        while short in taken:
            short = _random(SHORT_ALPHABET, SHORT_CODE_LENGTH)
        taken.add(short)
        code = _random(CARD_ALPHABET, CARD_CODE_LENGTH)
        db.session.add(
            VisitorCard(
                house_id=house.id,
                batch_id=batch.id,
                code_hash=code_hash(code),
                short_code=short,
                plain_code=code,
                printed_at=now,
            )
        )
    db.session.flush()
    return batch


def sheet(house: House, batch_id: int, now: datetime) -> Sheet:
    """A batch of this house with its codes, if they may still be shown."""
    batch = db.session.get(VisitorCardBatch, batch_id)
    if batch is None or batch.house_id != house.id:
        raise NotFound(batch_id)
    if not is_printable(batch.printed_at, now):
        return Sheet(batch, [])
    rows = db.session.execute(
        select(VisitorCard.plain_code, VisitorCard.short_code)
        .where(VisitorCard.batch_id == batch.id, VisitorCard.plain_code.is_not(None))
        .order_by(VisitorCard.id)
    )
    return Sheet(batch, [PrintedCard(code, short) for code, short in rows])


def recent_batches(house: House, now: datetime) -> list[VisitorCardBatch]:
    """The house's batches whose sheet can still be printed, newest first."""
    return list(
        db.session.scalars(
            select(VisitorCardBatch)
            .where(
                VisitorCardBatch.house_id == house.id,
                VisitorCardBatch.printed_at >= now - PRINTABLE_FOR,
            )
            .order_by(VisitorCardBatch.printed_at.desc(), VisitorCardBatch.id.desc())
        )
    )


def block_card(house: House, typed: str, now: datetime) -> str:
    """Block the house's card with this short code; the short code as stored."""
    short = normalise_short_code(typed)
    if short is None:
        raise InvalidInput("short_code", BAD_SHORT_CODE)
    card = db.session.scalar(
        select(VisitorCard).where(VisitorCard.house_id == house.id, VisitorCard.short_code == short)
    )
    if card is None:
        raise InvalidInput("short_code", UNKNOWN_SHORT_CODE)
    if card.blocked_at is None:
        card.blocked_at = now
    db.session.flush()
    return short


def erase_printable_codes(now: datetime, house_id: int | None = None) -> int:
    """Forget the plain codes printed longer than `PRINTABLE_FOR` ago; how many."""
    statement = update(VisitorCard).where(
        VisitorCard.plain_code.is_not(None), VisitorCard.printed_at < now - PRINTABLE_FOR
    )
    if house_id is not None:
        statement = statement.where(VisitorCard.house_id == house_id)
    result = db.session.execute(statement.values(plain_code=None))
    return result.rowcount or 0
