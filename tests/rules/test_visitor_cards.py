"""The rules of a visitor card's codes (booking/rules/visitor_cards.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.rules.visitor_cards import (
    CARD_ALPHABET,
    CARD_CODE_LENGTH,
    PRINTABLE_FOR,
    SHORT_ALPHABET,
    SHORT_CODE_LENGTH,
    card_code_of_scan,
    card_device_id,
    card_reason,
    code_hash,
    is_print_batch_size,
    is_printable,
    normalise_short_code,
    show_short_code,
)
from booking.rules.visits import BurstLimits, is_room_burst, room_burst_reason

codes = st.text(alphabet=CARD_ALPHABET, min_size=CARD_CODE_LENGTH, max_size=CARD_CODE_LENGTH)
shorts = st.text(alphabet=SHORT_ALPHABET, min_size=SHORT_CODE_LENGTH, max_size=SHORT_CODE_LENGTH)


@given(codes, st.sampled_from(["", "https://buurthuis.example", "http://localhost:5000"]))
def test_a_card_is_read_from_its_code_or_its_url_in_any_case(code, host):
    assert card_code_of_scan(code) == code
    assert card_code_of_scan(code.lower()) == code
    assert card_code_of_scan(f" {host}/kaart/{code}\n") == code
    assert card_code_of_scan(f"{host}/kaart/{code.lower()}/?x=1") == code


@given(st.text(max_size=40))
def test_anything_else_is_garbled_or_a_well_formed_code(text):
    found = card_code_of_scan(text)
    assert found is None or (len(found) == CARD_CODE_LENGTH and set(found) <= set(CARD_ALPHABET))


def test_garbled_reads():
    for bad in ("", "A" * 19, "A" * 21, "0" * 20, "1" * 20, "/kaart/", "/kaart/ABC", None, 5):
        assert card_code_of_scan(bad) is None
    assert card_code_of_scan("/kaart/" + "A" * 20 + "B") is None
    assert card_code_of_scan("x" * 400) is None


@given(shorts)
def test_a_short_code_is_typed_back_as_printed(short):
    shown = show_short_code(short)
    assert len(shown) == SHORT_CODE_LENGTH + 1 and shown[3] == "-"
    assert normalise_short_code(shown) == short
    assert normalise_short_code(shown.lower()) == short
    assert normalise_short_code(" ".join(short)) == short


def test_a_short_code_is_no_card_code_and_look_alikes_are_refused():
    assert card_code_of_scan("ABCDEFG") is None
    for bad in ("ABC-DEF", "ABC-DEFGH", "ABC-DEF0", "ABC-DEFI", ""):
        assert normalise_short_code(bad) is None
    assert not set("01IO") & set(SHORT_ALPHABET)


def test_hashes_and_device_ids():
    code = "A" * 20
    assert code_hash(code) != code_hash("B" * 20) and len(code_hash(code)) == 64
    assert card_device_id(code) == "kaart:" + code


def test_batch_sizes_and_the_printable_day():
    assert [is_print_batch_size(n) for n in (0, 1, 20, 100, 101)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    printed = datetime(2026, 12, 7, 10, tzinfo=UTC)
    assert is_printable(printed, printed + PRINTABLE_FOR)
    assert not is_printable(printed, printed + PRINTABLE_FOR + timedelta(seconds=1))


def test_the_reasons_of_a_card_read():
    assert card_reason(known=True, blocked=False) == ""
    assert card_reason(known=True, blocked=True) == "kaart_geblokkeerd"
    assert card_reason(known=False, blocked=False) == "kaart_onbekend"
    assert room_burst_reason("kaart") == "piek_ruimte_kaart"
    assert not is_room_burst("kaart", 29) and is_room_burst("kaart", 30)
    assert BurstLimits(kaart=5).room("kaart") == 5
