"""The audit log: every state change is written in the transaction that makes it."""

from __future__ import annotations

import json
from typing import Any

from booking.extensions import db
from booking.models import AuditEntry
from booking.rules.audit import AuditAction, AuditObject


def record(
    action: AuditAction,
    obj_type: AuditObject,
    obj_id: int | None,
    *,
    actor_id: int | None,
    house_id: int | None = None,
    reason: str = "",
    **details: Any,
) -> AuditEntry:
    entry = AuditEntry(
        action=AuditAction(action).value,
        object_type=AuditObject(obj_type).value,
        object_id=obj_id,
        actor_id=actor_id,
        house_id=house_id,
        reason=reason,
        details=json.dumps(details, default=str, ensure_ascii=False, sort_keys=True),
    )
    db.session.add(entry)
    return entry
