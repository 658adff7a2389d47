"""services/booking_changes.py: a change is judged like a new booking, keeps the booking's
identity, may displace, covers the rest of a series, and refuses whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from booking.errors import NotFound, RuleViolation, SlotTaken
from booking.extensions import db
from booking.models import Booking, Room, User
from booking.rules.permissions import Role
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.slots import AMSTERDAM
from booking.rules.statuses import BookingStatus
from booking.services import series
from booking.services.booking_changes import ChangeRequest, change_booking, preview_change
from tests.conftest import activity, local_day, slot


def _user(ref):
    return db.session.get(User, ref.id)


def now():
    return datetime.now(UTC)


def test_move_to_an_approval_room_makes_it_a_request(app, make_house, make_user, book):
    house = make_house()
    user = make_user()
    booking_id = book(user, house.room_ids[0], what=activity("vereniging"))
    with app.app_context():
        db.session.get(Room, house.room_ids[1]).requires_approval = True
        db.session.flush()
        changed = change_booking(
            booking_id, _user(user), ChangeRequest(room_id=house.room_ids[1]), now=now()
        )
        booking = changed.bookings[0]
        assert booking.id == booking_id
        assert booking.room_id == house.room_ids[1]
        assert booking.status == BookingStatus.aangevraagd
        assert booking.sequence == 1


def test_resident_activity_displaces_a_provisional_booking(app, make_house, make_user, book):
    house = make_house()
    club, residents = make_user(), make_user()
    far = 40  # outside the voorrangstermijn: the club's booking is provisional
    provisional = book(club, house.room_ids[0], days_ahead=far, what=activity("vereniging"))
    mine = book(residents, house.room_ids[0], days_ahead=far + 1)
    with app.app_context():
        assert db.session.get(Booking, provisional).status == BookingStatus.onder_voorbehoud
        start, end = slot(far)
        plans = preview_change(
            mine, _user(residents), ChangeRequest(start=start, end=end), now=now()
        )
        assert [b.id for b in plans[0].displaceable] == [provisional]
        assert db.session.get(Booking, provisional).status == BookingStatus.onder_voorbehoud
        changed = change_booking(
            mine, _user(residents), ChangeRequest(start=start, end=end), now=now()
        )
        assert [b.id for b in changed.displaced] == [provisional]
        assert db.session.get(Booking, provisional).status == BookingStatus.verdrongen
        assert db.session.get(Booking, provisional).displaced_by_id == mine


def test_rest_of_series_moves_every_later_occurrence(app, make_house, make_user):
    house = make_house()
    user = make_user()
    with app.app_context():
        start, end = slot(3, "19:00", "21:00")
        made = series.create_series(
            _user(user),
            house.room_ids[0],
            start,
            end,
            "Koor",
            True,
            activity(),
            Recurrence(Frequency.weekly, 1, local_day(3 + 21)),
            now=now(),
        )
        ids = [o.booking.id for o in made.occurrences]
        assert len(ids) == 4
        second = db.session.get(Booking, ids[1])
        new_start = second.start + timedelta(hours=1)
        changed = change_booking(
            ids[1],
            _user(user),
            ChangeRequest(start=new_start, end=new_start + timedelta(hours=2), rest_of_series=True),
            now=now(),
        )
        assert [b.id for b in changed.bookings] == ids[1:]
        first = db.session.get(Booking, ids[0])
        assert first.start.astimezone(AMSTERDAM).hour == 19 and first.sequence == 0
        for booking_id in ids[1:]:
            b = db.session.get(Booking, booking_id)
            assert b.start.astimezone(AMSTERDAM).hour == 20
            assert b.sequence == 1


def test_a_taken_later_date_refuses_the_whole_series_change(app, make_house, make_user, book):
    house = make_house()
    user, other = make_user(), make_user()
    with app.app_context():
        start, end = slot(3, "19:00", "21:00")
        made = series.create_series(
            _user(user),
            house.room_ids[0],
            start,
            end,
            "Koor",
            True,
            activity(),
            Recurrence(Frequency.weekly, 1, local_day(3 + 14)),
            now=now(),
        )
        ids = [o.booking.id for o in made.occurrences]
        db.session.commit()
    book(other, house.room_ids[0], days_ahead=3 + 14, start="21:00", end="22:00")
    with app.app_context():
        first = db.session.get(Booking, ids[0])
        before = [(b.start, b.sequence) for b in (db.session.get(Booking, i) for i in ids)]
        moved = first.start + timedelta(hours=1)
        with pytest.raises(SlotTaken):
            change_booking(
                ids[0],
                _user(user),
                ChangeRequest(start=moved, end=moved + timedelta(hours=2), rest_of_series=True),
                now=now(),
            )
        db.session.rollback()
        after = [(b.start, b.sequence) for b in (db.session.get(Booking, i) for i in ids)]
        assert after == before


def test_staff_stay_in_their_house_and_others_see_nothing(app, make_house, make_user, book):
    house, elsewhere = make_house(), make_house()
    user = make_user()
    beheerder = make_user(Role.beheerder, house)
    beheerder_b = make_user(Role.beheerder, elsewhere)
    booking_id = book(user, house.room_ids[0])
    with app.app_context():
        with pytest.raises(NotFound):
            change_booking(booking_id, _user(beheerder_b), ChangeRequest(title="x"), now=now())
        with pytest.raises(NotFound):
            change_booking(
                booking_id,
                _user(beheerder_b),
                ChangeRequest(title="x"),
                now=now(),
                house_slug=elsewhere.slug,
            )
        with pytest.raises(RuleViolation):
            change_booking(
                booking_id,
                _user(beheerder),
                ChangeRequest(room_id=elsewhere.room_ids[0]),
                now=now(),
                house_slug=house.slug,
            )
        changed = change_booking(
            booking_id,
            _user(beheerder),
            ChangeRequest(title="Nieuw"),
            now=now(),
            house_slug=house.slug,
        )
        assert changed.bookings[0].title == "Nieuw"
        assert changed.bookings[0].organiser_id == user.id


def test_a_started_booking_cannot_change(app, make_house, make_user, book):
    house = make_house()
    user = make_user()
    booking_id = book(user, house.room_ids[0], days_ahead=2)
    with app.app_context():
        later = db.session.get(Booking, booking_id).start + timedelta(minutes=5)
        with pytest.raises(RuleViolation) as refused:
            change_booking(booking_id, _user(user), ChangeRequest(title="Te laat"), now=later)
        assert refused.value.code == "niet_wijzigbaar"
