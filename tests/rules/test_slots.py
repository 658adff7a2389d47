from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.messages import render
from booking.rules.slots import (
    AMSTERDAM,
    GRID_MINUTES,
    Closure,
    NonexistentLocalTime,
    OpeningPeriod,
    SlotLimits,
    as_utc,
    check_slot,
    local_to_utc,
    real_duration,
)

FAST = settings(max_examples=200, deadline=None, database=None)
AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=AMS)  # a Monday
MONDAY = datetime(2026, 6, 8, tzinfo=AMS)
WEEK = [OpeningPeriod(day, time(9, 0), time(17, 0)) for day in range(5)] + [
    OpeningPeriod(0, time(19, 0), time(23, 0))
]
LIMITS = SlotLimits()


def at(hour: int, minute: int = 0, day: datetime = MONDAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


def problems(start: datetime, end: datetime, **overrides: object) -> list[str]:
    arguments: dict = {"opening": WEEK, "closures": [], "limits": LIMITS, "now": NOW}
    arguments.update(overrides)
    return [render(p) for p in check_slot(start, end, **arguments)]


def test_constants() -> None:
    assert GRID_MINUTES == 15
    assert AMSTERDAM.key == "Europe/Amsterdam"


# --- local time <-> UTC --------------------------------------------------------------------


def test_local_to_utc_in_summer_and_winter() -> None:
    assert local_to_utc(datetime(2026, 7, 1, 12, 0)) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert local_to_utc(datetime(2026, 1, 5, 12, 0)) == datetime(2026, 1, 5, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize("minute", [0, 30, 59])
def test_spring_gap_does_not_exist(minute: int) -> None:
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(datetime(2026, 3, 29, 2, minute))


def test_nonexistent_local_time_is_a_value_error() -> None:
    assert issubclass(NonexistentLocalTime, ValueError)


def test_times_around_the_spring_gap_exist() -> None:
    assert local_to_utc(datetime(2026, 3, 29, 1, 59)) == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert local_to_utc(datetime(2026, 3, 29, 3, 0)) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_ambiguous_autumn_time_resolves_to_first_occurrence() -> None:
    assert local_to_utc(datetime(2026, 10, 25, 2, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # fold=1 on the input does not change the documented choice
    folded = datetime(2026, 10, 25, 2, 30, fold=1)
    assert local_to_utc(folded) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_local_to_utc_refuses_aware_input() -> None:
    with pytest.raises(ValueError):
        local_to_utc(datetime(2026, 7, 1, 12, 0, tzinfo=AMS))


@FAST
@given(
    st.datetimes(
        min_value=datetime(2025, 1, 1),
        max_value=datetime(2028, 1, 1),
        timezones=st.just(AMS),
        allow_imaginary=False,
    )
)
def test_local_to_utc_round_trips_existing_wall_times(moment: datetime) -> None:
    naive = moment.replace(tzinfo=None)
    assert local_to_utc(naive).astimezone(AMS).replace(tzinfo=None) == naive


def test_real_duration_across_autumn_change_is_four_hours() -> None:
    start = local_to_utc(datetime(2026, 10, 25, 1, 0)).astimezone(AMS)
    end = local_to_utc(datetime(2026, 10, 25, 4, 0)).astimezone(AMS)
    assert end - start == timedelta(hours=3)  # Python's same-zone wall-clock arithmetic
    assert real_duration(start, end) == timedelta(hours=4)


def test_real_duration_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        real_duration(datetime(2026, 1, 1), datetime(2026, 1, 2))


# --- check_slot ----------------------------------------------------------------------------


def test_valid_slot_has_no_problems() -> None:
    assert problems(at(10), at(12)) == []
    assert problems(at(9), at(17)) == []
    assert problems(at(19, 15), at(23)) == []


def test_end_must_be_after_start() -> None:
    assert problems(at(12), at(12)) == ["De eindtijd moet na de begintijd liggen."]
    assert problems(at(12), at(11)) == ["De eindtijd moet na de begintijd liggen."]


def test_start_and_end_must_be_on_the_quarter_hour() -> None:
    found = problems(at(10, 5), at(11, 50))
    assert found == [
        "De begintijd moet op een heel kwartier vallen (bijvoorbeeld 10:00, 10:15, 10:30, 10:45).",
        "De eindtijd moet op een heel kwartier vallen (bijvoorbeeld 10:00, 10:15, 10:30, 10:45).",
    ]
    assert len(problems(at(10).replace(second=1), at(11))) == 1


def test_grid_is_checked_in_local_time_for_utc_input() -> None:
    start = datetime(2026, 6, 8, 8, 15, tzinfo=UTC)  # 10:15 local
    assert problems(start, start + timedelta(hours=1)) == []


def test_start_in_the_past_is_refused() -> None:
    assert problems(at(10), at(12), now=at(10, 1)) == ["De begintijd ligt in het verleden."]
    assert problems(at(10), at(12), now=at(10)) == []


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (15, ["Een boeking duurt minstens 30 minuten."]),
        (30, []),
        (12 * 60, []),
        (12 * 60 + 15, ["Een boeking duurt hoogstens 12 uur."]),
    ],
)
def test_length_limits(minutes: int, expected: list[str]) -> None:
    opening = [OpeningPeriod(0, time(0, 0), time(23, 45))]
    start = at(8)
    assert problems(start, start + timedelta(minutes=minutes), opening=opening) == expected


def test_limit_that_is_not_whole_hours_is_said_in_minutes() -> None:
    limits = SlotLimits(min_minutes=45, max_minutes=90)
    assert problems(at(10), at(12), limits=limits) == ["Een boeking duurt hoogstens 90 minuten."]
    assert problems(at(10), at(10, 30), limits=limits) == ["Een boeking duurt minstens 45 minuten."]


def test_length_is_real_time_across_the_autumn_change() -> None:
    sunday = datetime(2026, 10, 25, tzinfo=AMS)
    opening = [OpeningPeriod(6, time(0, 0), time(23, 0))]
    start = local_to_utc(datetime(2026, 10, 25, 1, 0))
    end = local_to_utc(datetime(2026, 10, 25, 4, 0))
    limits = SlotLimits(max_minutes=3 * 60 + 30)
    assert problems(start, end, opening=opening, limits=limits, now=sunday - timedelta(days=1)) == [
        "Een boeking duurt hoogstens 210 minuten."
    ]
    assert problems(start, end, opening=opening, now=sunday - timedelta(days=1)) == []


def test_outside_opening_hours_lists_the_opening_hours_of_that_day() -> None:
    assert problems(at(16), at(18)) == [
        "De boeking moet binnen één openingstijd vallen; "
        "op maandag is het huis open: 09:00–17:00, 19:00–23:00."
    ]


def test_a_booking_may_not_bridge_two_opening_periods() -> None:
    assert len(problems(at(16, 30), at(19, 30))) == 1


def test_closed_weekday() -> None:
    saturday = MONDAY + timedelta(days=5)
    assert problems(at(10, day=saturday), at(12, day=saturday)) == [
        "Het huis is op zaterdag gesloten."
    ]


def test_spanning_midnight_is_never_allowed() -> None:
    always_open = [OpeningPeriod(d, time(0, 0), time(23, 59)) for d in range(7)]
    end = at(1, day=MONDAY + timedelta(days=1))
    assert problems(at(22), end, opening=always_open) == [
        "Een boeking begint en eindigt op dezelfde dag."
    ]


def test_opening_is_judged_on_local_day_for_utc_input() -> None:
    # 22:30Z on Monday is 00:30 local on Tuesday
    start = datetime(2026, 6, 8, 22, 30, tzinfo=UTC)
    assert problems(start, start + timedelta(hours=1)) == [
        "De boeking moet binnen één openingstijd vallen; op dinsdag is het huis open: 09:00–17:00."
    ]


def test_overlapping_closures_are_each_named() -> None:
    closures = [
        Closure(at(11), at(13), "onderhoud cv-ketel"),
        Closure(at(0), at(10, 30), "schoonmaak"),
        Closure(at(12), at(14), "niet geraakt"),
    ]
    assert problems(at(10), at(12), closures=closures) == [
        "Het huis is dan gesloten: onderhoud cv-ketel.",
        "Het huis is dan gesloten: schoonmaak.",
    ]


def test_booking_may_touch_a_closure() -> None:
    closures = [Closure(at(12), at(14), "Koningsdag"), Closure(at(8), at(10), "vroeg")]
    assert problems(at(10), at(12), closures=closures) == []


def test_all_problems_are_reported_at_once() -> None:
    closures = [Closure(at(20), at(22), "feestdag")]
    found = problems(at(19, 10), at(19, 20), closures=closures, now=at(23))
    assert found == [
        "De begintijd moet op een heel kwartier vallen (bijvoorbeeld 10:00, 10:15, 10:30, 10:45).",
        "De eindtijd moet op een heel kwartier vallen (bijvoorbeeld 10:00, 10:15, 10:30, 10:45).",
        "De begintijd ligt in het verleden.",
        "Een boeking duurt minstens 30 minuten.",
    ]
    found = problems(at(15), at(20, 30), closures=closures, now=at(23))
    assert len(found) == 3  # past, outside opening, closure


def test_naive_datetimes_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_slot(
            datetime(2026, 6, 8, 10),
            datetime(2026, 6, 8, 11),
            opening=WEEK,
            closures=[],
            limits=LIMITS,
            now=NOW,
        )


@pytest.mark.parametrize(
    "make",
    [
        lambda: OpeningPeriod(7, time(9), time(17)),
        lambda: OpeningPeriod(0, time(17), time(9)),
        lambda: OpeningPeriod(0, time(9), time(9)),
        lambda: Closure(at(12), at(12), "leeg"),
        lambda: Closure(datetime(2026, 1, 1), datetime(2026, 1, 2), "naïef"),
        lambda: SlotLimits(min_minutes=0),
        lambda: SlotLimits(min_minutes=60, max_minutes=30),
    ],
)
def test_invalid_settings_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError):
        make()


@FAST
@given(
    st.integers(min_value=0, max_value=4 * 24 - 1),
    st.integers(min_value=1, max_value=4 * 24),
)
def test_quarter_hours_within_one_day_are_on_the_grid(start_q: int, length_q: int) -> None:
    always_open = [OpeningPeriod(d, time(0, 0), time(23, 59)) for d in range(7)]
    start = MONDAY + timedelta(minutes=15 * start_q)
    end = start + timedelta(minutes=15 * length_q)
    found = problems(start, end, opening=always_open, limits=SlotLimits(15, 24 * 60))
    assert not any("kwartier" in text for text in found)
    if end.date() == start.date():
        assert found == []


def test_local_day_bounds_follow_the_clock_changes():
    from datetime import UTC, datetime

    from booking.rules.slots import local_day_bounds

    start, end = local_day_bounds(datetime(2026, 10, 25, 12, tzinfo=UTC))
    assert (start, end) == (
        datetime(2026, 10, 24, 22, tzinfo=UTC),
        datetime(2026, 10, 25, 23, tzinfo=UTC),
    )
    start, end = local_day_bounds(datetime(2026, 3, 29, 12, tzinfo=UTC))
    assert end - start == timedelta(hours=23)


@given(st.datetimes(timezones=st.sampled_from([UTC, AMSTERDAM, timezone(timedelta(hours=5))])))
def test_as_utc_is_the_same_moment_in_utc(moment: datetime) -> None:
    """The fast path for UTC moments answers what astimezone would."""
    converted = as_utc(moment)
    assert converted.tzinfo is UTC
    assert converted == moment.astimezone(UTC)
