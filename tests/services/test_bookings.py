"""Booking use cases on a real database (SQLite, and PostgreSQL when TEST_DB_URL is set)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from booking import errors
from booking.extensions import db
from booking.models import (
    AuditEntry,
    Booking,
    BookingSeries,
    Closure,
    OutboxMail,
    PriorityBlock,
    Room,
    User,
)
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import bookings
from booking.services.deadlines import confirm_provisional
from booking.services.quotes import quote
from booking.services.series import create_series
from tests.conftest import activity, local_day, slot


def user(ref):
    return db.session.get(User, ref.id)


def test_resident_books_the_huiskamer_for_free(app, make_house, make_user, book):
    house, resident = make_house(), make_user()
    booking_id = book(resident, house.room_ids[0])
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert (booking.status, booking.tariff_group, booking.priority_class) == (
            "bevestigd",
            "T1",
            1,
        )
        assert booking.amount_cents == 0
        assert booking.list_price_cents == 2 * 2000  # what T3 would have cost: 2 h at € 20,00
        mail = db.session.scalars(select(OutboxMail)).one()
        assert mail.subject.startswith("Boeking bevestigd")
        assert db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "booking")
        ).all() == ["booking_created"]


def test_association_pays_the_t3_rate(app, make_house, make_user, book):
    house, choir = make_house(), make_user()
    booking_id = book(
        choir, house.room_ids[1], start="19:30", end="22:00", what=activity("vereniging")
    )
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert (booking.tariff_group, booking.priority_class) == ("T3", 3)
        assert booking.amount_cents == 5 * 1250  # 2,5 h of € 25,00 per started half hour
        assert booking.status == "bevestigd"  # inside the 14-day window


def test_company_far_ahead_is_provisional_and_gives_way_to_residents(
    app, make_house, make_user, book
):
    house, company, resident = make_house(), make_user(), make_user()
    provisional = book(company, house.room_ids[0], days_ahead=30, what=activity("commercieel"))
    winner = book(resident, house.room_ids[0], days_ahead=30, start="11:00", end="13:00")
    with app.app_context():
        old, new = db.session.get(Booking, provisional), db.session.get(Booking, winner)
        assert old.status == "verdrongen" and old.displaced_by_id == new.id
        assert (
            "klasse 4"
            in json.loads(old.status_reason)["template"]
            % dict(json.loads(old.status_reason)["params"])
            or old.status_reason
        )
        assert new.status == "bevestigd" and new.tariff_group == "T1"
        mails = db.session.scalars(
            select(OutboxMail).where(OutboxMail.kind == "booking_displaced")
        ).all()
        assert len(mails) == 1 and mails[0].to_address == company.email
        assert "Misschien past een van deze mogelijkheden" in mails[0].body_text
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert "booking_displaced" in actions


def test_inside_the_window_nothing_is_displaced(app, make_house, make_user, book):
    house, company, resident = make_house(), make_user(), make_user()
    book(company, house.room_ids[0], days_ahead=5, what=activity("commercieel"))
    with pytest.raises(errors.SlotTaken) as taken:
        book(resident, house.room_ids[0], days_ahead=5)
    assert len(taken.value.conflicts) == 1
    assert {a.kind for a in taken.value.alternatives} >= {
        "zelfde_ruimte_ander_tijdstip",
        "andere_ruimte",
    }


@pytest.mark.parametrize(
    "first,second",
    [("commercieel", "commercieel"), ("bewoners", "vereniging"), ("vereniging", "commercieel")],
)
def test_equal_or_worse_classes_never_displace(app, make_house, make_user, book, first, second):
    house, a, b = make_house(), make_user(), make_user()
    book(a, house.room_ids[0], days_ahead=40, what=activity(first))
    with pytest.raises(errors.SlotTaken):
        book(b, house.room_ids[0], days_ahead=40, what=activity(second))


def test_a_conflict_offers_another_house_nearby(app, make_house, make_user, book):
    lith, other = make_house("lith", rooms=1), make_house("ook-lith", rooms=1)
    a, b = make_user(), make_user()
    book(a, lith.room_ids[0])
    with pytest.raises(errors.SlotTaken) as taken:
        book(b, lith.room_ids[0])
    kinds = {alt.kind: alt for alt in taken.value.alternatives}
    assert kinds["ander_huis"].room.id == other.room_ids[0]
    assert len(taken.value.alternatives) <= 3


def test_adjacent_bookings_are_allowed(app, make_house, make_user, book):
    house, a, b = make_house(), make_user(), make_user()
    book(a, house.room_ids[0], start="10:00", end="12:00")
    book(b, house.room_ids[0], start="12:00", end="13:00")


def test_cancelled_bookings_free_the_slot(app, make_house, make_user, book):
    house, a, b = make_house(), make_user(), make_user()
    first = book(a, house.room_ids[0])
    with app.app_context():
        bookings.cancel_booking(first, user(a), now=datetime.now(UTC))
        db.session.commit()
    book(b, house.room_ids[0])


@pytest.mark.parametrize(
    "start,end,fragment",
    [
        ("10:05", "12:00", "kwartier"),
        ("07:00", "09:00", "openingstijd"),
        ("22:00", "23:30", "openingstijd"),
        ("12:00", "10:00", "na de begintijd"),
        ("10:00", "10:15", "minstens"),
    ],
)
def test_slot_rules_are_refused_with_dutch_reasons(
    app, make_house, make_user, book, start, end, fragment
):
    house, a = make_house(), make_user()
    with pytest.raises(errors.RuleViolation) as refused:
        book(a, house.room_ids[0], start=start, end=end)
    from booking.rules.messages import render

    assert any(fragment in render(m) for m in refused.value.problems), refused.value.problems
    with app.app_context():
        assert db.session.query(Booking).count() == 0


def test_closures_and_the_past_are_refused(app, make_house, make_user, book):
    house, a = make_house(), make_user()
    begin, finish = slot(4, "08:30", "23:00")
    with app.app_context():
        db.session.add(
            Closure(house_id=house.id, starts_at=begin, ends_at=finish, reason="Kerstvakantie")
        )
        db.session.commit()
    with pytest.raises(errors.RuleViolation, match="gesloten"):
        book(a, house.room_ids[0], days_ahead=4)
    with pytest.raises(errors.RuleViolation, match="verleden"):
        book(a, house.room_ids[0], days_ahead=-2)


def test_titles_are_required_and_limited(app, make_house, make_user, book):
    house, a = make_house(), make_user()
    with pytest.raises(errors.RuleViolation):
        book(a, house.room_ids[0], title="   ")
    with pytest.raises(errors.RuleViolation):
        book(a, house.room_ids[0], title="x" * 100_000)


def test_unknown_room_is_not_found(app, make_user, book):
    with pytest.raises(errors.NotFound):
        book(make_user(), 999_999)


def test_voorrangsblok_is_for_residents_only(app, make_house, make_user, book):
    house, company, resident = make_house(), make_user(), make_user()
    weekday = local_day(3).weekday()
    with app.app_context():
        db.session.add(
            PriorityBlock(
                room_id=house.room_ids[0],
                weekday=weekday,
                starts=time(10),
                ends=time(12),
                note="Huiskamer",
            )
        )
        db.session.commit()
    with pytest.raises(errors.RuleViolation, match="voorrangsblok"):
        book(company, house.room_ids[0], what=activity("vereniging"))
    book(resident, house.room_ids[0])


def test_approval_flow(app, make_house, make_user, book):
    house, a, beheerder = make_house(), make_user(), None
    with app.app_context():
        db.session.get(Room, house.room_ids[1]).requires_approval = True
        db.session.commit()
    beheerder = make_user("beheerder", house)
    requested = book(a, house.room_ids[1])
    rejected = book(a, house.room_ids[1], start="14:00", end="15:00")
    with app.app_context():
        assert db.session.get(Booking, requested).status == "aangevraagd"
        with pytest.raises(errors.RuleViolation):
            bookings.decide_request(
                rejected, user(beheerder), approve=False, reason=" ", now=datetime.now(UTC)
            )
        db.session.rollback()
        bookings.decide_request(
            requested, user(beheerder), approve=True, reason="", now=datetime.now(UTC)
        )
        bookings.decide_request(
            rejected,
            user(beheerder),
            approve=False,
            reason="Zaal in onderhoud",
            now=datetime.now(UTC),
        )
        db.session.commit()
        assert db.session.get(Booking, requested).status == "bevestigd"
        assert db.session.get(Booking, rejected).status == "afgewezen"
        kinds = set(db.session.scalars(select(OutboxMail.kind)))
        assert {"booking_approved", "booking_rejected", "booking_aangevraagd"} <= kinds


def test_only_a_beheerder_of_the_house_decides(app, make_house, make_user, book):
    house, other = make_house(), make_house()
    a, stranger = make_user(), make_user("beheerder", other)
    with app.app_context():
        db.session.get(Room, house.room_ids[1]).requires_approval = True
        db.session.commit()
    requested = book(a, house.room_ids[1])
    with app.app_context(), pytest.raises(errors.NotFound):
        bookings.decide_request(
            requested, user(stranger), approve=True, reason="", now=datetime.now(UTC)
        )


def test_override_needs_a_reason_and_reprices(app, make_house, make_user, book):
    house, a = make_house(), make_user()
    beheerder = make_user("beheerder", house)
    booking_id = book(a, house.room_ids[0])
    with app.app_context():
        with pytest.raises(errors.RuleViolation):
            bookings.override_tariff(
                booking_id,
                user(beheerder),
                tariff_group="T3",
                priority_class=3,
                reason="",
                now=datetime.now(UTC),
            )
        db.session.rollback()
        bookings.override_tariff(
            booking_id,
            user(beheerder),
            tariff_group="T3",
            priority_class=3,
            reason="Besloten groep",
            now=datetime.now(UTC),
        )
        db.session.commit()
        booking = db.session.get(Booking, booking_id)
        assert (booking.tariff_group, booking.amount_cents, booking.override_reason) == (
            "T3",
            4000,
            "Besloten groep",
        )
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "booking_overridden")
        ).one()
        assert entry.reason == "Besloten groep"


def test_others_cannot_see_or_cancel_a_booking(app, make_house, make_user, book):
    house, a, b = make_house(), make_user(), make_user()
    booking_id = book(a, house.room_ids[0])
    with app.app_context():
        with pytest.raises(errors.NotFound):
            bookings.visible_booking(booking_id, user(b), datetime.now(UTC))
        with pytest.raises(errors.NotFound):
            bookings.cancel_booking(booking_id, user(b), now=datetime.now(UTC))
        db.session.rollback()
        assert db.session.get(Booking, booking_id).status == "bevestigd"


def test_weekly_series_keeps_its_wall_clock_time(app, make_house, make_user):
    house, resident = make_house(), make_user()
    begin, finish = slot(3)
    rule = Recurrence(Frequency.weekly, 1, local_day(3 + 7 * 5))
    with app.app_context():
        result = create_series(
            user(resident),
            house.room_ids[0],
            begin,
            finish,
            "Koffieochtend",
            True,
            activity(),
            rule,
            now=datetime.now(UTC),
        )
        db.session.commit()
        assert len(result.occurrences) == 6 and not result.conflicts
        series = db.session.scalars(select(BookingSeries)).one()
        local_starts = {b.start.astimezone(AMSTERDAM).time() for b in series.bookings}
        assert local_starts == {time(10)}
        assert {b.status for b in series.bookings} == {"bevestigd"}


def test_series_lists_conflicting_occurrences(app, make_house, make_user, book):
    house, resident, other = make_house(), make_user(), make_user()
    book(other, house.room_ids[0], days_ahead=10)
    begin, finish = slot(3)
    rule = Recurrence(Frequency.weekly, 1, local_day(3 + 14))
    with app.app_context():
        result = create_series(
            user(resident),
            house.room_ids[0],
            begin,
            finish,
            "Koffieochtend",
            True,
            activity(),
            rule,
            now=datetime.now(UTC),
        )
        db.session.commit()
        assert len(result.occurrences) == 2 and len(result.conflicts) == 1
        assert result.conflicts[0].start == slot(10)[0]


def test_cancel_rest_of_series(app, make_house, make_user):
    house, resident = make_house(), make_user()
    begin, finish = slot(3)
    with app.app_context():
        result = create_series(
            user(resident),
            house.room_ids[0],
            begin,
            finish,
            "Breien",
            False,
            activity(),
            Recurrence(Frequency.weekly, 1, local_day(31)),
            now=datetime.now(UTC),
        )
        db.session.commit()
        second = result.occurrences[1].booking.id
        cancelled = bookings.cancel_rest_of_series(second, user(resident), now=datetime.now(UTC))
        db.session.commit()
        statuses = [b.status for b in db.session.scalars(select(Booking).order_by(Booking.start))]
        assert statuses[0] == "bevestigd" and set(statuses[1:]) == {"geannuleerd"}
        assert len(cancelled) == len(statuses) - 1


def test_series_beyond_a_year_is_refused(app, make_house, make_user):
    from booking.rules.recurrence import RecurrenceError

    house, resident = make_house(), make_user()
    begin, finish = slot(3)
    with app.app_context(), pytest.raises(RecurrenceError):
        create_series(
            user(resident),
            house.room_ids[0],
            begin,
            finish,
            "Te lang",
            False,
            activity(),
            Recurrence(Frequency.weekly, 1, local_day(400)),
            now=datetime.now(UTC),
        )


def test_a_booking_across_the_october_dst_change_has_its_real_length(app, make_house, make_user):
    house, choir = make_house(), make_user()
    with app.app_context():
        room = db.session.get(Room, house.room_ids[0])
        room.house.opening_hours[6].opens = time(0, 30)  # Sunday from 00:30
        db.session.commit()
        begin = local_to_utc(datetime(2027, 10, 31, 1, 0))
        end = local_to_utc(datetime(2027, 10, 31, 4, 0))
        now = datetime(2027, 10, 25, tzinfo=UTC)
        booked = bookings.create_booking(
            user(choir), room.id, begin, end, "Nachtzingen", False, activity("vereniging"), now=now
        )
        db.session.commit()
        assert booked.booking.end - booked.booking.start == timedelta(hours=4)
        assert booked.booking.amount_cents == 8 * 1000  # 8 half hours of € 20,00 per hour


def test_confirm_provisional_confirms_what_the_window_reached(app, make_house, make_user, book):
    house, company = make_house(), make_user()
    near = book(company, house.room_ids[0], days_ahead=20, what=activity("commercieel"))
    far = book(company, house.room_ids[0], days_ahead=40, what=activity("commercieel"))
    with app.app_context():
        later = datetime.now(UTC) + timedelta(days=7)
        assert confirm_provisional(later) == [near]
        db.session.commit()
        assert confirm_provisional(later) == []  # idempotent
        db.session.commit()
        assert db.session.get(Booking, near).status == "bevestigd"
        assert db.session.get(Booking, far).status == "onder_voorbehoud"


def test_quote_shows_group_class_price_and_reasons(app, make_house):
    house = make_house()
    begin, finish = slot(30)
    with app.app_context():
        result = quote(
            house.room_ids[0], begin, finish, activity("commercieel"), now=datetime.now(UTC)
        )
        assert (result.decision.tariff_group, int(result.decision.priority_class)) == ("T4", 4)
        assert result.price.amount_cents == 6000  # 2 h at 150 % of € 20,00
        assert result.status == "onder_voorbehoud"
        assert result.decision.reasons and not result.problems
        assert date.today() < finish.date()


def test_a_deadlock_between_two_inserts_is_a_lost_slot_not_an_error() -> None:
    """PostgreSQL can break a deadlock between two inserts that each check the other
    against the exclusion constraint (40P01); the loser gets 409 like any conflict."""
    from sqlalchemy.exc import OperationalError

    from booking.services.bookings import _lost_the_slot

    class Deadlock(Exception):
        sqlstate = "40P01"

    class Cancelled(Exception):
        sqlstate = "57014"

    assert _lost_the_slot(OperationalError("INSERT INTO booking", {}, Deadlock()))
    assert not _lost_the_slot(OperationalError("INSERT INTO booking", {}, Cancelled()))
