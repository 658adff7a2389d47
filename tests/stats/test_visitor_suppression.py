"""Suppression of the visitor figures (issue 14 part 4): no hidden value can be recomputed.

Brute force, as someone who knows the rule would: a "<t" cell is 1 .. t-1, an "x" is 0
or at least t. For every relation a page publishes (phone + card = the public distinct
total; phone + card = total for returning and for new visitors; per house and per column
of the comparison), every "<t" cell must keep at least two values that fit what is shown,
unless its relation has no shown non-zero cell left to hide (the documented limit of
`booking.rules.suppression`: a small public total tells by itself).
"""

from __future__ import annotations

from datetime import date
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.periods import Period
from booking.rules.publication import (
    ShownVisitors,
    published_comparison,
    published_house_visitors,
    published_reach,
    published_visitors,
    summed_visitors,
)
from booking.rules.reach_counts import CARD, PHONE, TOTAL, HouseReach, Reach, VisitorCounts
from booking.rules.suppression import is_hidden, marker
from booking.rules.visit_vocabulary import CHANNELS

FAST = settings(max_examples=250, deadline=None, database=None)
CEILING = 40  # hidden values are searched up to here: a smaller search can only find fewer
small = st.integers(min_value=0, max_value=12)
thresholds = st.integers(min_value=2, max_value=6)


@st.composite
def visitor_counts(draw) -> VisitorCounts:
    distinct = {PHONE: draw(small), CARD: draw(small)}
    returning = {g: draw(st.integers(0, distinct[g])) for g in distinct}
    new = {g: draw(st.integers(0, distinct[g])) for g in distinct}
    return VisitorCounts(distinct=distinct, returning=returning, new=new)


def _domain(cell, t: int) -> list[int]:
    if not is_hidden(cell):
        return [cell]
    if cell == marker(t):
        return list(range(1, t))
    return [0, *range(t, CEILING + 1)]


def _check_relation(terms: list[tuple[object, int]], constant: int, t: int) -> None:
    """sum(coefficient * cell) == constant; every "<t" among the cells keeps two values."""
    smalls = [k for k, (cell, _) in enumerate(terms) if cell == marker(t)]
    if not smalls:
        return
    if not any(not is_hidden(cell) and cell != 0 for cell, _ in terms):
        return  # nothing shown left to hide: the total tells by itself (documented limit)
    possible = {k: set() for k in smalls}
    for values in product(*(_domain(cell, t) for cell, _ in terms)):
        if sum(v * c for v, (_, c) in zip(values, terms, strict=True)) == constant:
            for k in smalls:
                possible[k].add(values[k])
    for k in smalls:
        assert len(possible[k]) >= 2, (terms, constant, possible)


def _check_visitors(shown: ShownVisitors, counts: VisitorCounts, t: int) -> None:
    cells = [
        *shown.distinct.values(),
        *shown.returning.values(),
        *shown.new.values(),
    ]
    raw = [
        *counts.distinct.values(),
        counts.returning[PHONE],
        counts.returning[CARD],
        counts.returning_total,
        counts.new[PHONE],
        counts.new[CARD],
        counts.new_total,
    ]
    for cell, value in zip(cells, raw, strict=True):
        assert cell == value or is_hidden(cell)
        assert not (0 < value < t) or cell == marker(t), "a small count is never shown"
    assert shown.distinct_total == counts.distinct_total
    distinct = [(shown.distinct[PHONE], 1), (shown.distinct[CARD], 1)]
    _check_relation(distinct, counts.distinct_total, t)
    for part in (shown.returning, shown.new):
        _check_relation([(part[PHONE], 1), (part[CARD], 1), (part[TOTAL], -1)], 0, t)


@FAST
@given(visitor_counts(), thresholds)
def test_visitors_alone_cannot_be_recomputed(counts: VisitorCounts, t: int) -> None:
    _check_visitors(published_visitors(counts, t), counts, t)


@FAST
@given(visitor_counts(), thresholds)
def test_visitors_on_the_reach_page_cannot_be_recomputed(counts: VisitorCounts, t: int) -> None:
    period = Period(date(2026, 3, 2), date(2026, 3, 8))
    reach = Reach(
        period=period,
        by_channel=dict.fromkeys(CHANNELS, 0),
        weekday_hour=[[0] * 25 for _ in range(7)],
        by_day=dict.fromkeys(period.each_day(), 0),
        visitors=counts,
    )
    _check_visitors(published_reach(reach, t).visitors, counts, t)


def _house(number: int, counts: VisitorCounts) -> HouseReach:
    return HouseReach(
        number,
        f"huis-{number}",
        f"Huis {number}",
        "Ruwaard",
        "wijk",
        False,
        by_channel=dict.fromkeys(CHANNELS, 0),
        visitors=counts,
    )


def _check_columns(houses: list[ShownVisitors], total: ShownVisitors, t: int, parts) -> None:
    """Every column of houses adds up to the gemeente's cell (itself shown or hidden)."""
    for figure in ("distinct", "returning", "new"):
        for key in getattr(total, figure):
            column = [(getattr(h, figure)[key], 1) for h in houses]
            _check_relation([*column, (getattr(total, figure)[key], -1)], 0, t)
        if figure == "distinct":  # the public totals of each house and of the gemeente
            for h, counts in zip(houses, parts, strict=True):
                assert h.distinct_total == counts.distinct_total


@FAST
@given(st.lists(visitor_counts(), min_size=1, max_size=3), thresholds)
def test_the_comparison_protects_houses_and_columns(parts: list[VisitorCounts], t: int) -> None:
    period = Period(date(2026, 3, 2), date(2026, 3, 8))
    shown = published_comparison(period, [_house(i, p) for i, p in enumerate(parts)], CHANNELS, t)
    for row, counts in zip(shown.rows, parts, strict=True):
        _check_visitors(row.visitors, counts, t)
    _check_columns([r.visitors for r in shown.rows], shown.visitors, t, parts)
    _check_visitors(shown.visitors, summed_visitors(parts), t)


@FAST
@given(st.lists(visitor_counts(), min_size=1, max_size=3), thresholds)
def test_the_rendement_protects_houses_and_their_total(parts: list[VisitorCounts], t: int) -> None:
    houses, total = published_house_visitors(parts, t, with_total=True)
    assert total is not None
    for shown, counts in zip(houses, parts, strict=True):
        _check_visitors(shown, counts, t)
    _check_columns(houses, total, t, parts)
    _check_visitors(total, summed_visitors(parts), t)


def test_one_returning_card_visitor_is_less_than_five() -> None:
    counts = VisitorCounts(
        distinct={PHONE: 0, CARD: 1}, returning={PHONE: 0, CARD: 1}, new={PHONE: 0, CARD: 1}
    )
    shown = published_visitors(counts, 5)
    assert shown.returning == {PHONE: 0, CARD: "<5", TOTAL: "<5"}
    assert shown.distinct == {PHONE: "x", CARD: "<5"}  # phone + card = the public total 1
    assert shown.distinct_total == 1
