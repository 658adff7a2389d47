"""Scheduled jobs: plain functions `run(now)`, shared by `flask scheduler` and `flask jobs run`.

DESIGN section 9 and STACK.md section 2: the jobs run in their own process, never inside a
web worker, and every job must be idempotent and harmless when two schedulers run it at
the same moment (a second scheduler started by mistake, or a deploy that overlaps). That
is made true in the database, not by the scheduler:

- state changes are compare-and-set updates (``UPDATE ... WHERE status = 'aangevraagd'``)
  that act only on the rows they actually changed;
- mails carry a unique dedupe key, so the second attempt to queue one is a no-op;
- outbox mails are claimed with a lease before they are sent (booking/services/mail_sender);
- the visit roll-up, which adds to counters, runs one at a time (SQLite's write lock, a
  transaction-scoped advisory lock on PostgreSQL).

Each job is an edge: it calls services and commits once (the sender commits per claim and
per mail, by design). `now` is an aware datetime; Amsterdam time is used only to find
calendar days and months.
"""

from __future__ import annotations

import logging
import time as monotonic_clock
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.extensions import db
from booking.models import (
    Area,
    Booking,
    DeviceHashKey,
    House,
    OutboxMail,
    Room,
    Visit,
    VisitDailyRollup,
)
from booking.rules.messages import N_, Message, encode_reason
from booking.rules.slots import AMSTERDAM, local_to_utc, require_aware
from booking.rules.statuses import BookingStatus
from booking.services import audit, job_mails, mail_sender
from booking.services import bookings as booking_service
from booking.services.houses import policy

if TYPE_CHECKING:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from flask import Flask

log = logging.getLogger("buurthuis.jobs")

T = TypeVar("T")

EXPIRED_REASON = Message(N_("Verlopen: de beheerder heeft niet op tijd beslist."), {})
REMINDER_AHEAD = timedelta(days=2)
REMINDED_STATUSES = (BookingStatus.bevestigd.value, BookingStatus.onder_voorbehoud.value)
ROLLUP_WINDOW_DAYS = 7
# A first roll-up on a database with years of visits is split over several runs, so one run
# never holds the write lock for long; each run takes whole days, oldest first.
ROLLUP_MAX_VISITS_PER_RUN = 100_000
IN_CHUNK = 500  # ids per IN (...) list, well below every driver's parameter limit


@dataclass(frozen=True)
class JobSummary:
    """What one run did, as counts; its text is the one line the CLI and the log print."""

    job: str
    counts: Mapping[str, int] = field(default_factory=dict)
    note: str = ""

    def __str__(self) -> str:
        parts = ", ".join(f"{value} {label}" for label, value in self.counts.items())
        line = f"{self.job}: {parts or 'niets te doen'}"
        return f"{line} ({self.note})" if self.note else line


JobFunction = Callable[[datetime], JobSummary]


def _edge(job: Callable[[datetime], JobSummary]) -> JobFunction:
    """Make a job an edge: an aware UTC `now` in, one commit on success, rollback on error."""

    @wraps(job)
    def run(now: datetime) -> JobSummary:
        require_aware(now)
        try:
            summary = job(now.astimezone(UTC))
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        return summary

    return run


def _chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _one_at_a_time(job_name: str) -> None:
    """Serialise runs of a job that adds to counters, across processes.

    On SQLite the write transaction does it (BEGIN IMMEDIATE); on PostgreSQL a
    transaction-scoped advisory lock, released by the commit. A second run waits, then
    sees the first one's result (READ COMMITTED reads the newest data per statement).
    """
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"buurthuis.jobs.{job_name}".encode())
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


# confirm_provisional ------------------------------------------------------------------


@_edge
def confirm_provisional(now: datetime) -> JobSummary:
    """Confirm provisional bookings the priority window has reached (compare-and-set)."""
    confirmed = booking_service.confirm_provisional(now)
    return JobSummary("confirm_provisional", {"bevestigd": len(confirmed)})


# expire_requests ----------------------------------------------------------------------


