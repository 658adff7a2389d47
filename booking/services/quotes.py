"""Judging a slot: what a booking would cost, which status it would get, what stands in the way.

One judgement serves three callers, so they can never disagree: the quote a booker sees
before confirming, a single booking, and each occurrence of a series.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.errors import NotFound
from booking.extensions import db
from booking.models import House, Room
from booking.rules import horizon, slots
from booking.rules.messages import N_, WEEKDAY_LABELS, Message
from booking.rules.pricing import Price, quote_price
from booking.rules.priority import blocked_by_priority_block, initial_status
from booking.rules.statuses import BookingStatus
from booking.rules.tariff import Activity, TariffDecision, decide_tariff
from booking.services.house_rules import RoomRules, rules_for


@dataclass(frozen=True)
class QuoteResult:
    """The server's judgement of one slot; `problems` empty means it may be booked."""

    room: Room
    start: datetime
    end: datetime
    decision: TariffDecision
    price: Price
    status: BookingStatus
    problems: list[Message]
    voorrangstermijn_days: int
    request_expiry_days: int


def load_room(room_id: int) -> Room:
    """A room that takes bookings; an unknown or inactive one is not found."""
    room = db.session.get(Room, room_id)
    if room is None or not room.active:
        raise NotFound(room_id)
    return room


def quote(
    room_id: int, start: datetime, end: datetime, activity: Activity, *, now: datetime
) -> QuoteResult:
    """What a booking would cost and why, computed by the server before the booker confirms."""
    return judge(load_room(room_id), start, end, activity, now)


def judge(
    room: Room, start: datetime, end: datetime, activity: Activity, now: datetime
) -> QuoteResult:
    """Tariff group, class, price, initial status and every rule the slot breaks."""
    rules = rules_for(room)
    decision = decide_tariff(activity, rules.policy.contribution_cap_cents)
    problems = _problems(rules, start, end, decision, now)
    price = (
        quote_price(rules.rate_card, decision.tariff_group, start, end)
        if end > start
        else Price(0, 0, 0)
    )
    status = initial_status(
        decision.priority_class,
        start,
        now,
        rules.policy.voorrangstermijn_days,
        room.requires_approval,
    )
    return QuoteResult(
        room,
        start,
        end,
        decision,
        price,
        status,
        problems,
        rules.policy.voorrangstermijn_days,
        rules.policy.request_expiry_days,
    )


HOUSE_INACTIVE = Message(
    N_("Dit huis neemt geen boekingen meer aan. Zoek een ruimte in een ander huis.")
)


def horizon_months(house: House) -> int:
    """How many months ahead the house takes bookings (DESIGN section 13)."""
    return house.booking_horizon_months or horizon.DEFAULT_MONTHS


def _problems(
    rules: RoomRules, start: datetime, end: datetime, decision: TariffDecision, now: datetime
) -> list[Message]:
    problems = slots.check_slot(
        start,
        end,
        opening=rules.opening,
        closures=rules.closures(start, end),
        limits=rules.limits,
        now=now,
    )
    if not rules.house.active:  # deactivated by the gemeente (services/gemeente/houses.py)
        problems.insert(0, HOUSE_INACTIVE)
    late = horizon.beyond_horizon(end, now, horizon_months(rules.house))
    if late is not None:
        problems.append(late)
    if end > start:
        block = blocked_by_priority_block(
            decision.priority_class, start, end, rules.blocks_on(start)
        )
        if block:
            problems.append(
                Message(
                    N_(
                        "Deze tijd is een voorrangsblok (%(weekday_label)s %(start)s–%(end)s): "
                        "alleen activiteiten door en voor bewoners kunnen dan boeken."
                    ),
                    {
                        "weekday_label": WEEKDAY_LABELS[block.weekday],
                        "start": block.start.strftime("%H:%M"),
                        "end": block.end.strftime("%H:%M"),
                    },
                )
            )
    return problems
