"""Deliver the outbox over SMTP, with retries, safely from several processes at once.

DESIGN section 9: every mail is written to the outbox in the transaction that caused it
(booking/mail/outbox.py); this sender delivers it later, so nothing is lost while the mail
server is down.

This job is the documented exception to "the edge commits once" (booking/transaction.py).
One transaction around a whole run would hold the claimed rows (and on SQLite the database's
write lock) for as long as a slow mail server takes, and a crash half-way would roll back
the record of mails the server already accepted, so they would all be sent again. Instead
the run is a row of small units of work, each committed on its own with `unit_of_work()`:
the claim of a batch, and the outcome of each mail. The job entry (booking/jobs.py
`send_outbox`) then has nothing left to commit.

Delivery is at-least-once with a claim that makes a duplicate very unlikely:

1. *Claim.* A batch of due mails is claimed with a compare-and-set update that moves
   ``next_attempt_at`` one lease ahead (``WHERE status='wachtend' AND next_attempt_at <=
   now``); only the process whose update hit the row may send it. On PostgreSQL the
   candidates are also selected ``FOR UPDATE SKIP LOCKED``, so a second sender skips them
   instead of waiting; on SQLite ``begin_write()`` serialises the claim. The claim is
   committed *before* SMTP is spoken to, so a slow server never holds a database lock.
2. *Send.* One SMTP connection per batch, a timeout on every socket operation. The read of
   each mail is ended (rolled back) before its bytes go to the server.
3. *Record.* Each mail's outcome is committed on its own, right after it was sent, so a
   crash loses at most the outcome of the mail in flight (which is then sent again after
   the lease: the receiver sees the same Message-ID).

Each mail is built (booking/mail/build.py) and sent in its own guarded step, so no mail can
hold up another:

* A mail that cannot be built into a message at all (an invalid recipient address, a stored
  value no encoding can write, any exception while building) is ``mislukt`` at once with the
  reason in ``last_error``: trying again would fail the same way. The whole message is
  serialised to bytes in this step, so nothing about the mail itself can fail later.
* A permanent refusal by the server (a 5xx reply to the sender, the recipient or the data)
  is ``mislukt`` at once too, with the server's reply as the reason. The exception is 530
  ("authentication required"): that is our configuration, not this mail, so it is retried.
* A temporary failure (a 4xx reply) raises ``attempts``, keeps the error and backs off
  exponentially (1, 2, 4 ... minutes, at most 6 hours); after ``MAX_ATTEMPTS`` the mail is
  ``mislukt``. Every ``mislukt`` mail stays readable in the mail viewer.
* A connection that cannot be made or breaks fails the mail in flight and the rest of the
  batch as a temporary failure; they are retried later. Mails already recorded as sent are
  not touched, so none is lost and none is sent twice by this.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from booking.database import begin_write
from booking.extensions import db
from booking.mail import build
from booking.mail.build import PreparedMail, UnbuildableMail
from booking.models import OutboxMail
from booking.transaction import unit_of_work

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
LEASE = timedelta(minutes=5)
BATCH_SIZE = 20
SMTP_TIMEOUT_SECONDS = 10.0
MAX_BACKOFF = timedelta(hours=6)
MAX_ERROR_LENGTH = 1000
# Stop sending a batch when half the lease has passed, so no claim runs out mid-batch
# (then another sender could take the same mail): BATCH_SIZE x timeout stays below it too.
SEND_BUDGET_SECONDS = LEASE.total_seconds() / 2


@dataclass(frozen=True)
class SmtpSettings:
    """What the sender needs from the app config; an empty host means 'do not send'."""

    host: str
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    mail_from: str = "Buurthuis <noreply@buurthuis.example>"
    timeout: float = SMTP_TIMEOUT_SECONDS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=(config.get("SMTP_HOST") or "").strip(),
            port=int(config.get("SMTP_PORT") or 25),
            user=config.get("SMTP_USER") or "",
            password=config.get("SMTP_PASSWORD") or "",
            starttls=bool(config.get("SMTP_STARTTLS")),
            mail_from=config.get("MAIL_FROM") or cls.mail_from,
        )


@dataclass
class DeliveryReport:
    """What one run did, for the job's one-line summary and the scheduler's log."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0
    note: str = ""
    errors: list[str] = field(default_factory=list)


