"""Reach statistics (bereik), the maatschappelijk rendement, and host notes (vertellen).

Counting happens in SQL with GROUP BY, over the covering index `ix_visit_reach` (house_id,
visited_at, then every column a report reads): a report reads only the index entries of
its houses and period, never the visit table, and never loads a Visit object.
Period bounds are Amsterdam dates, converted to UTC once at the edge; weekday and hour
are Amsterdam wall-clock, but the database groups by *UTC hour* (a substring of the
stored text on SQLite, date_trunc on PostgreSQL) and Python converts each hour bucket to
Amsterdam time.
That keeps the SQL free of time-zone functions SQLite lacks, and is exact because the
Amsterdam offset is always a whole number of hours.

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
combination; distinct devices), each an index-only range scan. bench/stats_bench.py
measures it on a million visits.

Roll-up keys, as `booking.jobs.rollup_visits` writes them: `area_key` is the area's
name, `elders`, `geen_antwoord`, or "" for no answer; `age_group` one of `AGE_GROUPS` or
""; `first_time` "ja", "nee" or "" ("true"/"false" are read too).

Device hashes are keyed per house, so one phone in two houses is two devices; distinct
devices over several houses are the sum per house, as the design intends.

Suppression (`booking.rules.suppression`) is applied in one place, `shown_reach`, for all
cells one page, CSV or JSON answer publishes together; every output renders that result,
so the screen, the CSV and the API show the same "<5" and "x".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from booking.database import begin_write
from booking.extensions import db
from booking.models import (
    Area,
    Booking,
    HostNote,
    House,
    Room,
    User,
    Visit,
    VisitDailyRollup,
)
from booking.models.kiosk import AGE_GROUPS, CHANNELS
from booking.rules import dates, suppression
from booking.rules.messages import N_
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.services import audit, houses

AREA_ELSEWHERE = "elders"
AREA_NO_ANSWER = "geen_antwoord"
UNKNOWN = "onbekend"
AGE_KEYS = (*AGE_GROUPS, UNKNOWN)  # "geen_antwoord" is an answer: "zeg ik liever niet"
UNKNOWN_HOUR = 24  # the column of rolled-up visits, whose hour is not kept
HOUR_COLUMNS = 25
DAILY_TREND_MAX_DAYS = 62
MIN_YEAR, MAX_YEAR = dates.MIN_YEAR, dates.MAX_YEAR  # one window for every typed date
NOTE_MAX = 1000
RENDEMENT_STATUSES = (BookingStatus.bevestigd.value, BookingStatus.onder_voorbehoud.value)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TRUE_WORDS = frozenset({"true", "ja", "1", "t", "yes"})
_FALSE_WORDS = frozenset({"false", "nee", "0", "f", "no"})


class StatsError(Exception):
    """Bad input for a report or a note; `message` is a Dutch msgid for the user."""

    def __init__(self, message: str, *, field: str = "", **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the form field it is about, when there is one
        self.params = params


class NotFound(Exception):
    """The house or object does not exist, or the user may not see it (answer 404)."""


# Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Amsterdam dates, both inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight before `first` up to the one after `last`."""
        return _midnight_utc(self.first), _midnight_utc(self.last + timedelta(days=1))

    def each_day(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.days)]

    @property
    def weekly(self) -> bool:
        """A trend per day up to two months; per ISO week (Monday first) beyond."""
        return self.days > DAILY_TREND_MAX_DAYS


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), AMSTERDAM).astimezone(UTC)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return date(day.year + years, 3, 1)


def parse_day(text: str | None, what: str) -> date:
    """A date typed as YYYY-MM-DD (what date inputs send); anything else is a StatsError."""
    text = (text or "").strip()
    if not _ISO_DATE.fullmatch(text):
        raise StatsError(N_("Vul de datum '%(what)s' in als JJJJ-MM-DD."), what=what)
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise StatsError(N_("De datum '%(what)s' bestaat niet."), what=what) from error
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise StatsError(N_("Kies een datum tussen 2000 en 2100."))
    return day


def make_period(first: date, last: date) -> Period:
    """Check a period: from before to, at most two years, within 2000-2100."""
    for day in (first, last):
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise StatsError(N_("Kies een datum tussen 2000 en 2100."))
    if first > last:
        raise StatsError(N_("De begindatum ligt na de einddatum."))
    if last >= _add_years(first, 2):
        raise StatsError(N_("Kies een periode van hoogstens twee jaar."))
    return Period(first, last)


