"""The public agenda: which fortnight it shows, what kind an activity is, day by day.

Pure: the service (`services/agenda.py`) hands in plain rows and the current moment;
this module decides the period, parses the visitor's filters, labels and groups the
activities by Amsterdam day, and writes the schema.org `Event` of each activity. Nothing
here knows an organiser: the public agenda never shows who booked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from booking.errors import InvalidInput
from booking.rules.messages import N_, Message
from booking.rules.numbers import parse_whole_number
from booking.rules.statuses import PriorityClass

AGENDA_DAYS_AHEAD_WEEKS = 2
"""This week and the next: from today up to and including next week's Sunday."""


class AgendaKind(StrEnum):
    """The visitor's "soort" filter."""

    huiskamer = "huiskamer"  # in a house's huiskamer (the open living room)
    bewoners = "bewoners"  # door en voor bewoners: voorrangsklasse 1
    overig = "overig"  # every other public activity


KIND_LABELS: Mapping[AgendaKind, str] = {
    AgendaKind.huiskamer: N_("In de huiskamer"),
    AgendaKind.bewoners: N_("Door en voor bewoners"),
    AgendaKind.overig: N_("Andere activiteiten"),
}


def kind_of(*, is_huiskamer: bool, priority_class: int) -> AgendaKind:
    """The huiskamer wins: a residents' coffee morning there is a huiskamer activity."""
    if is_huiskamer:
        return AgendaKind.huiskamer
    if priority_class == PriorityClass.DOOR_EN_VOOR_BEWONERS:
        return AgendaKind.bewoners
    return AgendaKind.overig


@dataclass(frozen=True)
class AgendaItem:
    """One public activity, with nothing about who organises it."""

    booking_id: int
    title: str
    start: datetime  # aware, UTC
    end: datetime
    kind: AgendaKind
    room_name: str
    house_slug: str
    house_name: str
    house_address: str
    area_name: str


@dataclass(frozen=True)
class AgendaDay:
    day: date
    items: tuple[AgendaItem, ...]


def period(today: date) -> tuple[date, date]:
    """Today up to and including the Sunday of next week (both inclusive)."""
    last = today + timedelta(days=6 - today.weekday() + 7 * (AGENDA_DAYS_AHEAD_WEEKS - 1))
    return today, last


def days_of(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def group_by_day(items: Iterable[AgendaItem], tz: tzinfo) -> list[AgendaDay]:
    """Days that have activities, in order; an activity belongs to its local start day."""
    by_day: dict[date, list[AgendaItem]] = {}
    for item in sorted(items, key=lambda i: (i.start, i.house_name, i.booking_id)):
        by_day.setdefault(item.start.astimezone(tz).date(), []).append(item)
    return [AgendaDay(day, tuple(found)) for day, found in sorted(by_day.items())]


# The visitor's filters ------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaFilter:
    """What the "wat is er te doen" page is asked for; None means "all"."""

    area_id: int | None = None
    day: date | None = None
    kind: AgendaKind | None = None

    @property
    def active(self) -> bool:
        return self.area_id is not None or self.day is not None or self.kind is not None


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def parse_filter(
    *,
    area: str | None,
    day: str | None,
    kind: str | None,
    area_ids: Sequence[int],
    first: date,
    last: date,
) -> AgendaFilter:
    """The GET parameters `wijk`, `dag` and `soort`; a bad one raises InvalidInput."""
    area_id = None
    if not _blank(area):
        assert area is not None
        area_id = parse_whole_number(area.strip())
        if area_id is None or area_id not in area_ids:
            raise InvalidInput("wijk", Message(N_("Deze wijk of kern kennen we niet.")))
    chosen_day = None
    if not _blank(day):
        assert day is not None
        try:
            chosen_day = date.fromisoformat(day.strip())
        except ValueError:
            raise InvalidInput(
                "dag", Message(N_("Dit is geen geldige datum; gebruik jjjj-mm-dd."))
            ) from None
        if not first <= chosen_day <= last:
            raise InvalidInput(
                "dag",
                Message(
                    N_("Kies een dag tussen %(first)s en %(last)s."),
                    {"first": first.isoformat(), "last": last.isoformat()},
                ),
            )
    chosen_kind = None
    if not _blank(kind):
        assert kind is not None
        if kind.strip() not in AgendaKind.__members__:
            raise InvalidInput(
                "soort",
                Message(N_("Kies als soort: huiskamer, bewoners of overig.")),
            )
        chosen_kind = AgendaKind(kind.strip())
    return AgendaFilter(area_id, chosen_day, chosen_kind)


def matches(item: AgendaItem, chosen: AgendaFilter, tz: tzinfo) -> bool:
    """Day and kind are judged here; the area is already narrowed in the query."""
    if chosen.day is not None and item.start.astimezone(tz).date() != chosen.day:
        return False
    return chosen.kind is None or item.kind is chosen.kind


# schema.org -------------------------------------------------------------------------------


def event_json_ld(item: AgendaItem, *, url: str, tz: tzinfo) -> dict[str, Any]:
    """A schema.org `Event` for one activity; its place is the house, never a person.

    Written into the page with Jinja's `tojson`, which escapes `<`, `>`, `&` and `'`, so a
    title holding `</script>` cannot end the script element.
    """
    place: dict[str, Any] = {"@type": "Place", "name": f"{item.house_name}, {item.room_name}"}
    if item.house_address:
        place["address"] = item.house_address
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": item.title,
        "startDate": item.start.astimezone(tz).isoformat(),
        "endDate": item.end.astimezone(tz).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "url": url,
    }
