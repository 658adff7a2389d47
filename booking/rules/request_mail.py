"""How a house's beheerder hears of new requests (aangevraagd): a choice per account."""

from __future__ import annotations

from enum import StrEnum

from booking.rules.messages import N_


class RequestMail(StrEnum):
    """At once, once a day in a digest, or not at all (the dashboard still shows them)."""

    direct = "direct"
    dagelijks = "dagelijks"
    nooit = "nooit"


REQUEST_MAIL_LABELS: dict[RequestMail, str] = {
    RequestMail.direct: N_("Direct, één e-mail per aanvraag"),
    RequestMail.dagelijks: N_("Eén keer per dag een overzicht"),
    RequestMail.nooit: N_("Geen e-mail (alleen op het overzicht)"),
}