class ConnectionProblem(Exception):
    """The server could not be reached or the connection broke: not this mail's fault."""


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, never more than 6 hours."""
    if attempts < 1:
        return timedelta(0)
    # 2**9 minutes already exceeds the cap; do not let a large count overflow anything.
    return min(timedelta(minutes=2 ** min(attempts - 1, 20)), MAX_BACKOFF)


def deliver_pending(now: datetime, settings: SmtpSettings) -> DeliveryReport:
    """Send every mail that is due at `now`, batch by batch, until none is left.

    Each batch is claimed before it is sent, so a mail that failed in this run (its next
    attempt now lies in the future) is not picked up again by the same run.
    """
    report = DeliveryReport()
    if not settings.host:
        report.note = "SMTP_HOST is leeg: niets verzonden (de mails staan in de mailviewer, /post)"
        return report
    problem = build.sender_problem(settings.mail_from)
    if problem:  # our configuration, not any mail's fault: condemn none of them for it
        report.note = f"MAIL_FROM is ongeldig ({problem}): niets verzonden"
        return report
    while True:
        claimed = _claim_batch(now)
        if not claimed:
            return report
        if not _send_batch(claimed, now, settings, report):
            return report  # the server is unreachable: the rest waits for the next run


def _claim_batch(now: datetime) -> list[int]:
    """Take up to BATCH_SIZE due mails for this process: one unit of work, committed."""
    claimed = []
    with unit_of_work():
        begin_write()
        query = (
            select(OutboxMail.id)
            .where(OutboxMail.status == "wachtend", OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(BATCH_SIZE)
        )
        if db.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        candidates = db.session.scalars(query).all()
        for mail_id in candidates:
            result = db.session.execute(
                update(OutboxMail)
                .where(
                    OutboxMail.id == mail_id,
                    OutboxMail.status == "wachtend",
                    OutboxMail.next_attempt_at <= now,
                )
                .values(next_attempt_at=now + LEASE)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                claimed.append(mail_id)
    return claimed


def _send_batch(
    claimed: Sequence[int], now: datetime, settings: SmtpSettings, report: DeliveryReport
) -> bool:
    """Send the claimed mails over one connection; False when the server let us down."""
    started = time.monotonic()
    connection: smtplib.SMTP | None = None
    try:
        for position, mail_id in enumerate(claimed):
            if time.monotonic() - started > SEND_BUDGET_SECONDS:
                _release(claimed[position:], now)
                return True
            # Reading the mail opens a transaction; each branch below ends it (rollback: it
            # only read) before anything else happens, so SMTP never runs inside one.
            mail = db.session.get(OutboxMail, mail_id)
            if mail is None or mail.status != "wachtend":
                db.session.rollback()
                continue
            try:
                prepared = build.prepare(mail, settings.mail_from)
            except Exception as error:  # whatever it is, it is this mail's alone
                db.session.rollback()
                log.warning("mail %s cannot be built", mail_id, exc_info=True)
                reason = f"mail kan niet worden opgebouwd: {_describe(error)}"
                _record_failure(mail_id, reason, now, report, permanent=True)
                continue
            db.session.rollback()  # hold no database transaction while SMTP talks
            try:
                if connection is None:
                    connection = _connect(settings)
                _send_one(connection, prepared)
            except ConnectionProblem as problem:
                if connection is not None:
                    connection.close()
                    connection = None
                for failed_id in claimed[position:]:
                    _record_failure(failed_id, str(problem), now, report)
                return False
            except smtplib.SMTPException as error:
                # Refused recipient, sender or data: this mail's problem, not the server's.
                permanent = is_permanent(error)
                _record_failure(mail_id, _describe(error), now, report, permanent=permanent)
                continue
            _record_success(mail_id, now, report)
        return True
    finally:
        if connection is not None:
            try:
                connection.quit()
            except (smtplib.SMTPException, OSError):
                connection.close()


def is_permanent(error: smtplib.SMTPException) -> bool:
    """Whether the server's refusal is final (5xx), so trying again is pointless.

    530 "authentication required" and a refusal of our *sender* are left out: they refuse
    every mail alike and mean the SMTP settings are wrong, which an administrator can fix
    before the retries run out; giving up would lose every password reset queued. Only
    552 at MAIL FROM (this message is too large) is about the one mail.
    """
    if isinstance(error, smtplib.SMTPSenderRefused):
        return error.smtp_code == 552
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return bool(codes) and all(_is_final(code) for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return _is_final(error.smtp_code)
    return False


def _is_final(code: int) -> bool:
    return 500 <= code <= 599 and code != 530


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    try:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        connection.ehlo()
        if settings.starttls:
            connection.starttls(context=ssl.create_default_context())
            connection.ehlo()
        if settings.user:
            connection.login(settings.user, settings.password)
    except (OSError, smtplib.SMTPException) as error:
        raise ConnectionProblem(_describe(error)) from error
    return connection


def _send_one(connection: smtplib.SMTP, prepared: PreparedMail) -> None:
    """Hand the finished bytes to the server: only the server can make this fail now."""
    options: tuple[str, ...] = ()
    if prepared.international:
        if not connection.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError(
                "het adres vraagt om SMTPUTF8, maar de mailserver biedt dat niet aan"
            )
        options = ("SMTPUTF8", "BODY=8BITMIME")
    try:
        refused = connection.sendmail(
            prepared.envelope_from, [prepared.to_address], prepared.data, options
        )
    except smtplib.SMTPServerDisconnected as error:
        raise ConnectionProblem(_describe(error)) from error
    except smtplib.SMTPResponseException as error:
        if error.smtp_code == 421:  # "service not available, closing channel"
            raise ConnectionProblem(_describe(error)) from error
        raise
    except smtplib.SMTPException:
        raise  # about this mail (a refused recipient, say); note: SMTPException is an OSError
    except OSError as error:  # socket timeout or reset
        raise ConnectionProblem(_describe(error)) from error
    if refused:  # only possible with several recipients; kept for safety
        raise smtplib.SMTPRecipientsRefused(refused)


def _describe(error: BaseException) -> str:
    if isinstance(error, UnbuildableMail):
        return str(error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        details = "; ".join(
            f"{address}: {code} {_text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
        return f"ontvanger geweigerd: {details}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code} {_text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _record_success(mail_id: int, now: datetime, report: DeliveryReport) -> None:
    """Record one delivered mail at once, in its own unit of work."""
    with unit_of_work():
        begin_write()
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id)
            .values(status="verzonden", sent_at=now, last_error="")
            .execution_options(synchronize_session=False)
        )
    report.sent += 1


def _record_failure(
    mail_id: int, error: str, now: datetime, report: DeliveryReport, *, permanent: bool = False
) -> None:
    """Count a failed attempt; a permanent failure (or the last attempt) gives the mail up.

    One unit of work per mail, committed at once, like a success.
    """
    with unit_of_work():
        begin_write()
        mail = db.session.get(OutboxMail, mail_id)
        if mail is None:
            return
        attempts = mail.attempts + 1
        gave_up = permanent or attempts >= MAX_ATTEMPTS
        db.session.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id)
            .values(
                attempts=attempts,
                last_error=error[:MAX_ERROR_LENGTH],
                next_attempt_at=now + backoff(attempts),
                status="mislukt" if gave_up else "wachtend",
            )
            .execution_options(synchronize_session=False)
        )
    report.errors.append(f"{mail_id}: {error}")
    if gave_up:
        report.given_up += 1
        log.warning("mail %s given up after %s attempt(s): %s", mail_id, attempts, error)
    else:
        report.failed += 1
        log.info("mail %s attempt %s failed: %s", mail_id, attempts, error)


def _release(mail_ids: Sequence[int], now: datetime) -> None:
    """Hand unsent claims back at once instead of letting their lease run out."""
    with unit_of_work():
        begin_write()
        db.session.execute(
            update(OutboxMail)
            .where(
                OutboxMail.id.in_(mail_ids),
                OutboxMail.status == "wachtend",
                OutboxMail.next_attempt_at == now + LEASE,
            )
            .values(next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )
