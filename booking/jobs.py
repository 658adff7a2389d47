"""Scheduled jobs: plain functions `run(now)`, shared by `flask scheduler` and `flask jobs run`.

DESIGN section 9 and STACK.md section 2: the jobs run in their own process, never inside a
web worker, and every job must be idempotent and harmless when two schedulers run it at
the same moment (a second scheduler started by mistake, or a deploy that overlaps). That
is made true in the database, not by the scheduler:

- a state change claims its row first (``SELECT ... WHERE status = 'aangevraagd' FOR
  UPDATE``) and acts only on the rows it could claim (booking/services/deadlines.py);
- mails carry a unique dedupe key, so the second attempt to queue one is a no-op;
- outbox mails are claimed with a lease before they are sent (booking/mail/sender.py);
- the visit roll-up, which adds to counters, and the retention job, which deletes
  accounts, run one at a time (SQLite's write lock, a transaction-scoped advisory lock on
  PostgreSQL).

Each job is an edge: it calls services inside `unit_of_work()`, which commits once (the
sender commits per claim and per mail, by design). `now` is an aware datetime; Amsterdam
time is used only to find calendar days and months.
"""

from __future__ import annotations

import logging
import time as monotonic_clock
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.extensions import db
from booking.mail import job_mails
from booking.mail import sender as mail_sender
from booking.models import Booking, OutboxMail
from booking.rules.slots import AMSTERDAM, require_aware
from booking.rules.statuses import BookingStatus
from booking.services import deadlines, request_notices, retention, visit_rollup
from booking.services.invoices import monthly
from booking.services.invoices import payments as invoice_payments
from booking.transaction import unit_of_work

if TYPE_CHECKING:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from flask import Flask

log = logging.getLogger("buurthuis.jobs")

T = TypeVar("T")

REMINDER_AHEAD = timedelta(days=2)
REMINDED_STATUSES = (BookingStatus.bevestigd, BookingStatus.onder_voorbehoud)
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
        with unit_of_work():
            return job(now.astimezone(UTC))

    return run


def _chunks(items: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# confirm_provisional and expire_requests ---------------------------------------------


@_edge
def confirm_provisional(now: datetime) -> JobSummary:
    """Confirm provisional bookings the priority window has reached (services/deadlines)."""
    confirmed = deadlines.confirm_provisional(now)
    return JobSummary("confirm_provisional", {"bevestigd": len(confirmed)})


@_edge
def expire_requests(now: datetime) -> JobSummary:
    """Reject requests nobody decided on in time (services/deadlines)."""
    expired = deadlines.expire_requests(now)
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
    """Deliver the due outbox mails over SMTP (see booking/mail/sender.py)."""
    settings = mail_sender.SmtpSettings.from_config(current_app.config)
    report = mail_sender.deliver_pending(now, settings)
    counts = {"verzonden": report.sent, "mislukt": report.failed}
    if report.given_up:
        counts["opgegeven"] = report.given_up
    return JobSummary("send_outbox", counts, note=report.note)


# send_request_digest ------------------------------------------------------------------


@_edge
def send_request_digest(now: datetime) -> JobSummary:
    """Once a day, the requests since the last digest to who chose it (request_notices)."""
    report = request_notices.send_digest(now)
    counts = {"overzichten": report.mails, "aanvragen": report.requests}
    return JobSummary("send_request_digest", counts, note=report.note)


# rollup_visits ------------------------------------------------------------------------


@_edge
def rollup_visits(now: datetime) -> JobSummary:
    """Turn raw visits past the retention period into daily counts (services/visit_rollup)."""
    report = visit_rollup.roll_up(now)
    counts = {
        "bezoeken samengevat": report.visits,
        "dagregels": report.groups,
        "sleutels vernietigd": report.keys_destroyed,
    }
    return JobSummary(
        "rollup_visits",
        counts,
        note="er is meer; de volgende run gaat verder" if report.more else "",
    )


# retention ----------------------------------------------------------------------------


@_edge
def apply_retention(now: datetime) -> JobSummary:
    """Remove personal data past its retention period (services/retention)."""
    report = retention.apply_retention(now)
    counts = {
        "boekingen opgeschoond": report.bookings,
        "redenen in het logboek gewist": report.audit_reasons,
        "oude mails verwijderd": report.mails,
        "aankondigingen verstuurd": report.notices,
        "accounts verwijderd": report.accounts,
        "kaartcodes gewist": report.card_codes,
    }
    return JobSummary("retention", counts)


# invoicing ----------------------------------------------------------------------------


@_edge
def run_invoices(now: datetime) -> JobSummary:
    """Concept invoices of the month just ended, once per house (services/invoices)."""
    outcomes = monthly.scheduled_run(now)
    return JobSummary(
        "invoice_run",
        {
            "huizen": len(outcomes),
            "conceptfacturen": sum(len(o.created) for o in outcomes),
            "regels": sum(o.lines_added for o in outcomes),
            "creditfacturen voorgesteld": sum(len(o.proposed_credits) for o in outcomes),
        },
    )


@_edge
def send_payment_reminders(now: datetime) -> JobSummary:
    """Reminders for invoices past their payment term (services/invoices/payments)."""
    sent = invoice_payments.send_reminders(now.astimezone(AMSTERDAM).date())
    return JobSummary("invoice_reminders", {"herinneringen": sent})


# Registry and scheduler ---------------------------------------------------------------

JOBS: dict[str, JobFunction] = {
    "confirm_provisional": confirm_provisional,
    "expire_requests": expire_requests,
    "send_outbox": send_outbox,
    "send_reminders": send_reminders,
    "rollup_visits": rollup_visits,
    "send_request_digest": send_request_digest,
    "retention": apply_retention,
    "invoice_run": run_invoices,
    "invoice_reminders": send_payment_reminders,
}

# UTC intervals, never local cron times: APScheduler 3.11 fires some local cron times twice
# on the night the clocks go back (STACK.md section 2); jobs find local days themselves.
SCHEDULE: dict[str, timedelta] = {
    "confirm_provisional": timedelta(minutes=10),
    "expire_requests": timedelta(minutes=10),
    "send_outbox": timedelta(minutes=1),
    "send_reminders": timedelta(minutes=30),
    "rollup_visits": timedelta(hours=6),
    "send_request_digest": timedelta(minutes=30),
    # Daily: the cut-offs move by whole local days, and a notice names a day.
    "retention": timedelta(days=1),
    # Hourly: each house's month is claimed once, so the first run after midnight on the
    # first of the month makes its concepts; reminders are at most one a day per invoice.
    "invoice_run": timedelta(hours=1),
    "invoice_reminders": timedelta(hours=6),
}

DESCRIPTIONS: dict[str, str] = {
    "confirm_provisional": "boekingen onder voorbehoud bevestigen als de voorrangstermijn ingaat",
    "expire_requests": "aanvragen zonder besluit laten verlopen",
    "send_outbox": "wachtende mails uit de outbox versturen",
    "send_reminders": "herinneringen twee dagen voor een boeking",
    "rollup_visits": "oude bezoeken samenvatten per dag en verwijderen",
    "send_request_digest": "dagelijks overzicht van nieuwe aanvragen (na 07.00 uur)",
    "retention": "persoonsgegevens na de bewaartermijn verwijderen, ongebruikte accounts opruimen",
    "invoice_run": "conceptfacturen van de afgelopen maand klaarzetten, eenmaal per huis",
    "invoice_reminders": "betalingsherinneringen voor facturen na de betaaltermijn",
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
