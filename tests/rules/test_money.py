import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.money import format_euro, parse_euro

FAST = settings(max_examples=200, deadline=None, database=None)


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (0, "€ 0,00"),
        (1, "€ 0,01"),
        (100, "€ 1,00"),
        (1250, "€ 12,50"),
        (99999, "€ 999,99"),
        (100000, "€ 1.000,00"),
        (123456, "€ 1.234,56"),
        (123456789, "€ 1.234.567,89"),
        (-100, "-€ 1,00"),
        (-123456, "-€ 1.234,56"),
    ],
)
def test_format_euro_writes_dutch_style(cents: int, text: str) -> None:
    assert format_euro(cents) == text


@pytest.mark.parametrize("bad", [1.5, 12.0, True, "12"])
def test_format_euro_refuses_anything_but_integer_cents(bad: object) -> None:
    with pytest.raises(TypeError):
        format_euro(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("12,50", 1250),
        ("12.50", 1250),
        ("0.5", 50),
        ("€ 12,50", 1250),
        ("€12,50", 1250),
        ("12,50 €", 1250),
        ("12", 1200),
        ("12,5", 1250),
        ("12,-", 1200),
        ("0", 0),
        ("0,01", 1),
        ("1.234,56", 123456),
        ("1.234", 123400),
        ("  € 3,00  ", 300),
        ("€\u00a012,50", 1250),
        ("-€ 1,00", -100),
        ("€ -1,00", -100),
        ("-1", -100),
    ],
)
def test_parse_euro_reads_what_people_type(text: str, cents: int) -> None:
    assert parse_euro(text) == cents


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        " ",
        "€",
        "abc",
        "12,505",
        "1.2345",
        "12,",
        ",50",
        "--1",
        "- -1",
        "€ 12 €",
        "1,234.56",
        "12 50",
        "١٢",
        "+12",
        "1e3",
        "12,5a",
    ],
)
def test_parse_euro_rejects_garbage(garbage: str) -> None:
    with pytest.raises(ValueError):
        parse_euro(garbage)


@FAST
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_euro_round_trips_format_euro(cents: int) -> None:
    assert parse_euro(format_euro(cents)) == cents


@FAST
@given(st.text(alphabet="0123456789.,-€ ab", max_size=12))
def test_parse_euro_either_reads_an_amount_or_raises_value_error(text: str) -> None:
    try:
        cents = parse_euro(text)
    except ValueError:
        return
    assert isinstance(cents, int)
