"""The cells of a calendar: precedence, reasons, and every row covered exactly once."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.rules import calendar_grid as grid
from booking.rules.calendar_grid import BookingSpan, CellKind, RoomDayRules
from booking.rules.priority import PriorityBlock
from booking.rules.slots import Closure, OpeningPeriod, local_to_utc
from booking.rules.statuses import BookingStatus

DAY = date(2026, 12, 21)  # a Monday
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
OPEN = tuple(OpeningPeriod(d, time(9), time(17)) for d in range(7))


def at(clock: str, day: date = DAY) -> datetime:
    return local_to_utc(datetime.combine(day, time.fromisoformat(clock)))


def kinds(rules: RoomDayRules, bookings=(), now=LONG_AGO, day=DAY):
    rows = grid.window_rows(time(8), time(18))
    return {c.start.strftime("%H:%M"): c for c in grid.day_cells(day, rows, rules, bookings, now)}


def test_outside_opening_hours_is_not_free():
    cells = kinds(RoomDayRules(OPEN, (), ()))
    assert cells["08:30"].kind is CellKind.buiten
    assert cells["09:00"].kind is CellKind.vrij
    assert cells["16:30"].kind is CellKind.vrij
    assert cells["17:00"].kind is CellKind.buiten


def test_a_closure_says_its_reason():
    closure = Closure(at("00:00"), at("00:00", DAY + timedelta(days=4)), "kerstvakantie")
    cell = kinds(RoomDayRules(OPEN, (closure,), ()))["10:00"]
    assert cell.kind is CellKind.gesloten and cell.reason == "kerstvakantie"
    assert grid.label(cell.kind, cell.reason).params["reason"] == "kerstvakantie"
    assert grid.label(cell.kind, cell.reason).template == "gesloten: %(reason)s"


def test_a_priority_block_is_only_for_residents():
    block = PriorityBlock(DAY.weekday(), time(13), time(15))
    cells = kinds(RoomDayRules(OPEN, (), (block,)))
    assert cells["12:30"].kind is CellKind.vrij
    assert cells["13:00"].kind is CellKind.voorrang
    assert cells["14:30"].kind is CellKind.voorrang
    assert cells["15:00"].kind is CellKind.vrij
    assert grid.label(CellKind.voorrang).template == "alleen voor bewonersactiviteiten"


def test_a_booking_is_shown_before_anything_else():
    booking = BookingSpan(7, at("13:00"), at("14:00"), BookingStatus.aangevraagd, "Bingo", True)
    block = PriorityBlock(DAY.weekday(), time(13), time(15))
    cells = kinds(RoomDayRules(OPEN, (), (block,)), [booking])
    assert cells["13:00"].kind is CellKind.bezet and cells["13:00"].booking == booking
    assert cells["14:00"].kind is CellKind.voorrang


def test_past_half_hours_are_past():
    cells = kinds(RoomDayRules(OPEN, (), ()), now=at("12:10"))
    assert cells["11:30"].kind is CellKind.voorbij
    assert cells["12:00"].kind is CellKind.vrij  # still running: a booking may start later


def test_runs_merge_equal_neighbours_and_split_free_gives_one_link_per_half_hour():
    booking = BookingSpan(1, at("10:00"), at("11:30"), BookingStatus.bevestigd, "Koor", False)
    rows = grid.window_rows(time(9), time(12))
    cells = grid.day_cells(DAY, rows, RoomDayRules(OPEN, (), ()), [booking], LONG_AGO)
    found = grid.runs(cells)
    assert [(r.kind, r.start, r.end, r.rows) for r in found] == [
        (CellKind.vrij, time(9), time(10), 2),
        (CellKind.bezet, time(10), time(11, 30), 3),
        (CellKind.vrij, time(11, 30), time(12), 1),
    ]
    split = grid.split_free(found, cells)
    assert [r.rows for r in split] == [1, 1, 3, 1]
    assert split[0].until == time(10) and split[0].suggested_end == time(10)


def test_suggested_end_is_at_most_two_hours():
    run = grid.Run(DAY, time(9), time(9, 30), CellKind.vrij, "", None, 1, time(17))
    assert run.suggested_end == time(11)


def test_window_follows_the_opening_hours_on_the_half_hour():
    assert grid.window([OpeningPeriod(0, time(8, 45), time(22, 10))]) == (time(8, 30), time(22, 30))
    assert grid.window([]) == grid.DEFAULT_WINDOW
    assert grid.window([OpeningPeriod(0, time(8), time(23, 45))])[1] == time.max


def test_table_rows_refuses_columns_that_do_not_cover_the_day():
    run = grid.Run(DAY, time(9), time(9, 30), CellKind.vrij, "", None, 1)
    with pytest.raises(ValueError):
        grid.table_rows([[run]], 2)


clocks = st.integers(0, 47).map(lambda h: time(h // 2, 30 * (h % 2)))


@st.composite
def day_rules(draw, day: date = DAY):
    opening = []
    for weekday in draw(st.sets(st.integers(0, 6))):
        a, b = sorted(draw(st.lists(clocks, min_size=2, max_size=2, unique=True)))
        opening.append(OpeningPeriod(weekday, a, b))
    closures = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = sorted(draw(st.lists(st.integers(0, 24 * 4), min_size=2, max_size=2, unique=True)))
        base = at("00:00", day)
        closures.append(
            Closure(base + timedelta(minutes=15 * a), base + timedelta(minutes=15 * b), "x")
        )
    blocks = []
    for _ in range(draw(st.integers(0, 2))):
        a, b = sorted(draw(st.lists(clocks, min_size=2, max_size=2, unique=True)))
        blocks.append(
            PriorityBlock(draw(st.sampled_from([day.weekday(), (day.weekday() + 1) % 7])), a, b)
        )
    spans = []
    for n in range(draw(st.integers(0, 3))):
        a = draw(st.integers(0, 24 * 4 - 1))
        length = draw(st.integers(1, 16))
        base = at("00:00", day) + timedelta(minutes=15 * a)
        spans.append(
            BookingSpan(
                n, base, base + timedelta(minutes=15 * length), BookingStatus.bevestigd, "t", True
            )
        )
    return RoomDayRules(tuple(opening), tuple(closures), tuple(blocks)), spans


@given(day_rules(), st.integers(0, 24 * 60))
def test_every_minute_of_the_window_is_in_exactly_one_cell_and_one_run(drawn, now_minute):
    rules, spans = drawn
    first, last = grid.window(rules.opening)
    rows = grid.window_rows(first, last)
    now = at("00:00") + timedelta(minutes=now_minute)
    cells = grid.day_cells(DAY, rows, rules, spans, now)
    found = grid.runs(cells)

    def minutes(clock: time) -> int:
        return 24 * 60 if clock == time.max else clock.hour * 60 + clock.minute

    covered = [0] * (24 * 60)
    for run in found:
        for minute in range(minutes(run.start), minutes(run.end)):
            covered[minute] += 1
    inside = range(minutes(first), minutes(last))
    assert all(covered[m] == 1 for m in inside)
    assert sum(covered) == len(inside)
    assert sum(r.rows for r in found) == len(cells) == len(rows)
    table = grid.table_rows([grid.split_free(found, cells)], len(rows))
    assert len(table) == len(rows) and table[0][0] is not None
    for c in cells:  # a free cell is never closed, outside opening hours, blocked or booked
        if c.kind is CellKind.vrij:
            start = local_to_utc(datetime.combine(DAY, c.start))
            end = start + timedelta(minutes=grid.ROW_MINUTES)
            assert not any(x.overlaps(start, end) for x in rules.closures)
            assert not any(b.overlaps(start, end) for b in rules.blocks)
            assert not any(s.start < end and start < s.end for s in spans)
            assert any(p.weekday == DAY.weekday() and p.opens <= c.start for p in rules.opening)


# A winter Monday and the two days the clocks change (23 and 25 hours).
SOME_DAYS = (DAY, date(2026, 3, 29), date(2026, 10, 25))


@given(
    st.sampled_from(SOME_DAYS).flatmap(lambda day: st.tuples(st.just(day), day_rules(day))),
    st.integers(-60, 26 * 60),
)
def test_day_cells_are_the_cells_of_each_row(drawn, now_minute):
    """The fast day is exactly `cell` asked row by row, on ordinary and DST days."""
    day, (rules, spans) = drawn
    rows = grid.window_rows(*grid.window(rules.opening))
    now = at("00:00", day) + timedelta(minutes=now_minute)
    expected = [grid.cell(day, row, rules, spans, now) for row in rows]
    assert grid.day_cells(day, rows, rules, spans, now) == expected