def parse_period(first: str | None, last: str | None) -> Period:
    return make_period(parse_day(first, "van"), parse_day(last, "tot"))


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def this_month(today: date) -> Period:
    return Period(today.replace(day=1), today)


def previous_month(today: date) -> Period:
    last = today.replace(day=1) - timedelta(days=1)
    return Period(last.replace(day=1), last)


def this_quarter(today: date) -> Period:
    return Period(_quarter_start(today), today)


def previous_quarter(today: date) -> Period:
    last = _quarter_start(today) - timedelta(days=1)
    return Period(_quarter_start(last), _month_end(last))


def default_period(today: date) -> Period:
    """The last full quarter: what a board reports on."""
    return previous_quarter(today)


def today_amsterdam(now: datetime) -> date:
    return now.astimezone(AMSTERDAM).date()


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


# Reach: the raw counts ---------------------------------------------------------------------


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


def _empty_reach(period: Period, areas: Iterable[str]) -> Reach:
    return Reach(
        period=period,
        by_channel=dict.fromkeys(CHANNELS, 0),
        by_area=dict.fromkeys(areas, 0),
        by_age=dict.fromkeys(AGE_KEYS, 0),
        weekday_hour=[[0] * HOUR_COLUMNS for _ in range(7)],
        by_day=dict.fromkeys(period.each_day(), 0),
    )


def reach(period: Period, scope: Scope) -> Reach:
    """All counts of the reach page in four grouped queries (three over raw visits)."""
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

    devices = _distinct_devices(conditions)
    result.distinct_devices = db.session.scalar(select(func.count()).select_from(devices)) or 0
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
        age_key = age if age in AGE_GROUPS else UNKNOWN
        _add_answers(
            result,
            channel,
            _rollup_area_key(area_key),
            age_key,
            _first_time_of(first),
            visits,
        )
        result.distinct_devices += devices
        result.devices_exact = False


# Reach: what may be shown ------------------------------------------------------------------


@dataclass(frozen=True)
class ShownReach:
    """Reach after suppression: every breakdown cell is a count, "<5" or "x"."""

    period: Period
    threshold: int
    visits: int
    distinct_devices: int
    devices_exact: bool
    first_visits: suppression.Cell
    by_channel: dict[str, suppression.Cell]
    by_area: dict[str, suppression.Cell]
    by_age: dict[str, suppression.Cell]
    by_weekday: list[suppression.Cell]
    by_hour: list[suppression.Cell]  # 24 hours, plus the unknown hour when there is one
    weekday_hour: list[list[suppression.Cell]]  # 7 rows, columns as by_hour
    by_day: dict[date, suppression.Cell]
    trend: list[tuple[date, suppression.Cell]]
    weekly: bool


def threshold() -> int:
    return max(1, houses.policy().suppression_threshold)


class _Cells:
    """Collects the cells of one publication and the relations between them."""

    def __init__(self) -> None:
        self.values: list[int] = []
        self.lines: list[list[int]] = []

    def add(self, values: Iterable[int]) -> list[int]:
        start = len(self.values)
        self.values.extend(values)
        return list(range(start, len(self.values)))

    def relate(self, *groups: Iterable[int]) -> None:
        self.lines.append([index for group in groups for index in group])


