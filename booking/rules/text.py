"""One rule for text a person typed, for every field: what is refused, removed or normalised.

Every text field, in a form or in the API, goes through `clean_text` at the edge:

- Refused (the user gets a Dutch message):
  - control characters: C0 (U+0000–U+001F, so NUL, VT and ESC), DEL (U+007F) and C1
    (U+0080–U+009F). A multi-line field allows TAB and the line feed; a single-line field
    allows none of them. RFC 5545 forbids them in calendar text and PostgreSQL refuses NUL.
  - line breaks in a single-line field: LF, CR, NEL (U+0085) and the Unicode line and
    paragraph separators (U+2028, U+2029).
  - lone surrogates (U+D800–U+DFFF, which no UTF-8 text can hold; JSON can spell them as
    "\\ud800") and noncharacters (U+FDD0–U+FDEF and every U+xxFFFE/U+xxFFFF), which XML,
    and so the UBL invoice, forbids.
  - text longer than the field's bound, counted after normalisation.
- Removed silently: the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
  U+2066–U+2069). They only change how text is shown, and an override turns a shown name
  around ("spoofing"); the letters themselves stay.
- Normalised: a multi-line field's line breaks become "\\n" (CRLF, CR, NEL, U+2028, U+2029),
  and all text becomes Unicode NFC, so one name is stored one way.

Clean text (NFC, none of the above) passes through unchanged. Secrets (passwords) are not
normalised: `check_secret` only refuses what cannot be stored or hashed.

`printable_text` is the same rule for output, as defence in depth: it never refuses, it
removes (or, in one-line text, replaces by a space) whatever the edge would not have let in.
"""

import re
import unicodedata

from booking.rules.messages import N_, Message

LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")
"""What counts as a line break: a multi-line field stores each as "\\n"."""

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069): removed."""

CONTROL = Message(
    N_(
        "Deze tekst bevat een onzichtbaar stuurteken (zoals een tab of een NUL-teken) dat "
        "hier niet mag. Typ de tekst opnieuw zonder dat teken."
    )
)
LINE_BREAK = Message(N_("Deze tekst moet op één regel; haal de regelovergang weg."))
INVALID = Message(N_("Deze tekst bevat een ongeldig teken. Typ de tekst opnieuw."))


def too_long(max_length: int) -> Message:
    """The same words as the forms' own length check."""
    return Message(N_("Hoogstens %(n)s tekens."), {"n": max_length})


_CONTROLS = "\x00-\x1f\x7f-\x9f"
_INVALID = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_BIDI = "\u202a-\u202e\u2066-\u2069"

_INVALID_RE = re.compile(f"[{_INVALID}]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_CONTROL_RE = re.compile(f"[{_CONTROLS}]")
_MULTILINE_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BIDI_RE = re.compile(f"[{_BIDI}]")
_UNSAFE_RE = re.compile(f"[{_CONTROLS}{_INVALID}{_BIDI}\u2028\u2029]")
"""Anything `clean_text` would change or refuse apart from normalisation: the fast path."""
_UNSAFE_MULTILINE_RE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVALID}{_BIDI}]")
_ONE_LINE_SPACE_RE = re.compile("\r\n|[\t\r\n\x85\u2028\u2029]")
_MULTILINE_CHANGES_RE = re.compile(
    f"[\r\x85\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f{_INVALID}{_BIDI}]"
)
"""Anything multi-line `printable_text` would change (TAB and LF stay): its fast path, as
every {{ … }} of every page passes through it and most of them hold line breaks."""


def has_unsafe_chars(value: str) -> bool:
    """True when `value` has a control, line break, bidi control, surrogate or noncharacter."""
    return _UNSAFE_RE.search(value) is not None


def clean_text(value: str, *, max_length: int, multiline: bool = False) -> str | Message:
    """The text as it may be stored, or the reason it is refused (see the module docstring)."""
    if _INVALID_RE.search(value):
        return INVALID
    if multiline:
        value = _LINE_BREAK_RE.sub("\n", value)
        if _MULTILINE_CONTROL_RE.search(value):
            return CONTROL
    else:
        if any(char in LINE_BREAKS for char in value):
            return LINE_BREAK
        if _CONTROL_RE.search(value):
            return CONTROL
    value = unicodedata.normalize("NFC", _BIDI_RE.sub("", value))
    if len(value) > max_length:
        return too_long(max_length)
    return value


def check_secret(value: str, *, max_length: int) -> str | Message:
    """A password as typed: refused only for NUL, lone surrogates or length; never changed.

    Normalising a password would lock out whoever set it before this rule existed.
    """
    if _SURROGATE_RE.search(value):
        return INVALID
    if "\x00" in value:
        return CONTROL
    if len(value) > max_length:
        return too_long(max_length)
    return value


def printable_text(value: str, *, multiline: bool = False) -> str:
    """Text safe to write out (a calendar, a page): never refused, only cleaned.

    Line breaks become "\\n" in multi-line text; in one-line text they and TAB become a
    space. Other controls, bidi controls, surrogates and noncharacters are removed.
    """
    if multiline:
        if _MULTILINE_CHANGES_RE.search(value) is None:
            return value
        return _UNSAFE_MULTILINE_RE.sub("", _LINE_BREAK_RE.sub("\n", value))
    if not has_unsafe_chars(value):
        return value
    return _UNSAFE_RE.sub("", _ONE_LINE_SPACE_RE.sub(" ", value))
