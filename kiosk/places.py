"""Where a phone checks in: the room behind a kiosk's changing QR code or a room's poster.

A QR token is signed with the kiosk's key (its id and key version) and lives about two
minutes; a poster's token is signed with the app's key and does not expire, so a
poster stops working only when its room is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import joinedload

from booking.extensions import db
from booking.models import Kiosk, Room
from booking.rules.visit_vocabulary import Channel
from kiosk import tokens


@dataclass(frozen=True)
class Place:
    """Where a visit is counted: a room, the kiosk it came through if any, and how."""

    room: Room
    kiosk: Kiosk | None
    channel: Channel


def _key(kiosk: Kiosk) -> bytes:
    return tokens.kiosk_key(current_app.config["SECRET_KEY"], kiosk.id, kiosk.key_version)


def qr_token(kiosk: Kiosk, now: datetime) -> str:
    """The token of the QR code the tablet shows now."""
    return tokens.sign(_key(kiosk), kiosk.id, tokens.slot_of(now))


def place_for_qr(token: str, now: datetime, *, grace_slots: int = 0) -> Place | None:
    """The kiosk's room if the token is authentic, fresh and its kiosk not revoked."""
    parsed = tokens.parse(token)
    if parsed is None:
        return None
    kiosk = db.session.get(Kiosk, parsed.kiosk_id, options=[joinedload(Kiosk.room)])
    if kiosk is None or kiosk.revoked_at is not None or kiosk.credential_hash is None:
        return None
    if not tokens.is_authentic(_key(kiosk), parsed):
        return None
    if not tokens.is_fresh(parsed, now, tokens.ACCEPTED_SLOTS + grace_slots):
        return None
    return Place(kiosk.room, kiosk, Channel.qr)


def place_for_poster(token: str) -> Place | None:
    """The poster's room if the token is authentic and the room still open."""
    room_id = tokens.poster_room(current_app.config["SECRET_KEY"], token)
    room = db.session.get(Room, room_id) if room_id else None
    return Place(room, None, Channel.poster) if room is not None and room.active else None


def poster_url_token(room: Room) -> str:
    """The token printed on a room's poster."""
    return tokens.poster_token(current_app.config["SECRET_KEY"], room.id)