def shown_reach(result: Reach, limit: int | None = None) -> ShownReach:
    """Suppress every cell the reach page publishes, as one system of relations.

    Relations (each a line: never exactly one hidden cell): the channels, areas, age
    groups, weekdays, hours, days and trend buckets each add up to the public total of
    visits; every weekday is the sum of its row of the weekday x hour table and of its
    days; every hour the sum of its column; every week the sum of its days. The
    first-time count has no published siblings, so it gets primary suppression only.
    """
    limit = threshold() if limit is None else limit
    cells = _Cells()
    hours = HOUR_COLUMNS if result.has_unknown_hour else 24
    channel = cells.add(result.by_channel.values())
    area = cells.add(result.by_area.values())
    age = cells.add(result.by_age.values())
    weekday = cells.add(result.by_weekday)
    hour = cells.add(result.by_hour[:hours])
    grid = [cells.add(row[:hours]) for row in result.weekday_hour]
    days = list(result.by_day)
    day = cells.add(result.by_day.values())
    trend_buckets = result.trend()
    if result.period.weekly:
        week = cells.add(count for _, count in trend_buckets)
        monday_index = {monday: i for i, (monday, _) in enumerate(trend_buckets)}
        members: dict[int, list[int]] = defaultdict(list)
        for index, d in zip(day, days, strict=True):
            members[monday_index[d - timedelta(days=d.weekday())]].append(index)
        for w, index in enumerate(week):
            cells.relate([index], members[w])
        cells.relate(week)
    for line in (channel, area, age, weekday, hour, day, [i for row in grid for i in row]):
        cells.relate(line)
    for w in range(7):
        cells.relate([weekday[w]], grid[w])
        cells.relate([weekday[w]], [i for i, d in zip(day, days, strict=True) if d.weekday() == w])
    for h in range(hours):
        cells.relate([hour[h]], [grid[w][h] for w in range(7)])
    shown = suppression.suppress_lines(cells.values, cells.lines, limit)

    def pick(indices: Sequence[int]) -> list[suppression.Cell]:
        return [shown[i] for i in indices]

    day_cells = pick(day)
    trend = (
        list(zip([m for m, _ in trend_buckets], pick(week), strict=True))
        if result.period.weekly
        else list(zip(days, day_cells, strict=True))
    )
    return ShownReach(
        period=result.period,
        threshold=limit,
        visits=result.visits,
        distinct_devices=result.distinct_devices,
        devices_exact=result.devices_exact,
        first_visits=suppression.suppress_cell(result.first_visits, limit),
        by_channel=dict(zip(result.by_channel, pick(channel), strict=True)),
        by_area=dict(zip(result.by_area, pick(area), strict=True)),
        by_age=dict(zip(result.by_age, pick(age), strict=True)),
        by_weekday=pick(weekday),
        by_hour=pick(hour),
        weekday_hour=[pick(row) for row in grid],
        by_day=dict(zip(days, day_cells, strict=True)),
        trend=trend,
        weekly=result.period.weekly,
    )


# The gemeente's comparison of houses -------------------------------------------------------


@dataclass
class HouseReach:
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
    by_channel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHANNELS, 0))


def reach_per_house(
    period: Period, house_ids: Sequence[int] | None = None, *, include_suspicious: bool = False
) -> list[HouseReach]:
    """One row per house (by name) in three grouped queries, for the gemeente."""
    all_houses = [h for h in houses.list_houses() if house_ids is None or h.id in house_ids]
    if not all_houses:
        return []
    rows = {
        h.id: HouseReach(h.id, h.slug, h.name, h.area.name, h.area.kind, h.area.vulnerable)
        for h in all_houses
    }
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
        _add_house(rows[house_id], channel, first is True, area_id in vulnerable_ids, count)
    devices = _distinct_devices(conditions, Visit.house_id)
    per_house = select(devices.c.house_id, func.count()).group_by(devices.c.house_id)
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
        _add_house(
            row, channel, _first_time_of(first) is True, key in vulnerable_names, int(visits or 0)
        )
        row.distinct_devices += int(devices or 0)
        row.devices_exact = row.devices_exact and not visits
    return [rows[h.id] for h in all_houses]


def _add_house(row: HouseReach, channel: str, first: bool, vulnerable: bool, count: int) -> None:
    row.visits += count
    row.by_channel[channel] = row.by_channel.get(channel, 0) + count
    if first:
        row.first_visits += count
    if vulnerable:
        row.from_vulnerable += count


@dataclass(frozen=True)
class ShownHouseRow:
    reach: HouseReach
    first_visits: suppression.Cell
    from_vulnerable: suppression.Cell
    by_channel: dict[str, suppression.Cell]

    def share(self, channel: str) -> Fraction | None:
        """The channel's share of the house's visits, only where its count is shown."""
        cell = self.by_channel[channel]
        if isinstance(cell, str) or not self.reach.visits:
            return None
        return Fraction(cell, self.reach.visits)


@dataclass(frozen=True)
class ShownComparison:
    period: Period
    threshold: int
    rows: list[ShownHouseRow]
    visits: int
    distinct_devices: int
    devices_exact: bool
    first_visits: suppression.Cell
    from_vulnerable: suppression.Cell
    by_channel: dict[str, suppression.Cell]


def shown_comparison(
    period: Period, rows: list[HouseReach], limit: int | None = None
) -> ShownComparison:
    """The comparison table: houses x channels (both margins shown), and the first-time
    and vulnerable-area columns with their gemeente totals, all protected together."""
    limit = threshold() if limit is None else limit
    cells = _Cells()
    grid = [cells.add(r.by_channel[c] for c in CHANNELS) for r in rows]
    channel_total = cells.add(sum(r.by_channel[c] for r in rows) for c in CHANNELS)
    first = cells.add(r.first_visits for r in rows)
    first_total = cells.add([sum(r.first_visits for r in rows)])
    vulnerable = cells.add(r.from_vulnerable for r in rows)
    vulnerable_total = cells.add([sum(r.from_vulnerable for r in rows)])
    for row in grid:
        cells.relate(row)  # a house's visits are public
    for c in range(len(CHANNELS)):
        cells.relate([channel_total[c]], [row[c] for row in grid])
    cells.relate(channel_total)
    cells.relate(first_total, first)
    cells.relate(vulnerable_total, vulnerable)
    shown = suppression.suppress_lines(cells.values, cells.lines, limit)
    return ShownComparison(
        period=period,
        threshold=limit,
        rows=[
            ShownHouseRow(
                reach=r,
                first_visits=shown[first[i]],
                from_vulnerable=shown[vulnerable[i]],
                by_channel={c: shown[grid[i][k]] for k, c in enumerate(CHANNELS)},
            )
            for i, r in enumerate(rows)
        ],
        visits=sum(r.visits for r in rows),
        distinct_devices=sum(r.distinct_devices for r in rows),
        devices_exact=all(r.devices_exact for r in rows),
        first_visits=shown[first_total[0]],
        from_vulnerable=shown[vulnerable_total[0]],
        by_channel={c: shown[channel_total[k]] for k, c in enumerate(CHANNELS)},
    )


# Maatschappelijk rendement -----------------------------------------------------------------


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
    first_visits: int = 0

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


def rendement(period: Period, house_ids: Sequence[int] | None = None) -> list[Rendement]:
    """Per house (by name): booked hours, rent, and the reach of the same period.

    Active bookings only (bevestigd, onder voorbehoud; not requests) whose start lies in
    the period in Amsterdam time, as the invoicing export counts them; hours are the real
    duration (a booking across a DST change has its real length).
    """
    chosen = [h for h in houses.list_houses() if house_ids is None or h.id in house_ids]
    result = {h.id: Rendement(h.id, h.name) for h in chosen}
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
            Booking.status.in_(RENDEMENT_STATUSES),
        )
    ).tuples()
    for house_id, klass, group, begin, finish, amount, list_price in rows:
        row = result[house_id]
        seconds = int((finish - begin).total_seconds())  # aware UTC: the real duration
        row.seconds_by_class[klass] = row.seconds_by_class.get(klass, 0) + seconds
        row.seconds_by_group[group] = row.seconds_by_group.get(group, 0) + seconds
        row.charged_cents += amount
        row.given_away_cents += list_price - amount
    for house in reach_per_house(period, list(result)):
        row = result[house.house_id]
        row.visits, row.first_visits = house.visits, house.first_visits
        row.distinct_devices, row.devices_exact = house.distinct_devices, house.devices_exact
    return [result[h.id] for h in chosen]


def rendement_total(rows: Iterable[Rendement]) -> Rendement:
    total = Rendement(None, "")
    for row in rows:
        total.add(row)
    return total


def shown_first_visits(
    rows: Sequence[Rendement], limit: int | None = None, *, with_total: bool
) -> list[suppression.Cell]:
    """First-time visitors per house (and the total last, when it is shown)."""
    limit = threshold() if limit is None else limit
    values = [r.first_visits for r in rows]
    if not with_total:
        return [suppression.suppress_cell(v, limit) for v in values]
    return suppression.suppress_line([*values, sum(values)], limit)


# Activities of a house ----------------------------------------------------------------------


