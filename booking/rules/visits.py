"""When a visit is suspicious: flagged, not refused, and left out of the default figures.

DESIGN sections 6 and 7: check-ins outside opening hours, QR check-ins while the kiosk
has been silent, and bursts are *flagged* (`Visit.suspicious`, with a reason) and left out
of the default statistics; a beheerder can include them. Nothing here refuses a visit:
refusing is the rate limiter's job (per client address and per device cookie, in the
kiosk views), and it keeps its counters in memory or Redis, never in the database.

Bursts are counted twice, each without looking at device cookies (a flood simply sends a
fresh cookie with every check-in):

- **per kiosk** (`KIOSK_BURST_SIZE`): the taps and QR check-ins of one tablet;
- **per room and channel** (`ROOM_BURST_LIMITS`): every visit of that channel in the room,
  whichever kiosk or poster it came through. This is what catches a printed poster,
  whose code is static and public (a photo of it works from anywhere, for ever), and
  a room with more than one kiosk.

The window. Visits are stored to the minute, so the finest window the stored rows allow
is "since the start of the minute one `BURST_WINDOW` ago" (`burst_since`): the current
clock minute and the one before, 60 to 120 seconds. A limit of N therefore means "more
than N visits within at most two minutes": the first N are counted, the visit that
finds N or more before it, and every one after it, are flagged. A flood that straddles a
minute boundary is still one burst, and the counts only grow while it lasts, so a visit
once flagged is never followed by an unflagged one of the same burst.

The limits, per room and channel, and why:

- `tablet`, 30: a class of 25 arriving together taps the *Ik ben er* button within a
  minute and must not be flagged. A tablet takes one finger at a time, so 30 in a minute
  (one every two seconds, without a pause) is already a queue at the door; it is the
  number the per-kiosk rule has used since the kiosk was built, and a second tablet in
  the same room shares it rather than doubling it. A forged flood needs the tablet's
  credential.
- `qr`, 30: a phone must photograph a code that changes every 30-60 seconds and is valid
  for about two minutes, and then tap *Inchecken*; a group scanning together is no
  faster than tapping. More than 30 in a minute in one room means the code was passed on
  (a photo in a group chat) and replayed with fresh cookies.
- `poster`, 10: a poster hangs in a room *without* a tablet, usually a smaller room, and
  its code never expires. It is the weakest evidence that someone is present, so it has
  the lowest limit: ten people scanning one printed code within a minute is already
  unusual, and the 60 check-ins in 11 seconds that were reported count 10. A real large
  group at a poster loses nothing for good: its visits are flagged, not refused, and a
  host can count a group with a tally instead.
- `kaart`, 30: a card is held to the camera one at a time and read in a second or two,
  like a tap; the same card twice within three hours counts once anyway, so a burst is
  many *different* cards, which only someone with a stack of them can show. Unknown and
  blocked cards are flagged for their own reason (booking/rules/visitor_cards.py).
- `tally` (a host's +N) is never flagged: it is a count by a signed-in person, not a
  device that may be misused, and a +N after closing time must show in today's count.
  Its visits do not count towards the tablet's or the phones' limits either.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Literal

from booking.rules.visit_vocabulary import ROOM_BURST_REASONS, Channel, SuspicionReason

BURST_WINDOW = timedelta(seconds=60)
KIOSK_BURST_SIZE = 30
ROOM_BURST_LIMITS = MappingProxyType(
    {Channel.tablet: 30, Channel.qr: 30, Channel.poster: 10, Channel.kaart: 30}
)
ROOM_BURST_COUNT_CAP = max(ROOM_BURST_LIMITS.values())
"""The highest of the default limits above."""
BURST_COUNT_CAP = 200
"""Counting stops here (the highest threshold the gemeente may set, rules/policy.py): only
"at least the limit" matters, so a flood costs no more."""
KIOSK_SILENT = timedelta(minutes=5)
NEVER_FLAGGED = frozenset({Channel.tally})
NOT_SUSPICIOUS: Literal[""] = ""
"""What `suspicion` returns, and `visit.suspicious_reason` stores, for a visit that counts."""


def to_minute(moment: datetime) -> datetime:
    """A visit's stored time: UTC, to the minute."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def burst_since(now: datetime) -> datetime:
    """The first stored minute that counts towards a burst at `now` (see the module)."""
    return to_minute(now - BURST_WINDOW)


@dataclass(frozen=True)
class BurstLimits:
    """The burst thresholds in force: the gemeente's policy settings (`PolicySettings.
    burst_*`), whose defaults are the limits documented above."""

    kiosk: int = KIOSK_BURST_SIZE
    tablet: int = ROOM_BURST_LIMITS[Channel.tablet]
    qr: int = ROOM_BURST_LIMITS[Channel.qr]
    poster: int = ROOM_BURST_LIMITS[Channel.poster]
    kaart: int = ROOM_BURST_LIMITS[Channel.kaart]  # not (yet) a policy setting

    def room(self, channel: str) -> int | None:
        """The limit per room of a channel; None for a channel that is never a burst."""
        if channel not in ROOM_BURST_LIMITS:
            return None
        return {
            Channel.tablet: self.tablet,
            Channel.qr: self.qr,
            Channel.poster: self.poster,
            Channel.kaart: self.kaart,
        }[Channel(channel)]


DEFAULT_LIMITS = BurstLimits()


def room_burst_reason(channel: str) -> SuspicionReason:
    """The reason stored on a visit of a room-and-channel burst, e.g. piek_ruimte_poster."""
    return ROOM_BURST_REASONS[Channel(channel)]


def is_room_burst(channel: str, room_recent: int, limits: BurstLimits = DEFAULT_LIMITS) -> bool:
    """Whether `room_recent` earlier visits of this room and channel in the window make
    this one part of a burst. A channel without a limit (the tally) never is."""
    limit = limits.room(channel)
    return limit is not None and room_recent >= limit


def is_silent(last_seen_at: datetime | None, now: datetime) -> bool:
    """A kiosk that has not asked for its status for five minutes shows no fresh QR code."""
    return last_seen_at is None or now - last_seen_at > KIOSK_SILENT


@dataclass(frozen=True)
class Circumstances:
    """What the database said about a visit just before it is written.

    `kiosk_recent` and `room_recent` are the visits already stored in the burst window
    (this one not included): of the same kiosk, and of the same room and channel. The
    counts may be capped at `BURST_COUNT_CAP`. `limits` are the thresholds in force.
    """

    channel: Channel
    now: datetime
    house_open: bool
    from_kiosk: bool = False
    kiosk_last_seen_at: datetime | None = None
    kiosk_recent: int = 0
    room_recent: int = 0
    limits: BurstLimits = DEFAULT_LIMITS


def suspicion(found: Circumstances) -> SuspicionReason | Literal[""]:
    """Why a visit is left out of the figures by default, or "" (DESIGN section 7).

    One reason per visit, the first that applies: outside opening hours, a QR check-in
    while its kiosk is silent, a burst of its kiosk, a burst of its room and channel.
    """
    if found.channel in NEVER_FLAGGED:
        return NOT_SUSPICIOUS
    if not found.house_open:
        return SuspicionReason.buiten_openingstijd
    if (
        found.channel == Channel.qr
        and found.from_kiosk
        and is_silent(found.kiosk_last_seen_at, found.now)
    ):
        return SuspicionReason.kiosk_stil
    if found.from_kiosk and found.kiosk_recent >= found.limits.kiosk:
        return SuspicionReason.piek
    if is_room_burst(found.channel, found.room_recent, found.limits):
        return room_burst_reason(found.channel)
    return NOT_SUSPICIOUS
