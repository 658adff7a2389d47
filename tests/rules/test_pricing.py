from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.pricing import (
    DEFAULT_FACTORS_PERCENT,
    Price,
    RateCard,
    billable_half_hours,
    hourly_rate,
    quote_price,
)
from booking.rules.slots import local_to_utc
from booking.rules.statuses import TariffGroup

FAST = settings(max_examples=200, deadline=None, database=None)
AMS = ZoneInfo("Europe/Amsterdam")
START = datetime(2026, 6, 1, 10, 0, tzinfo=AMS)


def after(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


# --- billable half hours -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "half_hours"),
    [(0.001, 1), (1, 1), (29, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (12 * 60, 24)],
)
def test_bills_per_started_half_hour(minutes: float, half_hours: int) -> None:
    assert billable_half_hours(START, after(minutes)) == half_hours


@pytest.mark.parametrize("minutes", [0, -30])
def test_end_not_after_start_is_refused(minutes: int) -> None:
    with pytest.raises(ValueError):
        billable_half_hours(START, after(minutes))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        billable_half_hours(datetime(2026, 6, 1, 10), datetime(2026, 6, 1, 11))


def test_autumn_dst_night_bills_the_real_four_hours() -> None:
    start = local_to_utc(datetime(2026, 10, 25, 1, 0))
    end = local_to_utc(datetime(2026, 10, 25, 4, 0))
    assert billable_half_hours(start, end) == 8
    assert billable_half_hours(start.astimezone(AMS), end.astimezone(AMS)) == 8


def test_spring_dst_night_bills_the_real_two_hours() -> None:
    start = datetime(2026, 3, 29, 1, 0, tzinfo=AMS)
    end = datetime(2026, 3, 29, 4, 0, tzinfo=AMS)
    assert billable_half_hours(start, end) == 4


def test_start_and_end_may_be_in_different_zones() -> None:
    assert billable_half_hours(START, START.astimezone(UTC) + timedelta(hours=1)) == 2


@FAST
@given(st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=3)))
def test_half_hours_cover_the_duration_by_less_than_half_an_hour(duration: timedelta) -> None:
    billed = billable_half_hours(START, START.astimezone(UTC) + duration) * timedelta(minutes=30)
    assert duration <= billed < duration + timedelta(minutes=30)


# --- rate card -----------------------------------------------------------------------------


def test_default_factors_are_designs() -> None:
    assert dict(DEFAULT_FACTORS_PERCENT) == {"T1": 0, "T2": 50, "T3": 100, "T4": 150}


def test_hourly_rate_is_base_times_factor() -> None:
    card = RateCard(2000)
    assert [hourly_rate(card, g) for g in TariffGroup] == [0, 1000, 2000, 3000]


def test_hourly_rate_rounds_half_a_cent_up() -> None:
    card = RateCard(1999)
    assert hourly_rate(card, TariffGroup.T2) == 1000  # 999.5
    assert hourly_rate(card, TariffGroup.T4) == 2999  # 2998.5 -> 2999
    assert hourly_rate(RateCard(1, {g: 33 for g in TariffGroup}), TariffGroup.T3) == 0


def test_explicit_rate_replaces_base_times_factor_for_that_group_only() -> None:
    card = RateCard(2000, explicit_rates_cents_per_hour={TariffGroup.T4: 5000})
    assert hourly_rate(card, TariffGroup.T4) == 5000
    assert hourly_rate(card, TariffGroup.T2) == 1000


def test_rate_card_accepts_json_style_group_keys() -> None:
    card = RateCard(2000, {"T1": 0, "T2": 40, "T3": 100, "T4": 200})
    assert hourly_rate(card, "T2") == 800


def test_explicit_rate_may_stand_in_for_a_missing_factor() -> None:
    card = RateCard(2000, {"T1": 0, "T2": 50, "T3": 100}, {"T4": 4000})
    assert hourly_rate(card, TariffGroup.T4) == 4000


