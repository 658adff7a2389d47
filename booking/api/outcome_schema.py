"""OpenAPI schema of a quote's calendar outcomes (booking/api/outcome_json.py)."""

from __future__ import annotations

from typing import Any

from booking.rules.slot_outcome import OutcomeKind
from booking.rules.statuses import AlternativeKind, BookingStatus

_IN_THE_WAY = {
    "type": "object",
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "title": {
            "type": ["string", "null"],
            "description": "only for public bookings, or for staff of the house",
        },
        "status": {"type": "string", "enum": [s.value for s in BookingStatus]},
    },
}

DATE_OUTCOME: dict[str, Any] = {
    "type": "object",
    "required": ["start", "end", "outcome", "bookable"],
    "properties": {
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "outcome": {
            "type": "string",
            "enum": [k.value for k in OutcomeKind],
            "description": "vrij; onder_voorbehoud (until provisional_until); verdringt "
            "(the bookings in `displaces`, reasons give the voorrang rule); bezet (by "
            "`taken_by`, with alternatives); niet_mogelijk (reasons)",
        },
        "label": {"type": "string"},
        "bookable": {"type": "boolean"},
        "provisional_until": {"type": ["string", "null"], "format": "date-time"},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "displaces": {"type": "array", "items": _IN_THE_WAY},
        "taken_by": {"type": "array", "items": _IN_THE_WAY},
        "alternatives": {
            "type": "array",
            "description": "for the first three taken dates",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": [k.value for k in AlternativeKind]},
                    "room_id": {"type": "integer"},
                    "start": {"type": "string"},
                    "end": {"type": "string"},
                },
            },
        },
    },
}

QUOTE_CALENDAR_PROPERTIES: dict[str, Any] = {
    "outcomes": {"type": "array", "items": DATE_OUTCOME, "description": "one per date"},
    "bookable_dates": {"type": "integer"},
    "series_problems": {"type": "array", "items": {"type": "string"}},
    "calendar_token": {
        "type": "string",
        "description": "send with POST /bookings: refused (422, code agenda_veranderd) "
        "when the calendar changed since this quote",
    },
    "quote_token": {"type": "string"},
}

CALENDAR_TOKEN = {"type": "string", "maxLength": 64}