def activities(house_id: int, period: Period, limit: int = 400) -> list[Booking]:
    """Bookings of the house starting in the period, to filter on or write a note about."""
    start, end = period.utc_bounds()
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room, Room.id == Booking.room_id)
            .where(
                Room.house_id == house_id,
                Booking.start >= start,
                Booking.start < end,
                Booking.status.in_(RENDEMENT_STATUSES),
            )
            .order_by(Booking.start, Booking.id)
            .limit(limit)
        )
    )


def house_booking(house_id: int, booking_id: int) -> Booking | None:
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house_id:
        return None
    return booking


def house_room(house_id: int, room_id: int) -> Room | None:
    room = db.session.get(Room, room_id)
    return room if room is not None and room.house_id == house_id else None


# Host notes (vertellen) ---------------------------------------------------------------------


@dataclass(frozen=True)
class NoteView:
    id: int
    house_id: int
    day: date
    text: str
    author: str
    booking_title: str | None
    booking_start: datetime | None
    created_at: datetime


def add_note(
    actor: User,
    house_id: int,
    day: date,
    text: str,
    now: datetime,
    *,
    booking_id: int | None = None,
) -> HostNote:
    """A host's short note on a day or an activity: what happened, who found their way in.

    Anyone who may run the kiosk in the house may write one (gastheer, sociaal beheerder,
    beheerder, gemeente). The text itself stays out of the audit entry: a note may name
    people, and the audit log is kept longer and read more widely than the note.
    """
    begin_write()
    house = db.session.get(House, house_id)
    if house is None or not actor.can(Permission.run_kiosk, house.id):
        raise NotFound(house_id)
    text = (text or "").strip()
    if not text:
        raise StatsError(N_("Schrijf eerst wat er gebeurde."), field="tekst")
    if len(text) > NOTE_MAX:
        raise StatsError(N_("Een notitie is hoogstens %(n)s tekens."), field="tekst", n=NOTE_MAX)
    if not MIN_YEAR <= day.year <= MAX_YEAR or day > today_amsterdam(now):
        raise StatsError(
            N_("Een notitie gaat over vandaag of een dag die al geweest is."), field="dag"
        )
    if booking_id is not None:
        booking = house_booking(house.id, booking_id)
        if booking is None:
            raise StatsError(N_("Deze activiteit hoort niet bij dit huis."), field="activiteit")
        if booking.start.astimezone(AMSTERDAM).date() != day:
            raise StatsError(N_("Deze activiteit was niet op die dag."), field="activiteit")
    note = HostNote(
        house_id=house.id,
        booking_id=booking_id,
        day=day,
        text=text,
        author_id=actor.id,
        created_at=now,
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        "host_note_added",
        "host_note",
        note.id,
        actor_id=actor.id,
        house_id=house.id,
        day=day.isoformat(),
        booking_id=booking_id,
        characters=len(text),
    )
    db.session.flush()
    return note


def notes(
    house_ids: Sequence[int], period: Period, booking_id: int | None = None
) -> list[NoteView]:
    """The notes of the period, by day, shown beside the figures."""
    query = (
        select(HostNote, User.name, Booking.title, Booking.start)
        .outerjoin(User, User.id == HostNote.author_id)
        .outerjoin(Booking, Booking.id == HostNote.booking_id)
        .where(
            HostNote.house_id.in_(list(house_ids)),
            HostNote.day >= period.first,
            HostNote.day <= period.last,
        )
        .order_by(HostNote.day, HostNote.created_at, HostNote.id)
    )
    if booking_id is not None:
        query = query.where(HostNote.booking_id == booking_id)
    return [
        NoteView(n.id, n.house_id, n.day, n.text, author or "", title, start, n.created_at)
        for n, author, title, start in db.session.execute(query).tuples()
    ]


# Whose statistics ------------------------------------------------------------------------------


def statistics_houses(user: User) -> list[House]:
    """Houses where the user sees the full statistics, by name."""
    allowed = user.house_ids_with(Permission.see_statistics)
    return [h for h in houses.list_houses() if allowed is None or h.id in allowed]


def today_houses(user: User) -> list[House]:
    """Houses where the user sees at least today's totals, by name."""
    allowed = user.house_ids_with(Permission.see_today_totals)
    return [h for h in houses.list_houses() if allowed is None or h.id in allowed]
