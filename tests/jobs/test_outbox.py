"""send_outbox against a real SMTP server on the loopback interface (aiosmtpd).

Nothing is lost while the server is down, every mail arrives exactly once when it is up,
also when two senders run at the same moment.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import OutboxMail
from booking.services import mail_sender
from tests.jobs import Inbox, free_port, run_cli, run_in_threads, smtp_server


def _queue(app, count: int, prefix: str = "Bericht") -> list[int]:
    with app.app_context():
        mails = [
            OutboxMail(
                kind="test",
                to_address=f"ontvanger{i}@example.org",
                subject=f"{prefix} {i}",
                body_text=f"Hallo {i},\n\nDit is een test.",
                body_html=f"<p>Hallo {i}</p>",
            )
            for i in range(count)
        ]
        db.session.add_all(mails)
        db.session.commit()
        return [m.id for m in mails]


def _mails(app) -> dict[int, OutboxMail]:
    with app.app_context():
        mails = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)).all()
        db.session.expunge_all()
        return {m.id: m for m in mails}


@pytest.fixture
def smtp_app(app):
    port = free_port()
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_USER="",
        SMTP_STARTTLS=False,
        MAIL_FROM="Buurthuis Oss <post@buurthuis.example>",
    )
    return app, port


def test_server_down_then_up_loses_nothing_and_sends_each_mail_once(smtp_app, runner):
    app, port = smtp_app
    ids = _queue(app, 5)
    now = datetime.now(UTC) + timedelta(seconds=1)

    # The server is down: every mail records the failure and backs off 1 minute.
    result = run_cli(runner, "send_outbox", now)
    assert "send_outbox: 0 verzonden, 5 mislukt" in result.output
    for mail in _mails(app).values():
        assert (mail.status, mail.attempts, mail.sent_at) == ("wachtend", 1, None)
        assert mail.next_attempt_at == now + timedelta(minutes=1)
        assert "ConnectionRefused" in mail.last_error or "Errno" in mail.last_error

    # Not due yet: nothing is tried. A minute later: the second failure waits 2 minutes.
    assert "0 verzonden, 0 mislukt" in run_cli(runner, "send_outbox", now).output
    run_cli(runner, "send_outbox", now + timedelta(minutes=1))
    for mail in _mails(app).values():
        assert (mail.status, mail.attempts) == ("wachtend", 2)
        assert mail.next_attempt_at == now + timedelta(minutes=3)

    with smtp_server(port, Inbox()) as inbox:
        assert "0 verzonden" in run_cli(runner, "send_outbox", now + timedelta(minutes=2)).output
        result = run_cli(runner, "send_outbox", now + timedelta(minutes=3))
        assert "send_outbox: 5 verzonden, 0 mislukt" in result.output
        assert "0 verzonden" in run_cli(runner, "send_outbox", now + timedelta(hours=1)).output

    assert Counter(inbox.subjects()) == Counter(f"Bericht {i}" for i in range(5))
    for mail in _mails(app).values():
        assert (mail.status, mail.attempts, mail.last_error) == ("verzonden", 2, "")
        assert mail.sent_at == now + timedelta(minutes=3)
    message = inbox.messages[0]
    assert message["From"] == "Buurthuis Oss <post@buurthuis.example>"
    assert message["Message-ID"] == f"<outbox-{ids[0]}@buurthuis.example>"
    assert message.get_body(("plain",)).get_content().startswith("Hallo 0,")
    assert message.get_body(("html",)).get_content().strip() == "<p>Hallo 0</p>"
    assert inbox.envelopes[0] == ("post@buurthuis.example", ["ontvanger0@example.org"])


def test_two_senders_at_once_send_each_mail_exactly_once(smtp_app):
    app, port = smtp_app
    count = 3 * mail_sender.BATCH_SIZE + 7  # several batches, so the senders interleave
    _queue(app, count)
    now = datetime.now(UTC) + timedelta(seconds=1)

    with smtp_server(port, Inbox()) as inbox:
        summaries = run_in_threads(app, "send_outbox", now, count=2)
        run_in_threads(app, "send_outbox", now + timedelta(minutes=10), count=2)

    assert sum(s.counts["verzonden"] for s in summaries) == count
    received = Counter(inbox.subjects())
    assert received == Counter(f"Bericht {i}" for i in range(count))
    assert max(received.values()) == 1
    assert {m.status for m in _mails(app).values()} == {"verzonden"}


def test_a_refused_recipient_fails_only_that_mail(smtp_app, runner):
    app, port = smtp_app
    ids = _queue(app, 3)
    now = datetime.now(UTC) + timedelta(seconds=1)

    with smtp_server(port, Inbox(refuse={"ontvanger1@example.org"})) as inbox:
        assert "2 verzonden, 1 mislukt" in run_cli(runner, "send_outbox", now).output

    assert sorted(inbox.subjects()) == ["Bericht 0", "Bericht 2"]
    mails = _mails(app)
    assert [mails[i].status for i in ids] == ["verzonden", "wachtend", "verzonden"]
    refused = mails[ids[1]]
    assert refused.attempts == 1 and "550" in refused.last_error
    assert "ontvanger1@example.org" in refused.last_error


def test_after_ten_attempts_a_mail_is_given_up(smtp_app, runner):
    app, _port = smtp_app
    (mail_id,) = _queue(app, 1)
    with app.app_context():
        db.session.get(OutboxMail, mail_id).attempts = 9
        db.session.commit()
    result = run_cli(runner, "send_outbox", datetime.now(UTC) + timedelta(seconds=1))
    assert "1 opgegeven" in result.output
    mail = _mails(app)[mail_id]
    assert (mail.status, mail.attempts) == ("mislukt", 10)
    later = run_cli(runner, "send_outbox", datetime.now(UTC) + timedelta(days=2))
    assert "0 verzonden, 0 mislukt" in later.output  # a given-up mail is not tried again


def test_backoff_doubles_from_one_minute_up_to_six_hours():
    assert [mail_sender.backoff(n) for n in range(1, 6)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16)
    ]
    assert mail_sender.backoff(9) == timedelta(minutes=256)
    assert mail_sender.backoff(10) == timedelta(hours=6)  # 512 minutes, capped
    assert mail_sender.backoff(10_000) == timedelta(hours=6)


def test_without_smtp_host_nothing_is_sent_and_the_job_says_so(app, runner):
    app.config["SMTP_HOST"] = ""
    ids = _queue(app, 2)
    result = run_cli(runner, "send_outbox", datetime.now(UTC) + timedelta(seconds=1))
    assert "SMTP_HOST is leeg" in result.output
    assert {(m.status, m.attempts) for m in _mails(app).values()} == {("wachtend", 0)}
    assert set(_mails(app)) == set(ids)


def test_a_booking_mail_with_an_attachment_arrives_whole(
    smtp_app, runner, make_house, make_user, book
):
    app, port = smtp_app
    house, organiser = make_house(), make_user()
    book(organiser, house.room_ids[0], days_ahead=3, title="Buurtsoep")
    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with app.app_context():
        mail = db.session.scalars(select(OutboxMail)).one()
        mail.attachment_name, mail.attachment_type, mail.attachment_body = (
            "boeking.ics",
            "text/calendar",
            calendar,
        )
        db.session.commit()

    with smtp_server(port, Inbox()) as inbox:
        run_cli(runner, "send_outbox", datetime.now(UTC) + timedelta(seconds=1))

    (message,) = inbox.messages
    assert message["Subject"] == "Boeking bevestigd: Buurtsoep"
    assert message["To"] == organiser.email
    assert "Buurtsoep" in message.get_body(("plain",)).get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "boeking.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VCALENDAR" in attachment.get_content()
