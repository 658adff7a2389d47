"""The retention rules: the booking cut-off (whole fiscal years), who is unused, the notice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.rules import policy
from booking.rules.retention import (
    NOTICE_DAYS,
    AccountUse,
    Step,
    booking_cutoff,
    deletion_day,
    deletion_moment,
    inactivity_cutoff,
    last_use,
    notice_pending,
    step_for,
)
from booking.rules.slots import AMSTERDAM


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


MOMENTS = st.datetimes(
    min_value=datetime(2021, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC)
)
YEARS = st.integers(policy.BOOKING_RETENTION_MIN_YEARS, policy.BOOKING_RETENTION_MAX_YEARS)
MONTHS = st.integers(policy.INACTIVITY_MIN_MONTHS, policy.INACTIVITY_MAX_MONTHS)


# Bookings ------------------------------------------------------------------------------


def test_the_booking_cutoff_is_new_year_seven_years_back():
    # Mid 2027: everything that ended in 2019 or before goes; 2020 stays a while.
    assert booking_cutoff(_at(2027, 6, 15, 12), 7) == _at(2019, 12, 31, 23)
    # New Year's Eve 23:30 in Amsterdam is still 2026 there; 00:30 local is already 2027.
    assert booking_cutoff(_at(2026, 12, 31, 22, 30), 7) == _at(2018, 12, 31, 23)
    assert booking_cutoff(_at(2026, 12, 31, 23, 30), 7) == _at(2019, 12, 31, 23)


def test_the_booking_cutoff_refuses_a_naive_now():
    with pytest.raises(ValueError):
        booking_cutoff(datetime(2027, 1, 1), 7)


@given(MOMENTS, YEARS)
def test_a_scrubbed_booking_always_had_its_full_bewaarplicht(now, years):
    """Whatever the moment: the cut-off is local New Year's midnight, and anything before
    it ended in a year that closed at least `years` full years before this one began."""
    cutoff = booking_cutoff(now, years)
    local = cutoff.astimezone(AMSTERDAM)
    assert (local.month, local.day, local.time()) == (1, 1, time())
    last_scrubbed = (cutoff - timedelta(microseconds=1)).astimezone(AMSTERDAM)
    assert last_scrubbed.year + years < now.astimezone(AMSTERDAM).year
    assert local.year + years == now.astimezone(AMSTERDAM).year
    assert booking_cutoff(now, years + 1) < cutoff  # a longer period keeps more


# Accounts ------------------------------------------------------------------------------


def test_inactivity_counts_amsterdam_calendar_months():
    # 31 May minus three months is the end of February; local midnight in winter is 23:00Z.
    assert inactivity_cutoff(_at(2027, 5, 31, 10), 3) == _at(2027, 2, 27, 23)
    # 1 April 00:30 in Amsterdam is still 31 March in UTC: the local day counts.
    assert inactivity_cutoff(_at(2027, 3, 31, 22, 30), 24) == _at(2025, 3, 31, 22)


@given(MOMENTS, MONTHS)
def test_the_inactivity_cutoff_is_a_local_midnight_about_months_back(now, months):
    cutoff = inactivity_cutoff(now, months)
    assert cutoff.astimezone(AMSTERDAM).time() == time()
    assert now - cutoff >= timedelta(days=28 * months) - timedelta(hours=1)
    assert now - cutoff <= timedelta(days=31 * months + 1, hours=1)
    assert inactivity_cutoff(now, months + 1) < cutoff


def test_the_last_use_falls_back_to_the_creation():
    made, login, seen = _at(2020, 1, 1), _at(2021, 5, 1), _at(2022, 2, 3)
    assert last_use(made, None, None, None) == made
    assert last_use(made, login, None, None) == login
    assert last_use(made, login, seen, None) == seen
    assert last_use(made, None, None, login) == login


@given(MOMENTS)
def test_the_deletion_day_leaves_the_whole_notice_period(noticed):
    """Midnight after the notice day and thirty whole days: never less than thirty days
    away (less the hour a DST change may take), never more than 31 days and an hour."""
    moment = deletion_moment(noticed)
    assert moment.astimezone(AMSTERDAM).time() == time()
    assert moment.astimezone(AMSTERDAM).date() == deletion_day(noticed)
    assert moment - noticed > timedelta(days=NOTICE_DAYS, hours=-1)
    assert moment - noticed <= timedelta(days=NOTICE_DAYS + 1, hours=1)


def test_the_deletion_day_is_a_local_day():
    # 1 March 23:30 in Amsterdam (22:30Z): thirty whole days after it end with 31 March,
    # so the deletion day is 1 April, whose midnight (summer time by then) is 22:00Z.
    assert deletion_day(_at(2027, 3, 1, 22, 30)) == date(2027, 4, 1)
    assert deletion_moment(_at(2027, 3, 1, 22, 30)) == _at(2027, 3, 31, 22)


NOW = _at(2027, 6, 15, 10)
OLD = _at(2025, 1, 10, 9)  # more than 24 months before NOW


@pytest.mark.parametrize(
    ("used_at", "noticed_at", "now", "step"),
    [
        (_at(2026, 6, 1), None, NOW, Step.keep),  # used a year ago
        (OLD, None, NOW, Step.notify),
        (OLD, _at(2027, 6, 1), NOW, Step.wait),  # noticed two weeks ago
        (OLD, _at(2027, 5, 1), NOW, Step.delete),  # the deletion day has come
        (OLD, _at(2027, 5, 15, 12), NOW, Step.delete),  # 15 June is the day: from midnight
        (OLD, _at(2027, 5, 15, 22, 30), NOW, Step.wait),  # 16 May locally: day is 16 June
        # a notice older than the last use does not count: a later inactivity, a new notice
        (OLD, _at(2024, 12, 1), NOW, Step.notify),
        # used after the notice (a login): kept, whatever the notice said
        (_at(2027, 6, 10), _at(2027, 5, 1), NOW, Step.keep),
    ],
)
def test_the_step_for_an_account(used_at, noticed_at, now, step):
    assert step_for(AccountUse(used_at, noticed_at), now, 24) is step


def test_a_longer_period_set_after_the_notice_keeps_the_account():
    account = AccountUse(OLD, _at(2027, 5, 1))
    assert step_for(account, NOW, 24) is Step.delete
    assert step_for(account, NOW, 36) is Step.keep


@given(MOMENTS, MOMENTS, MONTHS)
def test_a_login_after_the_notice_always_cancels_it(noticed, login, months):
    """Used after the notice: the notice never counts again, so no deletion can follow
    without a new notice of a new inactivity."""
    if login <= noticed:
        login, noticed = noticed + timedelta(seconds=1), login
    assert not notice_pending(noticed, login)
    for later in (login + timedelta(days=d) for d in (0, 31, 400, 5000)):
        assert step_for(AccountUse(login, noticed), later, months) is not Step.delete
