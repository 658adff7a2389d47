"""send_outbox against a real SMTP server on the loopback interface (aiosmtpd).

Nothing is lost while the server is down, every mail arrives exactly once when it is up,
also when two senders run at the same moment.
"""

from __future__ import annotations

import smtplib
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from booking.extensions import db
from booking.mail import booking_mails
from booking.mail import build as mail_build
from booking.mail import sender as mail_sender
from booking.models import Booking, OutboxMail
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


@pytest.mark.real_commits  # racing job threads, each with its own connection
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


def test_a_permanently_refused_recipient_fails_only_that_mail_at_once(smtp_app, runner):
    app, port = smtp_app
    ids = _queue(app, 3)
    now = datetime.now(UTC) + timedelta(seconds=1)

    with smtp_server(port, Inbox(refuse={"ontvanger1@example.org"})) as inbox:
        result = run_cli(runner, "send_outbox", now)
        assert "2 verzonden, 0 mislukt, 1 opgegeven" in result.output
        # A 5xx is final: a later run does not try the mail again.
        later = run_cli(runner, "send_outbox", now + timedelta(days=1))
        assert "0 verzonden, 0 mislukt" in later.output

    assert sorted(inbox.subjects()) == ["Bericht 0", "Bericht 2"]
    mails = _mails(app)
    assert [mails[i].status for i in ids] == ["verzonden", "mislukt", "verzonden"]
    refused = mails[ids[1]]
    assert refused.attempts == 1 and "550" in refused.last_error
    assert "ontvanger1@example.org" in refused.last_error


def test_a_temporarily_refused_recipient_is_retried_and_holds_up_nobody(smtp_app, runner):
    app, port = smtp_app
    ids = _queue(app, 3)
    now = datetime.now(UTC) + timedelta(seconds=1)

    with smtp_server(port, Inbox(defer={"ontvanger1@example.org"})) as inbox:
        assert "2 verzonden, 1 mislukt" in run_cli(runner, "send_outbox", now).output
    assert sorted(inbox.subjects()) == ["Bericht 0", "Bericht 2"]
    deferred = _mails(app)[ids[1]]
    assert (deferred.status, deferred.attempts) == ("wachtend", 1)
    assert deferred.next_attempt_at == now + timedelta(minutes=1)
    assert "450" in deferred.last_error

    with smtp_server(port, Inbox()) as inbox:
        result = run_cli(runner, "send_outbox", now + timedelta(minutes=1))
        assert "1 verzonden, 0 mislukt" in result.output
    assert inbox.subjects() == ["Bericht 1"]  # the other two are not sent again
    assert {m.status for m in _mails(app).values()} == {"verzonden"}


def test_a_message_the_server_refuses_with_5xx_fails_only_that_mail(smtp_app, runner):
    app, port = smtp_app
    ids = _queue(app, 3)
    now = datetime.now(UTC) + timedelta(seconds=1)
    inbox = Inbox(reject_data={"Bericht 1": "554 5.6.0 Bericht geweigerd"})

    with smtp_server(port, inbox):
        assert "2 verzonden, 0 mislukt, 1 opgegeven" in run_cli(runner, "send_outbox", now).output

    assert sorted(inbox.subjects()) == ["Bericht 0", "Bericht 2"]
    mails = _mails(app)
    assert [mails[i].status for i in ids] == ["verzonden", "mislukt", "verzonden"]
    assert "SMTPDataError: 554 5.6.0 Bericht geweigerd" in mails[ids[1]].last_error


def test_a_connection_closed_mid_batch_loses_nothing_and_sends_nothing_twice(smtp_app, runner):
    app, port = smtp_app
    ids = _queue(app, 5)
    now = datetime.now(UTC) + timedelta(seconds=1)
    closing = Inbox(reject_data={"Bericht 2": "421 4.3.2 Server gaat uit"})

    with smtp_server(port, closing):
        assert "2 verzonden, 3 mislukt" in run_cli(runner, "send_outbox", now).output
    assert sorted(closing.subjects()) == ["Bericht 0", "Bericht 1"]
    mails = _mails(app)
    assert [mails[i].status for i in ids] == ["verzonden"] * 2 + ["wachtend"] * 3
    assert all(mails[i].attempts == 1 and "421" in mails[i].last_error for i in ids[2:])

    with smtp_server(port, Inbox()) as inbox:
        later = run_cli(runner, "send_outbox", now + timedelta(minutes=1))
        assert "3 verzonden, 0 mislukt" in later.output
    assert sorted(inbox.subjects()) == ["Bericht 2", "Bericht 3", "Bericht 4"]
    assert {m.status for m in _mails(app).values()} == {"verzonden"}


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


