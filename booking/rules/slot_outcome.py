"""What the calendar says about one date of a quote: free, displaces, taken, or provisional.

Pure: the service hands in the active bookings that overlap the date (as `Occupant`s) and
the rule problems of the slot; this module decides the outcome with the voorrang rules of
rules/priority.py, so the quote and the booking itself can never disagree.

Outcomes, in order of precedence:

- ``niet_mogelijk``: the slot breaks a rule of the house (closed, too long, …);
- ``bezet``: a booking is in the way that may not be displaced;
- ``verdringt``: only provisional bookings of a lower class are in the way, outside their
  voorrangstermijn: booking displaces them (they are named, with the rule);
- ``onder_voorbehoud``: free, and the new booking itself stays provisional until its
  voorrangstermijn begins (``provisional_until``);
- ``vrij``: free, and the booking is confirmed at once (or, for a room that needs approval,
  waits for the beheerder's decision like any request).

A ``verdringt`` outcome also carries ``provisional_until`` when the new booking would itself
be provisional.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from booking.rules.messages import N_, Message
from booking.rules.priority import may_displace, priority_window_closes_at
from booking.rules.slots import AMSTERDAM, as_utc, require_aware
from booking.rules.statuses import BookingStatus, PriorityClass
from booking.rules.tariff import class_label


class OutcomeKind(StrEnum):
    vrij = "vrij"
    onder_voorbehoud = "onder_voorbehoud"
    verdringt = "verdringt"
    bezet = "bezet"
    niet_mogelijk = "niet_mogelijk"


BOOKABLE_KINDS = frozenset({OutcomeKind.vrij, OutcomeKind.onder_voorbehoud, OutcomeKind.verdringt})


@dataclass(frozen=True)
class Occupant:
    """An active booking that overlaps the date, as far as the rules need to know it."""

    booking_id: int
    start: datetime
    end: datetime
    status: BookingStatus
    priority_class: PriorityClass
    window_days: int
    """Its own voorrangstermijn, frozen when it was booked."""


@dataclass(frozen=True)
class SlotOutcome:
    """The calendar's answer for one date of a quote."""

    kind: OutcomeKind
    start: datetime
    end: datetime
    displaced: tuple[Occupant, ...] = ()
    blocking: tuple[Occupant, ...] = ()
    provisional_until: datetime | None = None
    reasons: tuple[Message, ...] = ()

    @property
    def bookable(self) -> bool:
        return self.kind in BOOKABLE_KINDS


def overlaps(occupant: Occupant, start: datetime, end: datetime) -> bool:
    return occupant.start < end and start < occupant.end


def classify(
    start: datetime,
    end: datetime,
    *,
    new_class: PriorityClass,
    new_status: BookingStatus,
    occupants: Sequence[Occupant],
    now: datetime,
    window_days: int,
    problems: Sequence[Message] = (),
) -> SlotOutcome:
    """The outcome of booking [start, end) with `new_class` and `new_status`.

    `occupants` may hold bookings of other dates too: only those overlapping the slot count.
    `window_days` is the new booking's voorrangstermijn (until when it would be provisional);
    whether an occupant may be displaced is judged by its own, frozen one.
    """
    require_aware(start, end, now)
    if problems:
        return SlotOutcome(OutcomeKind.niet_mogelijk, start, end, reasons=tuple(problems))
    in_the_way = sorted(
        (o for o in occupants if overlaps(o, start, end)), key=lambda o: (o.start, o.booking_id)
    )
    displaced, blocking = [], []
    for other in in_the_way:
        if may_displace(
            new_class, other.priority_class, other.status, other.start, now, other.window_days
        ):
            displaced.append(other)
        else:
            blocking.append(other)
    provisional_until = (
        priority_window_closes_at(start, window_days)
        if BookingStatus(new_status) is BookingStatus.onder_voorbehoud
        else None
    )
    if blocking:
        return SlotOutcome(
            OutcomeKind.bezet,
            start,
            end,
            blocking=tuple(blocking),
            reasons=(Message(N_("De ruimte is dan al bezet.")),),
        )
    if displaced:
        return SlotOutcome(
            OutcomeKind.verdringt,
            start,
            end,
            displaced=tuple(displaced),
            provisional_until=provisional_until,
            reasons=tuple(displacement_rule(new_class, o) for o in displaced),
        )
    if provisional_until is not None:
        return SlotOutcome(
            OutcomeKind.onder_voorbehoud, start, end, provisional_until=provisional_until
        )
    return SlotOutcome(OutcomeKind.vrij, start, end)


def displacement_rule(new_class: PriorityClass, other: Occupant) -> Message:
    """Why booking would displace `other`: the voorrang rule, in words that name both classes."""
    return Message(
        N_(
            "Uw activiteit heeft voorrang (klasse %(new_class)s: %(new_class_label)s) boven "
            "deze boeking (klasse %(other_class)s: %(other_class_label)s). Die staat nog onder "
            "voorbehoud: de voorrangstermijn begint pas op %(window_date)s."
        ),
        {
            "new_class": int(new_class),
            "new_class_label": class_label(new_class),
            "other_class": int(other.priority_class),
            "other_class_label": class_label(other.priority_class),
            "window_date": local_date(priority_window_closes_at(other.start, other.window_days)),
        },
    )


def local_date(moment: datetime) -> str:
    """The local (Europe/Amsterdam) date of a moment, ISO: a `_date` param of a Message."""
    return moment.astimezone(AMSTERDAM).date().isoformat()


def summary(outcome: SlotOutcome) -> Message:
    """The short label of an outcome, as a list of dates shows it."""
    if outcome.kind is OutcomeKind.vrij:
        return Message(N_("vrij"))
    if outcome.kind is OutcomeKind.onder_voorbehoud:
        assert outcome.provisional_until is not None
        return Message(
            N_("vrij, onder voorbehoud tot %(until_date)s"),
            {"until_date": local_date(outcome.provisional_until)},
        )
    if outcome.kind is OutcomeKind.verdringt:
        return Message(
            N_("verdringt %(count)s voorlopige boeking(en)"), {"count": len(outcome.displaced)}
        )
    if outcome.kind is OutcomeKind.bezet:
        return Message(N_("bezet"))
    return Message(N_("niet mogelijk"))


def fingerprint(outcomes: Sequence[SlotOutcome]) -> str:
    """A short digest of what a quote showed: every date, its kind and the bookings named.

    Equal digests mean booking now does exactly what the quote said; anything else that
    changed in the calendar (a new booking in the way, one that was confirmed or cancelled)
    changes the digest.
    """
    parts = [
        "|".join(
            (
                as_utc(o.start).isoformat(),
                as_utc(o.end).isoformat(),
                o.kind.value,
                ",".join(str(d.booking_id) for d in o.displaced),
                ",".join(str(b.booking_id) for b in o.blocking),
                "" if o.provisional_until is None else as_utc(o.provisional_until).isoformat(),
            )
        )
        for o in outcomes
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
