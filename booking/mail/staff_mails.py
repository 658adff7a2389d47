"""What an organiser hears when staff act on their booking, beyond booking_mails.py.

booking_mails.py already tells them of a cancellation by the beheerder and of a decision on
a request; this module adds the beheerder's override of tariff group or priority class,
with what it was, what it is now, and the reason they gave. (A moved or edited booking is
mailed by the change use case.)
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from booking.i18n import euro
from booking.mail.booking_mails import mail_locale, recipient
from booking.mail.outbox import queue_mail
from booking.models import Booking, OutboxMail


def overridden_key(booking: Booking) -> str:
    """One mail per override: the override raises the booking's SEQUENCE."""
    return f"overridden:{booking.id}:{booking.sequence}"


def notify_overridden(booking: Booking, before: tuple[str, int, int]) -> OutboxMail | None:
    """Tell the organiser the beheerder changed group or class (and so the price), and why.

    `before` is (tariff group, priority class, amount in cents) as they were.
    """
    group, klass, amount = before
    with force_locale(mail_locale(booking)):
        subject = _("Boeking aangepast door de beheerder: %(title)s", title=booking.title)
        lead = _(
            "De beheerder heeft de tariefgroep of voorrangsklasse van uw boeking aangepast. "
            "Eerst: %(group)s, klasse %(klass)s, %(amount)s. Nu: %(new_group)s, klasse "
            "%(new_klass)s, %(new_amount)s. Reden: %(reason)s",
            group=group,
            klass=klass,
            amount=euro(amount),
            new_group=booking.tariff_group,
            new_klass=booking.priority_class,
            new_amount=euro(booking.amount_cents),
            reason=booking.override_reason,
        )
    return queue_mail(
        "booking_overridden",
        recipient(booking),
        template="booking_update",
        locale=mail_locale(booking),
        dedupe_key=overridden_key(booking),
        booking=booking,
        subject=subject,
        lead=lead,
        reasons=[],
        alternatives=[],
    )
