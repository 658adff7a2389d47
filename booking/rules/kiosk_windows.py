"""The kiosk's time windows: how long a pairing code, a visit and its questions last.

Each window is named once, here, so the kiosk's use cases (kiosk/pairing.py,
kiosk/check_in.py, kiosk/tallies.py), its forms and its tests agree on it. When a visit is
*suspicious* is a rule of its own, in booking/rules/visits.py.
"""

from datetime import datetime, timedelta

from booking.rules.slots import AMSTERDAM
from booking.rules.visits import to_minute

PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be mistaken for each other on a screen (no 0/O, 1/I)."""
PAIRING_CODE_LENGTH = 8
PAIRING_VALID = timedelta(minutes=15)
"""A new kiosk's pairing code works once, within this time."""
SEEN_EVERY = timedelta(minutes=1)
"""A tablet's sign of life is written at most this often: a status poll is no write."""
SAME_VISIT = timedelta(hours=3)
"""A phone checking in again within this time in the same house is the same visit."""
ANSWER_WINDOW = timedelta(minutes=30)
"""The optional questions belong to a visit of at most this long ago."""
TAP_MAX_AGE = timedelta(hours=24)
"""A tap replayed from the tablet's offline queue keeps its own moment up to this age."""
TAP_MAX_AHEAD = timedelta(minutes=2)
"""A tablet clock this far ahead is believed (and its tap counted now); further is not."""
TALLY_MAX = 200
"""The largest group a host counts at once: a typo of 2000 must not enter the figures."""


def normalise_code(code: str) -> str:
    """The code as typed or scanned, in capitals, with dashes, spaces and look-alikes gone."""
    return "".join(ch for ch in code.upper() if ch in PAIRING_ALPHABET)


def show_code(code: str) -> str:
    """A pairing code the way a beheerder reads it aloud: ABCD-EFGH."""
    half = PAIRING_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def is_pairable(expires_at: datetime | None, now: datetime) -> bool:
    """Whether a pairing code that expires at `expires_at` still works at `now`."""
    return expires_at is not None and now <= expires_at


def is_due_seen(last_seen_at: datetime | None, now: datetime) -> bool:
    """Whether a tablet's last sign of life is old enough to be written again."""
    return last_seen_at is None or now - last_seen_at > SEEN_EVERY


def same_visit_since(now: datetime) -> datetime:
    """A stored visit after this minute makes a new check-in of its device the same visit."""
    return to_minute(now - SAME_VISIT)


def device_key_years(now: datetime) -> tuple[int, ...]:
    """The reporting years whose device key a check-in at `now` must look under: this
    year's first (the hash to store), then last year's if the `SAME_VISIT` window began
    before midnight of 1 January (Amsterdam), when the device had last year's hash."""
    year = now.astimezone(AMSTERDAM).year
    if (now - SAME_VISIT).astimezone(AMSTERDAM).year < year:
        return (year, year - 1)
    return (year,)


def tap_moment(tapped_at: datetime | None, now: datetime) -> datetime:
    """When a tap is counted: its own moment if the tablet's clock is believable (at most
    `TAP_MAX_AGE` old, at most `TAP_MAX_AHEAD` ahead), never later than now."""
    if tapped_at is not None and now - TAP_MAX_AGE <= tapped_at <= now + TAP_MAX_AHEAD:
        return min(tapped_at, now)
    return now


def is_answerable(visited_at: datetime | None, now: datetime) -> bool:
    """Whether a visit's optional questions may still be answered at `now`."""
    return visited_at is not None and now - visited_at <= ANSWER_WINDOW


def is_tally_count(count: int) -> bool:
    """Whether a host may count this many visitors in one tally."""
    return 1 <= count <= TALLY_MAX
