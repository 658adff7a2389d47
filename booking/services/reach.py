"""The reach queries (bereik): visits counted in SQL, before any suppression.

Counting happens in SQL with GROUP BY, over the covering index `ix_visit_reach` (house_id,
visited_at, then every column a report reads): a report reads only the index entries of
its houses and period, never the visit table, and never loads a Visit object.
Period bounds are Amsterdam dates, converted to UTC once at the edge. The database groups
by *UTC hour* (a substring of the stored text on SQLite, date_trunc on PostgreSQL) and
Python converts each bucket to Amsterdam weekday and hour: exact, the offset being whole
hours, and free of time-zone functions SQLite lacks.

Older data: raw visits older than the retention period are rolled up into
`VisitDailyRollup` rows (one per house, room, day, channel, area, age group, first-time
answer and suspicious flag) and deleted. A report adds those rows for its days, so the
two sources together give the full period; the retention job rolls up and deletes a day
in one transaction, so no day is in both. What a roll-up cannot give:

- the hour of a visit: its visits count in an "onbekend" hour column;
- the activity: with an activity filter, rolled-up days count nothing;
- exact distinct devices: a roll-up row keeps the distinct devices of that row only, so
  summing them over rows and days counts a device once per row it appears in. Raw days
  give an exact count of distinct `device_hash`; rolled-up days add their stored counts,
  which makes the total an *upper bound*, and `Reach.devices_exact` says whether any were
  added.

Cost: a report reads the visits of its period three times (per UTC hour; per answer
combination; distinct devices, unless `reach_visitors` counts them), each an index-only
range scan, measured by bench/stats_bench.py.

Roll-up keys, as `booking.jobs.rollup_visits` writes them: `area_key` is the area's
name, `elders`, `geen_antwoord`, or "" for no answer; `age_group` one of `AGE_GROUPS` or
""; `first_time` "ja", "nee" or "" ("true"/"false" are read too). Device hashes are
keyed per house: one phone in two houses is two devices, as the design intends.

These are queries without a permission check, for the use cases of
`booking.services.reach_figures` (which check who asks, and publish), the jobs and the
benchmark. Nothing shows their counts as they are: `booking.rules.publication` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import Area, House, Visit, VisitDailyRollup
from booking.rules import periods
from booking.rules.periods import Period
from booking.rules.reach_counts import (
    AREA_ELSEWHERE,
    AREA_NO_ANSWER,
    HOUR_COLUMNS,
    UNKNOWN,
    UNKNOWN_HOUR,
    HouseReach,
    Reach,
)
from booking.rules.slots import AMSTERDAM
from booking.rules.visit_vocabulary import AGE_GROUPS, CHANNELS, FirstTimeAnswer
from booking.services import houses

AGE_KEYS = (*AGE_GROUPS, UNKNOWN)  # "geen_antwoord" is an answer: "zeg ik liever niet"
_TRUE_WORDS = frozenset({"true", FirstTimeAnswer.ja, "1", "t", "yes"})
_FALSE_WORDS = frozenset({"false", FirstTimeAnswer.nee, "0", "f", "no"})


def threshold() -> int:
    """The gemeente's suppression threshold: counts 1 up to it minus one are "<5"."""
    return max(1, houses.policy().suppression_threshold)


# A period typed by a person ----------------------------------------------------------------


def parse_day(text: str | None, what: str) -> date:
    """A date typed as YYYY-MM-DD; anything else is InvalidInput at the field `what`."""
    found = periods.read_day(text, what)
    if not isinstance(found, date):
        raise InvalidInput(what, found, code=periods.PERIOD_CODE)
    return found


def make_period(first: date, last: date, *, field: str = "tot") -> Period:
    """Check a period: from before to, at most two years, within 2000-2100."""
    problem = periods.period_problem(first, last)
    if problem is not None:
        raise InvalidInput(field, problem, code=periods.PERIOD_CODE)
    return Period(first, last)


def parse_period(
    first: str | None, last: str | None, *, fields: tuple[str, str] = ("van", "tot")
) -> Period:
    return make_period(parse_day(first, fields[0]), parse_day(last, fields[1]), field=fields[1])


# Scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which visits count: houses (None = all), optionally one room or one activity."""

    house_ids: tuple[int, ...] | None = None
    room_id: int | None = None
    booking_id: int | None = None
    include_suspicious: bool = False


def _house_ids(scope: Scope) -> list[int]:
    """Always name the houses: lets the (house_id, visited_at, ...) index serve them all."""
    if scope.house_ids is not None:
        return list(scope.house_ids)
    return list(db.session.scalars(select(House.id).order_by(House.id)))


class utc_hour(FunctionElement[Any]):  # lower case: reads like the SQL function it is
    """The UTC hour of an aware timestamp column: the cheapest expression per database.

    SQLite stores UTCDateTime as naive UTC text 'YYYY-MM-DD HH:MM:SS.ffffff', so the hour
    is its first 13 characters. PostgreSQL truncates the timestamptz, read in UTC, to a
    timestamp without time zone (cheaper than formatting it as text). `_utc_moment` reads
    either back as an aware UTC datetime.
    """

    name = "utc_hour"
    inherit_cache = True


