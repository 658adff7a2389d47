from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.messages import render
from booking.rules.recurrence import (
    Expansion,
    Frequency,
    Recurrence,
    RecurrenceError,
    describe,
    expand,
)

FAST = settings(max_examples=100, deadline=None, database=None)
AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 9, 1)


def weekly(until: date, interval: int = 1) -> Recurrence:
    return Recurrence(Frequency.weekly, interval, until)


def monthly(until: date, interval: int = 1) -> Recurrence:
    return Recurrence(Frequency.monthly, interval, until)


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMS)


def starts(expansion: Expansion) -> list[date]:
    return [local(start).date() for start, _ in expansion.occurrences]


# --- weekly --------------------------------------------------------------------------------


def test_thursday_evening_stays_at_19_local_across_the_autumn_change() -> None:
    start = datetime(2026, 10, 15, 19, 0, tzinfo=AMS)
    expansion = expand(start, start.replace(hour=21), weekly(date(2026, 11, 5)), today=TODAY)
    assert [s.astimezone(UTC).hour for s, _ in expansion.occurrences] == [17, 17, 18, 18]
    assert [e.astimezone(UTC).hour for _, e in expansion.occurrences] == [19, 19, 20, 20]
    for occurrence_start, occurrence_end in expansion.occurrences:
        assert (local(occurrence_start).time(), local(occurrence_end).time()) == (
            time(19),
            time(21),
        )
        assert local(occurrence_start).weekday() == 3
        assert occurrence_start.tzinfo is UTC
    assert expansion.skipped == []


def test_first_occurrence_is_the_requested_booking() -> None:
    start = datetime(2026, 10, 15, 19, 0, tzinfo=AMS)
    end = start.replace(hour=21)
    assert expand(start, end, weekly(date(2026, 12, 31)), today=TODAY).occurrences[0] == (
        start,
        end,
    )


def test_every_two_weeks_until_inclusive() -> None:
    start = datetime(2026, 9, 3, 10, 0, tzinfo=AMS)
    expansion = expand(start, start.replace(hour=12), weekly(date(2026, 10, 1), 2), today=TODAY)
    assert starts(expansion) == [date(2026, 9, 3), date(2026, 9, 17), date(2026, 10, 1)]


def test_until_on_the_first_day_gives_one_occurrence() -> None:
    start = datetime(2026, 9, 3, 10, 0, tzinfo=AMS)
    assert starts(expand(start, start.replace(hour=12), weekly(start.date()), today=TODAY)) == [
        start.date()
    ]


def test_utc_input_is_expanded_in_local_wall_time() -> None:
    start = datetime(2026, 10, 15, 17, 0, tzinfo=UTC)  # 19:00 local
    expansion = expand(start, start + timedelta(hours=2), weekly(date(2026, 10, 29)), today=TODAY)
    assert [local(s).hour for s, _ in expansion.occurrences] == [19, 19, 19]


# --- monthly -------------------------------------------------------------------------------


def test_monthly_second_tuesday() -> None:
    start = datetime(2026, 9, 8, 14, 0, tzinfo=AMS)  # 2nd Tuesday of September 2026
    expansion = expand(start, start.replace(hour=16), monthly(date(2026, 12, 31)), today=TODAY)
    assert starts(expansion) == [
        date(2026, 9, 8),
        date(2026, 10, 13),
        date(2026, 11, 10),
        date(2026, 12, 8),
    ]
    assert all(local(s).time() == time(14) for s, _ in expansion.occurrences)


def test_monthly_fifth_weekday_becomes_the_last() -> None:
    start = datetime(2026, 9, 29, 19, 0, tzinfo=AMS)  # 5th (and last) Tuesday
    expansion = expand(start, start.replace(hour=21), monthly(date(2027, 1, 31)), today=TODAY)
    assert starts(expansion) == [
        date(2026, 9, 29),
        date(2026, 10, 27),
        date(2026, 11, 24),
        date(2026, 12, 29),
        date(2027, 1, 26),
    ]


def test_monthly_fourth_weekday_stays_the_fourth() -> None:
    start = datetime(2026, 9, 22, 19, 0, tzinfo=AMS)  # 4th Tuesday
    expansion = expand(start, start.replace(hour=21), monthly(date(2026, 12, 31)), today=TODAY)
    assert starts(expansion)[1:] == [date(2026, 10, 27), date(2026, 11, 24), date(2026, 12, 22)]


def test_every_three_months() -> None:
    start = datetime(2026, 9, 1, 10, 0, tzinfo=AMS)  # 1st Tuesday
    expansion = expand(start, start.replace(hour=11), monthly(date(2027, 6, 30), 3), today=TODAY)
    assert starts(expansion) == [
        date(2026, 9, 1),
        date(2026, 12, 1),
        date(2027, 3, 2),
        date(2027, 6, 1),
    ]


# --- DST gaps and overlaps -----------------------------------------------------------------


