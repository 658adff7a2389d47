"""Snapshot of the notice an unused account gets before it is deleted (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from booking.extensions import db
from booking.mail import people_mails
from booking.models import OutboxMail, User
from booking.rules.retention import deletion_day
from tests.mail.snapshot import assert_snapshots

NOW = datetime(2030, 2, 1, 9, 30, tzinfo=UTC)


def test_the_inactivity_notice_renders_as_its_snapshot_and_is_queued_once(app) -> None:
    with app.test_request_context():
        anna = User(
            email="anna@example.org", name="Anna de Boer", role="initiatiefnemer", password_hash="x"
        )
        db.session.add(anna)
        db.session.flush()
        key = people_mails.inactivity_notice_key(anna.id, datetime(2027, 12, 1, tzinfo=UTC))
        assert people_mails.queue_inactivity_notice(anna, deletion_day(NOW), 24, dedupe_key=key)
        assert not people_mails.queue_inactivity_notice(anna, deletion_day(NOW), 24, dedupe_key=key)
        (mail,) = db.session.scalars(select(OutboxMail)).all()
        assert "maandag 4 maart 2030" in mail.body_text and "24 maanden" in mail.body_text
        header = f"Kind: {mail.kind}\nTo: {mail.to_address}\nSubject: {mail.subject}\n\n"
        assert_snapshots(
            {
                "inactivity_notice.txt": header + mail.body_text + "\n",
                "inactivity_notice.html": mail.body_html + "\n",
            }
        )