@compiles(utc_hour, "sqlite")
def _utc_hour_sqlite(element: utc_hour, compiler: Any, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 13)"


@compiles(utc_hour, "postgresql")
def _utc_hour_postgresql(element: utc_hour, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"date_trunc('hour', {column} AT TIME ZONE 'UTC')"


def _utc_moment(bucket: str | datetime) -> datetime:
    if isinstance(bucket, datetime):
        return bucket.replace(tzinfo=UTC)
    return datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC)


def _distinct_devices(conditions: list[Any], *group: Any) -> Any:
    """Distinct device hashes, as a DISTINCT subquery: PostgreSQL hashes it, where
    count(DISTINCT ...) would sort; SQLite does the same work either way."""
    return (
        select(Visit.device_hash, *group)
        .where(*conditions, Visit.device_hash.is_not(None))
        .distinct()
        .subquery()
    )


def _visit_conditions(scope: Scope, period: Period) -> list[Any]:
    start, end = period.utc_bounds()
    conditions: list[Any] = [
        Visit.house_id.in_(_house_ids(scope)),
        Visit.visited_at >= start,
        Visit.visited_at < end,
    ]
    if scope.room_id is not None:
        conditions.append(Visit.room_id == scope.room_id)
    if scope.booking_id is not None:
        conditions.append(Visit.booking_id == scope.booking_id)
    if not scope.include_suspicious:
        conditions.append(Visit.suspicious.is_(False))
    return conditions


def _rollup_conditions(scope: Scope, period: Period) -> list[Any] | None:
    if scope.booking_id is not None:
        return None  # roll-ups do not keep the activity
    conditions: list[Any] = [
        VisitDailyRollup.house_id.in_(_house_ids(scope)),
        VisitDailyRollup.day >= period.first,
        VisitDailyRollup.day <= period.last,
    ]
    if scope.room_id is not None:
        conditions.append(VisitDailyRollup.room_id == scope.room_id)
    if not scope.include_suspicious:
        conditions.append(VisitDailyRollup.suspicious.is_(False))
    return conditions


# Areas ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaInfo:
    key: str  # the area's name, or elders / geen_antwoord / onbekend
    kind: str  # wijk, kern, or "" for the three answers that are no area
    vulnerable: bool


def area_infos() -> list[AreaInfo]:
    """Every wijk and kern (wijken first, by name), then the answers that are no area."""
    rows = [AreaInfo(a.name, a.kind, a.vulnerable) for a in houses.list_areas()]
    return [
        *rows,
        AreaInfo(AREA_ELSEWHERE, "", False),
        AreaInfo(AREA_NO_ANSWER, "", False),
        AreaInfo(UNKNOWN, "", False),
    ]


def _area_names() -> dict[int, str]:
    return dict(db.session.execute(select(Area.id, Area.name)).tuples().all())


def _area_key(area_id: int | None, answer: str | None, names: dict[int, str]) -> str:
    if area_id is not None:
        return names.get(area_id, UNKNOWN)
    if answer in (AREA_ELSEWHERE, AREA_NO_ANSWER):
        return answer
    return UNKNOWN


def _rollup_area_key(stored: str | None) -> str:
    """The job keeps the area's *name* (or the answer), so a renamed or removed area keeps
    its own line rather than vanishing into "onbekend"."""
    return stored or UNKNOWN


def _first_time_of(stored: str | None) -> bool | None:
    word = (stored or "").strip().lower()
    return True if word in _TRUE_WORDS else False if word in _FALSE_WORDS else None


# One scope ------------------------------------------------------------------------------------


def _empty_reach(period: Period, areas: Iterable[str]) -> Reach:
    return Reach(
        period=period,
        by_channel=dict.fromkeys(CHANNELS, 0),
        by_area=dict.fromkeys(areas, 0),
        by_age=dict.fromkeys(AGE_KEYS, 0),
        weekday_hour=[[0] * HOUR_COLUMNS for _ in range(7)],
        by_day=dict.fromkeys(period.each_day(), 0),
    )


