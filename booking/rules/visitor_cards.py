"""Visitor cards: the printed anonymous card's code, its short code, and what a read means.

A card carries two codes (DESIGN section 6, issue 14):

- the **card code**, `CARD_CODE_LENGTH` characters of base32 (100 random bits), in the
  QR code as a URL ending in /kaart/<code>. Only its SHA-256 is stored, so the card table
  cannot be turned into working cards; a visit keeps only the keyed yearly hash of it,
  like a phone's cookie.
- the **short code**, printed small under the QR code, `SHORT_CODE_LENGTH` characters of
  an alphabet without look-alikes: a host types it to block a lost card. It cannot check
  anyone in (the tablet only takes card codes) and is unique only within its house.

Nothing records who got which card.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Literal

from booking.rules.kiosk_windows import PAIRING_ALPHABET
from booking.rules.visit_vocabulary import SuspicionReason

CARD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
"""RFC 4648 base32: upper case and digits, so the QR code stays small."""
CARD_CODE_LENGTH = 20
SHORT_ALPHABET = PAIRING_ALPHABET
"""No 0/O, 1/I: a host reads the short code off a worn card."""
SHORT_CODE_LENGTH = 7
CARD_PATH = "/kaart/"
"""The path of the card's URL; the tablet and a scanner may send the whole URL."""
PRINT_BATCH_MIN = 1
PRINT_BATCH_MAX = 100
PRINT_BATCH_DEFAULT = 20
PRINTABLE_FOR = timedelta(hours=24)
"""How long the plain codes of a printed batch are kept so its sheet can be printed
again; afterwards they are erased and only the hashes remain."""


def card_code_of_scan(scanned: object) -> str | None:
    """The card code in what the tablet or a scanner read, or None if it is not one.

    Accepts the bare code or the card's URL (any host, a trailing slash or query), in
    either case; anything else, a wrong length or a character outside the alphabet, is
    a garbled read.
    """
    if not isinstance(scanned, str) or len(scanned) > 300:
        return None
    text = scanned.strip()
    if CARD_PATH in text:
        text = text.rsplit(CARD_PATH, 1)[1].split("?", 1)[0].split("#", 1)[0].rstrip("/")
    code = text.upper()
    if len(code) != CARD_CODE_LENGTH or any(ch not in CARD_ALPHABET for ch in code):
        return None
    return code


def normalise_short_code(typed: str) -> str | None:
    """A short code as typed (spaces, dashes, lower case forgiven), or None if malformed."""
    code = "".join(ch for ch in typed.upper() if ch not in " -")
    if len(code) != SHORT_CODE_LENGTH or any(ch not in SHORT_ALPHABET for ch in code):
        return None
    return code


def show_short_code(code: str) -> str:
    """How the short code is printed: ABC-DEFG, easy to read aloud."""
    return f"{code[:3]}-{code[3:]}"


def code_hash(code: str) -> str:
    """What the card table keeps of a card code."""
    return hashlib.sha256(code.encode()).hexdigest()


def card_device_id(code: str) -> str:
    """The device id of a card for the keyed yearly hash; the prefix keeps a card apart
    from a phone cookie that happened to be the same string."""
    return "kaart:" + code


def is_print_batch_size(count: int) -> bool:
    return PRINT_BATCH_MIN <= count <= PRINT_BATCH_MAX


def is_printable(printed_at: datetime, now: datetime) -> bool:
    """Whether a batch printed at `printed_at` may still show its plain codes at `now`."""
    return now - printed_at <= PRINTABLE_FOR


def card_reason(known: bool, blocked: bool) -> SuspicionReason | Literal[""]:
    """Why a card read is flagged whatever the circumstances: a card this house never
    printed (or another house's), or a blocked one; "" for a good card."""
    if not known:
        return SuspicionReason.kaart_onbekend
    if blocked:
        return SuspicionReason.kaart_geblokkeerd
    return ""
