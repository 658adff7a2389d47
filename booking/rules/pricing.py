"""What a booking costs, in integer cents, billed per started half hour of real time.

The price and the list price (what T3 would have cost) are computed together, because the
rent a house gives away (list minus charged) is the municipality's hidden subsidy and has
to be known per booking.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import MappingProxyType

from booking.rules.slots import real_duration
from booking.rules.statuses import TariffGroup

HALF_HOUR = timedelta(minutes=30)

DEFAULT_FACTORS_PERCENT: Mapping[TariffGroup, int] = MappingProxyType(
    {TariffGroup.T1: 0, TariffGroup.T2: 50, TariffGroup.T3: 100, TariffGroup.T4: 150}
)
"""The gemeente's default factors per tariff group (DESIGN section 5)."""


def billable_half_hours(start: datetime, end: datetime) -> int:
    """Count started half hours of real elapsed time, so a DST night bills what it lasts."""
    duration = real_duration(start, end)
    if duration <= timedelta(0):
        raise ValueError("end must be after start")
    whole, rest = divmod(duration, HALF_HOUR)
    return whole + (1 if rest else 0)


def _require_amount(name: str, value: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def _frozen_by_group(values: Mapping[TariffGroup, int], name: str) -> Mapping[TariffGroup, int]:
    """Copy into a read-only mapping keyed by TariffGroup, so "T2" and TariffGroup.T2 agree."""
    copied = {TariffGroup(group): value for group, value in values.items()}
    for group, value in copied.items():
        _require_amount(f"{name}[{group}]", value)
    return MappingProxyType(copied)


@dataclass(frozen=True)
class RateCard:
    """A room's rates: the T3 base rate, the house's factors, and optional explicit rates.

    An explicit rate for a group wins over base rate times factor, so a room can have a
    fixed commercial rate without changing the house's factors.
    """

    base_rate_cents_per_hour: int
    factors_percent: Mapping[TariffGroup, int] = field(default_factory=DEFAULT_FACTORS_PERCENT.copy)
    explicit_rates_cents_per_hour: Mapping[TariffGroup, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require_amount("base_rate_cents_per_hour", self.base_rate_cents_per_hour)
        factors = _frozen_by_group(self.factors_percent, "factors_percent")
        explicit = _frozen_by_group(
            self.explicit_rates_cents_per_hour, "explicit_rates_cents_per_hour"
        )
        missing = [g for g in TariffGroup if g not in factors and g not in explicit]
        if missing:
            raise ValueError(f"no factor or explicit rate for {', '.join(missing)}")
        object.__setattr__(self, "factors_percent", factors)
        object.__setattr__(self, "explicit_rates_cents_per_hour", explicit)


def _half_up_div(numerator: int, denominator: int) -> int:
    """Round half up in integers: floats would make 0.5 cent land either way."""
    return (2 * numerator + denominator) // (2 * denominator)


def hourly_rate(card: RateCard, group: TariffGroup) -> int:
    """The hourly rate in cents for a group on this room (rounded half up to a cent)."""
    group = TariffGroup(group)
    explicit = card.explicit_rates_cents_per_hour.get(group)
    if explicit is not None:
        return explicit
    return _half_up_div(card.base_rate_cents_per_hour * card.factors_percent[group], 100)


@dataclass(frozen=True)
class Price:
    """A price frozen on a booking, with what T3 would have cost for the same time."""

    amount_cents: int
    list_price_cents: int
    half_hours: int

    @property
    def given_away_cents(self) -> int:
        """Rent the house did not charge; never negative, since T4 pays more than list."""
        return max(0, self.list_price_cents - self.amount_cents)


def _cost(rate_cents_per_hour: int, half_hours: int) -> int:
    return _half_up_div(rate_cents_per_hour * half_hours, 2)


def quote_price(card: RateCard, group: TariffGroup, start: datetime, end: datetime) -> Price:
    """Price a booking now, to be stored with it so later rate changes do not touch it."""
    half_hours = billable_half_hours(start, end)
    return Price(
        amount_cents=_cost(hourly_rate(card, group), half_hours),
        list_price_cents=_cost(hourly_rate(card, TariffGroup.T3), half_hours),
        half_hours=half_hours,
    )
