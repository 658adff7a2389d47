"""The database itself forbids overlapping active bookings (PostgreSQL), and a lost race
that only the constraint catches still becomes a clean conflict answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from booking import errors
from booking.database import constraint_name
from booking.extensions import db
from booking.models import Booking, User
from booking.services import bookings
from tests.conftest import ON_POSTGRES, activity, slot

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="the exclusion constraint is PostgreSQL's")


def raw_booking(room_id: int, organiser_id: int, status: str, start: str, end: str) -> Booking:
    begin, finish = slot(6, start, end)
    return Booking(
        room_id=room_id,
        organiser_id=organiser_id,
        title="Rauw",
        public=False,
        start=begin,
        end=finish,
        status=status,
        tariff_group="T3",
        priority_class=3,
        amount_cents=0,
        list_price_cents=0,
        organiser_kind="vereniging",
        open_to_all=False,
        membership_required=True,
        contribution_cents=0,
        profit_making=False,
        subsidised=False,
        mainly_meeting=False,
        gives_in_return=False,
    )


def test_constraint_refuses_overlap_but_allows_cancelled_and_adjacent(app, make_house, make_user):
    house, organiser = make_house(), make_user()
    room = house.room_ids[0]
    with app.app_context():
        db.session.add(raw_booking(room, organiser.id, "bevestigd", "10:00", "12:00"))
        db.session.add(raw_booking(room, organiser.id, "geannuleerd", "11:00", "13:00"))
        db.session.add(raw_booking(room, organiser.id, "onder_voorbehoud", "12:00", "13:00"))
        db.session.commit()
        db.session.add(raw_booking(room, organiser.id, "aangevraagd", "11:45", "12:15"))
        with pytest.raises(IntegrityError) as refused:
            db.session.commit()
        assert constraint_name(refused.value) == "ex_booking_no_overlap"
        db.session.rollback()


def test_a_race_caught_only_by_the_constraint_is_a_conflict(
    app, make_house, make_user, book, monkeypatch
):
    house, first, second = make_house(), make_user(), make_user()
    book(first, house.room_ids[0], days_ahead=6)
    # The other commit came late: the overlap check saw nothing.
    monkeypatch.setattr(bookings, "split_overlapping", lambda *args: ([], []))
    begin, finish = slot(6)
    with app.app_context():
        with pytest.raises(errors.SlotTaken) as taken:
            bookings.create_booking(
                db.session.get(User, second.id),
                house.room_ids[0],
                begin,
                finish,
                "Te laat",
                False,
                activity(),
                now=datetime.now(UTC),
            )
        assert len(taken.value.conflicts) == 1
        db.session.rollback()
        assert db.session.query(Booking).count() == 1
