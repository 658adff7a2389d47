"""The daily digest of new requests (booking/jobs.py send_request_digest): once a day after
07:00, only to beheerders who chose it, and never the same request twice."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.jobs import JOBS
from booking.models import Booking, JobRun, OutboxMail, Room, User
from booking.rules.slots import local_to_utc
from tests.conftest import activity, local_day

DIGEST = JOBS["send_request_digest"]


def at(days_ahead: int, clock: str) -> datetime:
    return local_to_utc(datetime.combine(local_day(days_ahead), time.fromisoformat(clock)))


@pytest.fixture
def house(app, make_house, make_user):
    house = make_house()
    people = {
        "dagelijks": make_user("beheerder", house, email="dagelijks@example.org"),
        "direct": make_user("beheerder", house, email="direct@example.org"),
        "nooit": make_user("beheerder", house, email="nooit@example.org"),
        "sociaal": make_user("sociaal_beheerder", house, email="sociaal@example.org"),
        "organiser": make_user(email="organiser@example.org"),
    }
    with app.app_context():
        for name in ("dagelijks", "nooit"):
            db.session.get(User, people[name].id).request_mail = name
        db.session.get(User, people["sociaal"].id).request_mail = "dagelijks"
        for room_id in house.room_ids:
            db.session.get(Room, room_id).requires_approval = True
        db.session.commit()
    return house, people


def request(app, book, house, people, created_at: datetime, start: str = "10:00") -> int:
    """A request (the room needs approval), made at `created_at`."""
    booking_id = book(
        people["organiser"],
        house.room_ids[0],
        10,
        start,
        f"{int(start[:2]) + 1}:00",
        what=activity("vereniging"),
        title=f"Aanvraag {start}",
    )
    with app.app_context():
        db.session.get(Booking, booking_id).created_at = created_at
        db.session.commit()
    return booking_id


def digests(app) -> list[OutboxMail]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(OutboxMail)
                .where(OutboxMail.kind == "request_digest")
                .order_by(OutboxMail.id)
            )
        )


def test_one_digest_a_day_to_who_chose_it_with_each_request_once(app, book, house) -> None:
    house, people = house
    first = request(app, book, house, people, at(1, "06:00"), "10:00")
    second = request(app, book, house, people, at(1, "06:30"), "12:00")
    with app.app_context():
        summary = DIGEST(at(1, "08:00"))
    assert summary.counts == {"overzichten": 1, "aanvragen": 2}
    (mail,) = digests(app)
    assert mail.to_address == "dagelijks@example.org"
    assert f"/boekingen/{first}" in mail.body_text and f"/boekingen/{second}" in mail.body_text
    assert "2 nieuwe aanvragen" in mail.subject

    # the same day again (a second scheduler, a restart): nothing new
    with app.app_context():
        again = DIGEST(at(1, "08:30"))
    assert again.counts["overzichten"] == 0 and again.note == "vandaag al verstuurd"
    assert len(digests(app)) == 1

    # the next day: only the request made since, though the first two still wait
    third = request(app, book, house, people, at(1, "15:00"), "14:00")
    with app.app_context():
        DIGEST(at(2, "07:05"))
    latest = digests(app)[-1]
    assert f"/boekingen/{third}" in latest.body_text
    assert f"/boekingen/{first}" not in latest.body_text
    assert f"/boekingen/{second}" not in latest.body_text
    assert "In totaal wachten 3 aanvragen op een besluit." in latest.body_text


def test_nothing_before_seven_and_nothing_when_nothing_is_new(app, book, house) -> None:
    house, people = house
    request(app, book, house, people, at(1, "05:00"))
    with app.app_context():
        early = DIGEST(at(1, "06:59"))
        assert early.note == "pas na 07.00 uur"
        assert db.session.scalar(select(JobRun).where(JobRun.job == "send_request_digest")) is None
    assert digests(app) == []
    with app.app_context():
        DIGEST(at(1, "07:00"))
        DIGEST(at(2, "07:00"))  # nothing new since yesterday's digest: no mail
    assert len(digests(app)) == 1


def test_a_request_decided_before_the_digest_is_left_out(app, book, house) -> None:
    house, people = house
    booking_id = request(app, book, house, people, at(1, "06:00"))
    with app.app_context():
        db.session.get(Booking, booking_id).status = "afgewezen"
        db.session.commit()
        summary = DIGEST(at(1, "08:00"))
    assert summary.counts == {"overzichten": 0, "aanvragen": 0}


def test_a_claimed_day_is_not_sent_again(app, book, house) -> None:
    """Another scheduler already claimed today (its row in job_run): this run sends nothing."""
    house, people = house
    request(app, book, house, people, at(1, "06:00"))
    with app.app_context():
        db.session.add(
            JobRun(
                job="send_request_digest",
                period=local_day(1).isoformat(),
                started_at=at(1, "07:00"),
            )
        )
        db.session.commit()
        summary = DIGEST(at(1, "08:00"))
    assert summary.note == "vandaag al verstuurd" and digests(app) == []


def test_the_digest_runs_from_the_command_line(app, runner, book, house) -> None:
    house, people = house
    request(app, book, house, people, at(1, "06:00"))
    when = (local_day(1)).isoformat() + "T09:00"
    result = runner.invoke(args=["jobs", "run", "send_request_digest", "--now", when])
    assert result.exit_code == 0, result.output
    assert "send_request_digest: 1 overzichten, 1 aanvragen" in result.output
    assert len(digests(app)) == 1


def test_the_direct_mail_went_at_once_and_is_not_in_a_digest_of_theirs(app, book, house) -> None:
    house, people = house
    request(app, book, house, people, at(1, "06:00"))
    with app.app_context():
        direct = db.session.scalars(
            select(OutboxMail.to_address).where(OutboxMail.kind == "request_new")
        ).all()
        DIGEST(at(1, "08:00"))
    assert direct == ["direct@example.org"]
    assert [m.to_address for m in digests(app)] == ["dagelijks@example.org"]
