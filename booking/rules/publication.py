"""Publishing reach: every cell one page, CSV or JSON answer shows, suppressed together.

The only way from counts (`booking.rules.reach_counts`) to figures a person may see:

- `published_reach`: the figures of one scope (a house, a room, an activity, all houses);
- `published_comparison`: the gemeente's houses side by side;
- `published_first_visits`: the first-time visitors of the rendement overview.

Each collects all cells it publishes and the additive relations between them ("lines":
a breakdown and its public total, a weekday and its hours) and hands them to
`booking.rules.suppression` at once, so a hidden cell cannot be recomputed from a
sibling shown elsewhere on the same page. The services give views only these results,
so the screen, the CSV and the API show the same "<5" and "x", and no caller can
publish a raw small count. Pure: the threshold is the caller's (the gemeente's policy).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from booking.rules import suppression
from booking.rules.periods import Period
from booking.rules.reach_counts import (
    HOUR_COLUMNS,
    TOTAL,
    VISITOR_GROUPS,
    HouseReach,
    Reach,
    VisitorCounts,
)
from booking.rules.suppression import Cell


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


# Distinct, returning and new visitors ------------------------------------------------------


@dataclass(frozen=True)
class ShownVisitors:
    """Visitors after suppression. `distinct` has a cell per group (telefoon, kaart),
    their total is public (the distinct devices); `returning` and `new` have a cell per
    group and one for their total ("totaal"), all cells count, "<5" or "x"."""

    distinct: dict[str, Cell]
    distinct_total: int
    returning: dict[str, Cell]
    new: dict[str, Cell]
    exact: bool


def _add_visitors(cells: _Cells, counts: VisitorCounts) -> tuple[list[int], list[int], list[int]]:
    """The visitor cells of one scope and their relations: the groups' distinct visitors
    add up to the public distinct total; returning and new each add up to their own
    total, which is itself a cell."""
    distinct = cells.add(counts.distinct[g] for g in VISITOR_GROUPS)
    cells.relate(distinct)
    returning = cells.add([*(counts.returning[g] for g in VISITOR_GROUPS), counts.returning_total])
    cells.relate(returning)
    new = cells.add([*(counts.new[g] for g in VISITOR_GROUPS), counts.new_total])
    cells.relate(new)
    return distinct, returning, new


def _shown_visitors(
    counts: VisitorCounts, shown: Sequence[Cell], indices: tuple[list[int], list[int], list[int]]
) -> ShownVisitors:
    distinct, returning, new = indices
    keys = (*VISITOR_GROUPS, TOTAL)
    return ShownVisitors(
        distinct={g: shown[i] for g, i in zip(VISITOR_GROUPS, distinct, strict=True)},
        distinct_total=counts.distinct_total,
        returning={k: shown[i] for k, i in zip(keys, returning, strict=True)},
        new={k: shown[i] for k, i in zip(keys, new, strict=True)},
        exact=counts.exact,
    )


def published_visitors(counts: VisitorCounts, threshold: int) -> ShownVisitors:
    """The visitor figures on their own (a publication with no other breakdown)."""
    cells = _Cells()
    indices = _add_visitors(cells, counts)
    shown = suppression.suppress_lines(cells.values, cells.lines, threshold)
    return _shown_visitors(counts, shown, indices)


# One scope -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownReach:
    """Reach after suppression: every breakdown cell is a count, "<5" or "x"."""

    period: Period
    threshold: int
    visits: int
    distinct_devices: int
    devices_exact: bool
    first_visits: Cell
    by_channel: dict[str, Cell]
    by_area: dict[str, Cell]
    by_age: dict[str, Cell]
    by_weekday: list[Cell]
    by_hour: list[Cell]  # 24 hours, plus the unknown hour when there is one
    weekday_hour: list[list[Cell]]  # 7 rows, columns as by_hour
    by_day: dict[date, Cell]
    trend: list[tuple[date, Cell]]
    weekly: bool
    visitors: ShownVisitors


def _relate_weeks(
    cells: _Cells, trend_buckets: list[tuple[date, int]], day: list[int], days: list[date]
) -> list[int]:
    """The weekly trend: every week is the sum of its days, the weeks of the total."""
    week = cells.add(count for _, count in trend_buckets)
    monday_index = {monday: i for i, (monday, _) in enumerate(trend_buckets)}
    members: dict[int, list[int]] = defaultdict(list)
    for index, d in zip(day, days, strict=True):
        members[monday_index[d - timedelta(days=d.weekday())]].append(index)
    for w, index in enumerate(week):
        cells.relate([index], members[w])
    cells.relate(week)
    return week


def published_reach(counts: Reach, threshold: int) -> ShownReach:
    """Suppress every cell the reach page publishes, as one system of relations.

    Relations (each a line: never exactly one hidden cell): the channels, areas, age
    groups, weekdays, hours, days and trend buckets each add up to the public total of
    visits; every weekday is the sum of its row of the weekday x hour table and of its
    days; every hour the sum of its column; every week the sum of its days. The
    first-time count has no published siblings, so it gets primary suppression only.
    """
    cells = _Cells()
    hours = HOUR_COLUMNS if counts.has_unknown_hour else 24
    channel = cells.add(counts.by_channel.values())
    area = cells.add(counts.by_area.values())
    age = cells.add(counts.by_age.values())
    weekday = cells.add(counts.by_weekday)
    hour = cells.add(counts.by_hour[:hours])
    grid = [cells.add(row[:hours]) for row in counts.weekday_hour]
    days = list(counts.by_day)
    day = cells.add(counts.by_day.values())
    trend_buckets = counts.trend()
    week = _relate_weeks(cells, trend_buckets, day, days) if counts.period.weekly else []
    for line in (channel, area, age, weekday, hour, day, [i for row in grid for i in row]):
        cells.relate(line)
    for w in range(7):
        cells.relate([weekday[w]], grid[w])
        cells.relate([weekday[w]], [i for i, d in zip(day, days, strict=True) if d.weekday() == w])
    for h in range(hours):
        cells.relate([hour[h]], [grid[w][h] for w in range(7)])
    visitors = _add_visitors(cells, counts.visitors)
    shown = suppression.suppress_lines(cells.values, cells.lines, threshold)

    def pick(indices: Sequence[int]) -> list[Cell]:
        return [shown[i] for i in indices]

    day_cells = pick(day)
    trend = (
        list(zip([m for m, _ in trend_buckets], pick(week), strict=True))
        if counts.period.weekly
        else list(zip(days, day_cells, strict=True))
    )
    return ShownReach(
        period=counts.period,
        threshold=threshold,
        visits=counts.visits,
        distinct_devices=counts.distinct_devices,
        devices_exact=counts.devices_exact,
        first_visits=suppression.suppress_cell(counts.first_visits, threshold),
        by_channel=dict(zip(counts.by_channel, pick(channel), strict=True)),
        by_area=dict(zip(counts.by_area, pick(area), strict=True)),
        by_age=dict(zip(counts.by_age, pick(age), strict=True)),
        by_weekday=pick(weekday),
        by_hour=pick(hour),
        weekday_hour=[pick(row) for row in grid],
        by_day=dict(zip(days, day_cells, strict=True)),
        trend=trend,
        weekly=counts.period.weekly,
        visitors=_shown_visitors(counts.visitors, shown, visitors),
    )


# The gemeente's comparison of houses -------------------------------------------------------


@dataclass(frozen=True)
class ShownHouseRow:
    reach: HouseReach  # only its name, area and public totals are shown as they are
    first_visits: Cell
    from_vulnerable: Cell
    by_channel: dict[str, Cell]
    visitors: ShownVisitors

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
    first_visits: Cell
    from_vulnerable: Cell
    by_channel: dict[str, Cell]
    visitors: ShownVisitors


def summed_visitors(parts: Iterable[VisitorCounts]) -> VisitorCounts:
    """The visitors of several houses together: hashes are keyed per house, so a phone
    or card in two houses is two visitors, as for the distinct devices."""
    total = VisitorCounts()
    for part in parts:
        for mine, theirs in (
            (total.distinct, part.distinct),
            (total.returning, part.returning),
            (total.new, part.new),
        ):
            for group in VISITOR_GROUPS:
                mine[group] += theirs[group]
        total.exact = total.exact and part.exact
    return total


def published_comparison(
    period: Period, rows: Sequence[HouseReach], channels: Sequence[str], threshold: int
) -> ShownComparison:
    """The comparison table: houses x channels (both margins shown), and the first-time
    and vulnerable-area columns with their gemeente totals, all protected together.

    `channels` are the columns in order; every row counts each of them (zero included).
    """
    cells = _Cells()
    grid = [cells.add(r.by_channel[c] for c in channels) for r in rows]
    channel_total = cells.add(sum(r.by_channel[c] for r in rows) for c in channels)
    first = cells.add(r.first_visits for r in rows)
    first_total = cells.add([sum(r.first_visits for r in rows)])
    vulnerable = cells.add(r.from_vulnerable for r in rows)
    vulnerable_total = cells.add([sum(r.from_vulnerable for r in rows)])
    for row in grid:
        cells.relate(row)  # a house's visits are public
    for c in range(len(channels)):
        cells.relate([channel_total[c]], [row[c] for row in grid])
    cells.relate(channel_total)
    cells.relate(first_total, first)
    cells.relate(vulnerable_total, vulnerable)
    house_visitors = [_add_visitors(cells, r.visitors) for r in rows]
    all_visitors = summed_visitors(r.visitors for r in rows)
    gemeente_visitors = _add_visitors(cells, all_visitors)
    for f, total_part in enumerate(gemeente_visitors):  # distinct, returning, new
        for k, total_index in enumerate(total_part):  # a column of houses and its total
            cells.relate([total_index], [indices[f][k] for indices in house_visitors])
    shown = suppression.suppress_lines(cells.values, cells.lines, threshold)
    return ShownComparison(
        period=period,
        threshold=threshold,
        rows=[
            ShownHouseRow(
                reach=r,
                first_visits=shown[first[i]],
                from_vulnerable=shown[vulnerable[i]],
                by_channel={c: shown[grid[i][k]] for k, c in enumerate(channels)},
                visitors=_shown_visitors(r.visitors, shown, house_visitors[i]),
            )
            for i, r in enumerate(rows)
        ],
        visits=sum(r.visits for r in rows),
        distinct_devices=sum(r.distinct_devices for r in rows),
        devices_exact=all(r.devices_exact for r in rows),
        first_visits=shown[first_total[0]],
        from_vulnerable=shown[vulnerable_total[0]],
        by_channel={c: shown[channel_total[k]] for k, c in enumerate(channels)},
        visitors=_shown_visitors(all_visitors, shown, gemeente_visitors),
    )


# The rendement overview -----------------------------------------------------------------------


def published_first_visits(
    counts: Sequence[int], threshold: int, *, with_total: bool
) -> list[Cell]:
    """First-time visitors per house (and their total last, when it is shown).

    The rendement shows no other breakdown of visits, so without a total each house gets
    primary suppression only; with the total shown, the houses form one line with it.
    """
    values = list(counts)
    if not with_total:
        return [suppression.suppress_cell(v, threshold) for v in values]
    return suppression.suppress_line([*values, sum(values)], threshold)


def published_house_visitors(
    parts: Sequence[VisitorCounts], threshold: int, *, with_total: bool
) -> tuple[list[ShownVisitors], ShownVisitors | None]:
    """The visitors of each house (the rendement), and of all of them when the total is
    shown, protected together: each house's groups and each column with its total."""
    cells = _Cells()
    houses = [_add_visitors(cells, part) for part in parts]
    total = summed_visitors(parts) if with_total else None
    total_indices = _add_visitors(cells, total) if total is not None else None
    if total_indices is not None:
        for f, total_part in enumerate(total_indices):
            for k, total_index in enumerate(total_part):
                cells.relate([total_index], [indices[f][k] for indices in houses])
    shown = suppression.suppress_lines(cells.values, cells.lines, threshold)
    return (
        [_shown_visitors(p, shown, i) for p, i in zip(parts, houses, strict=True)],
        _shown_visitors(total, shown, total_indices) if total and total_indices else None,
    )
