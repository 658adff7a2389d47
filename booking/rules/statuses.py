"""The closed vocabularies of the booking domain, with the codes DESIGN and the API use.

Enums (not bare strings) so a typo in a status or tariff group fails at import time,
while the values stay the Dutch words and codes stored in the database and sent as JSON.
`LEGAL_MOVES` is the booking's state machine; the `Booking` model's methods walk it.
"""

from collections.abc import Mapping
from enum import IntEnum, StrEnum
from types import MappingProxyType


class BookingStatus(StrEnum):
    """Where a booking stands; the Dutch words are what beheerders and the API see."""

    aangevraagd = "aangevraagd"
    onder_voorbehoud = "onder_voorbehoud"
    bevestigd = "bevestigd"
    geannuleerd = "geannuleerd"
    verdrongen = "verdrongen"
    afgewezen = "afgewezen"


ACTIVE_STATUSES: frozenset[BookingStatus] = frozenset(
    {BookingStatus.aangevraagd, BookingStatus.onder_voorbehoud, BookingStatus.bevestigd}
)
"""Statuses that hold a room: two active bookings of one room may never overlap."""


class TariffGroup(StrEnum):
    """Tariefgroep: decides the price (T1 free residents' initiative ... T4 commercial)."""

    T1 = "T1"
    T2 = "T2"
    T3 = "T3"
    T4 = "T4"


class PriorityClass(IntEnum):
    """Voorrangsklasse: a lower number goes first, so comparisons read as "better than"."""

    DOOR_EN_VOOR_BEWONERS = 1
    MAATSCHAPPELIJK = 2
    REGULIER = 3
    COMMERCIEEL = 4


class OrganiserKind(StrEnum):
    """Who organises the activity, as answered in the booking questionnaire."""

    bewoners = "bewoners"
    vereniging = "vereniging"
    maatschappelijk = "maatschappelijk"
    sociale_onderneming = "sociale_onderneming"
    commercieel = "commercieel"
    gemeente = "gemeente"


LEGAL_MOVES: Mapping[BookingStatus, frozenset[BookingStatus]] = MappingProxyType(
    {
        BookingStatus.aangevraagd: frozenset(
            {
                BookingStatus.bevestigd,  # approved (inside the window, or class 1)
                BookingStatus.onder_voorbehoud,  # approved, still outside the window
                BookingStatus.afgewezen,  # rejected by a beheerder, or expired
                BookingStatus.geannuleerd,
                BookingStatus.verdrongen,
            }
        ),
        BookingStatus.onder_voorbehoud: frozenset(
            {
                BookingStatus.bevestigd,  # the window reached it, or an override to class 1
                BookingStatus.geannuleerd,
                BookingStatus.verdrongen,
            }
        ),
        BookingStatus.bevestigd: frozenset({BookingStatus.geannuleerd}),
        BookingStatus.geannuleerd: frozenset(),
        BookingStatus.verdrongen: frozenset(),
        BookingStatus.afgewezen: frozenset(),
    }
)
"""Which status may follow which: the state machine the `Booking` methods walk.

Cancelled, displaced and rejected are final: such a booking no longer holds the room,
and letting it back would bypass the overlap check that made room for someone else.
"""

TERMINAL_STATUSES: frozenset[BookingStatus] = frozenset(
    status for status, moves in LEGAL_MOVES.items() if not moves
)
"""The statuses nothing follows; exactly the statuses that are not active."""


def may_move(current: BookingStatus, target: BookingStatus) -> bool:
    """True when a booking in `current` may become `target` (a status never follows itself)."""
    return BookingStatus(target) in LEGAL_MOVES[BookingStatus(current)]


class AlternativeKind(StrEnum):
    """What a conflict answer offers instead (DESIGN section 4), in the order it is offered.

    The values are the `kind` of each alternative in the API's 409 answer.
    """

    zelfde_ruimte_ander_tijdstip = "zelfde_ruimte_ander_tijdstip"
    andere_ruimte = "andere_ruimte"
    ander_huis = "ander_huis"
