"""The gemeente's policy settings: read them with the houses that deviate, and change them.

Every change is audited with the old and the new value of each setting that changed
(`AuditAction.policy_updated`). A change reaches only what is judged after it: quotes,
new bookings, changes of a booking (which are judged like new ones, DESIGN section 13),
the visits counted from then on, and the next retention run. Bookings that exist keep
their frozen tariff group, class, status, price and list price, and the voorrangstermijn
and approval expiry they were judged by (`Booking.voorrangstermijn_days`,
`Booking.request_expiry_days`): no waiting booking is confirmed, displaced or lapses
earlier or later than it was told — nothing here touches the booking table.

The request expiry and the booking horizon are kept in force on each house (see
`models.House`): a house that follows the gemeente gets the new default copied in the same
transaction; a house with its own value keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import AuditEntry, House, PolicySettings, User
from booking.rules import policy as rules
from booking.rules.audit import AuditAction, AuditObject
from booking.services import audit, houses
from booking.services.gemeente.access import require_gemeente

HISTORY_SHOWN = 20
FOLLOWED_ON_HOUSES = {
    "request_expiry_days": House.request_expiry_own,
    "booking_horizon_months": House.booking_horizon_own,
}
"""Defaults copied onto every house that follows them, with the flag that says it does."""


@dataclass(frozen=True)
class Change:
    """One audited change of the policy: when, by whom, {setting: [old, new]}."""

    at: datetime
    actor: str
    changed: dict[str, list[object]]


@dataclass(frozen=True)
class PolicyPage:
    settings: PolicySettings
    overrides: list[tuple[House, dict[str, int]]]
    history: list[Change]


def values_of(settings: PolicySettings) -> dict[str, int]:
    """Every setting the gemeente sets, by name (`rules/policy.BOUNDS`)."""
    return {name: getattr(settings, name) for name in rules.BOUNDS}


def policy_page(actor: User) -> PolicyPage:
    """The settings, the houses that set their own values, and the latest changes."""
    require_gemeente(actor)
    own = [(h, houses.house_overrides(h)) for h in houses.list_houses()]
    return PolicyPage(houses.policy(), [(h, o) for h, o in own if o], _history())


def _history() -> list[Change]:
    rows = db.session.execute(
        select(AuditEntry.at, User.name, User.email, AuditEntry.details)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.action == AuditAction.policy_updated.value)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(HISTORY_SHOWN)
    ).all()
    changes = []
    for at, name, email, details in rows:
        stored = json.loads(details or "{}").get("changed", {})
        changes.append(Change(at, name or email or "", {k: list(v) for k, v in stored.items()}))
    return changes


def update_policy(actor: User, values: Mapping[str, int]) -> dict[str, list[object]]:
    """Set the gemeente's defaults; returns {setting: [old, new]} of what changed.

    Every setting of `rules.BOUNDS` must be given; one out of its bounds refuses the whole
    change (422), so nothing is half stored.
    """
    begin_write()
    require_gemeente(actor)
    missing = [name for name in rules.BOUNDS if values.get(name) is None]
    if missing:
        raise ValueError(f"policy settings missing: {missing}")
    problems = rules.problems(values)
    if problems:
        raise RuleViolation(problems)
    settings = houses.policy()
    changed = rules.changes(values_of(settings), {n: values[n] for n in rules.BOUNDS})
    if not changed:
        return {}
    for name, (_old, new) in changed.items():
        setattr(settings, name, new)
    following = _copy_to_following_houses(changed)
    db.session.flush()
    audit.record(
        AuditAction.policy_updated,
        AuditObject.policy_settings,
        settings.id,
        actor_id=actor.id,
        changed=changed,
        **({"houses_following": following} if following else {}),
    )
    return changed


def _copy_to_following_houses(changed: Mapping[str, list[object]]) -> dict[str, int]:
    """Copy a new expiry or horizon default onto the houses that follow it: {name: houses}."""
    following = {}
    for name, own_flag in FOLLOWED_ON_HOUSES.items():
        if name in changed:
            result = db.session.execute(
                update(House)
                .where(own_flag.is_(False))
                .values({name: changed[name][1]})
                .execution_options(synchronize_session="fetch")
            )
            following[name] = result.rowcount
    return following
