"""The numbers a Dutch stichting or association puts on an invoice, checked as banks and the
Belastingdienst check them: IBAN (ISO 13616, mod 97), KvK number, BTW identification number.

Each `normalise_*` answers the number in its written form (upper case, no spaces or dots)
or None when it fails its check, so a typo is refused before it lands on an invoice that
an accounting package then refuses."""

from __future__ import annotations

import re

_IBAN_LENGTHS = {
    # The countries whose accounts a house in Oss meets; others by the general rule.
    "NL": 18,
    "BE": 16,
    "DE": 22,
    "FR": 27,
    "LU": 20,
    "GB": 22,
}
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_NL_IBAN_SHAPE = re.compile(r"NL[0-9]{2}[A-Z]{4}[0-9]{10}")
_KVK_SHAPE = re.compile(r"[0-9]{8}")
_IMPOSSIBLE_CHECK_DIGITS = frozenset({"00", "01", "99"})
"""ISO 13616 check digits run 02..98; 00, 01 and 99 pass mod 97 (as 97, 98 and 02 would)
but are never issued, so an account typed with them is a typo."""
_BTW_SHAPE = re.compile(r"NL([0-9]{9})B([0-9]{2})")


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text or "").upper()


def _mod97(text: str) -> int:
    """The remainder of ISO 7064 MOD 97-10, letters counted as A=10 … Z=35."""
    digits = "".join(str(int(char, 36)) for char in text)
    return int(digits) % 97


def normalise_iban(text: str) -> str | None:
    """The IBAN in its written form ("NL91 ABNA 0417 1643 00" → "NL91ABNA0417164300"); None
    when it fails its check."""
    iban = _compact(text)
    if not _IBAN_SHAPE.fullmatch(iban):
        return None
    country = iban[:2]
    if country in _IBAN_LENGTHS and len(iban) != _IBAN_LENGTHS[country]:
        return None
    if country == "NL" and not _NL_IBAN_SHAPE.fullmatch(iban):
        return None
    if iban[2:4] in _IMPOSSIBLE_CHECK_DIGITS:
        return None
    return iban if _mod97(iban[4:] + iban[:4]) == 1 else None


def iban_groups(iban: str) -> str:
    """The IBAN as printed on paper, in groups of four: "NL91 ABNA 0417 1643 00"."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def normalise_kvk(text: str) -> str | None:
    """An eight-digit KvK number ("12 34 56 78" → "12345678"); None otherwise.

    The Kamer van Koophandel stopped issuing numbers that pass the old 11-test in 2016, so
    eight digits (and not all zero) is the whole check the register itself promises."""
    kvk = _compact(text)
    return kvk if _KVK_SHAPE.fullmatch(kvk) and kvk != "00000000" else None


def _eleven_proof(digits: str) -> bool:
    """The Belastingdienst's 11-test on the nine digits of an (older) BTW number."""
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


def normalise_btw(text: str) -> str | None:
    """A Dutch BTW identification number "NL123456789B01"; None when it fails its check.

    Numbers given out since 2020 pass the IBAN-like mod-97 test of the whole identifier,
    older ones the 11-test of their nine digits: either is accepted."""
    btw = _compact(text)
    found = _BTW_SHAPE.fullmatch(btw)
    if not found or found.group(2) == "00" or found.group(1) == "000000000":
        return None
    if _eleven_proof(found.group(1)) or _mod97(btw) == 1:
        return btw
    return None
