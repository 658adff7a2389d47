"""The closed vocabularies of the booking domain, with the codes DESIGN and the API use.

Enums (not bare strings) so a typo in a status or tariff group fails at import time,
while the values stay the Dutch words and codes stored in the database and sent as JSON.
"""

from enum import IntEnum, StrEnum


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
