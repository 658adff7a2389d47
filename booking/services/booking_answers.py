"""The questionnaire answers a booking was judged on, as the rules' `Activity` again:
for a change judged like a new booking, and for the tariff reasons on an invoice line."""

from __future__ import annotations

from booking.models import Booking
from booking.rules.statuses import OrganiserKind
from booking.rules.tariff import Activity


def activity_of(booking: Booking) -> Activity:
    """The questionnaire answers the booking was judged on."""
    return Activity(
        organiser_kind=OrganiserKind(booking.organiser_kind),
        open_to_all=booking.open_to_all,
        membership_required=booking.membership_required,
        contribution_cents=booking.contribution_cents,
        profit_making=booking.profit_making,
        subsidised=booking.subsidised,
        mainly_meeting=booking.mainly_meeting,
        gives_in_return=booking.gives_in_return,
    )
