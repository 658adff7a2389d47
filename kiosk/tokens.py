"""Signed, short-lived QR tokens and static poster tokens. Pure: no Flask, no database.

A kiosk shows a QR code whose token names the kiosk and a 30-second time slot, signed
with a key derived per kiosk (and per key version), so a photo of the code expires after
about two minutes and revoking a kiosk kills its codes (DESIGN section 6).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from booking.rules.numbers import parse_whole_number

SLOT_SECONDS = 30
ACCEPTED_SLOTS = 4  # the current slot and the three before it: about two minutes
SIGNATURE_BYTES = 12


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def kiosk_key(secret: str, kiosk_id: int, key_version: int) -> bytes:
    """The signing key of one kiosk; a new key version invalidates every earlier code."""
    return hmac.new(
        secret.encode(), f"kiosk:{kiosk_id}:{key_version}".encode(), hashlib.sha256
    ).digest()


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // SLOT_SECONDS


def _signature(key: bytes, kiosk_id: int, slot: int) -> str:
    mac = hmac.new(key, f"{kiosk_id}.{slot}".encode(), hashlib.sha256).digest()
    return _b64(mac[:SIGNATURE_BYTES])


def sign(key: bytes, kiosk_id: int, slot: int) -> str:
    return f"{kiosk_id}.{slot}.{_signature(key, kiosk_id, slot)}"


@dataclass(frozen=True)
class QrToken:
    kiosk_id: int
    slot: int
    signature: str


def parse(token: str) -> QrToken | None:
    """Split a token; anything malformed is None (never an exception)."""
    if not token or len(token) > 80 or not token.isascii():  # compare_digest needs ASCII
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    kiosk_id, slot = parse_whole_number(parts[0]), parse_whole_number(parts[1], 10**12)
    if kiosk_id is None or slot is None:
        return None
    return QrToken(kiosk_id, slot, parts[2])


def is_authentic(key: bytes, token: QrToken) -> bool:
    return hmac.compare_digest(token.signature, _signature(key, token.kiosk_id, token.slot))


def is_fresh(token: QrToken, now: datetime, accepted_slots: int = ACCEPTED_SLOTS) -> bool:
    current = slot_of(now)
    return current - accepted_slots < token.slot <= current


def poster_token(secret: str, room_id: int, version: int = 1) -> str:
    """A static token per room for printed posters (channel `poster`)."""
    mac = hmac.new(secret.encode(), f"poster:{room_id}:{version}".encode(), hashlib.sha256)
    return f"{room_id}.{_b64(mac.digest()[:SIGNATURE_BYTES])}"


def poster_room(secret: str, token: str) -> int | None:
    if not token or len(token) > 60 or not token.isascii() or token.count(".") != 1:
        return None
    room_id = parse_whole_number(token.split(".")[0])
    if room_id is None:
        return None
    return room_id if hmac.compare_digest(token, poster_token(secret, room_id)) else None