def test_occurrence_in_the_spring_gap_is_skipped_and_reported() -> None:
    start = datetime(2026, 3, 15, 2, 30, tzinfo=AMS)
    expansion = expand(
        start, start.replace(hour=3, minute=30), weekly(date(2026, 4, 5)), today=date(2026, 3, 1)
    )
    assert expansion.skipped == [date(2026, 3, 29)]
    assert starts(expansion) == [date(2026, 3, 15), date(2026, 3, 22), date(2026, 4, 5)]


def test_occurrence_ending_in_the_spring_gap_is_skipped_too() -> None:
    start = datetime(2026, 3, 22, 1, 0, tzinfo=AMS)
    expansion = expand(
        start, start.replace(hour=2, minute=30), weekly(date(2026, 4, 5)), today=date(2026, 3, 1)
    )
    assert expansion.skipped == [date(2026, 3, 29)]


def test_ambiguous_autumn_time_takes_the_first_occurrence() -> None:
    start = datetime(2026, 10, 18, 2, 30, tzinfo=AMS)
    expansion = expand(
        start, start.replace(hour=3, minute=30), weekly(date(2026, 10, 25)), today=TODAY
    )
    autumn_start, autumn_end = expansion.occurrences[1]
    assert autumn_start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert autumn_end.astimezone(UTC) == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


def test_first_occurrence_keeps_the_second_pass_of_the_autumn_hour() -> None:
    start = datetime(2026, 10, 25, 1, 45, tzinfo=AMS)  # 23:45Z, summer time
    end = datetime(2026, 10, 25, 2, 15, fold=1, tzinfo=AMS)  # 01:15Z, winter time
    expansion = expand(start, end, weekly(date(2026, 11, 1)), today=TODAY)
    first_start, first_end = expansion.occurrences[0]
    assert (first_start.astimezone(UTC), first_end.astimezone(UTC)) == (
        datetime(2026, 10, 24, 23, 45, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 15, tzinfo=UTC),
    )
    second_start, second_end = expansion.occurrences[1]
    assert (local(second_start).time(), local(second_end).time()) == (time(1, 45), time(2, 15))


def test_first_occurrence_ending_in_the_second_autumn_pass_cannot_repeat() -> None:
    start = datetime(2026, 10, 25, 2, 45, tzinfo=AMS)  # 00:45Z, first pass
    end = start.astimezone(UTC) + timedelta(minutes=30)  # 02:15 local, second pass
    expansion = expand(start, end.astimezone(AMS), weekly(date(2026, 11, 8)), today=TODAY)
    assert len(expansion.occurrences) == 1
    assert expansion.skipped == [date(2026, 11, 1), date(2026, 11, 8)]


# --- validation ----------------------------------------------------------------------------

START = datetime(2026, 9, 3, 10, 0, tzinfo=AMS)
END = START.replace(hour=12)


@pytest.mark.parametrize("interval", [0, -1, 53, 1.5, True])
def test_interval_must_be_1_to_52(interval: int) -> None:
    with pytest.raises(RecurrenceError) as raised:
        expand(START, END, weekly(date(2026, 12, 31), interval), today=TODAY)
    assert render(raised.value.message) == "Het herhaalinterval moet tussen 1 en 52 liggen."


@pytest.mark.parametrize("interval", [1, 52])
def test_interval_bounds_are_allowed(interval: int) -> None:
    assert expand(START, END, weekly(date(2026, 12, 31), interval), today=TODAY).occurrences


def test_until_before_the_first_date_is_refused() -> None:
    with pytest.raises(RecurrenceError) as raised:
        expand(START, END, weekly(date(2026, 9, 2)), today=TODAY)
    assert render(raised.value.message) == (
        "De einddatum van de reeks ligt vóór de eerste keer (3 september 2026)."
    )


def test_until_at_most_a_year_ahead() -> None:
    latest = TODAY + timedelta(days=366)
    assert expand(START, END, weekly(latest), today=TODAY).occurrences
    with pytest.raises(RecurrenceError) as raised:
        expand(START, END, weekly(latest + timedelta(days=1)), today=TODAY)
    assert render(raised.value.message) == (
        "Een reeks mag hoogstens tot en met 2 september 2027 lopen."
    )


def test_more_than_400_occurrences_is_refused() -> None:
    long_until = date(2035, 1, 1)
    with pytest.raises(RecurrenceError) as raised:
        expand(START, END, weekly(long_until), today=TODAY, max_days_ahead=4000)
    assert raised.value.message.params == {"max": 400}


def test_exactly_400_occurrences_are_allowed() -> None:
    until = START.date() + timedelta(weeks=399)
    expansion = expand(START, END, weekly(until), today=TODAY, max_days_ahead=4000)
    assert len(expansion.occurrences) == 400


def test_recurrence_error_is_a_value_error_with_readable_text() -> None:
    error = RecurrenceError(describe(weekly(date(2026, 12, 31)), START))
    assert isinstance(error, ValueError)
    assert "donderdag" in str(error)


