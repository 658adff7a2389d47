"""Reading booking requests from JSON: times, the activity questionnaire, recurrence."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from booking.api.errors import ApiError
from booking.api.parsing import integer_field, optional_bool, string_field
from booking.rules import dates, slots
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.statuses import OrganiserKind
from booking.rules.tariff import Activity

MAX_CONTRIBUTION_CENTS = 100_000


def parse_moment(value: Any, name: str) -> datetime:
    """ISO 8601; without an offset the time means Europe/Amsterdam (DESIGN section 10)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ApiError(
            400, "ongeldige_tijd", f"'{name}' moet een tijd in ISO 8601 zijn.", {"field": name}
        )
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise ApiError(
            400, "ongeldige_tijd", f"'{name}' is geen geldige ISO 8601-tijd.", {"field": name}
        ) from error
    if not dates.in_range(moment):
        raise _out_of_range(name)
    if moment.tzinfo is not None:
        return slots.as_utc(moment)
    try:
        return slots.local_to_utc(moment)
    except slots.NonexistentLocalTime as error:
        raise ApiError(
            422,
            "tijd_bestaat_niet",
            f"'{name}' valt in het uur dat door de zomertijd wordt overgeslagen.",
            {"field": name},
        ) from error


def parse_date(value: Any, name: str) -> date:
    if not isinstance(value, str) or len(value) > 20:
        raise ApiError(
            400, "ongeldige_datum", f"'{name}' moet een datum zijn (JJJJ-MM-DD).", {"field": name}
        )
    try:
        day = date.fromisoformat(value)
    except ValueError as error:
        raise ApiError(
            400, "ongeldige_datum", f"'{name}' is geen geldige datum.", {"field": name}
        ) from error
    if not dates.in_range(day):
        raise _out_of_range(name)
    return day


def _out_of_range(name: str) -> ApiError:
    """A year like 1 or 9999: bounded before it reaches the calendar or the database."""
    return ApiError(
        400,
        "datum_buiten_bereik",
        f"'{name}' moet tussen {dates.FIRST_DAY.isoformat()} en {dates.LAST_DAY.isoformat()} "
        "liggen.",
        {"field": name},
    )


def parse_slot(data: dict[str, Any]) -> tuple[datetime, datetime]:
    return parse_moment(data.get("start"), "start"), parse_moment(data.get("end"), "end")


def parse_room_id(data: dict[str, Any]) -> int:
    return integer_field(data, "room_id", minimum=1)


def parse_activity(data: dict[str, Any]) -> Activity:
    raw = data.get("activity")
    if not isinstance(raw, dict):
        raise ApiError(
            400,
            "ongeldig_veld",
            "Het veld 'activity' ontbreekt of is geen object.",
            {"field": "activity"},
        )
    kind = raw.get("organiser_kind")
    if not isinstance(kind, str) or kind not in {k.value for k in OrganiserKind}:
        raise ApiError(
            400,
            "ongeldig_veld",
            "Onbekende 'organiser_kind'.",
            {"field": "activity.organiser_kind", "allowed": [k.value for k in OrganiserKind]},
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
        raise ApiError(
            400, "ongeldig_veld", "'recurrence' moet een object zijn.", {"field": "recurrence"}
        )
    freq = raw.get("freq")
    if not isinstance(freq, str) or freq not in {f.value for f in Frequency}:
        raise ApiError(
            400,
            "ongeldig_veld",
            "'recurrence.freq' is weekly of monthly.",
            {"field": "recurrence.freq"},
        )
    return Recurrence(
        Frequency(freq),
        integer_field(raw, "interval", default=1, minimum=1, maximum=52),
        parse_date(raw.get("until"), "recurrence.until"),
    )


def parse_title(data: dict[str, Any]) -> str:
    return string_field(data, "title", max_length=200)
