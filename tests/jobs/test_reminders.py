"""send_reminders: one reminder per active booking starting within two days, ever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Booking, OutboxMail
from booking.rules.slots import AMSTERDAM
from tests.conftest import activity
from tests.jobs import run_cli, run_in_threads


def _reminders(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [
            (m.dedupe_key, m.to_address, m.subject)
            for m in db.session.scalars(
                select(OutboxMail)
                .where(OutboxMail.kind == "booking_reminder")
                .order_by(OutboxMail.dedupe_key)
            )
        ]


def test_reminders_once_per_booking_even_when_run_twice(app, runner, make_house, make_user, book):
    house, organiser = make_house(), make_user()
    tomorrow = book(organiser, house.room_ids[0], days_ahead=1, title="Breicafé")
    day_after = book(
        organiser, house.room_ids[1], days_ahead=2, start="09:00", end="10:00", title="Taalcafé"
    )
    provisional = book(organiser, house.room_ids[0], days_ahead=30, what=activity("commercieel"))
    later = book(organiser, house.room_ids[0], days_ahead=6)
    cancelled = book(organiser, house.room_ids[1], days_ahead=1)
    with app.app_context():
        db.session.get(Booking, cancelled).status = "geannuleerd"
        db.session.commit()
    # Today 08:00 Amsterdam: the day after tomorrow at 09:00 is 49 hours away, too far.
    now = datetime.now(AMSTERDAM).replace(hour=8, minute=0, second=0, microsecond=0)

    assert "send_reminders: 1 herinneringen" in run_cli(runner, "send_reminders", now).output
    assert [key for key, _, _ in _reminders(app)] == [f"reminder:{tomorrow}"]

    # An hour and a half later both fit; the first is not reminded again.
    assert (
        "1 herinneringen"
        in run_cli(runner, "send_reminders", now + timedelta(hours=1, minutes=30)).output
    )
    assert "0 herinneringen" in run_cli(runner, "send_reminders", now + timedelta(hours=2)).output
    reminders = _reminders(app)
    assert sorted(key for key, _, _ in reminders) == sorted(
        [f"reminder:{tomorrow}", f"reminder:{day_after}"]
    )
    assert {to for _, to, _ in reminders} == {organiser.email}
    with app.app_context():
        start = db.session.get(Booking, tomorrow).start.astimezone(AMSTERDAM)
    subjects = {subject for _, _, subject in reminders}
    assert any(
        s.startswith("Herinnering: Breicafé op ") and str(start.day) in s for s in subjects
    ), subjects

    # The provisional booking is reminded too, once it comes within two days.
    run_cli(runner, "send_reminders", now + timedelta(days=29, hours=3))
    assert f"reminder:{provisional}" in {key for key, _, _ in _reminders(app)}
    assert f"reminder:{later}" not in {key for key, _, _ in _reminders(app)}
    assert f"reminder:{cancelled}" not in {key for key, _, _ in _reminders(app)}


@pytest.mark.real_commits  # racing job threads, each with its own connection
def test_two_schedulers_write_one_reminder_per_booking(app, make_house, make_user, book):
    house, organiser = make_house(rooms=3), make_user()
    ids = [
        book(organiser, room, days_ahead=1, start=start, end=end)
        for room in house.room_ids
        for start, end in (("10:00", "11:00"), ("14:00", "16:00"))
    ]
    now = datetime.now(UTC)

    for _ in range(3):
        summaries = run_in_threads(app, "send_reminders", now, count=2)
        assert sum(s.counts["herinneringen"] for s in summaries) in (0, len(ids))

    keys = [key for key, _, _ in _reminders(app)]
    assert sorted(keys) == sorted(f"reminder:{i}" for i in ids)
