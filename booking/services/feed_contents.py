"""What a feed or a download holds, written as iCalendar text.

The scope's permission was checked when the target was resolved (`services/feeds.py`);
this module picks the bookings the scope may show and hands them to `services/calendar.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import force_locale
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from booking.errors import InvalidInput
from booking.extensions import db
from booking.models import Booking, FeedToken, Room
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import dates
from booking.rules.messages import N_, Message
from booking.rules.slots import AMSTERDAM, local_to_utc_lenient
from booking.services.availability import LONGEST_BOOKING
from booking.services.calendar import build_calendar
from booking.services.feeds import (
    CANCELLED_SHOWN_FOR,
    DETAIL,
    MAX_DOWNLOAD_DAYS,
    WINDOW_AHEAD,
    WINDOW_BACK,
    Scope,
    Target,
    describe,
    target_of,
)


def bookings_for(target: Target, start: datetime, end: datetime, *, now: datetime) -> list[Booking]:
    """Bookings of the target overlapping [start, end) that its scope may show.

    Active bookings always; cancelled, displaced and rejected ones only if they changed in
    the last CANCELLED_SHOWN_FOR and never in the public agenda.
    """
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .options(
            selectinload(Booking.room).selectinload(Room.house),
            selectinload(Booking.organiser),
            selectinload(Booking.series),
        )
        .where(Booking.start < end, Booking.start > start - LONGEST_BOOKING, Booking.end > start)
        .order_by(Booking.start, Booking.id)
    )
    active = Booking.status.in_(ACTIVE_STATUS_VALUES)
    if target.scope is Scope.public:
        query = query.where(active, Booking.public.is_(True))
    else:
        query = query.where(or_(active, Booking.updated_at >= now - CANCELLED_SHOWN_FOR))
    if target.scope is Scope.mine:
        query = query.where(Booking.organiser_id == target.owner.id)
    elif target.scope is Scope.room:
        assert target.room is not None
        query = query.where(Booking.room_id == target.room.id)
    else:
        assert target.house is not None
        query = query.where(Room.house_id == target.house.id)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    last_modified: datetime


def _render(
    target: Target, found: list[Booking], *, empty_range: tuple[date, date], series_as_rules: bool
) -> bytes:
    with force_locale(target.owner.locale or "nl"):
        name = describe(target)
        return build_calendar(
            f"{name} · Buurthuis",
            found,
            detail=DETAIL[target.scope],
            empty_range=empty_range,
            series_as_rules=series_as_rules,
        )


def render_feed(feed: FeedToken, *, now: datetime) -> RenderedFeed | None:
    """The feed's calendar from 31 days back to 400 days ahead, or None if it is gone."""
    target = target_of(feed)
    if target is None:
        return None
    start, end = now - WINDOW_BACK, now + WINDOW_AHEAD
    found = bookings_for(target, start, end, now=now)
    body = _render(
        target,
        found,
        series_as_rules=True,
        empty_range=(start.astimezone(AMSTERDAM).date(), end.astimezone(AMSTERDAM).date()),
    )
    changed = [b.updated_at or b.created_at for b in found]
    for booking in found:
        if booking.series is not None:  # a folded series carries all its rows
            changed.extend(b.updated_at or b.created_at for b in booking.series.bookings)
    return RenderedFeed(body, max([feed.created_at, *changed]).astimezone(UTC))


def parse_period(first: object, last: object) -> tuple[date, date]:
    """The download period `van`..`tot` (ISO dates, both inclusive), at most 400 days."""
    days = []
    for field, value in (("van", first), ("tot", last)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(field, Message(N_("Vul een datum in (jjjj-mm-dd).")))
        try:
            days.append(date.fromisoformat(value.strip()))
        except ValueError:
            raise InvalidInput(
                field, Message(N_("Dit is geen geldige datum; gebruik jjjj-mm-dd."))
            ) from None
        if not dates.in_range(days[-1]):
            raise InvalidInput(field, dates.OUT_OF_RANGE)
    if days[1] < days[0]:
        raise InvalidInput("tot", Message(N_("De einddatum ligt vóór de begindatum.")))
    if (days[1] - days[0]).days + 1 > MAX_DOWNLOAD_DAYS:
        raise InvalidInput(
            "tot",
            Message(
                N_("Kies een periode van hoogstens %(max)s dagen."), {"max": MAX_DOWNLOAD_DAYS}
            ),
        )
    return days[0], days[1]


def render_period(target: Target, first: date, last: date, *, now: datetime) -> bytes:
    """A one-off .ics of the local days first..last, both inclusive.

    Series are written as single events here: an RRULE would reach outside the period
    the user chose.
    """
    start = local_to_utc_lenient(datetime.combine(first, time()))
    end = local_to_utc_lenient(datetime.combine(last + timedelta(days=1), time()))
    found = bookings_for(target, start, end, now=now)
    return _render(target, found, series_as_rules=False, empty_range=(first, last))
