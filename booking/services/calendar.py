"""iCalendar (RFC 5545) text for feeds, downloads and mail attachments (DESIGN section 8).

Pure apart from reading the bookings' relationships and building absolute links: the
caller decides which bookings belong in a calendar and how much of them it may show
(`Detail`); this module only decides how they are written.

Text from the database goes out through `printable_text`: RFC 5545 allows no control
characters in TEXT values, and a row written before (or around) the edge's text rule must
not break a subscriber's calendar.

Everything written must be a function of the stored data alone, never of the clock: a
subscription feed is answered with 304 when its ETag (a hash of the body) is unchanged,
so DTSTAMP is the booking's `updated_at`, not "now".

A series goes out as one VEVENT with RRULE and EXDATEs only when that describes the
stored occurrences exactly (STACK.md section 4); anything a client would expand
differently from what is booked falls back to one VEVENT per occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from booking.i18n import status_label
from booking.models import Booking, BookingSeries
from booking.rules.slots import AMSTERDAM
from booking.rules.statuses import BookingStatus
from booking.rules.text import printable_text
from booking.services.calendar_series import TZID, SeriesPlan, ambiguous, series_plan
from booking.urls import public_url

PRODID = "-//Buurthuis//Ruimtes boeken in wijk- en dorpshuizen//NL"
UID_DOMAIN = "buurthuis"
REFRESH = timedelta(hours=1)

ICAL_STATUS: dict[str, str] = {
    BookingStatus.aangevraagd.value: "TENTATIVE",
    BookingStatus.onder_voorbehoud.value: "TENTATIVE",
    BookingStatus.bevestigd.value: "CONFIRMED",
    BookingStatus.geannuleerd.value: "CANCELLED",
    BookingStatus.verdrongen.value: "CANCELLED",
    BookingStatus.afgewezen.value: "CANCELLED",
}


class Detail(StrEnum):
    """How much of a booking a calendar may show; each feed scope maps to one of these."""

    staff = "staff"
    """House and room feeds: staff of the house, so organiser name and e-mail too."""
    own = "own"
    """The organiser's own bookings ("mine", mail attachments): no one else's data."""
    public = "public"
    """The public agenda of a house: title, time and place, nothing about the organiser."""


# Events ------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    """Amsterdam time for DTSTART/DTEND; UTC for the second pass of the autumn hour.

    A TZID wall-clock time that happens twice means its first occurrence (RFC 5545
    section 3.3.5), so a booking in the repeated hour is only exact in UTC.
    """
    local = moment.astimezone(AMSTERDAM)
    if local.fold == 1 and ambiguous(local.replace(tzinfo=None)):
        return moment.astimezone(UTC)
    return local


def _location(booking: Booking) -> str:
    return printable_text(f"{booking.room.name}, {booking.room.house.name}")


def _description(booking: Booking, detail: Detail) -> str | None:
    if detail is Detail.public:
        return None
    lines = [_("Status: %(status)s", status=status_label(booking.status))]
    if detail is Detail.staff:
        organiser = booking.organiser
        lines.insert(0, _("Organisator: %(name)s", name=organiser.name))
        if organiser.organisation:
            lines.insert(1, _("Organisatie: %(organisation)s", organisation=organiser.organisation))
        lines.insert(1, _("E-mail: %(email)s", email=organiser.email))
    return printable_text("\n".join(lines), multiline=True)


def _url(booking: Booking, detail: Detail) -> str:
    """Staff and organisers go to the booking; the public to the house (the booking is 404)."""
    if detail is Detail.public:
        return public_url("public.house", slug=booking.room.house.slug)
    return public_url("rooms.my_booking", booking_id=booking.id)


def _event(
    booking: Booking,
    detail: Detail,
    *,
    uid: str,
    start: datetime,
    end: datetime,
    status: str,
    sequence: int,
    modified: datetime,
    stamp: datetime | None,
) -> Event:
    """The properties every VEVENT carries, from the booking that stands for it."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", (stamp or modified).astimezone(UTC))
    event.add("last-modified", modified.astimezone(UTC))
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", printable_text(booking.title))
    event.add("location", _location(booking))
    event.add("status", ICAL_STATUS[status])
    if detail is not Detail.public:
        event.add("class", "PUBLIC" if booking.public else "PRIVATE")
    description = _description(booking, detail)
    if description:
        event.add("description", description)
    event.add("url", _url(booking, detail))
    return event


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.id}@{UID_DOMAIN}"


def series_uid(series: BookingSeries) -> str:
    return f"series-{series.id}@{UID_DOMAIN}"


