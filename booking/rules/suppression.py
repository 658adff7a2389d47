"""Small-cell suppression of the reach tables (DESIGN section 7).

A breakdown cell that counts 1 up to the threshold (default 5, `PolicySettings.
suppression_threshold`) minus one is never shown as a number but as ``"<5"``, so nobody
can be singled out ("the one visitor aged 0-17 from Ussen came on Tuesday"). Zero stays
0: it reveals nobody, and hiding zeros would make quiet houses unreadable.

Primary suppression alone is not enough when the total of a line is shown: with
``visits = 40`` and the channels ``qr 30, tablet 7, tally "<5", poster 0`` anybody can
recompute ``tally = 40 - 30 - 7 - 0 = 3``. *Secondary suppression* therefore hides one
more cell of such a line, shown as ``"x"``: the smallest shown non-zero cell, or a zero
when the line has no other non-zero cell. After it, every line whose total is shown has
either no hidden cell or at least two, so the hidden ones can only be recomputed as a
sum. In a two-way table (weekday x hour, house x channel) the same holds for every row
and every column; hiding a cell for a row can leave its column with one hidden cell, so
the rule repeats until no line has exactly one.

Someone who knows the rule also knows that a ``"<5"`` is 1 .. 4 and an ``"x"`` is 0 or at
least 5. With ``qr 30, tablet 5, tally 1`` and the total 36 shown, hiding tablet and
tally leaves a hidden sum of 6 that fits only 5 + 1. So each line is also checked that
way: while a ``"<5"`` cell of it has fewer than two values that fit, one more shown
non-zero cell is hidden (here the 30: a hidden sum of 36 fits 1, 2, 3 or 4).

What this does not promise: a line with no shown non-zero cell left cannot be helped by
hiding more (a total of 6 made of 5 and 1 only, or a total of 3 in one category: the
total itself tells). The check looks at each line on its own, not at all lines of a
table together. Both are the usual limits of cell suppression without rounding; the
policy asks for ``<5`` and secondary suppression, not for perturbation.

Lines of a single cell are their own total and cannot be protected by hiding a sibling;
callers show a one-cell breakdown only where the total is already public.
"""

from collections.abc import Callable, Sequence

SECONDARY = "x"
DEFAULT_THRESHOLD = 5

Cell = int | str
"""A shown value: the count itself, ``"<5"`` (primary) or ``"x"`` (secondary)."""


