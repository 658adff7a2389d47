"""The mail about a changed booking (booking/mail/change_mails.py), as a snapshot: what it
was, what it is now, who changed it, and the .ics with the new time and SEQUENCE."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from booking.extensions import db
from booking.mail.change_mails import notify_changed
from booking.models import OutboxMail
from booking.rules.statuses import BookingStatus
from tests.mail.snapshot import assert_snapshots
from tests.mail.test_snapshots import Scene, calendar_text, local, scene  # noqa: F401

CHANGED = datetime(2030, 2, 4, 10, 0, tzinfo=UTC)


def test_the_change_mail_renders_as_its_snapshot(scene: Scene) -> None:  # noqa: F811
    booking = scene.booking(BookingStatus.bevestigd, room=scene.huiskamer)
    before = {
        "room_id": booking.room_id,
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "title": booking.title,
        "public": booking.public,
        "status": str(booking.status),
        "amount_cents": booking.amount_cents,
    }
    booking.room = scene.zaal
    booking.start, booking.end = (
        local(date(2030, 3, 22), "20:00"),
        local(date(2030, 3, 22), "22:00"),
    )
    booking.title, booking.amount_cents, booking.sequence = "Buurtsoep & quiz", 1500, 1
    booking.updated_at = CHANGED  # fixed, so the snapshot does not depend on the clock
    db.session.flush()
    written = datetime.now(UTC)
    notify_changed(booking, before, by_organiser=False)
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    assert mail.kind == "booking_changed"
    header = f"Kind: {mail.kind}\nTo: {mail.to_address}\nSubject: {mail.subject}\n\n"
    ics = calendar_text(mail.attachment_body, written_between=(written, datetime.now(UTC)))
    assert "SEQUENCE:1" in ics
    assert_snapshots(
        {
            "booking_changed.txt": header + mail.body_text + "\n",
            "booking_changed.html": mail.body_html + "\n",
            "booking_changed.ics": ics,
        }
    )


def test_a_change_is_mailed_once_per_sequence(scene: Scene) -> None:  # noqa: F811
    booking = scene.booking(BookingStatus.aangevraagd)
    before = {
        "room_id": booking.room_id,
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "title": "Oud",
        "public": True,
        "status": "aangevraagd",
        "amount_cents": booking.amount_cents,
    }
    notify_changed(booking, before, by_organiser=True)
    notify_changed(booking, before, by_organiser=True)
    (mail,) = db.session.scalars(select(OutboxMail)).all()
    assert not mail.attachment_name  # a request holds no slot yet: no .ics
    assert "Naam: eerst Oud" in mail.body_text
