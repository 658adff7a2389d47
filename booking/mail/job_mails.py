"""Mails the scheduled jobs send: an expired request and the reminder before a booking.

Written to the outbox in the job's transaction, in the organiser's language, like the
mails of booking/mail/booking_mails.py. Each has a dedupe key, so a second scheduler
(or a second run) cannot queue the same mail twice: the outbox's unique key refuses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from booking.i18n import fmt_date
from booking.mail.booking_mails import mail_locale, recipient
from booking.mail.outbox import queue_mail

if TYPE_CHECKING:
    from booking.models import Booking, OutboxMail


def expired_key(booking_id: int) -> str:
    """The dedupe key of a booking's expiry mail: one per booking, ever."""
    return f"expired:{booking_id}"


def reminder_key(booking_id: int) -> str:
    """The dedupe key of a booking's reminder; the job looks these up before it queues."""
    return f"reminder:{booking_id}"


def queue_expired(booking: Booking) -> OutboxMail | None:
    """Tell the organiser their request lapsed, so they are not left waiting or guessing."""
    with force_locale(mail_locale(booking)):
        subject = _("Aanvraag verlopen: %(title)s", title=booking.title)
        lead = _(
            "Uw aanvraag is verlopen: de beheerder van het huis heeft niet op tijd beslist. "
            "De ruimte is niet voor u gereserveerd; u kunt een nieuwe aanvraag doen."
        )
    return queue_mail(
        "booking_expired",
        recipient(booking),
        template="booking_update",
        locale=mail_locale(booking),
        dedupe_key=expired_key(booking.id),
        booking=booking,
        subject=subject,
        lead=lead,
        reasons=[],
        alternatives=[],
    )


def queue_reminder(booking: Booking) -> OutboxMail | None:
    """Remind the organiser two days ahead; the date is shown in their language."""
    with force_locale(mail_locale(booking)):
        subject = _(
            "Herinnering: %(title)s op %(date)s", title=booking.title, date=fmt_date(booking.start)
        )
        lead = _(
            "Een herinnering: uw activiteit in het buurthuis begint binnenkort. Kunt u "
            "toch niet? Annuleer de boeking dan, zodat een ander de ruimte kan gebruiken."
        )
    return queue_mail(
        "booking_reminder",
        recipient(booking),
        template="booking_update",
        locale=mail_locale(booking),
        dedupe_key=reminder_key(booking.id),
        booking=booking,
        subject=subject,
        lead=lead,
        reasons=[],
        alternatives=[],
    )
