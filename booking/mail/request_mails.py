"""Mails to a house's beheerders about requests that wait for their decision.

`queue_request` is the mail at once (one per request; a series is one request listing its
dates), `queue_digest` the daily overview. Both are in the beheerder's own language and
carry a dedupe key, so the same request is never announced to the same person twice by the
same route. The callers (booking/services/request_notices.py) choose who gets which.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from booking.mail.outbox import queue_mail

if TYPE_CHECKING:
    from booking.models import Booking, OutboxMail, User

DATES_LISTED = 12
"""A series request lists at most this many dates; the mail says how many more."""


class Listed(Protocol):
    """A request as the digest lists it (request_notices.WaitingRequest)."""

    @property
    def booking(self) -> Booking: ...

    @property
    def expires_at(self) -> datetime: ...


def request_key(user_id: int, booking_id: int) -> str:
    return f"request:{user_id}:{booking_id}"


def digest_key(user_id: int, day: str) -> str:
    return f"request_digest:{user_id}:{day}"


def queue_request(
    beheerder: User, bookings: Sequence[Booking], expires_at: datetime
) -> OutboxMail | None:
    """One new request (a single booking, or the waiting dates of one series)."""
    first = bookings[0]
    with force_locale(beheerder.locale or "nl"):
        subject = _(
            "Nieuwe aanvraag: %(title)s (%(house)s)",
            title=first.title,
            house=first.room.house.name,
        )
    return queue_mail(
        "request_new",
        beheerder.email,
        template="request_new",
        locale=beheerder.locale,
        dedupe_key=request_key(beheerder.id, first.id),
        subject=subject,
        beheerder=beheerder,
        booking=first,
        dates=bookings[:DATES_LISTED],
        more=max(0, len(bookings) - DATES_LISTED),
        expires_at=expires_at,
    )


def queue_digest(
    beheerder: User, requests: Sequence[Listed], day: str, *, still_waiting: int
) -> OutboxMail | None:
    """The day's overview: the requests since the last one, and how many wait in all."""
    with force_locale(beheerder.locale or "nl"):
        subject = ngettext(
            "%(num)d nieuwe aanvraag wacht op uw beslissing",
            "%(num)d nieuwe aanvragen wachten op uw beslissing",
            len(requests),
        )
    return queue_mail(
        "request_digest",
        beheerder.email,
        template="request_digest",
        locale=beheerder.locale,
        dedupe_key=digest_key(beheerder.id, day),
        subject=subject,
        beheerder=beheerder,
        requests=requests,
        still_waiting=still_waiting,
    )
