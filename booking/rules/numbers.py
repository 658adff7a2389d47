"""Whole numbers that arrive as text: ids in URLs, forms and tokens, page numbers."""

MAX_ID = 2**31 - 1  # the largest value of a 32-bit INTEGER column


def parse_whole_number(text: str | None, maximum: int = MAX_ID) -> int | None:
    """ASCII digits only and at most `maximum`, else None.

    `str.isdigit()` is also true for "²" (which `int()` refuses) and for Arabic-Indic
    digits, and a twenty-digit id overflows the database's integer: each of those was a
    500 before this function existed.
    """
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= maximum else None