@_edge
def expire_requests(now: datetime) -> JobSummary:
    """Reject requests nobody decided on within the house's `request_expiry_days`.

    A request that waits forever blocks the room for everyone else (it is active), so it
    lapses; the organiser gets a mail and the audit log says the system did it.
    """
    begin_write()
    rows = db.session.execute(
        select(Booking.id, Booking.created_at, House.request_expiry_days)
        .join(Room, Room.id == Booking.room_id)
        .join(House, House.id == Room.house_id)
        # Every house waits at least one day (a check constraint); the exact test is below,
        # in Python, because adding a column's days to a time differs per database.
        .where(
            Booking.status == BookingStatus.aangevraagd.value,
            Booking.created_at <= now - timedelta(days=1),
        )
        .order_by(Booking.id)
    ).all()
    due = [
        booking_id
        for booking_id, created_at, days in rows
        if created_at + timedelta(days=days) <= now
    ]
    reason = encode_reason(EXPIRED_REASON)
    expired: list[int] = []
    for booking_id in due:
        result = db.session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.status == BookingStatus.aangevraagd.value)
            .values(
                status=BookingStatus.afgewezen.value,
                status_reason=reason,
                sequence=Booking.sequence + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # another scheduler (or a beheerder) got there first: skip
            expired.append(booking_id)
    for booking_id in expired:
        booking = db.session.get(Booking, booking_id)
        assert booking is not None
        audit.record(
            "booking_expired",
            "booking",
            booking_id,
            actor_id=None,
            house_id=booking.room.house_id,
            status=booking.status,
        )
        job_mails.queue_expired(booking)
    db.session.flush()
    return JobSummary("expire_requests", {"verlopen": len(expired)})


# send_reminders -----------------------------------------------------------------------


@_edge
def send_reminders(now: datetime) -> JobSummary:
    """Queue one reminder per active booking that starts within two days.

    The reminder's dedupe key makes it once-only: bookings that already have one are left
    out, and if another scheduler queues the same mail at the same moment (PostgreSQL lets
    both see it missing), our insert fails on the unique key inside a savepoint and only
    that mail is skipped.
    """
    begin_write()
    booking_ids = db.session.scalars(
        select(Booking.id)
        .where(
            Booking.status.in_(REMINDED_STATUSES),
            Booking.start > now,
            Booking.start <= now + REMINDER_AHEAD,
        )
        .order_by(Booking.start, Booking.id)
    ).all()
    already = _existing_dedupe_keys(job_mails.reminder_key(i) for i in booking_ids)
    queued = skipped = 0
    for booking_id in booking_ids:
        if job_mails.reminder_key(booking_id) in already:
            continue
        booking = db.session.get(Booking, booking_id)
        assert booking is not None
        try:
            with db.session.begin_nested():
                mail = job_mails.queue_reminder(booking)
        except IntegrityError:
            mail = None
        if mail is None:
            skipped += 1
        else:
            queued += 1
    counts = {"herinneringen": queued}
    if skipped:
        counts["al verstuurd door een ander proces"] = skipped
    return JobSummary("send_reminders", counts)


def _existing_dedupe_keys(keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(
            key
            for key in db.session.scalars(
                select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.in_(chunk))
            )
            if key
        )
    return found


# send_outbox --------------------------------------------------------------------------


@_edge
def send_outbox(now: datetime) -> JobSummary:
    """Deliver the due outbox mails over SMTP (see booking/services/mail_sender.py)."""
    settings = mail_sender.SmtpSettings.from_config(current_app.config)
    report = mail_sender.deliver_pending(now, settings)
    counts = {"verzonden": report.sent, "mislukt": report.failed}
    if report.given_up:
        counts["opgegeven"] = report.given_up
    return JobSummary("send_outbox", counts, note=report.note)


# rollup_visits ------------------------------------------------------------------------


def retention_cutoff(now: datetime, months: int) -> datetime:
    """Local midnight `months` calendar months before today in Amsterdam, as UTC.

    Whole local days only: a day is rolled up completely in one run, so its count of
    distinct devices is exact (a device seen twice that day counts once).
    """
    today = now.astimezone(AMSTERDAM).date()
    return _local_midnight(today - relativedelta(months=months))


def _local_midnight(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time()))  # midnight never falls in a DST gap


