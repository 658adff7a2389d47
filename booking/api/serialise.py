"""JSON shapes of DESIGN section 10. Other organisers' bookings show only what is public."""

from __future__ import annotations

from typing import Any

from booking.i18n import euro, reason_text, say, status_label
from booking.models import Booking
from booking.rules.statuses import BookingStatus
from booking.rules.tariff import describe_class, describe_group
from booking.services.availability import Alternative
from booking.services.quotes import QuoteResult
from booking.services.series import OccurrenceConflict


def iso(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def booking_json(booking: Booking, displaced: list[Booking] | None = None) -> dict[str, Any]:
    body = {
        "id": booking.id,
        "room_id": booking.room_id,
        "house": booking.room.house.slug,
        "title": booking.title,
        "public": booking.public,
        "start": iso(booking.start),
        "end": iso(booking.end),
        "status": BookingStatus(booking.status).value,
        "status_reason": reason_text(booking.status_reason),
        "tariff_group": booking.tariff_group,
        "priority_class": booking.priority_class,
        "amount_cents": booking.amount_cents,
        "list_price_cents": booking.list_price_cents,
        "series_id": booking.series_id,
        "organiser_id": booking.organiser_id,
        "organisation_id": booking.organisation_id,
    }
    if displaced is not None:
        body["displaced"] = [d.id for d in displaced]
    return body


def busy_json(booking: Booking) -> dict[str, Any]:
    """What anyone may know of a booking: when, and its title only if it is public."""
    return {
        "start": iso(booking.start),
        "end": iso(booking.end),
        "title": booking.title if booking.public else None,
        "provisional": booking.status != BookingStatus.bevestigd,
    }


def alternative_json(alt: Alternative) -> dict[str, Any]:
    return {
        "kind": alt.kind.value,
        "room_id": alt.room.id,
        "room": alt.room.name,
        "house": alt.room.house.slug,
        "house_name": alt.room.house.name,
        "start": iso(alt.start),
        "end": iso(alt.end),
    }


def quote_json(result: QuoteResult) -> dict[str, Any]:
    return {
        "tariff_group_label": say(describe_group(result.decision.tariff_group)),
        "priority_class_label": say(describe_class(result.decision.priority_class)),
        "status_label": status_label(result.status.value),
        "amount": euro(result.price.amount_cents),
        "list_price": euro(result.price.list_price_cents),
        "tariff_group": result.decision.tariff_group.value,
        "priority_class": int(result.decision.priority_class),
        "amount_cents": result.price.amount_cents,
        "list_price_cents": result.price.list_price_cents,
        "status": result.status.value,
        "reasons": [say(m) for m in result.decision.reasons],
        "problems": [say(m) for m in result.problems],
    }


def occurrence_conflict_json(conflict: OccurrenceConflict) -> dict[str, Any]:
    return {
        "start": iso(conflict.start),
        "end": iso(conflict.end),
        "reasons": [say(m) for m in conflict.reasons],
    }
