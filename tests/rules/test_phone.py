"""The phone rule: Dutch and international numbers in any layout, one stored form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.rules.phone import (
    DUTCH_LENGTH,
    INTERNATIONAL_LENGTH,
    NOT_A_NUMBER,
    PhoneError,
    normalise_phone,
)
from booking.rules.residents import ResidentError, check_resident


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12345678", "0612345678"),
        ("0612345678", "0612345678"),
        ("+31 6 1234 5678", "0612345678"),
        ("+31 (0)6 1234 5678", "0612345678"),
        ("0031 6 12345678", "0612345678"),
        ("0412-123456", "0412123456"),
        ("(0412) 12 34 56", "0412123456"),
        ("020.123.4567", "0201234567"),
        ("+32 2 123 45 67", "+3221234567"),
        ("0049 30 1234567", "+49301234567"),
        ("+1 (555) 123-4567", "+15551234567"),
        ("  06 12345678  ", "0612345678"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_accepted_numbers(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("bel me", NOT_A_NUMBER),
        ("06-CALLME", NOT_A_NUMBER),
        ("06 1234567a", NOT_A_NUMBER),
        ("06 12345678 of 06 87654321", NOT_A_NUMBER),
        ("+", NOT_A_NUMBER),
        ("++31612345678", NOT_A_NUMBER),
        ("٠٦١٢٣٤٥٦٧٨", NOT_A_NUMBER),  # Arabic-Indic digits: not what staff can dial
        ("0" * 41, NOT_A_NUMBER),
        ("06 1234567", DUTCH_LENGTH),
        ("06 123456789", DUTCH_LENGTH),
        ("12345678", DUTCH_LENGTH),
        ("+31 12345", DUTCH_LENGTH),
        ("0000000000", INTERNATIONAL_LENGTH),  # 00 is the international prefix
        ("+1 23", INTERNATIONAL_LENGTH),
        ("+49 1234567890123456", INTERNATIONAL_LENGTH),
        ("+0 12345678", INTERNATIONAL_LENGTH),
    ],
)
def test_refused_numbers_say_why_in_dutch(typed, why):
    with pytest.raises(PhoneError) as refused:
        normalise_phone(typed)
    assert refused.value.message == why
    assert "telefoonnummer" in why.template.lower()


LAYOUT = st.sampled_from(["", " ", "-", ".", "  ", " - "])


@st.composite
def dutch_numbers(draw):
    """Nine national digits (not starting with 0) and a way of writing them down."""
    first = draw(st.sampled_from("123456789"))
    rest = draw(st.text("0123456789", min_size=8, max_size=8))
    national = first + rest
    prefix = draw(st.sampled_from(["0", "+31", "+31 ", "0031 ", "+31 (0)", "+31(0)"]))
    pieces, cut = [], 0
    while cut < len(national):
        step = draw(st.integers(1, 4))
        pieces.append(national[cut : cut + step])
        cut += step
    written = prefix + "".join(p + draw(LAYOUT) for p in pieces).rstrip(" -.")
    return written, "0" + national


@given(dutch_numbers())
def test_any_layout_of_a_dutch_number_is_the_same_number(case):
    written, stored = case
    assert normalise_phone(written) == stored


@given(dutch_numbers())
def test_the_stored_form_is_stable(case):
    stored = normalise_phone(case[0])
    assert normalise_phone(stored) == stored
    assert len(stored) == 10 and stored.isdigit() and stored.startswith("0")


@given(
    country=st.sampled_from(["32", "49", "44", "1", "212", "90"]),
    subscriber=st.text("0123456789", min_size=7, max_size=11),
)
def test_international_numbers_keep_their_country_code(country, subscriber):
    digits = country + subscriber
    if len(digits) > 15:
        with pytest.raises(PhoneError):
            normalise_phone("+" + digits)
        return
    assert normalise_phone("+" + digits) == "+" + digits
    assert normalise_phone("00" + digits) == "+" + digits
    assert normalise_phone(normalise_phone("+" + digits)) == "+" + digits


@given(st.text(max_size=60))
def test_any_text_is_a_number_or_a_dutch_refusal_never_a_crash(text):
    try:
        stored = normalise_phone(text)
    except PhoneError as error:
        assert error.message in (NOT_A_NUMBER, DUTCH_LENGTH, INTERNATIONAL_LENGTH)
    else:
        assert stored == "" or stored.lstrip("+").isdigit()
        assert len(stored) <= 16


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=5), dutch_numbers())
def test_a_letter_anywhere_is_refused(letters, case):
    written = case[0]
    at = len(written) // 2
    with pytest.raises(PhoneError) as refused:
        normalise_phone(written[:at] + letters + written[at:])
    assert refused.value.message in (NOT_A_NUMBER, DUTCH_LENGTH)


def test_a_resident_needs_a_name_and_a_phone_that_is_one():
    assert check_resident(" Jansen ", "06 12345678", "").name == "Jansen"
    for name, phone, email, field in (
        ("", "", "", "name"),
        ("   ", "", "", "name"),
        ("Jansen", "06", "", "phone"),
        ("Jansen", "", "niet-een-adres", "email"),
        ("x" * 121, "", "", "name"),
        ("Jan\nsen", "", "", "name"),
    ):
        with pytest.raises(ResidentError) as refused:
            check_resident(name, phone, email)
        assert refused.value.field == field
