"""The statistics' periods: the UTC bounds of Amsterdam's summer time."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from booking.rules.periods import summer_time_utc


@given(st.integers(min_value=1996, max_value=2099))
def test_summer_time_bounds_are_amsterdams_own(year: int) -> None:
    start, end = summer_time_utc(year)
    amsterdam = ZoneInfo("Europe/Amsterdam")
    for instant, before, after in ((start, 1, 2), (end, 2, 1)):
        assert (instant - timedelta(seconds=1)).astimezone(amsterdam).utcoffset() == timedelta(
            hours=before
        )
        assert instant.astimezone(amsterdam).utcoffset() == timedelta(hours=after)
