"""Mails about bookings, written to the outbox in the transaction of the change.

Every mail is rendered in the organiser's language (Dutch unless they chose otherwise).
The booking services call these after they changed a booking; this module needs nothing
from them but the models and what they pass in (a conflict list is only counted, a
suggestion only read for its room and times), so the import runs one way:
booking/services/bookings.py -> booking/mail/booking_mails.py -> booking/mail/outbox.py.
"""

from __future__ import annotations

from collections.abc import Sequence, Sized
from datetime import datetime
from typing import Protocol

from flask_babel import force_locale
from flask_babel import gettext as _

from booking.mail.outbox import queue_mail
from booking.models import Booking, BookingSeries, Room
from booking.rules.messages import Message
from booking.rules.statuses import BookingStatus
from booking.services.calendar import booking_event_ics

ICS_STATUSES = frozenset({BookingStatus.bevestigd, BookingStatus.onder_voorbehoud})
"""The booked states whose mail carries the .ics: the slot is the organiser's (for now)."""


class Suggestion(Protocol):
    """What a mail shows of an alternative slot (booking/services/availability.Alternative)."""

    @property
    def room(self) -> Room: ...

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...


def _send(
    booking: Booking,
    kind: str,
    subject: str,
    lead: str,
    *,
    reasons: Sequence[Message] = (),
    suggestions: Sequence[Suggestion] = (),
    dedupe_key: str | None = None,
    attachment: tuple[str, str, str] | None = None,
) -> None:
    queue_mail(
        kind,
        recipient(booking),
        template="booking_update",
        locale=mail_locale(booking),
        dedupe_key=dedupe_key,
        attachment=attachment,
        booking=booking,
        subject=subject,
        lead=lead,
        reasons=reasons,
        alternatives=suggestions,
    )


def mail_locale(booking: Booking) -> str:
    """A resident staff booked for has no account and no language choice: Dutch."""
    return "nl" if booking.is_on_behalf else (booking.organiser.locale or "nl")


def recipient(booking: Booking) -> str:
    """Who hears about a booking: the resident staff booked for, if they gave an e-mail
    address (booking/services/on_behalf.py), otherwise the organiser."""
    return booking.on_behalf_email or booking.organiser.email


def _ics(booking: Booking) -> tuple[str, str, str]:
    """The booking as an .ics attachment, so the organiser can add it to their agenda."""
    with force_locale(mail_locale(booking)):
        return ("boeking.ics", "text/calendar", booking_event_ics(booking))


def notify_booked(booking: Booking) -> None:
    """Confirm a new booking, or say it is provisional or waits for the beheerder.

    Booked by staff for a resident who gave no e-mail address: no mail (the staff member
    made the booking and gives the resident the printed confirmation)."""
    if booking.is_on_behalf and not booking.on_behalf_email:
        return
    with force_locale(mail_locale(booking)):
        if booking.status == BookingStatus.bevestigd:
            subject, lead = (
                _("Boeking bevestigd: %(title)s", title=booking.title),
                _("Uw boeking is bevestigd."),
            )
        elif booking.status == BookingStatus.onder_voorbehoud:
            subject, lead = (
                _("Boeking onder voorbehoud: %(title)s", title=booking.title),
                _(
                    "Uw boeking staat onder voorbehoud: tot de voorrangstermijn ingaat, kan "
                    "een activiteit door en voor bewoners voorgaan. U hoort het als dat "
                    "gebeurt; anders wordt de boeking vanzelf bevestigd."
                ),
            )
        else:
            subject, lead = (
                _("Aanvraag ontvangen: %(title)s", title=booking.title),
                _(
                    "Uw aanvraag is ontvangen. De beheerder van het huis beslist erover; u krijgt "
                    "bericht."
                ),
            )
    _send(
        booking,
        f"booking_{booking.status}",
        subject,
        lead,
        attachment=_ics(booking) if booking.status in ICS_STATUSES else None,
    )


def notify_series_booked(
    series: BookingSeries, booked: Sequence[Booking], conflicts: Sized
) -> None:
    """One mail for a whole series: how many dates were booked and how many were not.

    `conflicts` is only counted (the booking service passes its OccurrenceConflict list).
    Booked by staff for a resident who gave no e-mail address: no mail, as `notify_booked`.
    """
    first = booked[0]
    if first.is_on_behalf and not first.on_behalf_email:
        return
    with force_locale(mail_locale(first)):
        subject = _("Reeks geboekt: %(title)s", title=series.title)
        lead = _(
            "Van uw reeks zijn %(booked)s datums geboekt en %(failed)s niet.",
            booked=len(booked),
            failed=len(conflicts),
        )
    _send(first, "series_booked", subject, lead)


def notify_displaced(booking: Booking, reason: Message, suggestions: Sequence[Suggestion]) -> None:
    """Tell the organiser a priority activity took their slot, why, and what else is free."""
    with force_locale(mail_locale(booking)):
        subject = _("Uw boeking is verdrongen: %(title)s", title=booking.title)
        lead = _(
            "Helaas: uw boeking onder voorbehoud is vervallen, omdat een activiteit met "
            "voorrang de ruimte nodig heeft. U betaalt niets."
        )
    _send(
        booking,
        "booking_displaced",
        subject,
        lead,
        reasons=[reason],
        suggestions=suggestions,
        dedupe_key=f"displaced:{booking.id}",
    )


def notify_cancelled(booking: Booking, *, by_organiser: bool) -> None:
    """Confirm a cancellation, saying who cancelled (the organiser or the beheerder)."""
    with force_locale(mail_locale(booking)):
        subject = _("Boeking geannuleerd: %(title)s", title=booking.title)
        lead = (
            _("U heeft deze boeking geannuleerd.")
            if by_organiser
            else _("De beheerder van het huis heeft deze boeking geannuleerd.")
        )
    _send(booking, "booking_cancelled", subject, lead, dedupe_key=f"cancelled:{booking.id}")


def notify_decision(booking: Booking, *, approved: bool, by_window: bool = False) -> None:
    """The beheerder's decision on a request, or the priority window making it final."""
    with force_locale(mail_locale(booking)):
        if by_window:
            subject = _("Boeking definitief: %(title)s", title=booking.title)
            lead = _("De voorrangstermijn is ingegaan: uw boeking is nu definitief bevestigd.")
            kind = "booking_confirmed_by_window"
        elif approved:
            subject = _("Aanvraag goedgekeurd: %(title)s", title=booking.title)
            lead = _("De beheerder heeft uw aanvraag goedgekeurd.")
            kind = "booking_approved"
        else:
            subject = _("Aanvraag afgewezen: %(title)s", title=booking.title)
            lead = _("De beheerder heeft uw aanvraag afgewezen.")
            kind = "booking_rejected"
    _send(
        booking,
        kind,
        subject,
        lead,
        dedupe_key=f"{kind}:{booking.id}:{booking.sequence}",
        attachment=_ics(booking) if approved or by_window else None,
    )
