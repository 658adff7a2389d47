"""Maatschappelijk rendement: what a house yields against the rent it gives away.

The policy asks "what may Thuis in de Buurt cost, given what it yields?" (DESIGN section
7). One overview per house and period, or for the gemeente all houses side by side, puts
the two halves together: booked hours by priority class and tariff group, rent charged
and given away (list price minus charged), the share of hours that went to
door-en-voor-bewoners, and the reach of the same period. Its first-time visitors are
published through `booking.rules.publication`, like every reach figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction

from sqlalchemy import case, func, select

from booking.errors import Forbidden
from booking.extensions import db
from booking.models import Booking, House, Invoice, InvoiceLine, Payment, Room, User
from booking.rules.invoices import InvoiceKind, InvoiceStatus
from booking.rules.periods import Period
from booking.rules.permissions import Permission
from booking.rules.publication import (
    ShownVisitors,
    published_first_visits,
    published_house_visitors,
)
from booking.rules.reach_counts import VisitorCounts
from booking.rules.statuses import PriorityClass, TariffGroup
from booking.rules.suppression import Cell
from booking.services import houses
from booking.services.activities import COUNTED_STATUSES
from booking.services.reach import reach_per_house, threshold
from booking.services.reach_visitors import add_house_visitors


@dataclass
class Rendement:
    """What a house yields against the rent it gives away, for one period."""

    house_id: int | None
    name: str
    seconds_by_class: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys((int(c) for c in PriorityClass), 0)
    )
    seconds_by_group: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys((g.value for g in TariffGroup), 0)
    )
    charged_cents: int = 0
    given_away_cents: int = 0
    visits: int = 0
    distinct_devices: int = 0
    devices_exact: bool = True
    first_visits: int = 0  # never shown as it is: see RendementOverview
    visitors: VisitorCounts = field(default_factory=VisitorCounts)  # idem
    invoiced_cents: int = 0  # finalised invoices less credit notes, by booking date
    paid_cents: int = 0  # payments received in the period
    slug: str = ""

    @property
    def seconds(self) -> int:
        return sum(self.seconds_by_class.values())

    @property
    def class1_share(self) -> Fraction | None:
        """Share of booked hours that went to door-en-voor-bewoners (class 1)."""
        total = self.seconds
        return Fraction(self.seconds_by_class[1], total) if total else None

    @property
    def given_away_per_visit_cents(self) -> int | None:
        """Whole cents, rounded half up; None when nobody came."""
        if not self.visits:
            return None
        return (2 * self.given_away_cents + self.visits) // (2 * self.visits)

    def add(self, other: Rendement) -> None:
        for key, value in other.seconds_by_class.items():
            self.seconds_by_class[key] += value
        for key, value in other.seconds_by_group.items():
            self.seconds_by_group[key] += value
        self.charged_cents += other.charged_cents
        self.given_away_cents += other.given_away_cents
        self.visits += other.visits
        self.distinct_devices += other.distinct_devices
        self.devices_exact = self.devices_exact and other.devices_exact
        self.first_visits += other.first_visits
        self.invoiced_cents += other.invoiced_cents
        self.paid_cents += other.paid_cents


def rendement(period: Period, house_ids: Sequence[int] | None = None) -> list[Rendement]:
    """Per house (by name): booked hours, rent, and the reach of the same period.

    Active bookings only (bevestigd, onder voorbehoud; not requests) whose start lies in
    the period in Amsterdam time, as the invoicing export counts them; hours are the real
    duration (a booking across a DST change has its real length). A query without a
    permission check: `overview` is the use case.
    """
    chosen = [h for h in houses.list_houses() if house_ids is None or h.id in house_ids]
    result = {h.id: Rendement(h.id, h.name, slug=h.slug) for h in chosen}
    if not result:
        return []
    start, end = period.utc_bounds()
    rows = db.session.execute(
        select(
            Room.house_id,
            Booking.priority_class,
            Booking.tariff_group,
            Booking.start,
            Booking.end,
            Booking.amount_cents,
            Booking.list_price_cents,
        )
        .join(Room, Room.id == Booking.room_id)
        .where(
            Room.house_id.in_(list(result)),
            Booking.start >= start,
            Booking.start < end,
            Booking.status.in_(COUNTED_STATUSES),
        )
    ).tuples()
    for house_id, klass, group, begin, finish, amount, list_price in rows:
        row = result[house_id]
        seconds = int((finish - begin).total_seconds())  # aware UTC: the real duration
        row.seconds_by_class[klass] = row.seconds_by_class.get(klass, 0) + seconds
        row.seconds_by_group[group] = row.seconds_by_group.get(group, 0) + seconds
        row.charged_cents += amount
        row.given_away_cents += list_price - amount
    _add_invoices(result, start, end, period)
    reached = reach_per_house(period, list(result), devices=False)
    add_house_visitors(reached, period)
    for house in reached:
        row = result[house.house_id]
        row.visitors = house.visitors
        row.visits, row.first_visits = house.visits, house.first_visits
        row.distinct_devices, row.devices_exact = house.distinct_devices, house.devices_exact
    return [result[h.id] for h in chosen]


def _add_invoices(
    result: dict[int, Rendement], start: datetime, end: datetime, period: Period
) -> None:
    """What the houses invoiced for bookings of the period (lines of finalised invoices,
    credit notes subtracted) and what was paid to them in it."""
    sign = case((Invoice.kind == InvoiceKind.creditfactuur.value, -1), else_=1)
    invoiced = db.session.execute(
        select(Invoice.house_id, func.sum(sign * InvoiceLine.amount_cents))
        .join(InvoiceLine, InvoiceLine.invoice_id == Invoice.id)
        .where(
            Invoice.house_id.in_(list(result)),
            Invoice.status != InvoiceStatus.concept.value,
            InvoiceLine.start >= start,
            InvoiceLine.start < end,
        )
        .group_by(Invoice.house_id)
    ).tuples()
    for house_id, cents in invoiced:
        result[house_id].invoiced_cents = int(cents or 0)
    paid = db.session.execute(
        select(Invoice.house_id, func.sum(Payment.amount_cents))
        .join(Payment, Payment.invoice_id == Invoice.id)
        .where(
            Invoice.house_id.in_(list(result)),
            Payment.paid_on >= period.first,
            Payment.paid_on <= period.last,
        )
        .group_by(Invoice.house_id)
    ).tuples()
    for house_id, cents in paid:
        result[house_id].paid_cents = int(cents or 0)


def rendement_total(rows: Iterable[Rendement]) -> Rendement:
    total = Rendement(None, "")
    for row in rows:
        total.add(row)
    return total


@dataclass(frozen=True)
class RendementOverview:
    """The rendement page and its CSV: rows with their published first-time visitors."""

    period: Period
    threshold: int
    rows: list[tuple[Rendement, Cell]]
    total: tuple[Rendement, Cell] | None  # all houses together, on the gemeente's page
    with_invoices: bool = False  # invoiced and paid: for who manages invoices only
    visitors: list[ShownVisitors] = field(default_factory=list)  # per row, in order
    total_visitors: ShownVisitors | None = None


def overview(actor: User, house: House | None, period: Period) -> RendementOverview:
    """One house's rendement (see_statistics there), or every house's and their total
    (the gemeente's); anything else is Forbidden (answered 404)."""
    if house is None and not actor.is_gemeente:
        raise Forbidden("rendement")
    if house is not None and not actor.can(Permission.see_statistics, house.id):
        raise Forbidden(house.id)
    rows = rendement(period, [house.id] if house else None)
    total = None if house else rendement_total(rows)
    limit = threshold()
    first = published_first_visits(
        [r.first_visits for r in rows], limit, with_total=total is not None
    )
    visitors, total_visitors = published_house_visitors(
        [r.visitors for r in rows], limit, with_total=total is not None
    )
    return RendementOverview(
        visitors=visitors,
        total_visitors=total_visitors,
        period=period,
        threshold=limit,
        rows=list(zip(rows, first, strict=False)),
        total=(total, first[-1]) if total else None,
        with_invoices=actor.is_gemeente
        or (house is not None and actor.can(Permission.manage_invoices, house.id)),
    )
