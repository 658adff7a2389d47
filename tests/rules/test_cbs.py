"""CBS wijk and buurt codes: their shape, the layout people type around them, their year."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.cbs import (
    BAD_CODE,
    CODE_WITHOUT_YEAR,
    YEAR_WITHOUT_CODE,
    code_and_year_problems,
    code_kind,
    code_problem,
    normalise_code,
    year_problem,
)

FAST = settings(max_examples=300, deadline=None, database=None)
DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=12)


@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.booleans())
@FAST
def test_every_wijk_code_passes_however_it_is_typed(digits: str, lower: bool) -> None:
    typed = f"{'wk' if lower else 'WK'} {digits[:4]} {digits[4:]}"
    assert code_problem(typed) is None
    assert normalise_code(typed) == f"WK{digits}"
    assert code_kind(normalise_code(typed)) == "wijk"


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
@FAST
def test_every_buurt_code_passes(digits: str) -> None:
    assert code_problem(f"BU{digits}") is None
    assert code_kind(f"BU{digits}") == "buurt"


@given(st.sampled_from(["WK", "BU", "GM", "wk", ""]), DIGITS)
@FAST
def test_a_code_passes_only_with_its_own_number_of_digits(prefix: str, digits: str) -> None:
    expected = {"WK": 6, "BU": 8}.get(prefix.upper())
    assert (code_problem(prefix + digits) is None) == (expected == len(digits))


@given(st.text(max_size=50))
@FAST
def test_whatever_passes_is_stored_in_one_of_the_two_shapes(text: str) -> None:
    if text.strip() and code_problem(text) is None:
        assert code_kind(normalise_code(text)) in ("wijk", "buurt")


@pytest.mark.parametrize("code", ["WK08281５", "WK٠٨٢٨١٥", "WK0828-1", "BU0828010", "WK 0828 01 x"])
def test_look_alikes_are_refused(code: str) -> None:
    assert code_problem(code) == BAD_CODE


def test_an_empty_code_is_no_problem_and_the_year_goes_with_the_code() -> None:
    assert code_problem("") is None and code_problem("   ") is None
    assert code_and_year_problems("WK082801", 2024, 2026) == []
    assert code_and_year_problems("", None, 2026) == []
    assert code_and_year_problems("WK082801", None, 2026) == [CODE_WITHOUT_YEAR]
    assert code_and_year_problems("", 2024, 2026) == [YEAR_WITHOUT_CODE]


def test_the_year_lies_between_the_first_map_and_next_year() -> None:
    assert year_problem(2000, 2026) is None and year_problem(2027, 2026) is None
    assert year_problem(1999, 2026) is not None and year_problem(2028, 2026) is not None
    assert year_problem(None, 2026) is None
