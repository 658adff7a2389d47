"""header_text: whatever a user typed becomes one clean line that a mail header can hold."""

from __future__ import annotations

import unicodedata
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from booking.rules.mail_headers import BIDI_CONTROLS, ELLIPSIS, MAX_HEADER_TEXT, header_text

# Every code point, lone surrogates included (hypothesis leaves those out by default).
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=400)
LINE_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _subject_round_trip(value: str) -> str:
    """Set `value` as a Subject, write the message as SMTP would and read it back."""
    message = EmailMessage()
    message["Subject"] = value  # raises ValueError for a line break, as on main
    message.set_content("x")
    data = message.as_bytes(policy=policy.SMTP)
    return str(message_from_bytes(data, policy=policy.default)["Subject"])


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT, st.integers(min_value=1, max_value=MAX_HEADER_TEXT + 50))
@example("Buurt\nsoep", MAX_HEADER_TEXT)
@example("\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e\r\n", MAX_HEADER_TEXT)
@example("a\ud800b\x00c\u202ed\u2066e", MAX_HEADER_TEXT)
@example("woord " * 100, MAX_HEADER_TEXT)
@example("000000000000 000¡¡¡¡𐀀𐀀𐀀𐀀𐀀 ¡", 27)
@example("=?utf-8?q?Buurt=0Asoep?= =?utf-8?b?aGFsbG8=?=", MAX_HEADER_TEXT)
def test_any_text_becomes_one_clean_bounded_line(value: str, max_length: int) -> None:
    clean = header_text(value, max_length)
    assert len(clean) <= max_length
    assert len(clean.splitlines()) <= 1  # what email.policy checks before it refuses
    assert clean == clean.strip() and "  " not in clean
    for char in clean:
        assert unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp"), repr(char)
        assert char not in BIDI_CONTROLS, repr(char)
        assert char == " " or not char.isspace(), repr(char)
    assert header_text(clean, max_length) == clean  # clean text stays as it is
    if len(clean) <= MAX_HEADER_TEXT:
        received = _subject_round_trip(clean)
        assert len(received.splitlines()) <= 1
        # The receiver reads the same text. Only spaces may differ: CPython's header folder
        # can drop the space between two encoded words it folds apart (a bug of its own).
        assert received.replace(" ", "") == clean.replace(" ", "")


@given(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), max_size=200))
def test_clean_short_text_is_left_alone(value: str) -> None:
    value = "".join(char for char in value if char not in BIDI_CONTROLS).replace("=?", "")
    assert header_text(value) == value


@pytest.mark.parametrize("char", [*LINE_BREAKS, "\r\n", "\x00", "\t", "\x7f", "\x9b"])
def test_every_line_break_and_control_is_one_space(char: str) -> None:
    assert header_text(f"Boeking bevestigd: Buurt{char}soep") == "Boeking bevestigd: Buurt soep"
    assert header_text(f"{char}Buurt{char}{char} soep{char}") == "Buurt soep"


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_bidi_overrides_and_isolates_go(char: str) -> None:
    assert header_text(f"Factuur{char}fdp.exe") == "Factuur fdp.exe"


def test_typed_text_never_reads_as_an_encoded_word() -> None:
    clean = header_text("=?utf-8?q?Buurt=0Asoep?=")
    assert clean == "= ?utf-8?q?Buurt=0Asoep?="
    assert _subject_round_trip(clean) == clean  # not decoded into "Buurt\nsoep"


def test_a_lone_surrogate_becomes_a_replacement_character() -> None:
    assert header_text("a\ud800b") == "a\ufffdb"


def test_long_text_is_cut_on_a_word_with_an_ellipsis() -> None:
    clean = header_text("Boeking bevestigd: " + "Buurtsoep " * 30)
    assert len(clean) <= MAX_HEADER_TEXT and clean.endswith("Buurtsoep" + ELLIPSIS)
    one_word = header_text("x" * 500)
    assert one_word == "x" * (MAX_HEADER_TEXT - 1) + ELLIPSIS
    assert header_text("abcdef", 1) == ELLIPSIS
    assert header_text("x" * MAX_HEADER_TEXT) == "x" * MAX_HEADER_TEXT  # exactly fits


def test_accents_emoji_and_joiners_are_kept() -> None:
    text = "Café 👩\u200d👩\u200d👧 zondag"
    assert header_text(text) == text
    assert _subject_round_trip(text) == text


def test_a_length_below_one_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        header_text("x", 0)
