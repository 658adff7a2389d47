"""Distinct, returning and new-this-year visitors, counted in SQL without identities.

A phone (qr, poster) carries a keyed hash of its cookie, a printed visitor card (kaart)
a keyed hash of its code, both per house and reporting year (`booking.services.
device_keys`). From those hashes, per house and channel group (telefoon, kaart):

- distinct visitors: distinct hashes in the period;
- returning visitors: hashes whose first and last visit in the period fall on different
  Amsterdam days (the same as "seen on two or more days");
- new this year: hashes with no counted visit at the house between 1 January of the
  period's first year (Amsterdam) and the period's start. A hash never spans years (the
  year's key is destroyed), so a hash of a later year in a period over New Year is new
  by construction.

One grouped query per report: a subquery with one row per hash (min and max of
visited_at, over the covering index `ix_visit_reach`, which holds device_hash), and an
outer query that counts those rows per group; whether a hash was seen earlier in the year
is an EXISTS probe per hash on `ix_visit_house_device` (house, hash, time). No hash
is ever loaded into Python. The Amsterdam day of a moment is computed in SQL:
PostgreSQL converts the time zone; SQLite compares with the UTC bounds of each year's
summer time (the EU rule, last Sunday of March to last Sunday of October, 01:00 UTC,
which holds for every year since 1996), computed in Python and sent as parameters.

"New this year" looks at the whole house (any room or activity) before the period, with
the same choice of flagged visits as the report. Roll-ups (days older than the
retention period) keep distinct devices per row only: their sums are added to the
distinct visitors as an upper bound and `exact` turns False; returning and new
visitors are then counted over the raw visits alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from booking.extensions import db
from booking.models import Visit, VisitDailyRollup
from booking.models.base import UTCDateTime
from booking.rules.periods import Period, summer_time_utc
from booking.rules.reach_counts import CARD, PHONE, HouseReach, Reach, VisitorCounts
from booking.rules.visit_vocabulary import RECOGNISED_CHANNELS, Channel
from booking.services.reach import Scope, _rollup_conditions, _visit_conditions, reach


class amsterdam_day(FunctionElement[Any]):  # lower case: reads like the SQL function it is
    """The Amsterdam calendar day of a stored UTC moment in one of `years`, as something
    comparable. SQLite is given the UTC bounds of those years' summer times
    (`summer_time_utc`): a comparison per row instead of the EU rule worked out per row,
    which cost ~1 µs per row."""

    name = "amsterdam_day"
    inherit_cache = True

    def __init__(self, moment: Any, years: Iterable[int]) -> None:
        bounds = [
            literal(instant, UTCDateTime)
            for year in sorted(set(years))
            for instant in summer_time_utc(year)
        ]
        super().__init__(moment, *bounds)


@compiles(amsterdam_day, "postgresql")
def _amsterdam_day_postgresql(element: amsterdam_day, compiler: Any, **kw: Any) -> str:
    column = compiler.process(next(iter(element.clauses)), **kw)
    return f"CAST(({column} AT TIME ZONE 'Europe/Amsterdam') AS DATE)"


@compiles(amsterdam_day, "sqlite")
def _amsterdam_day_sqlite(element: amsterdam_day, compiler: Any, **kw: Any) -> str:
    x, *bounds = (compiler.process(clause, **kw) for clause in element.clauses)
    pairs = zip(bounds[::2], bounds[1::2], strict=True)
    summers = [f"({x} >= {start} AND {x} < {end})" for start, end in pairs]
    if not summers:
        return f"date({x}, '+1 hour')"
    return f"date({x}, CASE WHEN {' OR '.join(summers)} THEN '+2 hours' ELSE '+1 hour' END)"


def _group() -> Any:
    return case((Visit.channel == Channel.kaart, CARD), else_=PHONE)


def _seen_earlier(scope: Scope, period: Period, house_id: Any, device_hash: Any) -> Any | None:
    """Whether a hash was counted at its house this year before the period: an EXISTS
    probe per hash on `ix_visit_house_device` (house, hash, time, suspicious), which never
    reads a row, so its cost follows the period's visitors, not the visits of the year so
    far. None when the period starts on 1 January."""
    year_start = date(period.first.year, 1, 1)
    if year_start == period.first:
        return None
    start, _ = Period(year_start, period.first).utc_bounds()
    end, _ = period.utc_bounds()
    earlier = aliased(Visit)
    conditions: list[Any] = [
        earlier.house_id == house_id,
        earlier.device_hash == device_hash,
        earlier.visited_at >= start,
        earlier.visited_at < end,
    ]  # a hash comes only with RECOGNISED_CHANNELS: no channel test, no row read
    if not scope.include_suspicious:
        conditions.append(earlier.suspicious.is_(False))
    return select(earlier.id).where(*conditions).exists()


def visitors(
    period: Period, scope: Scope, *, per_house: bool = False
) -> dict[int | None, VisitorCounts]:
    """The visitors of a scope (key None), or of each of its houses (key house id)."""
    result: dict[int | None, VisitorCounts] = {}
    conditions = [
        *_visit_conditions(scope, period),
        Visit.device_hash.is_not(None),
        Visit.channel.in_(RECOGNISED_CHANNELS),
    ]
    group = func.max(_group()).label("grp")  # a hash is a phone's or a card's, never both
    per_hash = (
        select(
            Visit.house_id.label("house_id"),
            group,
            Visit.device_hash.label("device_hash"),
            func.min(Visit.visited_at).label("first_at"),
            func.max(Visit.visited_at).label("last_at"),
        )
        .where(*conditions)
        .group_by(Visit.house_id, Visit.device_hash)
        .subquery()
    )
    earlier = _seen_earlier(scope, period, per_hash.c.house_id, per_hash.c.device_hash)
    is_new = 1 if earlier is None else case((earlier, 0), else_=1)
    years = range(period.first.year, period.last.year + 1)
    returning = case(
        (amsterdam_day(per_hash.c.first_at, years) != amsterdam_day(per_hash.c.last_at, years), 1)
    )
    keys = [per_hash.c.house_id] if per_house else []
    counted = select(
        *keys,
        per_hash.c.grp,
        func.count(),
        func.coalesce(func.sum(returning), 0),
        func.coalesce(func.sum(is_new), 0),
    ).group_by(*keys, per_hash.c.grp)
    for row in db.session.execute(counted).tuples():
        house_id, (grp, distinct, back, new) = (row[0], row[1:]) if per_house else (None, row)
        counts = result.setdefault(house_id, VisitorCounts())
        counts.distinct[grp] += int(distinct)
        counts.returning[grp] += int(back)
        counts.new[grp] += int(new)
    _add_rollups(result, period, scope, per_house=per_house)
    return result


def _add_rollups(
    result: dict[int | None, VisitorCounts], period: Period, scope: Scope, *, per_house: bool
) -> None:
    conditions = _rollup_conditions(scope, period)
    if conditions is None:
        return
    r = VisitDailyRollup
    keys: Sequence[Any] = [r.house_id] if per_house else []
    rows = db.session.execute(
        select(*keys, r.channel, func.sum(r.distinct_devices))
        .where(*conditions, r.channel.in_(RECOGNISED_CHANNELS), r.visits > 0)
        .group_by(*keys, r.channel)
    ).tuples()
    for row in rows:
        house_id, (channel, devices) = (row[0], row[1:]) if per_house else (None, row)
        counts = result.setdefault(house_id, VisitorCounts())
        counts.distinct[CARD if channel == Channel.kaart else PHONE] += int(devices or 0)
        counts.exact = False


def scope_visitors(period: Period, scope: Scope) -> VisitorCounts:
    return visitors(period, scope).get(None, VisitorCounts())


def with_visitors(period: Period, scope: Scope) -> Reach:
    """The reach of a scope with its visitors. The distinct devices are the distinct
    visitors (a hash belongs to one phone or one card of one house, and roll-ups add the
    same sums to both), so the report skips its own pass over the hashes."""
    counts = reach(period, scope, devices=False)
    counts.visitors = scope_visitors(period, scope)
    counts.distinct_devices = counts.visitors.distinct_total
    return counts


def add_house_visitors(
    rows: Sequence[HouseReach], period: Period, *, include_suspicious: bool = False
) -> None:
    """Fill in the visitors of each house's line of the comparison or the rendement, and
    its distinct devices (equal to its distinct visitors, see `with_visitors`), so the
    rows may come from `reach_per_house(..., devices=False)`."""
    if not rows:
        return
    scope = Scope(tuple(r.house_id for r in rows), include_suspicious=include_suspicious)
    found = visitors(period, scope, per_house=True)
    for row in rows:
        row.visitors = found.get(row.house_id, VisitorCounts())
        row.distinct_devices = row.visitors.distinct_total