def test_end_must_be_after_start() -> None:
    with pytest.raises(ValueError):
        expand(START, START, weekly(date(2026, 12, 31)), today=TODAY)


def test_frequency_may_be_given_as_json_string() -> None:
    assert Recurrence("monthly", 1, date(2026, 12, 31)).freq is Frequency.monthly  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Recurrence("daily", 1, date(2026, 12, 31))  # type: ignore[arg-type]


# --- describe ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "start", "text"),
    [
        (
            weekly(date(2026, 12, 31)),
            datetime(2026, 9, 3, 19, tzinfo=AMS),
            "elke week op donderdag tot en met 31 december 2026",
        ),
        (
            weekly(date(2026, 12, 31), 2),
            datetime(2026, 9, 3, 19, tzinfo=AMS),
            "elke 2 weken op donderdag tot en met 31 december 2026",
        ),
        (
            monthly(date(2027, 3, 1)),
            datetime(2026, 9, 8, 19, tzinfo=AMS),
            "elke maand op de tweede dinsdag tot en met 1 maart 2027",
        ),
        (
            monthly(date(2027, 3, 1), 3),
            datetime(2026, 9, 29, 19, tzinfo=AMS),
            "elke 3 maanden op de laatste dinsdag tot en met 1 maart 2027",
        ),
        (
            monthly(date(2027, 3, 1)),
            datetime(2026, 9, 6, 22, 30, tzinfo=UTC),  # Monday 00:30 local, 1st Monday
            "elke maand op de eerste maandag tot en met 1 maart 2027",
        ),
    ],
)
def test_describe_in_dutch(rule: Recurrence, start: datetime, text: str) -> None:
    assert render(describe(rule, start)) == text


def test_describe_passes_the_date_as_iso_and_labels_for_translation() -> None:
    message = describe(monthly(date(2027, 3, 1)), datetime(2026, 9, 8, 19, tzinfo=AMS))
    assert message.params["until_date"] == "2027-03-01"
    english = {"tweede": "second", "dinsdag": "Tuesday"}
    text = render(message, translate=lambda s: english.get(s, s), long_date=lambda iso: iso)
    assert text == "elke maand op de second Tuesday tot en met 2027-03-01"


# --- properties ----------------------------------------------------------------------------


def local_moments(first: datetime, last: datetime) -> st.SearchStrategy[datetime]:
    return st.datetimes(
        min_value=first, max_value=last, timezones=st.just(AMS), allow_imaginary=False
    ).map(lambda moment: moment.replace(second=0, microsecond=0))


# The whole year, plus the two DST nights on purpose (including the autumn fold).
first_starts = st.one_of(
    local_moments(datetime(2026, 1, 1), datetime(2026, 12, 31)),
    local_moments(datetime(2026, 3, 28, 22), datetime(2026, 3, 29, 5)),
    local_moments(datetime(2026, 10, 24, 22), datetime(2026, 10, 25, 5)),
)
lengths = st.integers(min_value=1, max_value=8).map(lambda q: timedelta(minutes=15 * q))


def real_end(start: datetime, length: timedelta) -> datetime:
    """An end that exists: add real time, then show it in local time."""
    return (start.astimezone(UTC) + length).astimezone(AMS)


@FAST
@given(
    first_starts,
    lengths,
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=366),
)
def test_weekly_expansion_keeps_local_wall_time_across_dst(
    start: datetime, length: timedelta, interval: int, days: int
) -> None:
    end = real_end(start, length)
    until = start.date() + timedelta(days=days)
    expansion = expand(start, end, weekly(until, interval), today=start.date())
    start_clock, end_clock = local(start).time(), local(end).time()
    for occurrence_start, occurrence_end in expansion.occurrences:
        assert local(occurrence_start).time() == start_clock
        assert local(occurrence_end).time() == end_clock
        assert local(occurrence_start).weekday() == local(start).weekday()
        gap = local(occurrence_start).date() - local(start).date()
        assert gap.days % (7 * interval) == 0
    # UTC on both sides: Python never finds an ambiguous local time equal across zones
    assert expansion.occurrences[0] == (start.astimezone(UTC), end.astimezone(UTC))


@FAST
@given(
    first_starts,
    lengths,
    st.sampled_from(Frequency),
    st.integers(min_value=1, max_value=6),
    st.integers(min_value=0, max_value=366),
)
def test_every_occurrence_lies_within_until_and_repeats_the_weekday(
    start: datetime, length: timedelta, freq: Frequency, interval: int, days: int
) -> None:
    until = start.date() + timedelta(days=days)
    rule = Recurrence(freq, interval, until)
    expansion = expand(start, real_end(start, length), rule, today=start.date())
    dates = starts(expansion) + expansion.skipped
    assert len(dates) == len(set(dates))
    assert all(local(start).date() <= day <= until for day in dates)
    assert all(day.weekday() == local(start).weekday() for day in dates)
    assert all(s < e for s, e in expansion.occurrences)
    assert starts(expansion) == sorted(starts(expansion))
