"""A policy change reaches new bookings only: each booking keeps the voorrangstermijn and
the approval expiry it was judged by (issue 12: "takes effect for new bookings only")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from booking.extensions import db
from booking.models import Booking, House, Room
from tests.conftest import activity
from tests.jobs import run_cli


def _status(app, booking_id: int) -> str:
    with app.app_context():
        return db.session.get(Booking, booking_id).status.value


def _set_house(app, house_id: int, **values: int) -> None:
    with app.app_context():
        house = db.session.get(House, house_id)
        for name, value in values.items():
            setattr(house, name, value)
        db.session.commit()


def test_a_longer_voorrangstermijn_does_not_confirm_waiting_bookings_early(
    app, runner, make_house, make_user, book
):
    house, company = make_house(), make_user()
    _set_house(app, house.id, voorrangstermijn_days=14)
    waiting = book(company, house.room_ids[0], days_ahead=20, what=activity("commercieel"))
    assert _status(app, waiting) == "onder_voorbehoud"

    _set_house(app, house.id, voorrangstermijn_days=30)
    newer = book(company, house.room_ids[1], days_ahead=20, what=activity("commercieel"))
    assert _status(app, newer) == "bevestigd"  # inside the new, longer window at once

    run_cli(runner, "confirm_provisional", datetime.now(UTC) + timedelta(days=1))
    assert _status(app, waiting) == "onder_voorbehoud"  # its promise: 14 days before
    run_cli(runner, "confirm_provisional", datetime.now(UTC) + timedelta(days=7))
    assert _status(app, waiting) == "bevestigd"


def test_a_waiting_booking_stays_displaceable_by_its_own_window(app, make_house, make_user, book):
    house, company, resident = make_house(), make_user(), make_user()
    _set_house(app, house.id, voorrangstermijn_days=14)
    company_booking = book(company, house.room_ids[0], days_ahead=20, what=activity("commercieel"))
    _set_house(app, house.id, voorrangstermijn_days=30)

    # Judged by the house's new 30 days, the company booking would be safe already; its own
    # 14 days say it is still onder voorbehoud, so the residents' activity goes first.
    book(resident, house.room_ids[0], days_ahead=20, what=activity("bewoners"))
    assert _status(app, company_booking) == "verdrongen"


def test_a_shorter_approval_expiry_does_not_lapse_waiting_requests(
    app, runner, make_house, make_user, book
):
    house, organiser = make_house(), make_user()
    with app.app_context():
        db.session.get(Room, house.room_ids[1]).requires_approval = True
        db.session.commit()
    _set_house(app, house.id, request_expiry_days=7)
    request = book(organiser, house.room_ids[1], days_ahead=30)
    assert _status(app, request) == "aangevraagd"

    _set_house(app, house.id, request_expiry_days=2)
    run_cli(runner, "expire_requests", datetime.now(UTC) + timedelta(days=3))
    assert _status(app, request) == "aangevraagd"  # it was given 7 days
    run_cli(runner, "expire_requests", datetime.now(UTC) + timedelta(days=8))
    assert _status(app, request) == "afgewezen"


def test_a_change_is_judged_by_the_settings_of_its_moment(app, make_house, make_user, book):
    """Changing a booking judges it again like a new one, so it takes today's settings."""
    from booking.services import booking_changes

    house, company = make_house(), make_user()
    _set_house(app, house.id, voorrangstermijn_days=14)
    booking_id = book(company, house.room_ids[0], days_ahead=20, what=activity("commercieel"))
    _set_house(app, house.id, voorrangstermijn_days=21)
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.voorrangstermijn_days == 14
        organiser = booking.organiser
        booking_changes.change_booking(
            booking_id,
            organiser,
            booking_changes.ChangeRequest(
                start=booking.start + timedelta(hours=3), end=booking.end + timedelta(hours=3)
            ),
            now=datetime.now(UTC),
        )
        db.session.commit()
        changed = db.session.get(Booking, booking_id)
        assert changed.voorrangstermijn_days == 21
        assert changed.status.value == "bevestigd"  # 20 days ahead: inside the new 21
