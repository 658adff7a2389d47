"""Delete my account: the AVG's right to erasure, with the houses' records kept.

Refused while the account has bookings to come (cancel them first: a house must not be left
with a booking nobody answers for) and for the last active gemeente account.

Otherwise the account row stays, scrubbed: past bookings keep their organiser row, so
prices, tariff groups and the houses' accounts stay as they were, but every page, export
and feed that shows the organiser now shows "verwijderd account", no address and no
phone. Keeping a scrubbed row (rather than setting Booking.organiser_id to NULL) means no
query or template had to learn about missing organisers, and one deleted organiser's
bookings still belong together for invoicing. The address becomes a random one under the
reserved .invalid domain (unique, unusable, never delivered), the password can match
nothing, the account is inactive, and every session, API token and calendar link ends
at once — a link to a house's public agenda too, as issue 12 asks ("feeds and tokens
die"), although it shows public data only: whoever embedded it on the house's website
makes a new one under their own account. (A link whose maker is only deactivated keeps
working, services/feeds.py.) Mail in the outbox to the old address is removed. The audit
log records that an account was deleted, and nothing about whose.

The retention job deletes unused accounts the same way after a notice (`erase_account`,
called from booking/services/retention.py).

What stays, on purpose: the titles of past bookings and the host notes the account wrote
(the houses' own records), and the resident details of bookings the account made for a
resident (that resident's data, not the account's).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import Booking, FeedToken, LoginThrottle, OutboxMail, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Role
from booking.rules.request_mail import RequestMail
from booking.rules.staff_roles import leaves_a_gemeente
from booking.rules.statuses import ACTIVE_STATUSES
from booking.services import audit
from booking.services.accounts import revoke_all_api_tokens
from booking.services.login import check_current_password, throttle_key
from booking.services.my_account.sessions import end_every_session
from booking.services.people.roles import active_gemeente_ids

DELETED_NAME = "verwijderd account"
"""What a deleted organiser is called wherever their name was shown."""
DELETED_DOMAIN = "verwijderd.invalid"
UNUSABLE_PASSWORD = "!"
"""No werkzeug hash has this form, so no password ever matches it."""
SHOWN_BOOKINGS = 20


@dataclass(frozen=True)
class DeletionCheck:
    """Whether the account may be deleted now, and if not, why."""

    future_bookings: list[Booking]
    future_count: int
    last_gemeente: bool

    @property
    def allowed(self) -> bool:
        return self.future_count == 0 and not self.last_gemeente

    @property
    def problems(self) -> list[Message]:
        problems = []
        if self.future_count:
            problems.append(
                Message(
                    N_(
                        "U heeft nog %(count)s boeking(en) die nog moeten komen, ook boekingen "
                        "die u voor een bewoner maakte. Annuleer die eerst, of vraag het huis "
                        "ze over te nemen; daarna kunt u uw account verwijderen."
                    ),
                    {"count": self.future_count},
                )
            )
        if self.last_gemeente:
            problems.append(
                Message(
                    N_(
                        "U heeft het laatste actieve account van de gemeente. Geef eerst "
                        "iemand anders die rol; daarna kunt u uw account verwijderen."
                    )
                )
            )
        return problems


def deletion_check(actor: User, now: datetime) -> DeletionCheck:
    """What stands in the way of deleting the actor's account at `now`."""
    future = (
        Booking.organiser_id == actor.id,
        Booking.status.in_(ACTIVE_STATUSES),
        Booking.end > now,
    )
    count = db.session.scalar(select(func.count(Booking.id)).where(*future)) or 0
    shown = (
        db.session.scalars(
            select(Booking).where(*future).order_by(Booking.start).limit(SHOWN_BOOKINGS)
        ).all()
        if count
        else []
    )
    last_gemeente = actor.role == Role.gemeente.value and not leaves_a_gemeente(
        active_gemeente_ids(), actor.id
    )
    return DeletionCheck(list(shown), count, last_gemeente)


def delete_account(actor: User, current_password: str, now: datetime) -> None:
    """Scrub the actor's account (see the module); refused as `deletion_check` says."""
    if not (check := deletion_check(actor, now)).allowed:
        raise RuleViolation(check.problems)
    check_current_password(actor, current_password, now)
    begin_write()
    db.session.refresh(actor, with_for_update=True)
    if not (check := deletion_check(actor, now)).allowed:  # a booking made meanwhile
        raise RuleViolation(check.problems)
    erase_account(actor, now)
    audit.record(AuditAction.account_deleted, AuditObject.user, None, actor_id=None)
    db.session.flush()


def erase_account(user: User, now: datetime) -> None:
    """Scrub the account and end everything that works for it (see the module); no audit.

    Shared by "delete my account" and the retention job (services/retention.py), which
    audit in their own way: one entry per deletion here, counts per run there. The caller
    has checked that the account may go and holds its row (begin_write, FOR UPDATE).
    """
    old_email = user.email
    _scrub(user, now)
    revoke_all_api_tokens(user, now=now)
    db.session.execute(
        update(FeedToken)
        .where(
            FeedToken.owner_id == user.id,
            FeedToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    end_every_session(user)
    for stale in (
        delete(OutboxMail).where(OutboxMail.to_address == old_email),
        delete(LoginThrottle).where(LoginThrottle.key_hash == throttle_key(old_email)),
    ):
        db.session.execute(stale.execution_options(synchronize_session=False))


def _scrub(user: User, now: datetime) -> None:
    user.name = DELETED_NAME
    user.email = f"verwijderd-{secrets.token_hex(12)}@{DELETED_DOMAIN}"
    user.organisation = ""
    user.phone = ""
    user.locale = None
    user.password_hash = UNUSABLE_PASSWORD
    user.role = Role.initiatiefnemer.value
    user.request_mail = RequestMail.nooit.value
    user.active = False
    user.deleted_at = now
    user.inactivity_notice_at = None
    user.session_version = user.session_version + 1
    user.memberships.clear()
    db.session.flush()
