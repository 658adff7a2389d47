"""Kiosks and their pairing: a beheerder makes a kiosk, a tablet exchanges its code once.

Only hashes of the pairing code and the device credential are stored. Revoking a kiosk
also raises its key version, so every QR code it ever showed stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from booking.database import begin_write
from booking.errors import Forbidden, InvalidInput, NotFound
from booking.extensions import db
from booking.models import House, Kiosk, Room, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.kiosk_windows import (
    PAIRING_ALPHABET,
    PAIRING_CODE_LENGTH,
    PAIRING_VALID,
    is_due_seen,
    is_pairable,
    normalise_code,
    show_code,
)
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.services import audit
from kiosk.access import managed_room

UNKNOWN_CODE = Message(
    N_("Deze koppelcode is onbekend of verlopen. Vraag de beheerder om een nieuwe.")
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def create_kiosk(actor: User, room_id: int, now: datetime, name: str = "") -> tuple[Kiosk, str]:
    """A kiosk for a room, with a one-time pairing code valid for `PAIRING_VALID`."""
    begin_write()
    room = managed_room(actor, room_id)
    code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))
    kiosk = Kiosk(
        room_id=room.id,
        name=name or room.name,
        pairing_code_hash=_sha(code),
        pairing_expires_at=now + PAIRING_VALID,
        created_by_id=actor.id,
    )
    db.session.add(kiosk)
    db.session.flush()
    audit.record(
        AuditAction.kiosk_created,
        AuditObject.kiosk,
        kiosk.id,
        actor_id=actor.id,
        house_id=room.house_id,
    )
    return kiosk, show_code(code)


def pair(code: str, now: datetime) -> tuple[Kiosk, str]:
    """Exchange a pairing code for a device credential; the code works once.

    An unknown, used, expired or revoked code is refused alike (`InvalidInput` on "code"),
    so a guess learns nothing; guessing is slowed down by the view's rate limit.
    """
    begin_write()
    normalised = normalise_code(code or "")
    kiosk = None
    if len(normalised) == PAIRING_CODE_LENGTH:
        kiosk = db.session.scalar(select(Kiosk).where(Kiosk.pairing_code_hash == _sha(normalised)))
    if (
        kiosk is None
        or kiosk.revoked_at is not None
        or not is_pairable(kiosk.pairing_expires_at, now)
    ):
        raise InvalidInput("code", UNKNOWN_CODE)
    credential = secrets.token_urlsafe(32)
    kiosk.credential_hash = _sha(credential)
    kiosk.pairing_code_hash = None
    kiosk.pairing_expires_at = None
    kiosk.paired_at = kiosk.last_seen_at = now
    audit.record(
        AuditAction.kiosk_paired,
        AuditObject.kiosk,
        kiosk.id,
        actor_id=None,
        house_id=kiosk.room.house_id,
    )
    return kiosk, credential


def kiosk_for_credential(credential: str | None) -> Kiosk | None:
    """The paired, unrevoked kiosk whose device credential this is (the tablet's cookie)."""
    if not credential or len(credential) > 100:
        return None
    return db.session.scalar(
        select(Kiosk)
        .where(Kiosk.credential_hash == _sha(credential), Kiosk.revoked_at.is_(None))
        .options(joinedload(Kiosk.room, innerjoin=True))
    )


def revoke(actor: User, house: House, kiosk_id: int, now: datetime) -> Kiosk:
    """Revoke the device credential and, with a new key version, every QR code it showed.

    A kiosk of another house than the page's is not found, whatever the actor may do there.
    """
    begin_write()
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.room.house_id != house.id:
        raise NotFound(kiosk_id)
    if not actor.can(Permission.manage_programme, house.id):
        raise Forbidden(kiosk_id)
    kiosk.revoked_at = now
    kiosk.credential_hash = None
    kiosk.pairing_code_hash = None
    kiosk.key_version += 1
    audit.record(
        AuditAction.kiosk_revoked,
        AuditObject.kiosk,
        kiosk.id,
        actor_id=actor.id,
        house_id=house.id,
    )
    return kiosk


def kiosks_of(house: House) -> list[Kiosk]:
    return list(
        db.session.scalars(
            select(Kiosk).join(Room).where(Room.house_id == house.id).order_by(Kiosk.id)
        )
    )


def seen(kiosk: Kiosk, now: datetime) -> None:
    """Note that the tablet is alive; written at most once every `SEEN_EVERY`."""
    if is_due_seen(kiosk.last_seen_at, now):
        begin_write()
        kiosk.last_seen_at = now
