from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.messages import render
from booking.rules.priority import (
    PriorityBlock,
    blocked_by_priority_block,
    displacement_reason,
    initial_status,
    is_inside_window,
    may_displace,
    priority_window_closes_at,
)
from booking.rules.statuses import BookingStatus, PriorityClass

FAST = settings(max_examples=200, deadline=None, database=None)
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=AMS)
WINDOW = 14
FAR = NOW + timedelta(days=30)
NEAR = NOW + timedelta(days=3)

moments = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2028, 1, 1),
    timezones=st.just(AMS),
    allow_imaginary=False,
)
classes = st.sampled_from(PriorityClass)
statuses = st.sampled_from(BookingStatus)
windows = st.integers(min_value=0, max_value=60)


# --- the window ----------------------------------------------------------------------------


def test_window_closes_window_days_before_start_in_utc() -> None:
    closes = priority_window_closes_at(FAR, WINDOW)
    assert closes == FAR - timedelta(days=WINDOW)
    assert closes.tzinfo is UTC


def test_window_is_measured_in_real_time_across_dst() -> None:
    start = datetime(2026, 11, 1, 19, 0, tzinfo=AMS)  # 18:00Z, after the autumn change
    assert priority_window_closes_at(start, 14) == datetime(2026, 10, 18, 18, 0, tzinfo=UTC)


def test_inside_window_boundary_is_inclusive() -> None:
    closes = priority_window_closes_at(FAR, WINDOW)
    assert is_inside_window(FAR, closes, WINDOW)
    assert not is_inside_window(FAR, closes - timedelta(seconds=1), WINDOW)


def test_a_booking_that_already_started_is_inside() -> None:
    assert is_inside_window(NOW - timedelta(hours=1), NOW, WINDOW)


def test_window_of_zero_days_is_reached_at_start() -> None:
    assert not is_inside_window(NOW + timedelta(minutes=1), NOW, 0)
    assert is_inside_window(NOW, NOW, 0)


def test_negative_window_and_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        priority_window_closes_at(FAR, -1)
    with pytest.raises(ValueError):
        is_inside_window(FAR, datetime(2026, 6, 1), WINDOW)


# --- initial status ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "start", "approval", "expected"),
    [
        (1, FAR, False, BookingStatus.bevestigd),
        (1, NEAR, False, BookingStatus.bevestigd),
        (1, FAR, True, BookingStatus.aangevraagd),
        (2, NEAR, False, BookingStatus.bevestigd),
        (4, NEAR, False, BookingStatus.bevestigd),
        (2, FAR, False, BookingStatus.onder_voorbehoud),
        (3, FAR, False, BookingStatus.onder_voorbehoud),
        (4, FAR, False, BookingStatus.onder_voorbehoud),
        (4, NEAR, True, BookingStatus.aangevraagd),
    ],
)
def test_initial_status(cls: int, start: datetime, approval: bool, expected: str) -> None:
    assert initial_status(PriorityClass(cls), start, NOW, WINDOW, approval) is expected


def test_initial_status_at_the_window_boundary() -> None:
    start = NOW + timedelta(days=WINDOW)
    assert initial_status(PriorityClass.REGULIER, start, NOW, WINDOW, False) == "bevestigd"
    later = start + timedelta(minutes=15)
    assert initial_status(PriorityClass.REGULIER, later, NOW, WINDOW, False) == "onder_voorbehoud"


@FAST
@given(moments, moments, windows)
def test_class_1_without_approval_is_always_confirmed(
    start: datetime, now: datetime, window: int
) -> None:
    status = initial_status(PriorityClass.DOOR_EN_VOOR_BEWONERS, start, now, window, False)
    assert status is BookingStatus.bevestigd


# --- displacement --------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["onder_voorbehoud", "aangevraagd"])
def test_better_class_displaces_provisional_booking_outside_window(status: str) -> None:
    assert may_displace(1, 4, BookingStatus(status), FAR, NOW, WINDOW)
    assert may_displace(2, 3, BookingStatus(status), FAR, NOW, WINDOW)


@pytest.mark.parametrize("status", ["bevestigd", "geannuleerd", "verdrongen", "afgewezen"])
def test_only_provisional_or_requested_bookings_can_be_displaced(status: str) -> None:
    assert not may_displace(1, 4, BookingStatus(status), FAR, NOW, WINDOW)


@pytest.mark.parametrize(("new", "existing"), [(2, 2), (3, 2), (4, 1), (1, 1)])
def test_equal_or_worse_class_never_displaces(new: int, existing: int) -> None:
    assert not may_displace(new, existing, BookingStatus.onder_voorbehoud, FAR, NOW, WINDOW)


def test_nothing_is_displaced_once_the_window_reached_it() -> None:
    assert not may_displace(1, 4, BookingStatus.onder_voorbehoud, NEAR, NOW, WINDOW)
    closes = priority_window_closes_at(FAR, WINDOW)
    assert not may_displace(1, 4, BookingStatus.onder_voorbehoud, FAR, closes, WINDOW)
    just_before = closes - timedelta(seconds=1)
    assert may_displace(1, 4, BookingStatus.onder_voorbehoud, FAR, just_before, WINDOW)