RollupKey = tuple[int, int, date, str, str, str, str, bool]


@_edge
def rollup_visits(now: datetime) -> JobSummary:
    """Turn raw visits older than the retention period into daily counts, and delete them.

    DESIGN section 7: after the retention period (default 13 months) only aggregates
    remain, and the device hashes go with the raw visits. Keys of years that ended before
    the cut-off are destroyed too, so the remaining hashes can never be linked again.
    Counts are added to existing roll-up rows, so repeating a run changes nothing (the
    visits it rolled up are gone) and a late straggler for an old day is not lost.
    """
    _one_at_a_time("rollup_visits")
    cutoff = retention_cutoff(now, policy().visit_retention_months)
    visits = groups = 0
    more = False
    while True:
        oldest = db.session.scalar(
            select(func.min(Visit.visited_at)).where(Visit.visited_at < cutoff)
        )
        if oldest is None:
            break
        if visits >= ROLLUP_MAX_VISITS_PER_RUN:
            more = True
            break
        first_day = oldest.astimezone(AMSTERDAM).date()
        window_end = min(cutoff, _local_midnight(first_day + timedelta(days=ROLLUP_WINDOW_DAYS)))
        done, made = _rollup_window(_local_midnight(first_day), window_end)
        if done == 0:  # cannot happen (the oldest visit lies in the window); never spin
            break
        visits += done
        groups += made
    keys = _destroy_old_device_keys(now, cutoff)
    counts = {"bezoeken samengevat": visits, "dagregels": groups, "sleutels vernietigd": keys}
    return JobSummary(
        "rollup_visits", counts, note="er is meer; de volgende run gaat verder" if more else ""
    )


def _rollup_window(start: datetime, end: datetime) -> tuple[int, int]:
    """Roll up and delete the visits in [start, end); returns (visits, groups)."""
    rows = db.session.execute(
        select(
            Visit.id,
            Visit.house_id,
            Visit.room_id,
            Visit.visited_at,
            Visit.channel,
            Area.name,
            Visit.area_answer,
            Visit.age_group,
            Visit.first_time,
            Visit.suspicious,
            Visit.device_hash,
        )
        .outerjoin(Area, Area.id == Visit.area_id)
        .where(Visit.visited_at >= start, Visit.visited_at < end)
    ).all()
    if not rows:
        return 0, 0
    counts: dict[RollupKey, int] = {}
    devices: dict[RollupKey, set[str]] = {}
    for row in rows:
        key: RollupKey = (
            row.house_id,
            row.room_id,
            row.visited_at.astimezone(AMSTERDAM).date(),
            row.channel,
            row.name or row.area_answer or "",
            row.age_group or "",
            {True: "ja", False: "nee"}.get(row.first_time, ""),
            bool(row.suspicious),
        )
        counts[key] = counts.get(key, 0) + 1
        seen = devices.setdefault(key, set())
        if row.device_hash:
            seen.add(row.device_hash)
    days = [key[2] for key in counts]
    existing = {
        _rollup_key(rollup): rollup
        for rollup in db.session.scalars(
            select(VisitDailyRollup).where(
                VisitDailyRollup.day >= min(days), VisitDailyRollup.day <= max(days)
            )
        )
    }
    for key, count in counts.items():
        rollup = existing.get(key)
        if rollup is None:
            house_id, room_id, day, channel, area_key, age_group, first_time, suspicious = key
            db.session.add(
                VisitDailyRollup(
                    house_id=house_id,
                    room_id=room_id,
                    day=day,
                    channel=channel,
                    area_key=area_key,
                    age_group=age_group,
                    first_time=first_time,
                    suspicious=suspicious,
                    visits=count,
                    distinct_devices=len(devices[key]),
                )
            )
        else:
            rollup.visits += count
            rollup.distinct_devices += len(devices[key])
    db.session.flush()
    ids = [row.id for row in rows]
    for chunk in _chunks(ids):
        db.session.execute(
            delete(Visit).where(Visit.id.in_(chunk)).execution_options(synchronize_session=False)
        )
    return len(ids), len(counts)


