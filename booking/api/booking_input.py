"""Reading booking requests from JSON: times, the activity questionnaire, recurrence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from booking.api.parsing import integer_field, optional_bool, string_field
from booking.errors import InvalidInput, RuleViolation
from booking.rules import dates, slots
from booking.rules.messages import N_, Message
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.statuses import OrganiserKind
from booking.rules.tariff import Activity

MAX_CONTRIBUTION_CENTS = 100_000


def parse_moment(value: Any, name: str) -> datetime:
    """ISO 8601; without an offset the time means Europe/Amsterdam (DESIGN section 10)."""
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput(
            name,
            Message(N_("'%(name)s' moet een tijd in ISO 8601 zijn."), {"name": name}),
            code="ongeldige_tijd",
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(
            name,
            Message(N_("'%(name)s' is geen geldige ISO 8601-tijd."), {"name": name}),
            code="ongeldige_tijd",
        ) from error
    if not dates.in_range(moment):
        raise _out_of_range(name)
    if moment.tzinfo is not None:
        return slots.as_utc(moment)
    try:
        return slots.local_to_utc(moment)
    except slots.NonexistentLocalTime as error:
        raise RuleViolation(
            Message(
                N_("'%(name)s' valt in het uur dat door de zomertijd wordt overgeslagen."),
                {"name": name},
            ),
            name,
            code="tijd_bestaat_niet",
        ) from error


def parse_date(value: Any, name: str) -> date:
    if not isinstance(value, str) or len(value) > 20:
        raise InvalidInput(
            name,
            Message(N_("'%(name)s' moet een datum zijn (JJJJ-MM-DD)."), {"name": name}),
            code="ongeldige_datum",
        )
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise InvalidInput(
            name,
            Message(N_("'%(name)s' is geen geldige datum."), {"name": name}),
            code="ongeldige_datum",
        ) from error
    if not dates.in_range(day):
        raise _out_of_range(name)
    return day


def _out_of_range(name: str) -> InvalidInput:
    """A year like 1 or 9999: bounded before it reaches the calendar or the database."""
    return InvalidInput(
        name,
        Message(
            N_("'%(name)s' moet tussen %(first)s en %(last)s liggen."),
            {
                "name": name,
                "first": dates.FIRST_DAY.isoformat(),
                "last": dates.LAST_DAY.isoformat(),
            },
        ),
        code="datum_buiten_bereik",
    )


def parse_slot(data: dict[str, Any]) -> tuple[datetime, datetime]:
    return parse_moment(data.get("start"), "start"), parse_moment(data.get("end"), "end")


def parse_room_id(data: dict[str, Any]) -> int:
    return integer_field(data, "room_id", minimum=1)


def parse_activity(data: dict[str, Any]) -> Activity:
    raw = data.get("activity")
    if not isinstance(raw, dict):
        raise InvalidInput("activity", N_("Het veld 'activity' ontbreekt of is geen object."))
    kind = raw.get("organiser_kind")
    if not isinstance(kind, str) or kind not in {k.value for k in OrganiserKind}:
        raise InvalidInput(
            "activity.organiser_kind",
            N_("Onbekende 'organiser_kind'."),
            allowed=[k.value for k in OrganiserKind],
        )
    return Activity(
        organiser_kind=OrganiserKind(kind),
        open_to_all=optional_bool(raw, "open_to_all"),
        membership_required=optional_bool(raw, "membership_required"),
        contribution_cents=integer_field(
            raw, "contribution_cents", default=0, minimum=0, maximum=MAX_CONTRIBUTION_CENTS
        ),
        profit_making=optional_bool(raw, "profit_making"),
        subsidised=optional_bool(raw, "subsidised"),
        mainly_meeting=optional_bool(raw, "mainly_meeting"),
        gives_in_return=optional_bool(raw, "gives_in_return"),
    )


def parse_recurrence(data: dict[str, Any]) -> Recurrence | None:
    raw = data.get("recurrence")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidInput("recurrence", N_("'recurrence' moet een object zijn."))
    freq = raw.get("freq")
    if not isinstance(freq, str) or freq not in {f.value for f in Frequency}:
        raise InvalidInput("recurrence.freq", N_("'recurrence.freq' is weekly of monthly."))
    return Recurrence(
        Frequency(freq),
        integer_field(raw, "interval", default=1, minimum=1, maximum=52),
        parse_date(raw.get("until"), "recurrence.until"),
    )


def parse_title(data: dict[str, Any]) -> str:
    return string_field(data, "title", max_length=200)


def parse_organisation_id(data: dict[str, Any]) -> int | None:
    """The organisation booked namens (`organisation_id`); absent or null: oneself."""
    if data.get("organisation_id") is None:
        return None
    return integer_field(data, "organisation_id", minimum=1)
