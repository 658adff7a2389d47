"""The sentences the gemeente's people pages and a house's Medewerkers page share, so an
invitation or a removal reads the same wherever it was done."""

from __future__ import annotations

from flask_babel import gettext as _

from booking.i18n import say
from booking.mail.people_mails import role_phrase
from booking.services.people.invitations import Invited
from booking.services.people.roles import Grant


def invited_message(invited: Invited) -> str:
    """What the inviter is told: a link went out, or a known account got the role."""
    if invited.new_account:
        return _(
            "De uitnodiging is verstuurd naar %(email)s. De link is 7 dagen geldig.",
            email=invited.user.email,
        )
    return _(
        "%(email)s had al een account: de rol is toegevoegd en de persoon krijgt er een "
        "e-mail over.",
        email=invited.user.email,
    )


def removal_sentences(name: str, grant: Grant) -> list[str]:
    """The confirmation page's explanation before a role is taken away."""
    return [
        _("Deze rol wordt weggehaald: %(role)s.", role=say(role_phrase(grant.role, grant.house))),
        _(
            "%(name)s krijgt daar een e-mail over. Het account en de boekingen blijven.",
            name=name,
        ),
    ]
