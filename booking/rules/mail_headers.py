"""Clean single-line text for mail headers, whatever a user typed.

A booking title ends up in a Subject header. Python's `email` package refuses a header value
with a line break in it (``\\n``, but also ``\\x0b``, U+0085, U+2028 ...), and other control
characters would pass straight into the raw message (a NUL byte in SMTP data, say), so every
header built from user data goes through `header_text` first. Bidirectional override and
isolate characters go too: in a subject line they can make a mail client show the words in
another order than they were written ("Trojan Source"-style spoofing). And "=?" is split
into "= ?": typed text must not be read by the receiving mail client as an RFC 2047 encoded
word ("=?utf-8?q?...?="), which it would decode into other text, line breaks included.
"""

from __future__ import annotations

import unicodedata

MAX_HEADER_TEXT = 200  # the outbox's subject column holds 200 characters
ELLIPSIS = "…"

# Invisible formatting characters that reorder the text around them: the embeddings and
# overrides U+202A-U+202E, the isolates U+2066-U+2069, and the marks LRM, RLM and ALM.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)

# Unicode categories that become a space: controls (C0, DEL and C1, so also tab, CR, LF, VT,
# FF, the separators U+001C-U+001E and NEL U+0085), the line and paragraph separators, and
# every kind of space, so runs of them collapse into one ordinary space.
_SPACE_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Zs"})


def _is_space_like(char: str) -> bool:
    return char in BIDI_CONTROLS or unicodedata.category(char) in _SPACE_CATEGORIES


def header_text(value: str, max_length: int = MAX_HEADER_TEXT) -> str:
    """`value` as one clean line of at most `max_length` characters, for a mail header.

    Every control, line or paragraph separator, space character and bidi control becomes
    a space, runs of them one space, and the ends are stripped. A lone surrogate (which no
    encoding can write) becomes U+FFFD, and "=?" becomes "= ?". A longer result is cut at a
    word boundary where one is near and ends with an ellipsis, so the whole thing is at most
    `max_length` long.
    """
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    words: list[str] = []
    current: list[str] = []
    for char in value:
        if _is_space_like(char):
            if current:
                words.append("".join(current))
                current = []
        elif unicodedata.category(char) == "Cs":
            current.append("\ufffd")
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    text = " ".join(words).replace("=?", "= ?")
    if len(text) <= max_length:
        return text
    cut = text[: max_length - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= len(cut) - 20 and space > 0:  # end on a whole word if that costs little
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS
