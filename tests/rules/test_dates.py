"""The one window for typed dates (booking.rules.dates) and the booking horizon."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from booking.rules import dates, horizon
from booking.rules.messages import render
from booking.rules.slots import AMSTERDAM


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", date(2026, 12, 3)),
        (" 2000-01-01 ", date(2000, 1, 1)),
        ("2100-12-31", date(2100, 12, 31)),
        ("1999-12-31", None),
        ("2101-01-01", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("2026-02-30", None),
        ("20261203", None),
        ("2026-W49-1", None),
        ("٢٠٢٦-١٢-٠٣", None),  # Arabic-Indic digits: isdigit() but not ours
        ("", None),
        (None, None),
        ("x" * 10_000, None),
    ],
)
def test_parse_day(text: str | None, expected: date | None) -> None:
    assert dates.parse_day(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03T10:00", datetime(2026, 12, 3, 10)),
        ("2026-12-03 10:00:30", datetime(2026, 12, 3, 10, 0, 30)),
        ("2026-12-03T10:00Z", datetime(2026, 12, 3, 10, tzinfo=UTC)),
        (
            "2026-12-03T10:00+01:00",
            datetime(2026, 12, 3, 10, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("9999-12-31T23:59", None),
        ("0001-01-01T00:00", None),
        ("2101-01-01T00:00", None),
        ("2026-12-03", None),
        ("2026-12-03T25:00", None),
        ("2026-12-03T10:00+25:00", None),
        ("2026-12-03T10:00" + "0" * 50, None),
        ("", None),
    ],
)
def test_parse_moment(text: str, expected: datetime | None) -> None:
    assert dates.parse_moment(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12", (2026, 12)),
        ("2100-01", (2100, 1)),
        ("9999-12", None),
        ("0001-01", None),
        ("2026-13", None),
        ("2026-1", None),
        ("x", None),
        (None, None),
    ],
)
def test_parse_month(text: str | None, expected: tuple[int, int] | None) -> None:
    assert dates.parse_month(text) == expected


def test_the_window_message_names_both_ends() -> None:
    assert render(dates.OUT_OF_RANGE) == "Kies een datum tussen 1 januari 2000 en 31 december 2100."


def test_in_range_takes_the_date_of_a_moment() -> None:
    assert dates.in_range(datetime(2100, 12, 31, 23, 59))
    assert not dates.in_range(datetime(2101, 1, 1, 0, 0))


# The booking horizon ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "months", "last"),
    [
        (date(2026, 12, 2), 18, date(2028, 6, 2)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 12, 2), 60, date(2031, 12, 2)),
        (date(2026, 11, 15), 1, date(2026, 12, 15)),
    ],
)
def test_last_bookable_day(today: date, months: int, last: date) -> None:
    noon = datetime.combine(today, datetime.min.time().replace(hour=12), AMSTERDAM)
    assert horizon.last_bookable_day(noon, months) == last


def test_the_horizon_follows_the_amsterdam_date_not_utc() -> None:
    # 23:30 UTC on 31 January is already 1 February in Amsterdam.
    late = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)
    assert horizon.last_bookable_day(late, 1) == date(2026, 3, 1)


def test_last_bookable_moment_is_the_local_midnight_after_the_last_day() -> None:
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    # 2 June 2028 is summer time: local midnight is 22:00 UTC the evening before.
    assert horizon.last_bookable_moment(now, 18) == datetime(2028, 6, 2, 22, tzinfo=UTC)


def test_beyond_horizon() -> None:
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    edge = horizon.last_bookable_moment(now, 6)
    assert horizon.beyond_horizon(edge, now, 6) is None
    problem = horizon.beyond_horizon(edge + timedelta(minutes=15), now, 6)
    assert problem is not None
    assert render(problem) == (
        "Dit huis neemt boekingen aan tot 6 maanden vooruit: "
        "de laatste dag die u kunt boeken is 2 juni 2027."
    )


def test_until_beyond_horizon() -> None:
    now = datetime(2026, 12, 2, 9, tzinfo=UTC)
    assert horizon.until_beyond_horizon(date(2027, 6, 2), now, 6) is None
    problem = horizon.until_beyond_horizon(date(2027, 6, 3), now, 6)
    assert problem is not None and problem.params["last_date"] == "2027-06-02"


@pytest.mark.parametrize("months", [0, 61, -1])
def test_a_horizon_outside_1_to_60_is_a_programming_error(months: int) -> None:
    with pytest.raises(ValueError):
        horizon.last_bookable_day(datetime(2026, 12, 2, tzinfo=UTC), months)


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        horizon.last_bookable_day(datetime(2026, 12, 2), 18)
