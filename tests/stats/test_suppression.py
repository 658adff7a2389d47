"""Small-cell suppression: primary "<5", secondary "x", on lines and two-way tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.suppression import (
    SECONDARY,
    hidden_per_line,
    is_hidden,
    marker,
    suppress_cell,
    suppress_line,
    suppress_lines,
    suppress_table,
)

FAST = settings(max_examples=300, deadline=None, database=None)
counts = st.integers(min_value=0, max_value=40)
thresholds = st.integers(min_value=1, max_value=10)


def test_cell_of_three_is_shown_as_less_than_five_and_zero_stays_zero() -> None:
    assert suppress_cell(3) == "<5"
    assert suppress_cell(0) == 0
    assert suppress_cell(5) == 5
    assert suppress_cell(4, threshold=3) == 4
    assert marker(10) == "<10"


def test_one_small_cell_gets_its_smallest_shown_sibling_hidden() -> None:
    assert suppress_line([30, 7, 3, 0]) == [30, SECONDARY, "<5", 0]


def test_two_small_cells_need_no_secondary() -> None:
    assert suppress_line([3, 4, 10]) == ["<5", "<5", 10]


def test_without_a_non_zero_sibling_a_zero_is_hidden() -> None:
    assert suppress_line([3, 0, 0]) == ["<5", SECONDARY, 0]


def test_without_a_shown_total_only_primary() -> None:
    assert suppress_line([30, 7, 3, 0], total_shown=False) == [30, 7, "<5", 0]


def test_table_protects_rows_and_columns() -> None:
    table = suppress_table([[3, 10, 20], [10, 10, 10], [0, 0, 7]])
    for row in table:
        assert hidden_per_line(row) != 1
    for column in zip(*table, strict=True):
        assert hidden_per_line(column) != 1
    assert table[0][0] == "<5"


def test_a_total_that_is_itself_a_cell_is_part_of_its_line() -> None:
    # weekday total 12 (a cell), its days 3, 9: hiding only the 3 would let 12 - 9 give it away
    shown = suppress_lines([12, 3, 9], [[0, 1, 2]])
    assert shown[1] == "<5" and hidden_per_line(shown) >= 2


def test_a_hidden_sum_that_fits_only_one_way_gets_another_sibling_hidden() -> None:
    # 36 = 30 + 5 + 1: hiding only 5 and 1 leaves a sum of 6, and as "x" is never 1..4,
    # only "<5" = 1 fits. With 30 hidden too, the sum 36 fits "<5" = 1, 2, 3 and 4.
    assert suppress_line([30, 5, 1, 0]) == [SECONDARY, SECONDARY, "<5", 0]
    # two small cells summing to 2 are both 1: hide the 6 as well
    assert suppress_line([10, 6, 1, 1]) == [10, SECONDARY, "<5", "<5"]
    assert suppress_line([40, 30, 7, 3, 0]) == [40, 30, SECONDARY, "<5", 0]


def test_what_a_line_without_other_counts_cannot_hide() -> None:
    # Documented limit: a total of 6 made of 5 and 1 only; no third count to hide.
    assert suppress_line([0, 5, 1, 0]) == [0, SECONDARY, "<5", 0]


def _values_a_small_cell_can_have(shown: list[object], values: list[int], t: int) -> list[set]:
    """Brute force, as someone who knows the rule would: every assignment of the hidden
    cells ("<t": 1..t-1; "x": 0 or t and more) that adds up to the known hidden sum."""
    hidden = [i for i, cell in enumerate(shown) if is_hidden(cell)]
    total = sum(values[i] for i in hidden)
    domains = [range(1, t) if shown[i] == marker(t) else [0, *range(t, total + 1)] for i in hidden]
    possible: list[set] = [set() for _ in hidden]

    def walk(position: int, left: int, chosen: list[int]) -> None:
        if position == len(hidden):
            if left == 0:
                for k, value in enumerate(chosen):
                    possible[k].add(value)
            return
        for value in domains[position]:
            if value <= left:
                walk(position + 1, left - value, [*chosen, value])

    walk(0, total, [])
    return [p for i, p in zip(hidden, possible, strict=True) if shown[i] == marker(t)]


@FAST
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6), thresholds)
def test_a_small_cell_keeps_two_possible_values_while_a_count_is_left_to_hide(
    values: list[int], t: int
) -> None:
    shown = suppress_line(values, t)
    shown_non_zero = any(isinstance(c, int) and c > 0 for c in shown)
    for possible in _values_a_small_cell_can_have(shown, values, t):
        assert len(possible) >= 2 or not shown_non_zero


def _check_line(original: list[int], shown: list[object], threshold: int) -> None:
    for value, cell in zip(original, shown, strict=True):
        if isinstance(cell, int):
            assert cell == value
            assert not 0 < cell < threshold, "a small count is shown"
        else:
            assert cell in (marker(threshold), SECONDARY)
        if 0 < value < threshold:
            assert cell == marker(threshold)


@FAST
@given(st.lists(counts, min_size=2, max_size=12), thresholds)
def test_line_shows_no_small_count_and_never_one_hidden_cell(values: list[int], t: int) -> None:
    shown = suppress_line(values, t)
    _check_line(values, shown, t)
    assert hidden_per_line(shown) != 1
    hidden = [v for v, c in zip(values, shown, strict=True) if is_hidden(c)]
    if hidden:
        # total minus the shown cells is the sum of at least two unknowns, never one cell
        total = sum(values)
        rest = total - sum(c for c in shown if isinstance(c, int))
        assert rest == sum(hidden) and len(hidden) >= 2


@FAST
@given(
    st.integers(min_value=1, max_value=7).flatmap(
        lambda rows: st.integers(min_value=1, max_value=8).flatmap(
            lambda cols: st.lists(
                st.lists(counts, min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    ),
    thresholds,
)
def test_table_never_leaves_one_hidden_cell_in_a_row_or_column(
    rows: list[list[int]], t: int
) -> None:
    shown = suppress_table(rows, t)
    for original, row in zip(rows, shown, strict=True):
        _check_line(original, row, t)
        if len(row) >= 2:
            assert hidden_per_line(row) != 1
    if len(rows) >= 2:
        for column in zip(*shown, strict=True):
            assert hidden_per_line(column) != 1


@FAST
@given(
    st.lists(counts, min_size=2, max_size=20).flatmap(
        lambda values: st.tuples(
            st.just(values),
            st.lists(
                st.lists(st.integers(0, len(values) - 1), min_size=2, max_size=6, unique=True),
                max_size=6,
            ),
        )
    ),
    thresholds,
)
def test_any_set_of_relations_is_protected(case: tuple[list[int], list[list[int]]], t: int) -> None:
    values, lines = case
    shown = suppress_lines(values, lines, t)
    _check_line(values, shown, t)
    for line in lines:
        assert hidden_per_line([shown[i] for i in line]) != 1
