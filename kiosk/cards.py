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

from booking.database import begin_write
from booking.errors import InvalidInput
from booking.models import Kiosk
from booking.rules.kiosk_windows import SAME_VISIT, same_visit_since, tap_moment
from booking.rules.messages import N_, Message
from booking.rules.visit_vocabulary import Channel, SuspicionReason
from booking.rules.visitor_cards import card_code_of_scan, card_device_id, code_hash
from kiosk.check_in import BAD_TAP, device_hashes
from kiosk.counting import insert_visit_unless_seen, visit_values
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


BAD_CARDS = {
    SuspicionReason.kaart_onbekend: CardOutcome.onbekend,
    SuspicionReason.kaart_geblokkeerd: CardOutcome.geblokkeerd,
}
"""The flags a card read gets for the card itself (`card_reason`), and what the tablet says."""


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
    moment = tap_moment(read_at, now)
    hashed, *earlier_hashes = device_hashes(house_id, card_device_id(code), moment)
    place = Place(kiosk.room, kiosk, Channel.kaart)
    values = visit_values(
        place,
        moment,
        now,
        card_hash=code_hash(code),
        lock_key=hashed,  # PostgreSQL: reads of this card wait for each other from here
        client_id=client_id,
        device_hash=hashed,
    )
    reason = values["suspicious_reason"] if values["suspicious_reason"] in BAD_CARDS else ""
    begin_write()
    visit_id = insert_visit_unless_seen(
        values,
        [hashed, *earlier_hashes],
        same_visit_since(moment),
        moment + SAME_VISIT,
        same_reason=bool(reason),
    )
    if reason:
        return CardRead(BAD_CARDS[reason], counted=False)
    if visit_id is None:  # seen within SAME_VISIT, or a replay of a stored read
        return CardRead(CardOutcome.welkom_terug, counted=False)
    return CardRead(CardOutcome.welkom, counted=True)
