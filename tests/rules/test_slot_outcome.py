"""What the calendar says about one date of a quote (booking/rules/slot_outcome.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.messages import Message, render
from booking.rules.priority import may_displace
from booking.rules.slot_outcome import (
    Occupant,
    OutcomeKind,
    classify,
    fingerprint,
    summary,
)
from booking.rules.statuses import BookingStatus, PriorityClass

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=30)
END = START + timedelta(hours=2)
WINDOW = 14
ONE, TWO, THREE, FOUR = (PriorityClass(n) for n in (1, 2, 3, 4))
PROVISIONAL, CONFIRMED = BookingStatus.onder_voorbehoud, BookingStatus.bevestigd


def occupant(n=1, start=START, hours=2, status=PROVISIONAL, cls=THREE, window=WINDOW):
    return Occupant(n, start, start + timedelta(hours=hours), BookingStatus(status), cls, window)


def judge(*occupants, new_class=ONE, new_status=CONFIRMED, start=START, problems=()):
    return classify(
        start,
        start + timedelta(hours=2),
        new_class=new_class,
        new_status=new_status,
        occupants=occupants,
        now=NOW,
        window_days=WINDOW,
        problems=problems,
    )


def test_free_and_confirmed_is_vrij():
    outcome = judge()
    assert outcome.kind is OutcomeKind.vrij and outcome.bookable
    assert render(summary(outcome)) == "vrij"


def test_free_but_provisional_says_until_when():
    outcome = judge(new_class=THREE, new_status=PROVISIONAL)
    assert outcome.kind is OutcomeKind.onder_voorbehoud
    assert outcome.provisional_until == START - timedelta(days=WINDOW)
    assert "onder voorbehoud tot 17 december 2026" in render(summary(outcome))


def test_a_lower_provisional_booking_outside_the_window_is_displaced_with_the_rule():
    other = occupant(7, start=START + timedelta(hours=1), cls=THREE)
    outcome = judge(other, new_class=ONE)
    assert outcome.kind is OutcomeKind.verdringt and outcome.bookable
    assert outcome.displaced == (other,) and outcome.blocking == ()
    why = render(outcome.reasons[0])
    assert "klasse 1" in why and "klasse 3" in why and "voorrangstermijn" in why
    assert "verdringt 1" in render(summary(outcome))


def test_a_confirmed_booking_is_in_the_way():
    outcome = judge(occupant(status=CONFIRMED, cls=FOUR))
    assert outcome.kind is OutcomeKind.bezet and not outcome.bookable
    assert outcome.blocking[0].booking_id == 1


def test_the_same_class_cannot_displace():
    assert judge(occupant(cls=TWO), new_class=TWO).kind is OutcomeKind.bezet


def test_inside_the_window_nothing_is_displaced_any_more():
    near = NOW + timedelta(days=WINDOW - 1)
    outcome = judge(occupant(start=near, cls=FOUR), new_class=ONE, start=near)
    assert outcome.kind is OutcomeKind.bezet


def test_one_blocker_makes_the_date_taken_even_with_displaceable_ones():
    outcome = judge(occupant(1, cls=FOUR), occupant(2, status=CONFIRMED, cls=FOUR))
    assert outcome.kind is OutcomeKind.bezet
    assert [o.booking_id for o in outcome.blocking] == [2]


def test_bookings_of_other_dates_do_not_count():
    elsewhere = occupant(start=START + timedelta(days=7), status=CONFIRMED)
    touching = occupant(2, start=END, status=CONFIRMED)  # starts when ours ends
    assert judge(elsewhere, touching).kind is OutcomeKind.vrij


def test_rule_problems_come_first():
    problem = Message("Het huis is dan gesloten.")
    outcome = judge(occupant(status=CONFIRMED), problems=[problem])
    assert outcome.kind is OutcomeKind.niet_mogelijk and outcome.reasons == (problem,)


def test_a_displacing_booking_that_is_itself_provisional_says_so():
    outcome = judge(occupant(cls=FOUR), new_class=TWO, new_status=PROVISIONAL)
    assert outcome.kind is OutcomeKind.verdringt and outcome.provisional_until is not None


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        classify(
            START.replace(tzinfo=None),
            END,
            new_class=ONE,
            new_status=CONFIRMED,
            occupants=(),
            now=NOW,
            window_days=WINDOW,
        )


def test_the_fingerprint_changes_with_the_calendar():
    free = judge()
    displaced = judge(occupant(3, cls=FOUR))
    other_displaced = judge(occupant(4, cls=FOUR))
    taken = judge(occupant(3, status=CONFIRMED))
    prints = {fingerprint([x]) for x in (free, displaced, other_displaced, taken)}
    assert len(prints) == 4
    assert fingerprint([free, taken]) != fingerprint([taken, free])
    assert fingerprint([judge()]) == fingerprint([free])


statuses = st.sampled_from(list(BookingStatus))
classes = st.sampled_from([ONE, TWO, THREE, FOUR])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-180, 180), st.integers(15, 300), statuses, classes, st.integers(0, 60)
        ),
        max_size=5,
    ),
    classes,
    st.integers(-5, 60),
)
def test_outcome_agrees_with_the_voorrang_rule(others, new_class, days_ahead):
    """Bezet iff some overlapping booking may not be displaced; verdringt names exactly the
    overlapping ones that may; never both a displaced and a blocking list. Each occupant is
    judged by its own frozen voorrangstermijn, whatever the new booking's is."""
    start = NOW + timedelta(days=days_ahead)
    end = start + timedelta(hours=2)
    occupants = [
        Occupant(i, start + timedelta(minutes=m), start + timedelta(minutes=m + length), s, c, w)
        for i, (m, length, s, c, w) in enumerate(others)
    ]
    outcome = classify(
        start,
        end,
        new_class=new_class,
        new_status=CONFIRMED,
        occupants=occupants,
        now=NOW,
        window_days=WINDOW,
    )
    overlapping = [o for o in occupants if o.start < end and start < o.end]
    movable = [
        o
        for o in overlapping
        if may_displace(new_class, o.priority_class, o.status, o.start, NOW, o.window_days)
    ]
    if len(movable) < len(overlapping):
        assert outcome.kind is OutcomeKind.bezet and not outcome.displaced
        assert {o.booking_id for o in outcome.blocking} == {
            o.booking_id for o in overlapping if o not in movable
        }
    elif movable:
        assert outcome.kind is OutcomeKind.verdringt
        assert {o.booking_id for o in outcome.displaced} == {o.booking_id for o in movable}
    else:
        assert outcome.kind is OutcomeKind.vrij