def reach(period: Period, scope: Scope, *, devices: bool = True) -> Reach:
    """All counts of the reach page in four grouped queries (three over raw visits).
    `devices=False` leaves the distinct devices of the raw visits to the caller, who
    counts the visitors anyway (`reach_visitors.with_visitors`)."""
    infos = area_infos()
    names = _area_names()
    result = _empty_reach(period, (a.key for a in infos))
    conditions = _visit_conditions(scope, period)

    hour = utc_hour(Visit.visited_at).label("hour")
    for bucket, count in db.session.execute(
        select(hour, func.count()).where(*conditions).group_by(hour)
    ).tuples():
        moment = _utc_moment(bucket).astimezone(AMSTERDAM)  # one per hour: a few hundred
        result.visits += count
        result.weekday_hour[moment.weekday()][moment.hour] += count
        result.by_day[moment.date()] = result.by_day.get(moment.date(), 0) + count

    answers = select(
        Visit.channel,
        Visit.area_id,
        Visit.area_answer,
        Visit.age_group,
        Visit.first_time,
        func.count(),
    ).where(*conditions)
    answers = answers.group_by(
        Visit.channel, Visit.area_id, Visit.area_answer, Visit.age_group, Visit.first_time
    )
    for channel, area_id, answer, age, first, count in db.session.execute(answers).tuples():
        _add_answers(
            result, channel, _area_key(area_id, answer, names), age or UNKNOWN, first, count
        )

    if devices:
        distinct = _distinct_devices(conditions)
        result.distinct_devices = db.session.scalar(select(func.count()).select_from(distinct)) or 0
    _add_rollups(result, scope, period)
    return result


def _add_answers(
    result: Reach, channel: str, area: str, age: str, first: bool | None, count: int
) -> None:
    result.by_channel[channel] = result.by_channel.get(channel, 0) + count
    result.by_area[area] = result.by_area.get(area, 0) + count
    result.by_age[age] = result.by_age.get(age, 0) + count
    if first is True:
        result.first_visits += count


def _add_rollups(result: Reach, scope: Scope, period: Period) -> None:
    conditions = _rollup_conditions(scope, period)
    if conditions is None:
        return
    r = VisitDailyRollup
    rows = db.session.execute(
        select(
            r.day,
            r.channel,
            r.area_key,
            r.age_group,
            r.first_time,
            func.sum(r.visits),
            func.sum(r.distinct_devices),
        )
        .where(*conditions)
        .group_by(r.day, r.channel, r.area_key, r.age_group, r.first_time)
    ).tuples()
    for day, channel, area_key, age, first, visits, devices in rows:
        visits, devices = int(visits or 0), int(devices or 0)
        if not visits:
            continue
        result.visits += visits
        result.weekday_hour[day.weekday()][UNKNOWN_HOUR] += visits
        result.by_day[day] = result.by_day.get(day, 0) + visits
        area, age_key = _rollup_area_key(area_key), age if age in AGE_GROUPS else UNKNOWN
        _add_answers(result, channel, area, age_key, _first_time_of(first), visits)
        result.distinct_devices += devices
        result.devices_exact = False


# The gemeente's comparison of houses -------------------------------------------------------


def reach_per_house(
    period: Period,
    house_ids: Sequence[int] | None = None,
    *,
    include_suspicious: bool = False,
    devices: bool = True,
) -> list[HouseReach]:
    """One row per house (by name) in three grouped queries, for the gemeente (two with
    `devices=False`, as for `reach`)."""
    all_houses = [h for h in houses.list_houses() if house_ids is None or h.id in house_ids]
    if not all_houses:
        return []
    rows = {h.id: _house_row(h) for h in all_houses}
    scope = Scope(tuple(rows), include_suspicious=include_suspicious)
    vulnerable_ids = set(db.session.scalars(select(Area.id).where(Area.vulnerable.is_(True))))
    vulnerable_names = set(db.session.scalars(select(Area.name).where(Area.vulnerable.is_(True))))
    conditions = _visit_conditions(scope, period)
    grouped = (
        select(Visit.house_id, Visit.channel, Visit.first_time, Visit.area_id, func.count())
        .where(*conditions)
        .group_by(Visit.house_id, Visit.channel, Visit.first_time, Visit.area_id)
    )
    for house_id, channel, first, area_id, count in db.session.execute(grouped).tuples():
        rows[house_id].add(channel, first is True, area_id in vulnerable_ids, count)
    if devices:
        distinct = _distinct_devices(conditions, Visit.house_id)
        per_house = select(distinct.c.house_id, func.count()).group_by(distinct.c.house_id)
        for house_id, count in db.session.execute(per_house).tuples():
            rows[house_id].distinct_devices += count
    rollup_conditions = _rollup_conditions(scope, period)
    r = VisitDailyRollup
    rolled = (
        select(
            r.house_id,
            r.channel,
            r.first_time,
            r.area_key,
            func.sum(r.visits),
            func.sum(r.distinct_devices),
        )
        .where(*(rollup_conditions or []))
        .group_by(r.house_id, r.channel, r.first_time, r.area_key)
    )
    for house_id, channel, first, area_key, visits, devices in db.session.execute(rolled):
        row = rows[house_id]
        key = _rollup_area_key(area_key)
        row.add(channel, _first_time_of(first) is True, key in vulnerable_names, int(visits or 0))
        row.distinct_devices += int(devices or 0)
        row.devices_exact = row.devices_exact and not visits
    return [rows[h.id] for h in all_houses]


def _house_row(house: House) -> HouseReach:
    area = house.area
    return HouseReach(
        house.id,
        house.slug,
        house.name,
        area.name,
        area.kind,
        area.vulnerable,
        by_channel=dict.fromkeys(CHANNELS, 0),
    )
