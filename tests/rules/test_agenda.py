"""The pure rules of the public agenda: period, kinds, grouping, filters, schema.org."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from booking.errors import InvalidInput
from booking.rules import agenda
from booking.rules.agenda import AgendaFilter, AgendaItem, AgendaKind
from booking.rules.slots import AMSTERDAM


def _item(n: int, start: datetime, *, kind: AgendaKind = AgendaKind.overig, **kw) -> AgendaItem:
    values = {
        "booking_id": n,
        "title": f"Activiteit {n}",
        "start": start,
        "end": start.replace(hour=start.hour + 2),
        "kind": kind,
        "room_name": "Zaal",
        "house_slug": "de-berchplaets",
        "house_name": "De Berchplaets",
        "house_address": "Kerkstraat 10",
        "area_name": "Berghem",
    }
    values.update(kw)
    return AgendaItem(**values)


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (date(2026, 11, 30), date(2026, 12, 13)),  # a Monday: two full weeks
        (date(2026, 12, 2), date(2026, 12, 13)),  # a Wednesday
        (date(2026, 12, 6), date(2026, 12, 13)),  # a Sunday: today and next week
    ],
)
def test_period_is_this_week_and_the_next(today, last):
    assert agenda.period(today) == (today, last)
    assert agenda.days_of(*agenda.period(today))[-1].weekday() == 6


def test_kind_huiskamer_wins_then_priority_class_one():
    assert agenda.kind_of(is_huiskamer=True, priority_class=1) is AgendaKind.huiskamer
    assert agenda.kind_of(is_huiskamer=True, priority_class=4) is AgendaKind.huiskamer
    assert agenda.kind_of(is_huiskamer=False, priority_class=1) is AgendaKind.bewoners
    for other in (2, 3, 4):
        assert agenda.kind_of(is_huiskamer=False, priority_class=other) is AgendaKind.overig
    assert set(agenda.KIND_LABELS) == set(AgendaKind)


def test_grouped_by_amsterdam_day_in_order():
    late = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)  # 00:30 on 3 December in Amsterdam
    early = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    later = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    days = agenda.group_by_day(
        [_item(1, late.replace(hour=21)), _item(2, later), _item(3, early)], AMSTERDAM
    )
    assert [d.day for d in days] == [date(2026, 12, 2)]
    assert [i.booking_id for i in days[0].items] == [3, 2, 1]
    night = agenda.group_by_day(
        [AgendaItem(**{**_item(4, early).__dict__, "start": late, "end": late})], AMSTERDAM
    )
    assert night[0].day == date(2026, 12, 3)


FIRST, LAST = date(2026, 12, 2), date(2026, 12, 13)


def _parse(**kw) -> AgendaFilter:
    values = {"area": None, "day": None, "kind": None}
    values.update(kw)
    return agenda.parse_filter(**values, area_ids=[3, 7], first=FIRST, last=LAST)


def test_parse_filter_accepts_good_values_and_blanks():
    assert _parse() == AgendaFilter() and not _parse().active
    assert _parse(area=" ", day="", kind="") == AgendaFilter()
    chosen = _parse(area="7", day="2026-12-13", kind="bewoners")
    assert chosen == AgendaFilter(7, date(2026, 12, 13), AgendaKind.bewoners) and chosen.active


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("wijk", {"area": "5"}),
        ("wijk", {"area": "-3"}),
        ("wijk", {"area": "٣"}),  # an Arabic-Indic three
        ("wijk", {"area": "9" * 30}),
        ("dag", {"day": "13-12-2026"}),
        ("dag", {"day": "2026-12-01"}),  # yesterday
        ("dag", {"day": "2026-12-14"}),  # after next week
        ("soort", {"kind": "Huiskamer"}),
        ("soort", {"kind": "__class__"}),
    ],
)
def test_parse_filter_refuses_bad_values(field, values):
    with pytest.raises(InvalidInput) as caught:
        _parse(**values)
    assert caught.value.field == field


def test_matches_day_and_kind():
    item = _item(1, datetime(2026, 12, 4, 9, tzinfo=UTC), kind=AgendaKind.huiskamer)
    assert agenda.matches(item, AgendaFilter(), AMSTERDAM)
    assert agenda.matches(item, AgendaFilter(day=date(2026, 12, 4)), AMSTERDAM)
    assert not agenda.matches(item, AgendaFilter(day=date(2026, 12, 5)), AMSTERDAM)
    assert not agenda.matches(item, AgendaFilter(kind=AgendaKind.bewoners), AMSTERDAM)


def test_event_json_ld_has_place_and_local_times_but_no_person():
    item = _item(1, datetime(2026, 12, 4, 9, tzinfo=UTC))
    data = agenda.event_json_ld(item, url="https://buurthuis.example/huizen/x", tz=AMSTERDAM)
    assert data["@type"] == "Event" and data["@context"] == "https://schema.org"
    assert data["startDate"] == "2026-12-04T10:00:00+01:00"
    assert data["endDate"] == "2026-12-04T12:00:00+01:00"
    assert data["location"] == {
        "@type": "Place",
        "name": "De Berchplaets, Zaal",
        "address": "Kerkstraat 10",
    }
    assert "organizer" not in data and "performer" not in data
    json.dumps(data)  # plain JSON
    bare = agenda.event_json_ld(
        _item(2, datetime(2026, 12, 4, 9, tzinfo=UTC), house_address=""), url="u", tz=AMSTERDAM
    )
    assert "address" not in bare["location"]
