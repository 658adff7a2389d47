"""The tablet reads a visitor card: counted like a phone, without a person (issue 14).

A card's visit stores channel `kaart` and the keyed yearly hash of its code per house
(booking/services/device_keys.py, exactly as a phone's cookie), so the same card twice
within `SAME_VISIT` counts once and returning visitors are known without identities.
A read replayed from the tablet's offline queue counts once by its client id, like a tap.
A card this house never printed (or another house's) and a blocked card are stored as
flagged visits, left out of the default figures, and the tablet says why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, text

from booking.database import begin_write
from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import Kiosk, Visit, VisitorCard
from booking.rules.kiosk_windows import SAME_VISIT, same_visit_since, tap_moment
from booking.rules.messages import N_, Message
from booking.rules.visit_vocabulary import Channel
from booking.rules.visitor_cards import card_code_of_scan, card_device_id, card_reason, code_hash
from kiosk.check_in import BAD_TAP, device_hashes
from kiosk.counting import insert_visit, visit_values
from kiosk.places import Place

GARBLED = Message(N_("Deze kaart kon niet gelezen worden. Probeer het nog eens."))


class CardOutcome(StrEnum):
    """What the tablet tells the visitor; the script shows the message of the answer."""

    welkom = "welkom"  # a new visit
    welkom_terug = "welkom_terug"  # the same card within SAME_VISIT, or a replay
    onbekend = "onbekend"  # never printed here: flagged
    geblokkeerd = "geblokkeerd"  # blocked: flagged


OUTCOME_MESSAGES = {
    CardOutcome.welkom: Message(N_("Welkom, fijn dat u er bent!")),
    CardOutcome.welkom_terug: Message(N_("Welkom terug! U bent vandaag al geteld.")),
    CardOutcome.onbekend: Message(N_("Deze kaart kennen we niet.")),
    CardOutcome.geblokkeerd: Message(
        N_("Deze kaart is geblokkeerd; vraag de gastvrouw om een nieuwe.")
    ),
}


@dataclass(frozen=True)
class CardRead:
    outcome: CardOutcome
    counted: bool  # a new visit that counts by default


def _client_id(value: object) -> str:
    try:
        return str(uuid.UUID(value))  # type: ignore[arg-type]
    except (ValueError, TypeError, AttributeError) as error:
        raise InvalidInput("client_id", BAD_TAP) from error


def read_card(
    kiosk: Kiosk, client_id: object, scanned: object, read_at: datetime | None, now: datetime
) -> CardRead:
    """Count one card read of this kiosk's tablet (see the module)."""
    client_id = _client_id(client_id)
    code = card_code_of_scan(scanned)
    if code is None:
        raise InvalidInput("code", GARBLED)
    house_id = kiosk.room.house_id
    card = db.session.scalar(select(VisitorCard).where(VisitorCard.code_hash == code_hash(code)))
    known = card is not None and card.house_id == house_id
    reason = card_reason(known, known and card is not None and card.blocked_at is not None)
    moment = tap_moment(read_at, now)
    hashed, *earlier_hashes = device_hashes(house_id, card_device_id(code), moment)
    place = Place(kiosk.room, kiosk, Channel.kaart)
    values = visit_values(place, moment, now, client_id=client_id, device_hash=hashed)
    if reason:
        values |= {"suspicious": True, "suspicious_reason": reason}
    bad = {"kaart_onbekend": CardOutcome.onbekend, "kaart_geblokkeerd": CardOutcome.geblokkeerd}
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:house, hashtext(:device))"),
            {"house": house_id, "device": hashed},
        )
    if _seen(house_id, [hashed, *earlier_hashes], moment, client_id, reason):
        return CardRead(bad.get(reason, CardOutcome.welkom_terug), counted=False)
    inserted = insert_visit(values) is not None
    if reason:
        return CardRead(bad[reason], counted=False)
    return CardRead(CardOutcome.welkom if inserted else CardOutcome.welkom_terug, inserted)


def _seen(house_id: int, hashes: list[str], moment: datetime, client_id: str, reason: str) -> bool:
    """Whether this read was stored before (a replay) or the card visited the house
    within `SAME_VISIT` of its moment (a queued read may be older than an online one).
    A blocked or unknown card is compared with its earlier reads of the same reason only,
    so a card blocked after its visit today still leaves its flagged trace."""
    replayed = db.session.scalar(select(Visit.id).where(Visit.client_id == client_id))
    if replayed is not None:
        return True
    conditions = [
        Visit.house_id == house_id,
        Visit.device_hash.in_(hashes),
        Visit.visited_at > same_visit_since(moment),
        Visit.visited_at < moment + SAME_VISIT,
    ]
    if reason:
        conditions.append(Visit.suspicious_reason == reason)
    earlier = db.session.scalar(select(Visit.id).where(*conditions).limit(1))
    return earlier is not None
