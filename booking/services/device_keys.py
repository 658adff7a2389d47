"""Keyed device hashes: a visit keeps only HMAC(year key, house, device id).

The key lives for one reporting year and is then destroyed (DESIGN section 6), after
which nobody, not even the operator, can link a device to its hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.extensions import db
from booking.models import DeviceHashKey


def key_for_year(year: int) -> bytes:
    row = db.session.get(DeviceHashKey, year)
    if row is None:
        # The year's first check-ins make the key. On SQLite a read transaction cannot
        # become a writer once another has written (the upgrade fails at once, busy
        # timeout or not), so take the write lock first and look again.
        begin_write()
        row = db.session.get(DeviceHashKey, year, populate_existing=True)
    if row is None:
        try:
            with db.session.begin_nested():  # two first check-ins of a year may race here
                row = DeviceHashKey(year=year, key=secrets.token_bytes(32))
                db.session.add(row)
        except IntegrityError:
            row = db.session.get(DeviceHashKey, year, populate_existing=True)
            assert row is not None
    if row.key is None:
        raise LookupError(f"the device key of {year} has been destroyed")
    return row.key


def existing_key(year: int) -> bytes | None:
    """The key of a year if it was made and not yet destroyed; never makes one."""
    row = db.session.get(DeviceHashKey, year)
    return row.key if row is not None else None


def device_hash(key: bytes, house_id: int, device_id: str) -> str:
    """Per house, so the same phone in two houses cannot be linked across them."""
    return hmac.new(key, f"{house_id}:{device_id}".encode(), hashlib.sha256).hexdigest()