def _rollup_key(rollup: VisitDailyRollup) -> RollupKey:
    return (
        rollup.house_id,
        rollup.room_id,
        rollup.day,
        rollup.channel,
        rollup.area_key,
        rollup.age_group,
        rollup.first_time,
        bool(rollup.suspicious),
    )


def _destroy_old_device_keys(now: datetime, cutoff: datetime) -> int:
    """Destroy the keys of years before the cut-off's year; the current year's key stays."""
    last_year_to_destroy = (
        min(cutoff.astimezone(AMSTERDAM).year, now.astimezone(AMSTERDAM).year) - 1
    )
    result = db.session.execute(
        update(DeviceHashKey)
        .where(DeviceHashKey.year <= last_year_to_destroy, DeviceHashKey.key.is_not(None))
        .values(key=None, destroyed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# Registry and scheduler ---------------------------------------------------------------

JOBS: dict[str, JobFunction] = {
    "confirm_provisional": confirm_provisional,
    "expire_requests": expire_requests,
    "send_outbox": send_outbox,
    "send_reminders": send_reminders,
    "rollup_visits": rollup_visits,
}

# UTC intervals, never local cron times: APScheduler 3.11 fires some local cron times twice
# on the night the clocks go back (STACK.md section 2); jobs find local days themselves.
SCHEDULE: dict[str, timedelta] = {
    "confirm_provisional": timedelta(minutes=10),
    "expire_requests": timedelta(minutes=10),
    "send_outbox": timedelta(minutes=1),
    "send_reminders": timedelta(minutes=30),
    "rollup_visits": timedelta(hours=6),
}

DESCRIPTIONS: dict[str, str] = {
    "confirm_provisional": "boekingen onder voorbehoud bevestigen als de voorrangstermijn ingaat",
    "expire_requests": "aanvragen zonder besluit laten verlopen",
    "send_outbox": "wachtende mails uit de outbox versturen",
    "send_reminders": "herinneringen twee dagen voor een boeking",
    "rollup_visits": "oude bezoeken samenvatten per dag en verwijderen",
}


def run_in_app(app: Flask, name: str) -> JobSummary | None:
    """One scheduled run: its own app context (its own session), the real clock, a log line.

    A failing run is logged and swallowed, so the scheduler keeps its rhythm; the job
    rolled back and the next run tries again.
    """
    with app.app_context():
        started = monotonic_clock.monotonic()
        try:
            summary = JOBS[name](datetime.now(UTC))
        except Exception:
            log.exception("%s: mislukt", name)
            return None
        log.info("%s [%.2f s]", summary, monotonic_clock.monotonic() - started)
        return summary


def build_scheduler(app: Flask, *, first_run: datetime | None = None) -> BlockingScheduler:
    """The scheduler of `flask scheduler`: UTC interval triggers, memory job store.

    Every job also runs once shortly after start (staggered by a few seconds): a process
    that is restarted more often than every six hours would otherwise never roll up.
    A late run is coalesced into one and never skipped (no misfire grace limit).
    """
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BlockingScheduler(
        timezone=UTC,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=len(SCHEDULE))},
    )
    start = first_run or datetime.now(UTC)
    for position, (name, every) in enumerate(SCHEDULE.items()):
        options: dict[str, Any] = {
            "id": name,
            "name": name,
            "replace_existing": True,
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": None,
            "next_run_time": start + timedelta(seconds=2 * position),
        }
        scheduler.add_job(
            run_in_app,
            IntervalTrigger(seconds=int(every.total_seconds()), timezone=UTC),
            args=(app, name),
            **options,
        )
    return scheduler