def test_a_group_without_factor_or_rate_is_refused() -> None:
    with pytest.raises(ValueError, match="T4"):
        RateCard(2000, {"T1": 0, "T2": 50, "T3": 100})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_rate_cents_per_hour": -1},
        {"base_rate_cents_per_hour": 12.5},
        {
            "base_rate_cents_per_hour": 2000,
            "factors_percent": {**DEFAULT_FACTORS_PERCENT, "T2": -1},
        },
        {"base_rate_cents_per_hour": 2000, "explicit_rates_cents_per_hour": {"T4": -5}},
        {"base_rate_cents_per_hour": 2000, "explicit_rates_cents_per_hour": {"T4": 1.5}},
        {"base_rate_cents_per_hour": 2000, "explicit_rates_cents_per_hour": {"T9": 100}},
    ],
)
def test_negative_or_non_integer_rates_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        RateCard(**kwargs)


def test_rate_card_cannot_be_changed_through_the_dict_it_was_given() -> None:
    factors = dict(DEFAULT_FACTORS_PERCENT)
    card = RateCard(2000, factors)
    factors[TariffGroup.T2] = 100
    assert hourly_rate(card, TariffGroup.T2) == 1000


# --- quotes --------------------------------------------------------------------------------


def test_quote_freezes_amount_list_price_and_half_hours() -> None:
    price = quote_price(RateCard(2000), TariffGroup.T2, START, after(90))
    assert price == Price(amount_cents=1500, list_price_cents=3000, half_hours=3)
    assert price.given_away_cents == 1500


def test_t1_gives_away_the_whole_list_price() -> None:
    price = quote_price(RateCard(2000), TariffGroup.T1, START, after(60))
    assert (price.amount_cents, price.list_price_cents, price.given_away_cents) == (0, 2000, 2000)


def test_t4_pays_more_than_list_and_gives_nothing_away() -> None:
    price = quote_price(RateCard(2000), TariffGroup.T4, START, after(60))
    assert (price.amount_cents, price.given_away_cents) == (3000, 0)


def test_amount_rounds_half_a_cent_up() -> None:
    price = quote_price(RateCard(1001), TariffGroup.T3, START, after(30))
    assert price.amount_cents == 501  # 1001 / 2 = 500.5


def test_list_price_uses_an_explicit_t3_rate() -> None:
    card = RateCard(2000, explicit_rates_cents_per_hour={TariffGroup.T3: 2500})
    assert quote_price(card, TariffGroup.T2, START, after(60)).list_price_cents == 2500


def test_list_price_uses_the_houses_t3_factor() -> None:
    card = RateCard(2000, {**DEFAULT_FACTORS_PERCENT, TariffGroup.T3: 110})
    assert quote_price(card, TariffGroup.T1, START, after(60)).list_price_cents == 2200


def test_price_is_frozen() -> None:
    with pytest.raises(AttributeError):
        quote_price(RateCard(2000), "T3", START, after(60)).amount_cents = 0  # type: ignore[misc]


# --- properties ----------------------------------------------------------------------------

base_rates = st.integers(min_value=0, max_value=100_000)
factors = st.fixed_dictionaries({g: st.integers(min_value=0, max_value=500) for g in TariffGroup})
cards = st.builds(RateCard, base_rates, factors)
durations = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=48))


@FAST
@given(base_rates, durations)
def test_t1_costs_nothing(base: int, duration: timedelta) -> None:
    assert quote_price(RateCard(base), TariffGroup.T1, START, START + duration).amount_cents == 0


@FAST
@given(cards, st.sampled_from(TariffGroup), durations, durations)
def test_price_never_falls_as_duration_grows(
    card: RateCard, group: TariffGroup, a: timedelta, b: timedelta
) -> None:
    shorter, longer = sorted((a, b))
    short_price = quote_price(card, group, START, START + shorter)
    long_price = quote_price(card, group, START, START + longer)
    assert short_price.amount_cents <= long_price.amount_cents
    assert short_price.list_price_cents <= long_price.list_price_cents


@FAST
@given(base_rates, st.sampled_from([TariffGroup.T1, TariffGroup.T2]), durations)
def test_t1_and_t2_never_cost_more_than_list_price(
    base: int, group: TariffGroup, duration: timedelta
) -> None:
    price = quote_price(RateCard(base), group, START, START + duration)
    assert 0 <= price.amount_cents <= price.list_price_cents
    assert price.given_away_cents == price.list_price_cents - price.amount_cents
