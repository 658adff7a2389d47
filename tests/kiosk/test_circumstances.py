"""What a visit row records besides its place, at a fixed moment: opening hours (in
Amsterdam wall-clock time, summer and winter), bursts per kiosk, a silent kiosk, and the
activity running in the room. The services take `now`, so nothing here depends on the
hour the suite runs at."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Kiosk, Room, User, Visit
from booking.rules.slots import local_to_utc
from booking.services import bookings
from kiosk import check_in, counting, pairing, places
from tests.conftest import activity, slot

SUMMER = date(2026, 7, 1)  # UTC+2
WINTER = date(2026, 12, 2)  # UTC+1


def at(day: date, clock: str) -> datetime:
    return local_to_utc(datetime.combine(day, time.fromisoformat(clock)))


@pytest.fixture
def house(make_house):
    return make_house()  # open 08:30-23:00 every day, two rooms


@pytest.fixture
def beheerder_id(house, make_user) -> int:
    return make_user("beheerder", house).id


def paired_kiosk(beheerder_id: int, room_id: int) -> int:
    now = datetime.now(UTC)
    made, code = pairing.create_kiosk(db.session.get(User, beheerder_id), room_id, now)
    db.session.commit()
    pairing.pair(code, now)
    db.session.commit()
    return made.id


@pytest.fixture
def kiosk_id(app, house, beheerder_id) -> int:
    """A paired kiosk in the first room of the house."""
    with app.app_context():
        return paired_kiosk(beheerder_id, house.room_ids[0])


def tap_at(kiosk_id: int, now: datetime) -> Visit:
    client_id = str(uuid.uuid4())
    kiosk = db.session.get(Kiosk, kiosk_id)
    assert check_in.tap(kiosk, client_id, None, now)
    db.session.commit()
    return db.session.scalars(select(Visit).where(Visit.client_id == client_id)).one()


@pytest.mark.parametrize("day", [SUMMER, WINTER])
@pytest.mark.parametrize(
    ("clock", "reason"),
    [
        ("08:29:59", "buiten_openingstijd"),
        ("08:30", ""),
        ("22:59:59", ""),
        ("23:00", "buiten_openingstijd"),
        ("03:00", "buiten_openingstijd"),
    ],
)
def test_opening_hours_are_read_in_amsterdam_time(app, kiosk_id, day, clock, reason) -> None:
    with app.app_context():
        visit = tap_at(kiosk_id, at(day, clock))
        assert visit.suspicious_reason == reason
        assert visit.suspicious is bool(reason)


def test_a_burst_is_flagged_from_the_thirtieth_earlier_visit_of_that_kiosk(app, kiosk_id) -> None:
    now = at(WINTER, "10:00:30")
    with app.app_context():
        reasons = [tap_at(kiosk_id, now).suspicious_reason for _ in range(31)]
        assert reasons == [""] * 30 + ["piek"]
        # A minute later, the window has moved on.
        assert tap_at(kiosk_id, now + timedelta(minutes=2)).suspicious_reason == ""


def test_another_kiosks_burst_does_not_count(app, house, beheerder_id, kiosk_id) -> None:
    now = at(WINTER, "10:00")
    with app.app_context():
        other = paired_kiosk(beheerder_id, house.room_ids[1])
        for _ in range(30):
            tap_at(kiosk_id, now)
        assert tap_at(other, now).suspicious_reason == ""
        assert tap_at(kiosk_id, now).suspicious_reason == "piek"


def test_a_qr_check_in_while_the_kiosk_is_silent_is_flagged(app, kiosk_id) -> None:
    now = at(WINTER, "11:00")
    with app.app_context():
        kiosk = db.session.get(Kiosk, kiosk_id)
        kiosk.last_seen_at = now - timedelta(minutes=6)
        db.session.commit()
        place = places.Place(kiosk.room, kiosk, "qr")
        first = check_in.check_in_phone(place, "a" * 30, now)
        db.session.commit()
        assert db.session.get(Visit, first.visit_id).suspicious_reason == "kiosk_stil"
        kiosk = db.session.get(Kiosk, kiosk_id)
        pairing.seen(kiosk, now)
        db.session.commit()
        place = places.Place(kiosk.room, kiosk, "qr")
        second = check_in.check_in_phone(place, "b" * 30, now)
        db.session.commit()
        assert db.session.get(Visit, second.visit_id).suspicious_reason == ""


def test_the_visit_belongs_to_the_activity_running_in_its_room(
    app, house, kiosk_id, make_user, book
) -> None:
    resident = make_user()
    here = book(resident, house.room_ids[0], days_ahead=2, start="10:00", end="12:00")
    book(resident, house.room_ids[1], days_ahead=2, start="13:00", end="15:00")
    start, end = slot(2, "10:00", "12:00")
    with app.app_context():
        assert tap_at(kiosk_id, start).booking_id == here
        assert tap_at(kiosk_id, end - timedelta(minutes=1)).booking_id == here
        assert tap_at(kiosk_id, end).booking_id is None  # the activity has ended
        assert tap_at(kiosk_id, slot(2, "14:00", "14:15")[0]).booking_id is None  # other room
        bookings.cancel_booking(
            here, db.session.get(User, resident.id), now=start - timedelta(hours=1)
        )
        db.session.commit()
        assert tap_at(kiosk_id, start + timedelta(minutes=30)).booking_id is None
        assert counting.running_activity(db.session.get(Room, house.room_ids[0]), start) is None


def test_running_activity_for_the_kiosk_screen(app, house, make_user, book) -> None:
    resident = make_user()
    booking_id = book(resident, house.room_ids[0], days_ahead=2, what=activity())
    start, _ = slot(2, "10:00", "12:00")
    with app.app_context():
        room = db.session.get(Room, house.room_ids[0])
        assert counting.running_activity(room, start + timedelta(hours=1)).id == booking_id
        assert counting.running_activity(room, start - timedelta(minutes=1)) is None