def marker(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The text of a primarily suppressed cell: ``"<5"`` for the default threshold."""
    return f"<{threshold}"


def is_small(count: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """1 .. threshold-1: too few to show. Zero is not small: it singles nobody out."""
    return 0 < count < threshold


def is_hidden(cell: Cell) -> bool:
    return isinstance(cell, str)


def suppress_cell(count: int, threshold: int = DEFAULT_THRESHOLD) -> Cell:
    """Primary suppression of one figure whose siblings and total are not shown."""
    _check(count)
    return marker(threshold) if is_small(count, threshold) else count


def suppress_line(
    counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD, *, total_shown: bool = True
) -> list[Cell]:
    """A one-way breakdown; with its total shown, never exactly one hidden cell."""
    values = list(counts)
    lines = [list(range(len(values)))] if total_shown else []
    return suppress_lines(values, lines, threshold)


def suppress_table(
    rows: Sequence[Sequence[int]],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    row_totals_shown: bool = True,
    column_totals_shown: bool = True,
) -> list[list[Cell]]:
    """A two-way table: every row and every column whose total is shown stays safe.

    Rows must all have the same length. With both kinds of totals shown (the safe default,
    also when the margins are shown elsewhere as their own breakdowns), no row and no
    column is left with exactly one hidden cell.
    """
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("all rows of a table need the same number of cells")
    values = [value for row in rows for value in row]
    lines: list[list[int]] = []
    if row_totals_shown:
        lines += [[r * width + c for c in range(width)] for r in range(len(rows))]
    if column_totals_shown:
        lines += [[r * width + c for r in range(len(rows))] for c in range(width)]
    flat = suppress_lines(values, lines, threshold)
    return [flat[r * width : (r + 1) * width] for r in range(len(rows))]


def suppress_lines(
    values: Sequence[int], lines: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD
) -> list[Cell]:
    """Cells published together, and the additive relations ("lines") between them.

    `values` are all cells of one publication (a page, a CSV, a JSON answer), flattened.
    Each line lists the indices of the cells of one relation that could be solved for a
    hidden cell: the parts of a breakdown whose total is public, or the parts *and* the
    total when the total is itself a cell (a weekday total and the days that make it up:
    if only the weekday total were hidden, the days would give it away). No line of two
    or more cells keeps exactly one hidden cell.
    """
    return _suppress(list(values), threshold, [list(line) for line in lines])


def hidden_per_line(cells: Sequence[Cell]) -> int:
    """How many cells of a line are hidden (for tests and assertions)."""
    return sum(1 for cell in cells if is_hidden(cell))


# --- the algorithm ----------------------------------------------------------------------------


def _check(count: int) -> None:
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ValueError(f"a count is a non-negative integer, got {count!r}")


def _suppress(values: list[int], threshold: int, lines: list[list[int]]) -> list[Cell]:
    for value in values:
        _check(value)
    primary = {i for i, value in enumerate(values) if is_small(value, threshold)}
    secondary: set[int] = set()
    lines = [line for line in lines if len(line) >= 2]
    lines_of: dict[int, list[int]] = {}
    for number, line in enumerate(lines):
        for index in line:
            lines_of.setdefault(index, []).append(number)

    def hidden(index: int) -> bool:
        return index in primary or index in secondary

    def count_hidden(number: int) -> int:
        return sum(1 for index in lines[number] if hidden(index))

    def pinned(line: list[int]) -> bool:
        cells = [i for i in line if hidden(i)]
        small = sum(1 for i in cells if i in primary)
        hidden_sum = sum(values[i] for i in cells)
        return _pins_a_small_cell(hidden_sum, small, len(cells) - small, threshold) and any(
            values[i] > 0 and not hidden(i) for i in line
        )

    changed = True
    while changed:
        changed = False
        for number, line in enumerate(lines):
            if count_hidden(number) == 1:
                secondary.add(_pick(line, values, hidden, lines_of, count_hidden, number))
                changed = True
        if changed:
            continue
        for line in lines:
            if pinned(line):  # hide one more: a larger hidden sum leaves room for doubt
                pool = [i for i in line if values[i] > 0 and not hidden(i)]
                secondary.add(min(pool, key=lambda i: (values[i], i)))
                changed = True
                break
    return [
        marker(threshold) if i in primary else SECONDARY if i in secondary else value
        for i, value in enumerate(values)
    ]


def _pick(
    line: list[int],
    values: list[int],
    hidden: Callable[[int], bool],
    lines_of: dict[int, list[int]],
    count_hidden: Callable[[int], int],
    number: int,
) -> int:
    """The sibling to hide: smallest non-zero shown cell, else a zero.

    Ties go to a cell whose other line also has exactly one hidden cell (one "x" then
    protects two lines), then to the first in reading order, so the result is stable.
    """

    def helps_elsewhere(index: int) -> bool:
        return any(n != number and count_hidden(n) == 1 for n in lines_of.get(index, []))

    candidates = [i for i in line if not hidden(i)]
    non_zero = [i for i in candidates if values[i] > 0]
    pool = non_zero or candidates
    return min(pool, key=lambda i: (values[i], not helps_elsewhere(i), i))


def _pins_a_small_cell(hidden_sum: int, small: int, secondaries: int, threshold: int) -> bool:
    """Whether the hidden cells of a line, knowing their sum, pin a ``"<5"`` cell down.

    Someone who knows the rule knows more than the sum: a ``"<5"`` cell is 1 .. t-1, and
    an ``"x"`` is 0 or at least t (a count of 1 .. t-1 would have been ``"<5"``). With one
    ``"<5"`` and one ``"x"`` hiding 6, only 1 + 5 fits. A small cell is safe when at least
    two of its values fit the sum; the line is checked on its own, not in combination with
    the other lines of a table.
    """
    if small == 0:
        return False
    others_low, others_high = small - 1, (small - 1) * (threshold - 1)
    fitting = 0
    for value in range(1, threshold):
        rest = hidden_sum - value
        fits_small = others_low <= rest <= others_high
        fits_with_x = secondaries > 0 and rest - others_low >= threshold  # "x"s: 0 or >= t
        fitting += 1 if (fits_small or fits_with_x) else 0
        if fitting >= 2:
            return False
    return True