# A mail nothing can block --------------------------------------------------------------
#
# Before the fix a subject with a line break made building that one message raise on every
# run of send_outbox: it never counted an attempt and the mails behind it waited for ever.

LINE_BREAKS = [
    "\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
]
# NUL is left out here: PostgreSQL cannot store it (tests/rules/test_mail_headers.py has it).
HOSTILE = [*LINE_BREAKS, "\t", "\x1f", "\x7f", "\x9b", "\u202e", "\u2066"]


def _add(app, **fields) -> int:
    with app.app_context():
        mail = OutboxMail(
            kind="test",
            to_address=fields.pop("to_address", "ontvanger@example.org"),
            subject=fields.pop("subject", "Bericht"),
            body_text=fields.pop("body_text", "Hallo,\n\nDit is een test."),
            **fields,
        )
        db.session.add(mail)
        db.session.commit()
        return mail.id


def test_a_subject_with_any_line_break_is_sent_clean_between_two_good_mails(smtp_app, runner):
    app, port = smtp_app
    first = _add(app, subject="Eerste", to_address="eerste@example.org")
    poisoned = {
        _add(
            app, subject=f"Boeking bevestigd: Buurt{char}soep", to_address=f"p{n}@example.org"
        ): char
        for n, char in enumerate(HOSTILE)
    }
    last = _add(app, subject="Laatste", to_address="laatste@example.org")
    now = datetime.now(UTC) + timedelta(seconds=1)

    with smtp_server(port, Inbox()) as inbox:
        result = run_cli(runner, "send_outbox", now)  # one run
    assert f"{len(HOSTILE) + 2} verzonden, 0 mislukt" in result.output

    mails = _mails(app)
    assert {mails[i].status for i in [first, last, *poisoned]} == {"verzonden"}
    subjects = Counter(inbox.subjects())
    assert subjects["Eerste"] == subjects["Laatste"] == 1
    assert subjects["Boeking bevestigd: Buurt soep"] == len(HOSTILE)


def test_a_long_or_hostile_booking_title_queues_and_arrives_as_one_clean_line(
    smtp_app, runner, make_house, make_user, book
):
    """The whole way: booking service -> queue_mail -> outbox -> SMTP.

    The longest allowed title behind "Boeking bevestigd: " is longer than the subject column
    (200): on PostgreSQL that made the booking itself fail before queue_mail cleaned it. A
    title with line breaks (stored before titles were checked for them, say) queues too."""
    app, port = smtp_app
    house, organiser = make_house(), make_user()
    long_title = " ".join(["Buurtsoep"] * 20)[:200]
    booking_id = book(organiser, house.room_ids[0], days_ahead=3, title=long_title)
    hostile = "Buurt\nsoep\u2028met\r\nBcc: stiekem@example.org\u202e\x0b\x85einde"
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        db.session.execute(update(Booking).where(Booking.id == booking_id).values(title=hostile))
        db.session.refresh(booking)
        booking_mails.notify_cancelled(booking, by_organiser=True)
        db.session.commit()
        stored = db.session.scalars(select(OutboxMail.subject).order_by(OutboxMail.id)).all()
    long_subject, hostile_subject = stored
    assert len(long_subject) <= 200 and long_subject.endswith("Buurtsoep…")
    assert long_subject.startswith("Boeking bevestigd: Buurtsoep Buurtsoep")
    assert hostile_subject == "Boeking geannuleerd: Buurt soep met Bcc: stiekem@example.org einde"

    with smtp_server(port, Inbox()) as inbox:
        assert "2 verzonden" in run_cli(runner, "send_outbox", datetime.now(UTC)).output
    assert sorted(inbox.subjects()) == sorted(stored)
    assert all(message["Bcc"] is None for message in inbox.messages)
    assert [to for _sender, to in inbox.envelopes] == [[organiser.email]] * 2


