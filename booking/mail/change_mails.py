"""The mail about a changed booking: what it was, what it is now, and the new .ics.

Written by `services/booking_changes.py` in the transaction of the change; one mail per
occurrence and SEQUENCE, so a retried request never mails twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from booking.extensions import db
from booking.i18n import euro, fmt_datetime
from booking.mail.booking_mails import ICS_STATUSES, _ics, mail_locale, recipient
from booking.mail.outbox import queue_mail
from booking.models import Booking, Room
from booking.rules.messages import N_, Message


def changed_key(booking: Booking) -> str:
    return f"changed:{booking.id}:{booking.sequence}"


def _when(start: object, end: object) -> str:
    s, e = datetime.fromisoformat(str(start)), datetime.fromisoformat(str(end))
    return f"{fmt_datetime(s)}–{fmt_datetime(e, 'HH:mm')}"


def what_changed(before: Mapping[str, object], booking: Booking) -> list[Message]:
    """One line per changed thing, 'eerst … nu …', in the organiser's words."""
    lines: list[Message] = []
    if before["start"] != booking.start.isoformat() or before["end"] != booking.end.isoformat():
        lines.append(
            Message(
                N_("Tijd: eerst %(old)s, nu %(new)s."),
                {
                    "old": _when(before["start"], before["end"]),
                    "new": _when(booking.start.isoformat(), booking.end.isoformat()),
                },
            )
        )
    if before["room_id"] != booking.room_id:
        old = db.session.get(Room, before["room_id"])
        lines.append(
            Message(
                N_("Ruimte: eerst %(old)s, nu %(new)s."),
                {"old": old.name if old else "", "new": booking.room.name},
            )
        )
    if before["title"] != booking.title:
        lines.append(
            Message(
                N_("Naam: eerst %(old)s, nu %(new)s."),
                {"old": before["title"], "new": booking.title},
            )
        )
    if before["public"] != booking.public:
        lines.append(
            Message(
                N_("Openbaar in de agenda: nu ja.")
                if booking.public
                else N_("Openbaar in de agenda: nu nee.")
            )
        )
    if before["status"] != str(booking.status):
        lines.append(Message(N_("De status is opnieuw bepaald (zie hieronder).")))
    if before["amount_cents"] != booking.amount_cents:
        lines.append(
            Message(
                N_("Prijs: eerst %(old)s, nu %(new)s."),
                {"old": euro(int(before["amount_cents"])), "new": euro(booking.amount_cents)},  # type: ignore[call-overload]
            )
        )
    return lines


def notify_changed(booking: Booking, before: Mapping[str, object], *, by_organiser: bool) -> None:
    """Tell the organiser (or the resident staff booked for) what changed."""
    if booking.is_on_behalf and not booking.on_behalf_email:
        return
    with force_locale(mail_locale(booking)):
        subject = _("Boeking gewijzigd: %(title)s", title=booking.title)
        lead = (
            _("Uw boeking is gewijzigd.")
            if by_organiser
            else _("De beheerder van het huis heeft uw boeking gewijzigd.")
        )
        with_ics = booking.status in ICS_STATUSES
        attachment = _ics(booking) if with_ics else None
        lines = what_changed(before, booking)
    queue_mail(
        "booking_changed",
        recipient(booking),
        template="booking_update",
        locale=mail_locale(booking),
        dedupe_key=changed_key(booking),
        attachment=attachment,
        booking=booking,
        subject=subject,
        lead=lead,
        reasons=lines,
        alternatives=[],
    )
