"""Helpers for the job tests: run a job by CLI or in parallel threads; a local SMTP server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from flask import Flask

from booking.jobs import JOBS, JobSummary


def run_cli(runner: Any, name: str, now: datetime | str) -> Any:
    """`flask jobs run NAME --now ...`; fails the test with the output if it did not work."""
    moment = now if isinstance(now, str) else now.isoformat()
    result = runner.invoke(args=["jobs", "run", name, "--now", moment])
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def run_in_threads(app: Flask, name: str, now: datetime, count: int = 2) -> list[JobSummary]:
    """Start the same job in `count` threads at the same moment, each with its own app context
    (and so its own session and connection), as two schedulers would."""
    barrier = threading.Barrier(count)
    results: list[JobSummary] = []
    errors: list[BaseException] = []

    def work() -> None:
        with app.app_context():
            barrier.wait()
            try:
                results.append(JOBS[name](now))
            except BaseException as error:  # reported in the main thread below
                errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == count
    return results


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives and can refuse some recipients.

    `refuse`: recipients answered 550 (permanent); `defer`: recipients answered 450
    (temporary); `reject_data`: DATA answered with this reply when the subject holds the key.
    """

    def __init__(
        self,
        refuse: set[str] | None = None,
        defer: set[str] | None = None,
        reject_data: dict[str, str] | None = None,
    ) -> None:
        self.refuse = refuse or set()
        self.defer = defer or set()
        self.reject_data = reject_data or {}
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Onbekende ontvanger"
        if address in self.defer:
            return "450 4.2.1 Postbus tijdelijk niet beschikbaar"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        for key, reply in self.reject_data.items():
            if key in str(message["Subject"]):
                return reply
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Bericht aangenomen"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(message["Subject"]) for message in self.messages]


@contextmanager
def smtp_server(port: int, inbox: Inbox) -> Iterator[Inbox]:
    """A real SMTP server on the loopback interface for the duration of the block."""
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
