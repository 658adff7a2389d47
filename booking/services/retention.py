"""Retention of personal data (issue 12): old bookings scrubbed, unused accounts deleted.

Called by the `retention` job (booking/jobs.py), the transaction edge; the rules are in
booking/rules/retention.py, the two periods in the gemeente's policy settings.

**Bookings past the retention period** keep what the houses' accounts need — room, times,
title, status, tariff group, class, the questionnaire answers, price and list price, and
the organiser row (an account; deleting that is the second half) — and lose what a
person typed or what names someone: the resident a booking was made for (name, phone,
e-mail), the typed reason of a cancellation or rejection, the reason of a tariff override,
and the same typed reasons in the audit log. Reasons the product wrote itself ("verlopen",
"verdrongen door ...") stay. Sent (or given up) mails in the outbox older than the same
cut-off go too: they hold names and addresses, and nobody needs them any more.

**Accounts without a staff role** (no house membership, not gemeente; an active account,
not deleted) that were not used for the inactivity period and have no booking to come get
one notice mail; from the deletion day the mail names on, an account still not used is
deleted exactly like "delete my account" (services/my_account/deletion.erase_account).
Staff are never deleted here: a house or the gemeente takes their roles away first, and
their accounts are the houses' business. A deactivated account is left alone too: its
owner cannot log in to answer a notice, and the gemeente deactivated it on purpose.

**Visitor card codes** printed more than a day ago lose their plain code (only the hash
stays, services/visitor_cards.py), so a printed sheet cannot be printed again later.

Two runs at one moment are harmless: the whole run holds SQLite's write lock or a
transaction-scoped advisory lock on PostgreSQL, so the second waits and then finds nothing
left to do; the notice is claimed by a compare-and-set update and its mail has a dedupe
key; a deletion re-reads its account under FOR UPDATE. The audit log gets one entry per
run that changed something, with counts only: nobody is named.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import case, delete, exists, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.extensions import db
from booking.mail import people_mails
from booking.models import ApiToken, AuditEntry, Booking, HouseMembership, OutboxMail, User
from booking.models.accounts import LoginSession
from booking.rules import retention as rules
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import TEXT_REASON_PREFIX
from booking.rules.permissions import Role
from booking.rules.statuses import ACTIVE_STATUSES
from booking.services import audit, visitor_cards
from booking.services.houses import policy
from booking.services.my_account.deletion import erase_account

T = TypeVar("T")

IN_CHUNK = 500  # ids per IN (...) list, well below every driver's parameter limit
LOCK_KEY = zlib.crc32(b"buurthuis.jobs.retention")
WAITING = "wachtend"
"""A mail still to be sent is never removed here: the sender decides what becomes of it."""
_TYPED_REASON = Booking.status_reason.like(TEXT_REASON_PREFIX + "%")
_PERSONAL = or_(
    Booking.on_behalf_name != "",
    Booking.on_behalf_phone != "",
    Booking.on_behalf_email != "",
    Booking.override_reason != "",
    _TYPED_REASON,
)
"""A booking that still holds something of a person."""


@dataclass(frozen=True)
class RetentionReport:
    """What one run did, as counts."""

    bookings: int = 0
    audit_reasons: int = 0
    mails: int = 0
    notices: int = 0
    accounts: int = 0
    card_codes: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "bookings_scrubbed": self.bookings,
            "audit_reasons_scrubbed": self.audit_reasons,
            "old_mails_removed": self.mails,
            "notices_sent": self.notices,
            "accounts_deleted": self.accounts,
            "card_codes_erased": self.card_codes,
        }


@dataclass(frozen=True)
class RetentionTerms:
    """The periods in force, for the privacy page."""

    visit_months: int
    booking_years: int
    inactivity_months: int
    notice_days: int


def privacy_terms() -> RetentionTerms:
    """What the privacy page promises, with the numbers of the policy settings."""
    settings = policy()
    return RetentionTerms(
        visit_months=settings.visit_retention_months,
        booking_years=settings.booking_retention_years,
        inactivity_months=settings.account_inactivity_months,
        notice_days=rules.NOTICE_DAYS,
    )


def _chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _one_at_a_time() -> None:
    """Serialise runs across processes: SQLite's write lock, or an advisory lock that the
    commit releases (the second run then reads what the first one committed)."""
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def apply_retention(now: datetime) -> RetentionReport:
    """Scrub old bookings, notify and delete unused accounts; audit the counts."""
    _one_at_a_time()
    settings = policy()
    bookings, reasons, mails = scrub_old_bookings(now, settings.booking_retention_years)
    notices, accounts = handle_unused_accounts(now, settings.account_inactivity_months)
    card_codes = visitor_cards.erase_printable_codes(now)
    report = RetentionReport(bookings, reasons, mails, notices, accounts, card_codes)
    if any(report.counts().values()):
        audit.record(
            AuditAction.retention_applied,
            AuditObject.policy_settings,
            settings.id,
            actor_id=None,
            **report.counts(),
        )
    db.session.flush()
    return report


# Bookings ------------------------------------------------------------------------------


def scrub_old_bookings(now: datetime, years: int) -> tuple[int, int, int]:
    """Remove personal data of bookings that ended before the cut-off.

    Returns (bookings, audit reasons, outbox mails); a second run finds none of them.
    """
    cutoff = rules.booking_cutoff(now, years)
    ids = list(
        db.session.scalars(
            select(Booking.id).where(Booking.end < cutoff, _PERSONAL).order_by(Booking.id)
        )
    )
    for chunk in _chunks(ids):
        db.session.execute(
            update(Booking)
            .where(Booking.id.in_(chunk))
            .values(
                on_behalf_name="",
                on_behalf_phone="",
                on_behalf_email="",
                override_reason="",
                status_reason=case((_TYPED_REASON, ""), else_=Booking.status_reason),
            )
            .execution_options(synchronize_session=False)
        )
    old_bookings = select(Booking.id).where(Booking.end < cutoff)
    reasons = db.session.execute(
        update(AuditEntry)
        .where(
            AuditEntry.object_type == AuditObject.booking.value,
            AuditEntry.reason != "",
            AuditEntry.object_id.in_(old_bookings),
        )
        .values(reason="")
        .execution_options(synchronize_session=False)
    )
    mails = db.session.execute(
        delete(OutboxMail)
        .where(OutboxMail.created_at < cutoff, OutboxMail.status != WAITING)
        .execution_options(synchronize_session=False)
    )
    return len(ids), reasons.rowcount or 0, mails.rowcount or 0


# Accounts ------------------------------------------------------------------------------


def _used_columns() -> tuple:
    """The moments an account was used: its last login, open sessions and API tokens."""
    seen = (
        select(func.max(LoginSession.last_seen_at))
        .where(
            LoginSession.user_id == User.id,
            LoginSession.session_version == User.session_version,
        )
        .scalar_subquery()
    )
    token = (
        select(func.max(ApiToken.last_used_at))
        .where(ApiToken.user_id == User.id, ApiToken.revoked_at.is_(None))
        .scalar_subquery()
    )
    return User.created_at, User.last_login_at, seen, token


def _without_staff_role_or_future(now: datetime) -> tuple:
    """The accounts this job may touch at all (see the module)."""
    return (
        User.deleted_at.is_(None),
        User.active.is_(True),
        User.role == Role.initiatiefnemer.value,
        ~exists().where(HouseMembership.user_id == User.id),
        ~exists().where(
            Booking.organiser_id == User.id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.end > now,
        ),
    )


def handle_unused_accounts(now: datetime, months: int) -> tuple[int, int]:
    """Notify the newly unused accounts, delete the noticed ones; returns (notices, deleted).

    Only accounts whose last login (or, without one, creation) lies before the cut-off
    can be unused (sessions and tokens are newer than the account), so the query reads
    those only and the rule decides.
    """
    cutoff = rules.inactivity_cutoff(now, months)
    rows = db.session.execute(
        select(User.id, User.inactivity_notice_at, *_used_columns())
        .where(
            func.coalesce(User.last_login_at, User.created_at) < cutoff,
            *_without_staff_role_or_future(now),
        )
        .order_by(User.id)
    ).all()
    notices = deleted = 0
    for user_id, noticed_at, *moments in rows:
        used_at = rules.last_use(*moments)
        step = rules.step_for(rules.AccountUse(used_at, noticed_at), now, months)
        if step is rules.Step.notify and _notify(user_id, used_at, now, months):
            notices += 1
        elif step is rules.Step.delete and _delete(user_id, now, months):
            deleted += 1
    return notices, deleted


def _notify(user_id: int, used_at: datetime, now: datetime, months: int) -> bool:
    """Claim the notice (compare-and-set), then queue its mail once (dedupe key)."""
    claimed = db.session.execute(
        update(User)
        .where(
            User.id == user_id,
            or_(User.inactivity_notice_at.is_(None), User.inactivity_notice_at <= used_at),
        )
        .values(inactivity_notice_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:
        return False
    user = db.session.get(User, user_id, populate_existing=True)
    assert user is not None
    key = people_mails.inactivity_notice_key(user_id, used_at)
    try:
        with db.session.begin_nested():
            return people_mails.queue_inactivity_notice(
                user, rules.deletion_day(now), months, dedupe_key=key
            )
    except IntegrityError:  # queued by another run at this very moment
        return False


def _delete(user_id: int, now: datetime, months: int) -> bool:
    """Delete a noticed account after reading it again under a row lock."""
    user = db.session.get(User, user_id, with_for_update=True, populate_existing=True)
    if user is None:
        return False
    still = db.session.execute(
        select(*_used_columns()).where(User.id == user_id, *_without_staff_role_or_future(now))
    ).first()
    if still is None:
        return False
    used = rules.AccountUse(rules.last_use(*still), user.inactivity_notice_at)
    if rules.step_for(used, now, months) is not rules.Step.delete:
        return False
    erase_account(user, now)
    return True
