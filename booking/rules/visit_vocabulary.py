"""The closed vocabulary of a visit: how it came in, what was answered, why it is flagged.

Each value is stored in the `visit` table (and in the daily roll-ups) and shown in the
exports, so the values never change: a new member is a new word, never a renamed one.
Being StrEnums, the members equal their stored strings, so a row read back as a plain
`str` compares equal to its member. The CHECK constraints `ck_visit_channel` and
`ck_visit_age_group` are written from `Channel` and `AgeGroup` (booking/models/kiosk.py).
"""

from enum import StrEnum
from types import MappingProxyType


class Channel(StrEnum):
    """How a visit was counted (DESIGN section 6); the order is the order of the reports."""

    qr = "qr"  # a phone scanned the tablet's changing QR code
    tablet = "tablet"  # an *Ik ben er* tap on the huiskamer tablet
    tally = "tally"  # the host counted a group (+1 or +N)
    poster = "poster"  # a phone scanned a room's printed poster
    kaart = "kaart"  # the tablet read an anonymous printed visitor card


CHANNELS: tuple[Channel, ...] = tuple(Channel)
"""Every channel in the order of the reports (and of the CHECK constraint's values)."""

PHONE_CHANNELS = frozenset({Channel.qr, Channel.poster})
"""The channels a phone checks in through: only these visits are asked the optional
questions."""

RECOGNISED_CHANNELS = frozenset({Channel.qr, Channel.poster, Channel.kaart})
"""The channels whose visits carry a keyed hash (of a phone's cookie or of a card's code),
so distinct and returning visitors can be counted without knowing anyone."""


class AreaAnswer(StrEnum):
    """The answers to "Uit welke wijk of kern komt u?" that are not an area of the list.

    Stored in `visit.area_answer`; an area from the list is stored as `visit.area_id`.
    """

    elders = "elders"  # from outside the municipality's areas
    geen_antwoord = "geen_antwoord"  # "zeg ik liever niet"


class AgeGroup(StrEnum):
    """The answers to "Hoe oud bent u?", stored in `visit.age_group`.

    "Zeg ik liever niet" is an answer of its own, distinct from not answering (NULL).
    """

    tot_18 = "0-17"
    van_18_tot_30 = "18-29"
    van_30_tot_50 = "30-49"
    van_50_tot_67 = "50-66"
    vanaf_67 = "67+"
    geen_antwoord = "geen_antwoord"


AGE_GROUPS: tuple[AgeGroup, ...] = tuple(AgeGroup)


class FirstTimeAnswer(StrEnum):
    """The answers to "Bent u hier voor het eerst?"; stored as `visit.first_time`, a bool."""

    ja = "ja"
    nee = "nee"


class SuspicionReason(StrEnum):
    """Why a visit is flagged and left out of the default figures (booking/rules/visits.py).

    Stored in `visit.suspicious_reason`; a visit that is not suspicious stores "".
    """

    buiten_openingstijd = "buiten_openingstijd"  # the house was closed
    kiosk_stil = "kiosk_stil"  # a QR check-in while its tablet showed no fresh code
    piek = "piek"  # a burst of one kiosk
    piek_ruimte_qr = "piek_ruimte_qr"  # a burst of QR check-ins in one room
    piek_ruimte_tablet = "piek_ruimte_tablet"  # a burst of taps in one room
    piek_ruimte_poster = "piek_ruimte_poster"  # a burst of poster check-ins in one room
    piek_ruimte_kaart = "piek_ruimte_kaart"  # a burst of card reads in one room
    kaart_onbekend = "kaart_onbekend"  # a card this house never printed
    kaart_geblokkeerd = "kaart_geblokkeerd"  # a card that was blocked (lost or misused)


ROOM_BURST_REASONS = MappingProxyType(
    {
        Channel.qr: SuspicionReason.piek_ruimte_qr,
        Channel.tablet: SuspicionReason.piek_ruimte_tablet,
        Channel.poster: SuspicionReason.piek_ruimte_poster,
        Channel.kaart: SuspicionReason.piek_ruimte_kaart,
    }
)
"""The reason of a burst per room and channel, for every channel that has a limit."""
