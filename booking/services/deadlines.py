"""What the clock does to bookings: the priority window confirms, the request deadline expires.

Called by the scheduled jobs (booking/jobs.py), which are the transaction edge. Both use
cases are idempotent and safe when two schedulers run them at the same moment: each due
booking is claimed with a row lock on its current status (`SELECT ... FOR UPDATE` on
PostgreSQL, the write transaction of BEGIN IMMEDIATE on SQLite), so a second run waits,
then finds the status changed and leaves the booking alone — no second SEQUENCE step,
audit entry or mail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from booking.database import begin_write
from booking.extensions import db
from booking.mail import job_mails
from booking.mail.booking_mails import notify_decision
from booking.models import Booking
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.statuses import BookingStatus
from booking.services import audit

EXPIRED_REASON = Message(N_("Verlopen: de beheerder heeft niet op tijd beslist."), {})
LONGEST_WINDOW = timedelta(days=366)
"""No house's voorrangstermijn is longer, so later bookings need not be looked at."""


def confirm_provisional(now: datetime) -> list[int]:
    """Confirm provisional bookings their own (frozen) priority window has reached;
    idempotent."""
    begin_write()
    candidates = db.session.execute(
        select(Booking.id, Booking.start, Booking.voorrangstermijn_days)
        .where(
            Booking.status == BookingStatus.onder_voorbehoud,
            Booking.start <= now + LONGEST_WINDOW,
        )
        .order_by(Booking.id)
    ).all()
    due = [
        booking_id
        for booking_id, start, window in candidates
        if start - now <= timedelta(days=window)
    ]
    confirmed = []
    for booking_id in due:
        booking = _claim(booking_id, BookingStatus.onder_voorbehoud)
        if booking is not None:
            booking.confirm_by_window(now=now)
            confirmed.append(booking)
    for booking in confirmed:
        audit.record(
            AuditAction.booking_confirmed_by_window,
            AuditObject.booking,
            booking.id,
            actor_id=None,
            house_id=booking.room.house_id,
        )
        notify_decision(booking, approved=True, by_window=True)
    db.session.flush()
    return [b.id for b in confirmed]


def expire_requests(now: datetime) -> list[int]:
    """Reject requests nobody decided on within their `request_expiry_days` (the house's
    setting when the request was made, frozen on it).

    A request that waits forever blocks the room for everyone else (it is active), so it
    lapses; the organiser gets a mail and the audit log says the system did it.
    """
    begin_write()
    rows = db.session.execute(
        select(Booking.id, Booking.created_at, Booking.request_expiry_days)
        # Every house waits at least one day (a check constraint); the exact test is below,
        # in Python, because adding a column's days to a time differs per database.
        .where(
            Booking.status == BookingStatus.aangevraagd,
            Booking.created_at <= now - timedelta(days=1),
        )
        .order_by(Booking.id)
    ).all()
    due = [
        booking_id
        for booking_id, created_at, days in rows
        if created_at + timedelta(days=days) <= now
    ]
    expired = []
    for booking_id in due:
        booking = _claim(booking_id, BookingStatus.aangevraagd)
        if booking is not None:  # None: another scheduler (or a beheerder) got there first
            booking.expire(reason=EXPIRED_REASON, now=now)
            expired.append(booking)
    for booking in expired:
        audit.record(
            AuditAction.booking_expired,
            AuditObject.booking,
            booking.id,
            actor_id=None,
            house_id=booking.room.house_id,
            status=booking.status.value,
        )
        job_mails.queue_expired(booking)
    db.session.flush()
    return [b.id for b in expired]


def _claim(booking_id: int, status: BookingStatus) -> Booking | None:
    """The booking, locked, if it still has `status`; else None.

    Rows are claimed in id order by every run, so two runs never wait for each other in a
    circle. The fresh read (`populate_existing`) makes the status check see what the lock
    holder committed, not what this session loaded earlier.
    """
    return db.session.scalar(
        select(Booking)
        .where(Booking.id == booking_id, Booking.status == status)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
