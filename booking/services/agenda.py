"""The public agenda of a house and of the whole municipality ("wat is er te doen").

Public, active bookings only, and only the columns a visitor may see: title, time, room,
house, area. Never the organiser, the on-behalf resident, a price or a tariff group. Each
page costs a constant number of queries however many houses there are: one for the
activities (booking ⋈ room ⋈ house ⋈ area), one for the house or the area list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from booking.errors import InvalidInput, NotFound
from booking.extensions import db
from booking.models import Area, Booking, House, Room
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import agenda
from booking.rules.agenda import AgendaDay, AgendaFilter, AgendaItem
from booking.rules.messages import Message
from booking.rules.slots import AMSTERDAM, local_to_utc_lenient
from booking.rules.statuses import PriorityClass
from booking.rules.text import has_unsafe_chars
from booking.urls import public_url

# A page a person reads, not a data dump: past 100 the visitor is asked to filter by wijk,
# day or kind (a municipality's fortnight can hold a thousand public activities; a list of
# a hundred is already several screens on a phone, and rendering more is what made the
# town page slow in bench/front_desk_bench.py).
MAX_ITEMS = 100
"""At most this many activities on one page; the page says when there were more."""


@dataclass(frozen=True)
class HouseAgenda:
    kind_labels: ClassVar[Mapping[agenda.AgendaKind, str]] = agenda.KIND_LABELS
    house: House
    first: date
    last: date
    days: list[AgendaDay]
    huiskamers: list[Room]
    truncated: bool
    json_ld: dict[int, dict[str, Any]]


@dataclass(frozen=True)
class TownAgenda:
    kind_labels: ClassVar[Mapping[agenda.AgendaKind, str]] = agenda.KIND_LABELS
    first: date
    last: date
    day_choices: list[date]
    areas: list[Area]
    chosen: AgendaFilter
    days: list[AgendaDay] = field(default_factory=list)
    truncated: bool = False
    json_ld: dict[int, dict[str, Any]] = field(default_factory=dict)
    problem_field: str = ""
    problem: Message | None = None


def _period(now: datetime) -> tuple[date, date, datetime, datetime]:
    first, last = agenda.period(now.astimezone(AMSTERDAM).date())
    start = local_to_utc_lenient(datetime.combine(first, time()))
    end = local_to_utc_lenient(datetime.combine(last + timedelta(days=1), time()))
    return first, last, start, end


def _items_query(start: datetime, end: datetime) -> Select:
    return (
        select(
            Booking.id,
            Booking.title,
            Booking.start,
            Booking.end,
            Booking.priority_class,
            Room.name,
            Room.is_huiskamer,
            House.slug,
            House.name,
            House.address,
            Area.name,
        )
        .join(Room, Room.id == Booking.room_id)
        .join(House, House.id == Room.house_id)
        .join(Area, Area.id == House.area_id)
        .where(
            Booking.public.is_(True),
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.start >= start,
            Booking.start < end,
        )
        .order_by(Booking.start, House.name, Booking.id)
        .limit(MAX_ITEMS + 1)
    )


def _items(query: Select) -> tuple[list[AgendaItem], bool]:
    rows = db.session.execute(query).all()
    items = [
        AgendaItem(
            booking_id=row[0],
            title=row[1],
            start=row[2],
            end=row[3],
            kind=agenda.kind_of(is_huiskamer=row[6], priority_class=row[4]),
            room_name=row[5],
            house_slug=row[7],
            house_name=row[8],
            house_address=row[9],
            area_name=row[10],
        )
        for row in rows[:MAX_ITEMS]
    ]
    return items, len(rows) > MAX_ITEMS


def _narrow_kind(query: Select, kind: agenda.AgendaKind | None) -> Select:
    """The kind in SQL too, so MAX_ITEMS counts only what the visitor asked for."""
    bewoners = int(PriorityClass.DOOR_EN_VOOR_BEWONERS)
    if kind is agenda.AgendaKind.huiskamer:
        return query.where(Room.is_huiskamer.is_(True))
    if kind is agenda.AgendaKind.bewoners:
        return query.where(Room.is_huiskamer.is_(False), Booking.priority_class == bewoners)
    if kind is agenda.AgendaKind.overig:
        return query.where(Room.is_huiskamer.is_(False), Booking.priority_class != bewoners)
    return query


def _json_ld(items: list[AgendaItem]) -> dict[int, dict[str, Any]]:
    """Each activity's schema.org Event; its url is the house's public page."""
    urls = {slug: public_url("public.house", slug=slug) for slug in {i.house_slug for i in items}}
    return {
        item.booking_id: agenda.event_json_ld(item, url=urls[item.house_slug], tz=AMSTERDAM)
        for item in items
    }


def house_agenda(slug: str, *, now: datetime) -> HouseAgenda:
    """A house's public page: its details and what is on this week and the next."""
    house = None
    if slug and len(slug) <= 80 and not has_unsafe_chars(slug):
        house = db.session.scalar(
            select(House)
            .where(House.slug == slug)
            .options(
                selectinload(House.area),
                selectinload(House.rooms),
                selectinload(House.opening_hours),
            )
        )
    if house is None:
        raise NotFound(slug)
    first, last, start, end = _period(now)
    items, truncated = _items(_items_query(start, end).where(House.id == house.id))
    return HouseAgenda(
        house=house,
        first=first,
        last=last,
        days=agenda.group_by_day(items, AMSTERDAM),
        huiskamers=[r for r in house.rooms if r.is_huiskamer and r.active],
        truncated=truncated,
        json_ld=_json_ld(items),
    )


def town_agenda(
    *, area: str | None, day: str | None, kind: str | None, now: datetime
) -> TownAgenda:
    """Every house's public activities, narrowed by the visitor's filters.

    A bad filter is not an error page: the result carries the problem, so the page can
    show the form again with the message next to the field (answered 400).
    """
    first, last, start, end = _period(now)
    areas = list(db.session.scalars(select(Area).order_by(Area.kind.desc(), Area.name)))
    base = {
        "first": first,
        "last": last,
        "day_choices": agenda.days_of(first, last),
        "areas": areas,
    }
    try:
        chosen = agenda.parse_filter(
            area=area,
            day=day,
            kind=kind,
            area_ids=[a.id for a in areas],
            first=first,
            last=last,
        )
    except InvalidInput as error:
        return TownAgenda(
            **base, chosen=AgendaFilter(), problem_field=error.field, problem=error.message
        )
    query = _items_query(start, end)
    if chosen.area_id is not None:
        query = query.where(House.area_id == chosen.area_id)
    if chosen.day is not None:
        query = query.where(
            Booking.start >= local_to_utc_lenient(datetime.combine(chosen.day, time())),
            Booking.start
            < local_to_utc_lenient(datetime.combine(chosen.day + timedelta(days=1), time())),
        )
    query = _narrow_kind(query, chosen.kind)
    items, truncated = _items(query)
    shown = [i for i in items if agenda.matches(i, chosen, AMSTERDAM)]
    return TownAgenda(
        **base,
        chosen=chosen,
        days=agenda.group_by_day(shown, AMSTERDAM),
        truncated=truncated,
        json_ld=_json_ld(shown),
    )
