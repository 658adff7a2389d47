"""The counts of reach (bereik) before suppression: what the queries fill in.

`booking.services.reach` fills these from the visits and the daily roll-ups;
`booking.rules.publication` turns them into the figures a page, a CSV or the API may
show. Nothing shows them as they are: a small count could single somebody out.

Report keys beside the answers themselves: `UNKNOWN` for a question left unanswered
(or an area that no longer exists), `UNKNOWN_HOUR` for the column of rolled-up visits,
whose hour is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from booking.rules.periods import Period
from booking.rules.visit_vocabulary import AreaAnswer

AREA_ELSEWHERE = AreaAnswer.elders
AREA_NO_ANSWER = AreaAnswer.geen_antwoord
UNKNOWN = "onbekend"
UNKNOWN_HOUR = 24  # the column of rolled-up visits, whose hour is not kept
HOUR_COLUMNS = 25

PHONE = "telefoon"
CARD = "kaart"
VISITOR_GROUPS = (PHONE, CARD)
"""Distinct visitors by how they are recognised: a phone (qr, poster: a keyed hash of its
cookie) or a printed visitor card (kaart: a keyed hash of its code)."""
TOTAL = "totaal"


def _zeros() -> dict[str, int]:
    return dict.fromkeys(VISITOR_GROUPS, 0)


@dataclass
class VisitorCounts:
    """Distinct, returning and new-this-year visitors per group, before suppression.

    `distinct`: distinct keyed hashes; `returning`: hashes seen on two or more Amsterdam
    days within the period; `new`: hashes whose first counted visit of their reporting
    year falls inside the period. `exact` is False when days only kept as daily roll-ups
    were added: their distinct counts are an upper bound, and returning and new visitors
    are then counted over the raw visits only.
    """

    distinct: dict[str, int] = field(default_factory=_zeros)
    returning: dict[str, int] = field(default_factory=_zeros)
    new: dict[str, int] = field(default_factory=_zeros)
    exact: bool = True

    @property
    def distinct_total(self) -> int:
        return sum(self.distinct.values())

    @property
    def returning_total(self) -> int:
        return sum(self.returning.values())

    @property
    def new_total(self) -> int:
        return sum(self.new.values())


@dataclass
class Reach:
    """The counts of one scope and period, before suppression."""

    period: Period
    visits: int = 0
    distinct_devices: int = 0
    devices_exact: bool = True
    first_visits: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_area: dict[str, int] = field(default_factory=dict)
    by_age: dict[str, int] = field(default_factory=dict)
    weekday_hour: list[list[int]] = field(default_factory=list)  # 7 x 25 (last: unknown)
    by_day: dict[date, int] = field(default_factory=dict)
    visitors: VisitorCounts = field(default_factory=VisitorCounts)

    @property
    def by_weekday(self) -> list[int]:
        return [sum(row) for row in self.weekday_hour]

    @property
    def by_hour(self) -> list[int]:
        return [sum(row[h] for row in self.weekday_hour) for h in range(HOUR_COLUMNS)]

    @property
    def has_unknown_hour(self) -> bool:
        return any(row[UNKNOWN_HOUR] for row in self.weekday_hour)

    def trend(self) -> list[tuple[date, int]]:
        """(first day of the bucket, visits) per day, or per ISO week for long periods."""
        if not self.period.weekly:
            return list(self.by_day.items())
        weeks: dict[date, int] = {}
        for day, count in self.by_day.items():
            monday = day - timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0) + count
        return list(weeks.items())


@dataclass
class HouseReach:
    """One house's line of the gemeente's comparison, before suppression."""

    house_id: int
    slug: str
    name: str
    area: str
    area_kind: str
    area_vulnerable: bool
    visits: int = 0
    distinct_devices: int = 0
    devices_exact: bool = True
    first_visits: int = 0
    from_vulnerable: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)  # every channel, in order
    visitors: VisitorCounts = field(default_factory=VisitorCounts)

    def add(self, channel: str, first: bool, vulnerable: bool, count: int) -> None:
        """Count `count` visits of one channel and answer combination."""
        self.visits += count
        self.by_channel[channel] = self.by_channel.get(channel, 0) + count
        if first:
            self.first_visits += count
        if vulnerable:
            self.from_vulnerable += count