@FAST
@given(classes, classes, statuses, moments, moments, windows)
def test_may_displace_is_never_true_for_equal_or_worse_class(
    new: PriorityClass,
    existing: PriorityClass,
    status: BookingStatus,
    start: datetime,
    now: datetime,
    window: int,
) -> None:
    if may_displace(new, existing, status, start, now, window):
        assert new < existing
        assert status in {BookingStatus.onder_voorbehoud, BookingStatus.aangevraagd}
        assert not is_inside_window(start, now, window)
    if new >= existing:
        assert not may_displace(new, existing, status, start, now, window)


def test_displacement_reason_names_both_classes() -> None:
    reason = displacement_reason(PriorityClass(1), PriorityClass(4))
    assert render(reason) == (
        "Verdrongen door een activiteit met voorrang (klasse 1: door en voor bewoners); "
        "uw boeking had klasse 4 (commercieel) en lag nog buiten de voorrangstermijn."
    )
    assert reason.params["new_class"] == 1


# --- voorrangsblokken ----------------------------------------------------------------------

HUISKAMER = PriorityBlock(weekday=3, start=time(10, 0), end=time(12, 0))  # Thursday
THURSDAY = datetime(2026, 6, 4, tzinfo=AMS)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.mark.parametrize(
    ("start", "end"),
    [((11, 0), (13, 0)), ((9, 0), (10, 15)), ((10, 0), (12, 0)), ((8, 0), (18, 0))],
)
def test_block_keeps_out_lower_classes(start: tuple[int, int], end: tuple[int, int]) -> None:
    booking = (at(THURSDAY, *start), at(THURSDAY, *end))
    for cls in (2, 3, 4):
        assert blocked_by_priority_block(cls, *booking, [HUISKAMER]) == HUISKAMER


def test_class_1_is_never_blocked() -> None:
    assert blocked_by_priority_block(1, at(THURSDAY, 10), at(THURSDAY, 12), [HUISKAMER]) is None


@pytest.mark.parametrize(("start", "end"), [((12, 0), (13, 0)), ((8, 0), (10, 0))])
def test_adjacent_booking_is_not_blocked(start: tuple[int, int], end: tuple[int, int]) -> None:
    booking = (at(THURSDAY, *start), at(THURSDAY, *end))
    assert blocked_by_priority_block(4, *booking, [HUISKAMER]) is None


def test_block_applies_only_on_its_weekday() -> None:
    wednesday = THURSDAY - timedelta(days=1)
    assert blocked_by_priority_block(4, at(wednesday, 10), at(wednesday, 12), [HUISKAMER]) is None


def test_block_applies_every_week() -> None:
    later = THURSDAY + timedelta(weeks=30)
    assert blocked_by_priority_block(3, at(later, 11), at(later, 12), [HUISKAMER]) == HUISKAMER


def test_booking_spanning_days_meets_the_block_in_between() -> None:
    start = at(THURSDAY - timedelta(days=1), 20)
    end = at(THURSDAY + timedelta(days=1), 9)
    assert blocked_by_priority_block(2, start, end, [HUISKAMER]) == HUISKAMER


def test_block_is_local_wall_time_across_dst_and_for_utc_input() -> None:
    sunday_block = PriorityBlock(weekday=6, start=time(10, 0), end=time(12, 0))
    # 2026-10-25 is the autumn change: 10:00 local is 09:00Z.
    booking = (datetime(2026, 10, 25, 8, 0, tzinfo=UTC), datetime(2026, 10, 25, 9, 0, tzinfo=UTC))
    assert blocked_by_priority_block(4, *booking, [sunday_block]) is None
    booking = (datetime(2026, 10, 25, 8, 30, tzinfo=UTC), datetime(2026, 10, 25, 9, 30, tzinfo=UTC))
    assert blocked_by_priority_block(4, *booking, [sunday_block]) == sunday_block
    summer = (datetime(2026, 6, 7, 8, 30, tzinfo=UTC), datetime(2026, 6, 7, 9, 30, tzinfo=UTC))
    assert blocked_by_priority_block(4, *summer, [sunday_block]) == sunday_block


def test_first_matching_block_is_returned() -> None:
    other = PriorityBlock(weekday=3, start=time(11, 0), end=time(13, 0))
    booking = (at(THURSDAY, 11), at(THURSDAY, 12))
    assert blocked_by_priority_block(4, *booking, [other, HUISKAMER]) == other
    assert blocked_by_priority_block(4, *booking, []) is None


@pytest.mark.parametrize(
    ("weekday", "start", "end"),
    [
        (7, time(10), time(12)),
        (-1, time(10), time(12)),
        (3, time(12), time(10)),
        (3, time(10), time(10)),
    ],
)
def test_invalid_blocks_are_refused(weekday: int, start: time, end: time) -> None:
    with pytest.raises(ValueError):
        PriorityBlock(weekday, start, end)
