"""The one rule for user text: what is refused, removed and normalised, for any string."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.messages import Message, render
from booking.rules.text import (
    BIDI_CONTROLS,
    CONTROL,
    INVALID,
    LINE_BREAK,
    LINE_BREAKS,
    check_secret,
    clean_text,
    has_unsafe_chars,
    printable_text,
    too_long,
)

FAST = settings(max_examples=300, deadline=None, database=None, derandomize=True)

# Every character the rule must never let through, whatever the field.
NEVER = (
    {chr(c) for c in range(0x00, 0x20)} - {"\t", "\n"}
    | {chr(0x7F)}
    | {chr(c) for c in range(0x80, 0xA0)}
    | {chr(c) for c in range(0xD800, 0xE000)}
    | {chr(c) for c in range(0xFDD0, 0xFDF0)}
    | {chr(p * 0x10000 + 0xFFFE) for p in range(17)}
    | {chr(p * 0x10000 + 0xFFFF) for p in range(17)}
    | set(BIDI_CONTROLS)
    | {"\r", "\x85", "\u2028", "\u2029"}
)
SINGLE_LINE_NEVER = NEVER | {"\t", "\n"}

# Text built mostly from the characters that matter here, plus anything at all.
NASTY = st.sampled_from(
    sorted(NEVER | {"\t", "\n", "e", "\u0301", "\u00e9", "\u200f", "\u061c", " ", "\u0344"})
)
ANY_TEXT = st.text(st.one_of(NASTY, st.characters()), max_size=40)
# What a person normally types: no control, format, surrogate or unassigned characters.
CLEAN_CHAR = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"),
)
CLEAN_TEXT = st.text(CLEAN_CHAR, max_size=40).map(lambda s: unicodedata.normalize("NFC", s))


@FAST
@given(ANY_TEXT, st.integers(0, 50), st.booleans())
def test_accepted_text_never_holds_a_forbidden_character_and_fits(
    text: str, bound: int, multiline: bool
) -> None:
    result = clean_text(text, max_length=bound, multiline=multiline)
    if isinstance(result, Message):
        assert result in (CONTROL, LINE_BREAK, INVALID, too_long(bound))
        return
    forbidden = NEVER if multiline else SINGLE_LINE_NEVER
    assert not set(result) & forbidden
    assert len(result) <= bound
    assert unicodedata.is_normalized("NFC", result)
    if not multiline:
        assert len(result.splitlines()) <= 1


@FAST
@given(ANY_TEXT, st.booleans())
def test_the_rule_is_idempotent(text: str, multiline: bool) -> None:
    result = clean_text(text, max_length=100, multiline=multiline)
    if isinstance(result, str):
        assert clean_text(result, max_length=100, multiline=multiline) == result


@FAST
@given(CLEAN_TEXT, st.booleans())
def test_clean_text_passes_through_unchanged(text: str, multiline: bool) -> None:
    assert clean_text(text, max_length=len(text), multiline=multiline) == text
    assert printable_text(text, multiline=multiline) == text
    assert check_secret(text, max_length=len(text)) == text


@FAST
@given(ANY_TEXT, st.booleans())
def test_printable_text_never_holds_a_forbidden_character(text: str, multiline: bool) -> None:
    shown = printable_text(text, multiline=multiline)
    forbidden = NEVER if multiline else SINGLE_LINE_NEVER
    assert not set(shown) & forbidden
    assert not has_unsafe_chars(shown) or multiline


@FAST
@given(ANY_TEXT)
def test_text_without_refused_characters_is_accepted_and_only_loses_bidi_controls(
    text: str,
) -> None:
    """Refusal is only for controls, line breaks, surrogates and noncharacters."""
    allowed = "".join(ch for ch in text if ch not in SINGLE_LINE_NEVER or ch in BIDI_CONTROLS)
    result = clean_text(allowed, max_length=1000)
    expected = "".join(ch for ch in allowed if ch not in BIDI_CONTROLS)
    assert result == unicodedata.normalize("NFC", expected)


@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x80", "\x9b"])
def test_controls_are_refused_in_every_field(char: str) -> None:
    assert clean_text(f"Koffie{char}ochtend", max_length=50) is CONTROL
    assert clean_text(f"Koffie{char}ochtend", max_length=50, multiline=True) is CONTROL


def test_tab_is_refused_on_one_line_and_allowed_in_several() -> None:
    assert clean_text("a\tb", max_length=10) is CONTROL
    assert clean_text("a\tb", max_length=10, multiline=True) == "a\tb"


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_line_breaks_are_refused_on_one_line_and_become_newlines_in_several(brk: str) -> None:
    assert clean_text(f"regel 1{brk}regel 2", max_length=50) is LINE_BREAK
    assert clean_text(f"regel 1{brk}regel 2", max_length=50, multiline=True) == "regel 1\nregel 2"


@pytest.mark.parametrize("char", ["\ud800", "\udfff", "\ufffe", "\uffff", "\ufdd0", "\U0010ffff"])
def test_lone_surrogates_and_noncharacters_are_refused(char: str) -> None:
    assert clean_text(f"x{char}", max_length=10) is INVALID
    assert clean_text(f"x{char}", max_length=10, multiline=True) is INVALID


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS))
def test_bidi_overrides_and_isolates_are_removed(char: str) -> None:
    assert clean_text(f"gpj.{char}exe", max_length=10) == "gpj.exe"
    assert printable_text(f"gpj.{char}exe") == "gpj.exe"


def test_marks_that_cannot_reorder_text_stay() -> None:
    """RLM, LRM and the Arabic letter mark are ordinary in right-to-left names."""
    assert clean_text("\u200fمرحبا\u200e\u061c", max_length=20) == "\u200fمرحبا\u200e\u061c"


def test_text_is_normalised_to_nfc_before_the_length_is_counted() -> None:
    decomposed = "Cafe\u0301"  # five code points, four after NFC
    assert clean_text(decomposed, max_length=4) == "Café"
    assert clean_text("Cafés", max_length=4) == too_long(4)


def test_the_length_message_is_the_forms_own() -> None:
    assert render(too_long(200)) == "Hoogstens 200 tekens."


def test_messages_are_dutch() -> None:
    assert "stuurteken" in render(CONTROL)
    assert "één regel" in render(LINE_BREAK)
    assert "ongeldig teken" in render(INVALID)


def test_a_secret_is_never_changed_only_refused_for_what_cannot_be_stored() -> None:
    assert check_secret("Cafe\u0301\t\u202e!", max_length=50) == "Cafe\u0301\t\u202e!"
    assert check_secret("geheim\x00", max_length=50) is CONTROL
    assert check_secret("geheim\ud800", max_length=50) is INVALID
    assert check_secret("x" * 11, max_length=10) == too_long(10)


def test_printable_text_keeps_one_line_on_one_line() -> None:
    assert printable_text("a\r\nb\tc\x00d\u2028e") == "a b cd e"
    assert printable_text("a\r\nb\tc\x00d\u2028e", multiline=True) == "a\nb\tcd\ne"


def test_every_line_break_is_known() -> None:
    assert frozenset("\n\r\x85\u2028\u2029") == LINE_BREAKS


@FAST
@given(ANY_TEXT)
def test_multiline_fast_path_changes_nothing_it_skips(text: str) -> None:
    """The fast path returns text untouched only where the full cleaning would too."""
    from booking.rules.text import _LINE_BREAK_RE, _UNSAFE_MULTILINE_RE

    full = _UNSAFE_MULTILINE_RE.sub("", _LINE_BREAK_RE.sub("\n", text))
    assert printable_text(text, multiline=True) == full
