"""confirm_provisional and expire_requests: the window and the deadline, once only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import AuditEntry, Booking, House, OutboxMail, Room
from booking.rules.messages import decode_reason
from tests.conftest import activity
from tests.jobs import run_cli, run_in_threads


def _state(app, *booking_ids: int) -> dict[int, tuple[str, int]]:
    with app.app_context():
        return {
            i: (b.status, b.sequence)
            for i in booking_ids
            if (b := db.session.get(Booking, i)) is not None
        }


def _count(app, model, **filters) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def test_confirm_provisional_confirms_exactly_what_the_window_reached(
    app, runner, make_house, make_user, book
):
    house, company = make_house(), make_user()
    near = book(company, house.room_ids[0], days_ahead=20, what=activity("commercieel"))
    far = book(company, house.room_ids[0], days_ahead=40, what=activity("commercieel"))
    assert _state(app, near, far) == {near: ("onder_voorbehoud", 0), far: ("onder_voorbehoud", 0)}
    later = datetime.now(UTC) + timedelta(days=7)

    result = run_cli(runner, "confirm_provisional", later)
    assert "confirm_provisional: 1 bevestigd" in result.output
    assert _state(app, near, far) == {near: ("bevestigd", 1), far: ("onder_voorbehoud", 0)}
    assert _count(app, AuditEntry, action="booking_confirmed_by_window") == 1
    assert _count(app, OutboxMail, kind="booking_confirmed_by_window") == 1

    again = run_cli(runner, "confirm_provisional", later)
    assert "0 bevestigd" in again.output
    assert _state(app, near, far) == {near: ("bevestigd", 1), far: ("onder_voorbehoud", 0)}
    assert _count(app, AuditEntry, action="booking_confirmed_by_window") == 1
    assert _count(app, OutboxMail, kind="booking_confirmed_by_window") == 1


@pytest.mark.real_commits  # racing job threads, each with its own connection
def test_two_schedulers_confirm_each_booking_once(app, make_house, make_user, book):
    house, company = make_house(rooms=3), make_user()
    ids = [
        book(company, room, days_ahead=days, what=activity("commercieel"))
        for room in house.room_ids
        for days in (16, 18, 20)
    ]
    later = datetime.now(UTC) + timedelta(days=10)

    summaries = run_in_threads(app, "confirm_provisional", later, count=2)

    assert sum(s.counts["bevestigd"] for s in summaries) == len(ids)
    assert {status for status, _ in _state(app, *ids).values()} == {"bevestigd"}
    assert {sequence for _, sequence in _state(app, *ids).values()} == {1}
    with app.app_context():
        audited = db.session.scalars(
            select(AuditEntry.object_id).where(AuditEntry.action == "booking_confirmed_by_window")
        ).all()
        mailed = db.session.scalars(
            select(OutboxMail.dedupe_key).where(OutboxMail.kind == "booking_confirmed_by_window")
        ).all()
    assert sorted(audited) == sorted(ids)
    assert len(mailed) == len(set(mailed)) == len(ids)


def _request(app, book, user, room_id: int, days_ahead: int = 30) -> int:
    with app.app_context():
        db.session.get(Room, room_id).requires_approval = True
        db.session.commit()
    booking_id = book(user, room_id, days_ahead=days_ahead)
    assert _state(app, booking_id)[booking_id][0] == "aangevraagd"
    return booking_id


def test_expire_requests_rejects_requests_past_the_houses_deadline(
    app, runner, make_house, make_user, book
):
    slow, quick = make_house(), make_house()
    organiser = make_user()
    with app.app_context():
        db.session.get(House, quick.id).request_expiry_days = 2
        db.session.commit()
    waits = _request(app, book, organiser, slow.room_ids[1])  # default: 7 days
    lapses = _request(app, book, organiser, quick.room_ids[1])
    now = datetime.now(UTC)

    assert "0 verlopen" in run_cli(runner, "expire_requests", now + timedelta(days=1)).output
    result = run_cli(runner, "expire_requests", now + timedelta(days=3))
    assert "expire_requests: 1 verlopen" in result.output
    assert _state(app, waits, lapses) == {waits: ("aangevraagd", 0), lapses: ("afgewezen", 1)}

    run_cli(runner, "expire_requests", now + timedelta(days=8))
    assert _state(app, waits, lapses) == {waits: ("afgewezen", 1), lapses: ("afgewezen", 1)}
    with app.app_context():
        booking = db.session.get(Booking, lapses)
        reason = decode_reason(booking.status_reason)
        assert reason.template == "Verlopen: de beheerder heeft niet op tijd beslist."
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "booking_expired").order_by(AuditEntry.id)
        ).all()
        assert [(e.object_id, e.actor_id, e.house_id) for e in entries] == [
            (lapses, None, quick.id),
            (waits, None, slow.id),
        ]
        assert json.loads(entries[0].details) == {"status": "afgewezen"}
        mails = db.session.scalars(
            select(OutboxMail).where(OutboxMail.kind == "booking_expired").order_by(OutboxMail.id)
        ).all()
        assert [m.dedupe_key for m in mails] == [f"expired:{lapses}", f"expired:{waits}"]
        assert mails[0].to_address == organiser.email
        assert mails[0].subject == "Aanvraag verlopen: Koffieochtend"
        assert "niet op tijd beslist" in mails[0].body_text

    # Running again changes nothing: no second mail, audit entry or sequence step.
    assert "0 verlopen" in run_cli(runner, "expire_requests", now + timedelta(days=9)).output
    assert _state(app, waits, lapses) == {waits: ("afgewezen", 1), lapses: ("afgewezen", 1)}
    assert _count(app, AuditEntry, action="booking_expired") == 2
    assert _count(app, OutboxMail, kind="booking_expired") == 2


@pytest.mark.real_commits  # racing job threads, each with its own connection
def test_expire_leaves_decided_and_other_bookings_alone(app, make_house, make_user, book):
    house, organiser = make_house(), make_user()
    confirmed = book(organiser, house.room_ids[0], days_ahead=5)
    decided = _request(app, book, organiser, house.room_ids[1], days_ahead=6)
    with app.app_context():
        db.session.get(Booking, decided).status = "geannuleerd"
        db.session.commit()
    run_in_threads(app, "expire_requests", datetime.now(UTC) + timedelta(days=30))
    assert _state(app, confirmed, decided) == {
        confirmed: ("bevestigd", 0),
        decided: ("geannuleerd", 0),
    }


@pytest.mark.real_commits  # racing job threads, each with its own connection
def test_two_schedulers_expire_each_request_once(app, make_house, make_user, book):
    house, organiser = make_house(), make_user()
    ids = [_request(app, book, organiser, house.room_ids[1], days_ahead=d) for d in (10, 11, 12)]
    summaries = run_in_threads(app, "expire_requests", datetime.now(UTC) + timedelta(days=8))
    assert sum(s.counts["verlopen"] for s in summaries) == len(ids)
    assert set(_state(app, *ids).values()) == {("afgewezen", 1)}
    assert _count(app, AuditEntry, action="booking_expired") == len(ids)
    assert _count(app, OutboxMail, kind="booking_expired") == len(ids)
