"""Euro amounts as integer cents, written the Dutch way.

Money never touches a float, so a price shown to a booker, stored on the booking and
exported for invoicing is the same number everywhere.
"""

import re

_AMOUNT = re.compile(
    r"""
    (?P<euros>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)   # 12 or 1.234 (dot groups thousands)
    (?:,(?P<cents>[0-9]{1,2}|-))?                  # ,5 / ,50 / ,- (Dutch "whole euros")
    """,
    re.VERBOSE,
)
_ENGLISH_DECIMAL = re.compile(r"\d+\.\d{1,2}")
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def _require_cents(cents: int) -> None:
    """Reject floats and bools early: a float amount is always a bug upstream."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"amount must be integer cents, got {cents!r}")


def _group_thousands(euros: int) -> str:
    """Dutch groups thousands with a dot (1.234), unlike English."""
    return f"{euros:,}".replace(",", ".")


def format_euro(cents: int) -> str:
    """Show cents as the Dutch expect to read money: "€ 1.234,56", "-€ 1,00"."""
    _require_cents(cents)
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}€ {_group_thousands(euros)},{rest:02d}"


def _strip_sign_and_symbol(text: str) -> tuple[bool, str]:
    """Accept the symbol and a minus in the places people type them: "-€ 1", "€ -1", "1 €"."""
    body = text.translate(_SPACES).strip()
    negative = False
    if body.startswith("-"):
        negative, body = True, body[1:].lstrip()
    if body.startswith("€"):
        body = body[1:].lstrip()
    elif body.endswith("€"):
        body = body[:-1].rstrip()
    if body.startswith("-") and not negative:
        negative, body = True, body[1:].lstrip()
    return negative, body


def parse_euro(text: str) -> int:
    """Read an amount typed in a Dutch form ("12,50", "€ 1.234,56", "12,-") as cents.

    A dot is a thousands separator ("1.234") — except when it is the only separator and
    one or two digits follow it ("12.50", as English pages show money): that can never be
    Dutch thousands grouping, so it is read as a decimal point without guessing.
    """
    negative, body = _strip_sign_and_symbol(text)
    if _ENGLISH_DECIMAL.fullmatch(body):
        body = body.replace(".", ",")
    match = _AMOUNT.fullmatch(body)
    if match is None:
        raise ValueError(f"not a euro amount: {text!r}")
    euros = int(match["euros"].replace(".", ""))
    cents_text = match["cents"] or "0"
    cents = 0 if cents_text == "-" else int(cents_text.ljust(2, "0"))
    amount = euros * 100 + cents
    return -amount if negative else amount