@pytest.mark.parametrize(
    "address",
    [
        "geen-adres",
        "ontvanger@example.org\nBcc: stiekem@example.org",
        "een@example.org, twee@example.org",
        "Naam <naam@example.org>",
        "spatie in@example.org",
        "",
    ],
)
def test_a_mail_that_cannot_be_built_fails_at_once_and_blocks_nobody(smtp_app, runner, address):
    app, port = smtp_app
    first = _add(app, subject="Eerste", to_address="eerste@example.org")
    bad = _add(app, subject="Kapot", to_address=address)
    last = _add(app, subject="Laatste", to_address="laatste@example.org")
    now = datetime.now(UTC) + timedelta(seconds=1)

    with smtp_server(port, Inbox()) as inbox:
        result = run_cli(runner, "send_outbox", now)
        assert "2 verzonden, 0 mislukt, 1 opgegeven" in result.output
        assert (
            "0 verzonden, 0 mislukt"
            in run_cli(runner, "send_outbox", now + timedelta(days=1)).output
        )

    assert sorted(inbox.subjects()) == ["Eerste", "Laatste"]
    assert [to for _sender, (to,) in inbox.envelopes] == [
        "eerste@example.org",
        "laatste@example.org",
    ]
    mails = _mails(app)
    assert (mails[first].status, mails[last].status) == ("verzonden", "verzonden")
    failed = mails[bad]
    assert (failed.status, failed.attempts, failed.sent_at) == ("mislukt", 1, None)
    assert failed.last_error.startswith("mail kan niet worden opgebouwd: ongeldig adres")


def test_any_exception_while_building_fails_only_that_mail(smtp_app, runner, monkeypatch):
    app, port = smtp_app
    ids = _queue(app, 3)
    real_build = mail_build.build_message

    def build(mail, mail_from):
        if mail.id == ids[1]:
            raise RuntimeError("sjabloon kapot")
        return real_build(mail, mail_from)

    monkeypatch.setattr(mail_build, "build_message", build)
    with smtp_server(port, Inbox()) as inbox:
        result = run_cli(runner, "send_outbox", datetime.now(UTC) + timedelta(seconds=1))
    assert "2 verzonden, 0 mislukt, 1 opgegeven" in result.output
    assert sorted(inbox.subjects()) == ["Bericht 0", "Bericht 2"]
    failed = _mails(app)[ids[1]]
    assert failed.status == "mislukt"
    assert failed.last_error == "mail kan niet worden opgebouwd: RuntimeError: sjabloon kapot"


def test_an_invalid_mail_from_sends_nothing_and_condemns_no_mail(smtp_app, runner):
    app, port = smtp_app
    app.config["MAIL_FROM"] = "Buurthuis zonder adres"
    ids = _queue(app, 2)
    with smtp_server(port, Inbox()) as inbox:
        result = run_cli(runner, "send_outbox", datetime.now(UTC) + timedelta(seconds=1))
    assert "MAIL_FROM is ongeldig" in result.output
    assert inbox.messages == []
    assert [(m.status, m.attempts) for m in _mails(app).values()] == [("wachtend", 0)] * len(ids)


def test_an_international_address_is_sent_with_smtputf8(smtp_app, runner):
    app, port = smtp_app
    mail_id = _add(app, subject="Grüße", to_address="jörg@bücher.example")
    with smtp_server(port, Inbox()) as inbox:
        assert "1 verzonden" in run_cli(runner, "send_outbox", datetime.now(UTC)).output
    assert inbox.envelopes == [("post@buurthuis.example", ["jörg@bücher.example"])]
    assert inbox.messages[0]["Subject"] == "Grüße"
    assert _mails(app)[mail_id].status == "verzonden"


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"nee")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"later")}), False),
        (
            smtplib.SMTPRecipientsRefused(
                {"a@example.org": (550, b"nee"), "b@example.org": (451, b"later")}
            ),
            False,
        ),
        (smtplib.SMTPSenderRefused(553, b"afzender geweigerd", "post@buurthuis.example"), False),
        (smtplib.SMTPSenderRefused(552, b"te groot", "post@buurthuis.example"), True),
        (smtplib.SMTPSenderRefused(451, b"later", "post@buurthuis.example"), False),
        (smtplib.SMTPSenderRefused(530, b"log eerst in", "post@buurthuis.example"), False),
        (smtplib.SMTPDataError(554, b"geweigerd"), True),
        (smtplib.SMTPDataError(452, b"vol"), False),
        (smtplib.SMTPNotSupportedError("geen SMTPUTF8"), False),
    ],
)
def test_only_a_final_refusal_is_permanent(error, permanent):
    assert mail_sender.is_permanent(error) is permanent