def single_event(booking: Booking, detail: Detail, *, stamp: datetime | None = None) -> Event:
    return _event(
        booking,
        detail,
        uid=booking_uid(booking),
        start=_local(booking.start),
        end=_local(booking.end),
        status=booking.status,
        sequence=booking.sequence or 0,
        modified=booking.updated_at or booking.created_at or datetime.now(UTC),
        stamp=stamp,
    )


def series_event(plan: SeriesPlan, detail: Detail) -> Event:
    """One VEVENT for the series; SEQUENCE is the sum over its rows, so any change raises it."""
    rows = plan.series.bookings
    first = plan.active[0]
    event = _event(
        first,
        detail,
        uid=series_uid(plan.series),
        start=plan.start,
        end=plan.end,
        status=first.status,
        sequence=sum(b.sequence or 0 for b in rows),
        modified=max(b.updated_at or b.created_at for b in rows),
        stamp=None,
    )
    event.add("rrule", plan.rule)
    for exdate in plan.exdates:
        event.add("exdate", exdate)
    return event


# Calendars ---------------------------------------------------------------------------


def _new_calendar(name: str | None) -> Calendar:
    """The calendar properties; a name and refresh hints only for calendars one subscribes to.

    A mail attachment gets neither: with X-WR-CALNAME some clients offer to create a new
    calendar for a single event instead of adding it to the user's own.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name is not None:
        cal.add("x-wr-calname", printable_text(name))
        cal.add("x-wr-timezone", TZID)
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    return cal


def _add_timezone(cal: Calendar, first: date, last: date) -> None:
    """A VTIMEZONE covering only the events' dates: the default range writes ~3 KB."""
    if cal.get_missing_tzids():
        cal.add_missing_timezones(first_date=first, last_date=last)
    if not cal.timezones:
        cal.subcomponents.insert(0, Timezone.from_tzid(TZID, first_date=first, last_date=last))


@dataclass
class _Span:
    first: date | None = None
    last: date | None = None

    def cover(self, start: datetime, end: datetime) -> None:
        a, b = start.astimezone(AMSTERDAM).date(), end.astimezone(AMSTERDAM).date()
        self.first = a if self.first is None else min(self.first, a)
        self.last = b if self.last is None else max(self.last, b)


def build_calendar(
    name: str,
    bookings: Iterable[Booking],
    *,
    detail: Detail,
    empty_range: tuple[date, date],
    series_as_rules: bool = True,
) -> bytes:
    """The calendar of the given bookings, with series folded into RRULEs where exact.

    `bookings` is what the caller may show; a series is folded only when the rule is exact
    (which also means every active row shares room, organiser and public flag, so nothing
    of a row outside the caller's selection can appear). `empty_range` sets the VTIMEZONE
    range when there are no events.
    """
    cal = _new_calendar(name)
    events: list[tuple[datetime, str, Event]] = []
    span = _Span()
    singles: list[Booking] = []
    by_series: dict[int, list[Booking]] = {}
    for booking in bookings:
        if booking.series_id is not None and series_as_rules:
            by_series.setdefault(booking.series_id, []).append(booking)
        else:
            singles.append(booking)
    for rows in by_series.values():
        plan = series_plan(rows[0].series)  # type: ignore[arg-type]
        if plan is None:
            singles.extend(rows)
            continue
        events.append(
            (plan.start.astimezone(UTC), series_uid(plan.series), series_event(plan, detail))
        )
        span.cover(plan.start, plan.last_start + (plan.end - plan.start))
    for booking in singles:
        events.append((booking.start, booking_uid(booking), single_event(booking, detail)))
        span.cover(booking.start, booking.end)
    for _start, _uid, event in sorted(events, key=lambda e: (e[0], e[1])):
        cal.add_component(event)
    if span.first is None or span.last is None:
        first, last = empty_range
    else:
        first, last = span.first - timedelta(days=1), span.last + timedelta(days=1)
    _add_timezone(cal, first, last)
    return cal.to_ical()


def booking_event_ics(booking: Booking, *, stamp: datetime | None = None) -> str:
    """One booking as a one-event calendar (METHOD:PUBLISH), for a mail attachment.

    DTSTAMP is the moment the mail is written: unlike a feed, an attachment is a new
    iCalendar object each time, and SEQUENCE carries the booking's version.
    """
    cal = _new_calendar(None)
    cal.add_component(single_event(booking, Detail.own, stamp=stamp or datetime.now(UTC)))
    day_before = booking.start.astimezone(AMSTERDAM).date() - timedelta(days=1)
    day_after = booking.end.astimezone(AMSTERDAM).date() + timedelta(days=1)
    _add_timezone(cal, day_before, day_after)
    return cal.to_ical().decode("utf-8")
