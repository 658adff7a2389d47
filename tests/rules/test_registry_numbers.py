"""IBAN, KvK and BTW numbers, checked as the bank and the Belastingdienst check them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.registry_numbers import (
    iban_groups,
    normalise_btw,
    normalise_iban,
    normalise_kvk,
)

FAST = settings(max_examples=200, deadline=None, database=None)


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("NL91ABNA0417164300", "NL91ABNA0417164300"),
        ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
        ("nl91 abna 0417.1643-00", "NL91ABNA0417164300"),
        ("NL02ABNA1000000005", "NL02ABNA1000000005"),
        ("BE68 5390 0754 7034", "BE68539007547034"),
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
        ("FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ],
)
def test_valid_ibans_are_written_compactly(text: str, iban: str) -> None:
    assert normalise_iban(text) == iban


@pytest.mark.parametrize(
    "text",
    [
        "",
        "NL91ABNA0417164301",  # one digit off
        "NL19ABNA0417164300",  # check digits swapped
        "NL91ABNA041716430",  # too short
        "NL91ABNA04171643000",  # too long
        "NL91AB1A0417164300",  # a digit in the bank code
        "NL99ABNA1000000005",  # passes mod 97 like NL02…, but 99 is never issued
        "BE6853900754703",  # a Belgian IBAN is 16 long
        "XX",
        "NL91 ABNA 0417 1643 00 extra",
        "€€€€NL91ABNA0417164300",
    ],
)
def test_invalid_ibans_are_refused(text: str) -> None:
    assert normalise_iban(text) is None


def test_an_iban_prints_in_groups_of_four() -> None:
    assert iban_groups("NL91ABNA0417164300") == "NL91 ABNA 0417 1643 00"
    assert iban_groups("BE68539007547034") == "BE68 5390 0754 7034"


@FAST
@given(st.integers(0, 10**10 - 1), st.integers(0, 9), st.integers(4, 17))
def test_a_changed_digit_is_always_caught(account: int, digit: int, position: int) -> None:
    """Mod 97 catches every single changed character: a typo never passes."""
    bban = f"ABNA{account:010d}"
    check = 98 - int("".join(str(int(c, 36)) for c in bban + "NL00")) % 97
    iban = f"NL{check:02d}{bban}"
    assert normalise_iban(iban) == iban
    changed = iban[:position] + str(digit) + iban[position + 1 :]
    if changed != iban and changed[4:8].isalpha():
        assert normalise_iban(changed) is None


@pytest.mark.parametrize(
    ("text", "kvk"),
    [
        ("12345678", "12345678"),
        ("12 34 56 78", "12345678"),
        ("1234.5678", "12345678"),
        ("90000001", "90000001"),
    ],
)
def test_kvk_numbers_are_eight_digits(text: str, kvk: str) -> None:
    assert normalise_kvk(text) == kvk


@pytest.mark.parametrize(
    "text", ["", "1234567", "123456789", "1234567a", "00000000", "KVK12345678"]
)
def test_anything_else_is_no_kvk_number(text: str) -> None:
    assert normalise_kvk(text) is None


@pytest.mark.parametrize(
    ("text", "btw"),
    [
        ("NL123456782B01", "NL123456782B01"),  # old style: the 11-test of the nine digits
        ("nl 1234.56782 b01", "NL123456782B01"),
        ("NL001234567B01", None),  # 1·8+2·7+…: fails the 11-test; mod 97 neither
        ("NL000099998B57", "NL000099998B57"),  # new style (2020): mod 97 of the whole
        ("NL000099998B58", None),
    ],
)
def test_btw_numbers_old_and_new_style(text: str, btw: str | None) -> None:
    assert normalise_btw(text) == btw


@pytest.mark.parametrize(
    "text",
    [
        "",
        "NL123456782B00",  # suffix 00 is never given out
        "NL000000000B01",  # nine zeros pass the 11-test but are no number
        "NL12345678B01",
        "NL1234567821B01",
        "BE0123456789",
        "NL123456782A01",
        "123456782B01",
    ],
)
def test_malformed_btw_numbers_are_refused(text: str) -> None:
    assert normalise_btw(text) is None


@FAST
@given(st.integers(1, 10**9 - 1), st.integers(1, 99))
def test_a_btw_number_passes_when_either_check_passes(digits: int, suffix: int) -> None:
    number = f"NL{digits:09d}B{suffix:02d}"
    text = f"{digits:09d}"
    eleven = (
        sum(int(d) * w for d, w in zip(text[:8], range(9, 1, -1), strict=True)) - int(text[8])
    ) % 11 == 0
    mod97 = int("".join(str(int(c, 36)) for c in number)) % 97 == 1
    assert (normalise_btw(number) == number) is (eleven or mod97)
