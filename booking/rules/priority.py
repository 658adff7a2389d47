"""Voorrang: who goes first, and until when a provisional booking can be displaced.

The window is measured in real time (a day is 24 hours, computed in UTC), so this module,
the scheduled confirmation job and a plain SQL filter ``start <= now + N days`` always
agree, also in the week of a DST change.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from booking.rules.messages import N_, Message
from booking.rules.slots import AMSTERDAM, as_utc, local_to_utc_lenient, require_aware
from booking.rules.statuses import BookingStatus, PriorityClass
from booking.rules.tariff import class_label

DISPLACEABLE_STATUSES: frozenset[BookingStatus] = frozenset(
    {BookingStatus.onder_voorbehoud, BookingStatus.aangevraagd}
)
"""Statuses a better class may take a slot from; a confirmed booking is never displaced."""


def _require_window(window_days: int) -> None:
    if window_days < 0:
        raise ValueError("window_days must not be negative")


def priority_window_closes_at(start: datetime, window_days: int) -> datetime:
    """The moment (UTC) from which the booking is inside the window and can be confirmed."""
    require_aware(start)
    _require_window(window_days)
    return as_utc(start) - timedelta(days=window_days)


def is_inside_window(start: datetime, now: datetime, window_days: int) -> bool:
    """Inside once ``start - now <= window_days``; a booking in the past is inside too."""
    require_aware(now)
    return as_utc(now) >= priority_window_closes_at(start, window_days)


def initial_status(
    priority_class: PriorityClass,
    start: datetime,
    now: datetime,
    window_days: int,
    requires_approval: bool,
) -> BookingStatus:
    """Status of a new booking: approval first, then class 1 and the window confirm at once."""
    if requires_approval:
        return BookingStatus.aangevraagd
    if PriorityClass(priority_class) is PriorityClass.DOOR_EN_VOOR_BEWONERS:
        return BookingStatus.bevestigd
    if is_inside_window(start, now, window_days):
        return BookingStatus.bevestigd
    return BookingStatus.onder_voorbehoud


def may_displace(
    new_class: PriorityClass,
    existing_class: PriorityClass,
    existing_status: BookingStatus,
    existing_start: datetime,
    now: datetime,
    window_days: int,
) -> bool:
    """Only a strictly better class displaces, and only a provisional booking outside the window.

    The window check is repeated here (not only trusted to the confirmation job) so that a
    job that runs late can never let a booking be displaced after its window closed.
    """
    return (
        BookingStatus(existing_status) in DISPLACEABLE_STATUSES
        and PriorityClass(new_class) < PriorityClass(existing_class)
        and not is_inside_window(existing_start, now, window_days)
    )


def displacement_reason(new_class: PriorityClass, existing_class: PriorityClass) -> Message:
    """Tell the displaced organiser why, in words that name both classes."""
    return Message(
        N_(
            "Verdrongen door een activiteit met voorrang (klasse %(new_class)s: "
            "%(new_class_label)s); uw boeking had klasse %(existing_class)s "
            "(%(existing_class_label)s) en lag nog buiten de voorrangstermijn."
        ),
        {
            "new_class": int(new_class),
            "new_class_label": class_label(new_class),
            "existing_class": int(existing_class),
            "existing_class_label": class_label(existing_class),
        },
    )


@dataclass(frozen=True)
class PriorityBlock:
    """A weekly voorrangsblok (weekday 0 = Monday, local wall clock) that only class 1 books."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) .. 6 (Sunday)")
        if self.start >= self.end:
            raise ValueError("a priority block ends after it starts, on the same day")

    def overlaps(self, start: datetime, end: datetime, tz: tzinfo = AMSTERDAM) -> bool:
        """True when any weekly occurrence of the block overlaps [start, end)."""
        start_utc, end_utc = as_utc(start), as_utc(end)
        return any(
            block_start < end_utc and start_utc < block_end
            for block_start, block_end in self._occurrences(start, end, tz)
        )

    def _occurrences(
        self, start: datetime, end: datetime, tz: tzinfo
    ) -> Iterator[tuple[datetime, datetime]]:
        """The block's occurrences (UTC) on each local day the booking touches."""
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            if day.weekday() == self.weekday:
                yield (
                    local_to_utc_lenient(datetime.combine(day, self.start), tz),
                    local_to_utc_lenient(datetime.combine(day, self.end), tz),
                )


def blocked_by_priority_block(
    priority_class: PriorityClass,
    start: datetime,
    end: datetime,
    blocks: Sequence[PriorityBlock],
    tz: tzinfo = AMSTERDAM,
) -> PriorityBlock | None:
    """The first block that keeps this booking out, or None; class 1 is never kept out."""
    require_aware(start, end)
    if PriorityClass(priority_class) is PriorityClass.DOOR_EN_VOOR_BEWONERS:
        return None
    return next((block for block in blocks if block.overlaps(start, end, tz)), None)
