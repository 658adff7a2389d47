"""The gemeente's policy settings: their defaults (DESIGN), their bounds, and who may
deviate from them.

The gemeente sets one default for each setting; a house's beheerder may set its own value
for those DESIGN lets a house decide (`HOUSE_OVERRIDABLE`: the tariff factors, the
contribution cap, the voorrangstermijn, the approval expiry and the booking horizon). The
visit retention and the burst thresholds hold for every house alike, since they are about
what the kiosks store and count; so do the booking retention and the account inactivity
period (booking/rules/retention.py), since the privacy page promises one rule to everyone
and a person's account is not bound to one house.

A change applies to what is judged after it: a booking's tariff group, class, status,
price and list price are frozen on the booking when it is made (DESIGN section 5), so no
setting reaches back into bookings that exist.

Bounds: a factor lies between 0 % (free) and 500 % (five times the base rate, well above
the commercial default of 150 %); the others keep a setting within what a house can live
with (a voorrangstermijn of at most a year, a horizon of 1 to 60 months, a burst threshold
that a class arriving together does not reach).

The booking retention lies between 7 and 10 years: never below the fiscal bewaarplicht of
seven years, which the houses' stichtingen need for their invoicing (a setting cannot
make a house break the law), and at most ten, the longest period a record of a room
rental could reasonably be needed for (a dispute, a tax inspection that reaches back
further); keeping it longer would break the AVG's storage limit. The inactivity period
lies between 12 and 60 months: at least a year, so that an organiser of a yearly event
(a summer party, a Christmas dinner) is never told between two editions, and at most five
years, beyond which an unused account is only a risk. The notice period is a constant
(`retention.NOTICE_DAYS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from booking.rules import horizon
from booking.rules.messages import N_, Message
from booking.rules.visits import BURST_COUNT_CAP

GROUPS = ("T1", "T2", "T3", "T4")
FACTOR_MAX_PERCENT = 500
CAP_MAX_CENTS = 100_000
WINDOW_MAX_DAYS = 365
EXPIRY_MIN_DAYS = 1
EXPIRY_MAX_DAYS = 365
RETENTION_MIN_MONTHS = 1
RETENTION_MAX_MONTHS = 60
BOOKING_RETENTION_MIN_YEARS = 7
"""The fiscal bewaarplicht (art. 52 AWR): the houses must keep invoicing records this long."""
BOOKING_RETENTION_MAX_YEARS = 10
INACTIVITY_MIN_MONTHS = 12
INACTIVITY_MAX_MONTHS = 60
BURST_MIN = 5
BURST_MAX = BURST_COUNT_CAP
"""A burst threshold below 5 flags ordinary use; the kiosk counts visits up to 200."""


@dataclass(frozen=True)
class Bound:
    """The allowed range of one setting and the Dutch words for it (a msgid)."""

    low: int
    high: int
    what: str
    money: bool = False


BOUNDS: Mapping[str, Bound] = MappingProxyType(
    {
        "factor_t1_percent": Bound(0, FACTOR_MAX_PERCENT, N_("De factor voor T1")),
        "factor_t2_percent": Bound(0, FACTOR_MAX_PERCENT, N_("De factor voor T2")),
        "factor_t3_percent": Bound(0, FACTOR_MAX_PERCENT, N_("De factor voor T3")),
        "factor_t4_percent": Bound(0, FACTOR_MAX_PERCENT, N_("De factor voor T4")),
        "contribution_cap_cents": Bound(
            0, CAP_MAX_CENTS, N_("De grens voor de eigen bijdrage"), money=True
        ),
        "voorrangstermijn_days": Bound(0, WINDOW_MAX_DAYS, N_("De voorrangstermijn")),
        "request_expiry_days": Bound(
            EXPIRY_MIN_DAYS, EXPIRY_MAX_DAYS, N_("De bedenktijd voor aanvragen")
        ),
        "booking_horizon_months": Bound(
            horizon.MIN_MONTHS, horizon.MAX_MONTHS, N_("De boekingshorizon (in maanden)")
        ),
        "visit_retention_months": Bound(
            RETENTION_MIN_MONTHS, RETENTION_MAX_MONTHS, N_("De bewaartermijn van bezoeken")
        ),
        "booking_retention_years": Bound(
            BOOKING_RETENTION_MIN_YEARS,
            BOOKING_RETENTION_MAX_YEARS,
            N_("De bewaartermijn van boekingen (in jaren)"),
        ),
        "account_inactivity_months": Bound(
            INACTIVITY_MIN_MONTHS,
            INACTIVITY_MAX_MONTHS,
            N_("De termijn voor ongebruikte accounts (in maanden)"),
        ),
        "burst_kiosk": Bound(BURST_MIN, BURST_MAX, N_("De piekgrens per kiosk")),
        "burst_tablet": Bound(BURST_MIN, BURST_MAX, N_("De piekgrens voor tikken")),
        "burst_qr": Bound(BURST_MIN, BURST_MAX, N_("De piekgrens voor QR-codes")),
        "burst_poster": Bound(BURST_MIN, BURST_MAX, N_("De piekgrens voor posters")),
    }
)
"""Every setting the gemeente sets, by its column name in `policy_settings`."""

DEFAULTS: Mapping[str, int] = MappingProxyType(
    {
        "factor_t1_percent": 0,
        "factor_t2_percent": 50,
        "factor_t3_percent": 100,
        "factor_t4_percent": 150,
        "contribution_cap_cents": 300,
        "voorrangstermijn_days": 14,
        "request_expiry_days": 7,
        "booking_horizon_months": horizon.DEFAULT_MONTHS,
        "visit_retention_months": 13,
        "booking_retention_years": 7,
        "account_inactivity_months": 24,
        "burst_kiosk": 30,
        "burst_tablet": 30,
        "burst_qr": 30,
        "burst_poster": 10,
    }
)
"""DESIGN's defaults (sections 4, 5, 6, 7 and 13) and issue 12's (seven years for
invoicing, two years without use); a fresh database starts with these."""

HOUSE_OVERRIDABLE = (
    "factor_t1_percent",
    "factor_t2_percent",
    "factor_t3_percent",
    "factor_t4_percent",
    "contribution_cap_cents",
    "voorrangstermijn_days",
    "request_expiry_days",
    "booking_horizon_months",
)
"""The settings a house's beheerder may set for the house (DESIGN sections 4, 5 and 13)."""


def bound_problem(name: str, value: int | None) -> Message | None:
    """Why `value` cannot be setting `name`; None when it can, or when it is not given."""
    bound = BOUNDS[name]
    if value is None or bound.low <= value <= bound.high:
        return None
    if bound.money:
        return Message(
            N_("%(what_label)s moet tussen %(low_cents)s en %(high_cents)s liggen."),
            {"what_label": bound.what, "low_cents": bound.low, "high_cents": bound.high},
        )
    return Message(
        N_("%(what_label)s moet tussen %(low)s en %(high)s liggen."),
        {"what_label": bound.what, "low": bound.low, "high": bound.high},
    )


def problems(values: Mapping[str, int | None]) -> list[Message]:
    """Every setting out of its bounds, in the order of `BOUNDS`; None counts as not given."""
    found = [bound_problem(name, values[name]) for name in BOUNDS if name in values]
    return [p for p in found if p is not None]


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[object]]:
    """{setting: [old, new]} for every setting whose value differs: what the audit keeps."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
