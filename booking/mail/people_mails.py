"""What a person hears when their account changes (issue 12): an invitation with its
one-time link, a role given or taken, the account deactivated or active again, and the
notice that an unused account will be deleted (booking/services/retention.py).

Each mail is rendered in the recipient's language (Dutch unless their account says
otherwise). The changes arrive as rules Messages (`given`, `taken`), so the services stay
free of Flask-Babel and the words are translated here, for the recipient. An account that
has not accepted its invitation yet hears only about its invitation.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from booking.i18n import ROLE_LABELS, fmt_date, fmt_datetime, say
from booking.mail.outbox import queue_mail
from booking.models import House, User
from booking.rules.messages import N_, Message
from booking.rules.permissions import Role
from booking.rules.staff_roles import PENDING_PASSWORD
from booking.urls import public_url


def role_phrase(role: Role | str, house: House | None) -> Message:
    """'Beheerder van Wijkhuis De Haard', or 'Gemeente, voor alle huizen'."""
    label = ROLE_LABELS[Role(role).value]
    if house is None:
        return Message(N_("%(role_label)s, voor alle huizen"), {"role_label": label})
    return Message(N_("%(role_label)s van %(house)s"), {"role_label": label, "house": house.name})


def given(role: Role, house: House | None) -> Message:
    label = ROLE_LABELS[role.value]
    if house is None:
        return Message(
            N_("U heeft een nieuwe rol: %(role_label)s, voor alle huizen."), {"role_label": label}
        )
    return Message(
        N_("U heeft een nieuwe rol: %(role_label)s van %(house)s."),
        {"role_label": label, "house": house.name},
    )


def taken(role: Role, house: House | None) -> Message:
    label = ROLE_LABELS[role.value]
    if house is None:
        return Message(
            N_("Deze rol is weggehaald: %(role_label)s, voor alle huizen."), {"role_label": label}
        )
    return Message(
        N_("Deze rol is weggehaald: %(role_label)s van %(house)s."),
        {"role_label": label, "house": house.name},
    )


def _roles(user: User) -> list[str]:
    """The account's roles now, in the current language."""
    phrases = [say(role_phrase(Role.gemeente, None))] if user.role == Role.gemeente.value else []
    memberships = sorted(user.memberships, key=lambda m: (m.house.name, m.role))
    return phrases + [say(role_phrase(m.role, m.house)) for m in memberships]


def _locale(user: User) -> str:
    return user.locale or "nl"


def queue_invitation(user: User, link: str, *, inviter: User | None, expires_at: datetime) -> None:
    """The one-time link to a new account, with the roles waiting in it."""
    with force_locale(_locale(user)):
        if inviter is not None:
            lead = _(
                "%(inviter)s nodigt u uit voor Buurthuis, waarmee de wijk- en dorpshuizen "
                "ruimtes verhuren en hun bezoekers tellen.",
                inviter=inviter.name,
            )
        else:
            lead = _(
                "U bent uitgenodigd voor Buurthuis, waarmee de wijk- en dorpshuizen ruimtes "
                "verhuren en hun bezoekers tellen."
            )
        roles, until = _roles(user), fmt_datetime(expires_at)
    queue_mail(
        "invitation",
        user.email,
        template="invitation",
        locale=_locale(user),
        lead=lead,
        roles=roles,
        link=link,
        until=until,
    )


def _changed(user: User, kind: str, subject_msgid: str, sentences: list[Message]) -> None:
    with force_locale(_locale(user)):
        subject = _(subject_msgid)
        lines = [say(sentence) for sentence in sentences]
        roles = _roles(user) if user.active else []
    queue_mail(
        kind,
        user.email,
        template="account_changed",
        locale=_locale(user),
        user=user,
        subject=subject,
        lines=lines,
        roles=roles,
        show_roles=user.active,
        login_link=public_url("accounts.login") if user.active else "",
    )


def queue_roles_changed(user: User, *changes: Message) -> None:
    """Roles given or taken; an account still waiting for its invitation is not told."""
    if user.password_hash == PENDING_PASSWORD or not user.active or not changes:
        return
    _changed(user, "roles_changed", N_("Uw rol bij Buurthuis is gewijzigd"), list(changes))


def queue_deactivated(user: User) -> None:
    if user.password_hash == PENDING_PASSWORD:
        return
    _changed(
        user,
        "account_deactivated",
        N_("Uw account bij Buurthuis is gedeactiveerd"),
        [
            Message(
                N_(
                    "De gemeente heeft uw account bij Buurthuis gedeactiveerd. U kunt niet meer "
                    "inloggen; uw boekingen blijven staan. Denkt u dat dit een vergissing is? "
                    "Neem dan contact op met de gemeente of met uw huis."
                )
            )
        ],
    )


def queue_reactivated(user: User) -> None:
    if user.password_hash == PENDING_PASSWORD:
        return
    _changed(
        user,
        "account_reactivated",
        N_("Uw account bij Buurthuis is weer actief"),
        [
            Message(
                N_(
                    "De gemeente heeft uw account bij Buurthuis weer geactiveerd. U kunt "
                    "inloggen met uw eigen wachtwoord."
                )
            )
        ],
    )


def inactivity_notice_key(user_id: int, used_at: datetime) -> str:
    """One notice per account and per period without use: a login starts a new period."""
    return f"inactive:{user_id}:{used_at.isoformat()}"


def queue_inactivity_notice(user: User, deletion_on: date, months: int, *, dedupe_key: str) -> bool:
    """Tell an account unused for `months` months that it will be deleted on `deletion_on`
    unless its owner logs in before that day.

    Returns whether the mail was queued (False: the dedupe key says it already was).
    """
    with force_locale(_locale(user)):
        subject = _("Uw account bij Buurthuis wordt binnenkort verwijderd")
        lines = [
            _(
                "U heeft uw account bij Buurthuis al %(months)s maanden niet gebruikt. "
                "Gegevens die niet meer nodig zijn, bewaren we niet: daarom verwijderen we "
                "uw account op %(date)s.",
                months=months,
                date=fmt_date(deletion_on),
            ),
            _(
                "Wilt u uw account houden? Log dan vóór die dag in met uw e-mailadres en "
                "wachtwoord. Meer hoeft u niet te doen. Wachtwoord vergeten? Op de "
                "inlogpagina kunt u een nieuw wachtwoord aanvragen."
            ),
            _(
                "Doet u niets, dan verdwijnen uw naam, e-mailadres en telefoonnummer. De "
                "huizen houden alleen wat ze voor hun boekhouding nodig hebben, zonder uw "
                "naam. U kunt later altijd een nieuw account maken."
            ),
        ]
    mail = queue_mail(
        "inactivity_notice",
        user.email,
        template="account_changed",
        locale=_locale(user),
        dedupe_key=dedupe_key,
        user=user,
        subject=subject,
        lines=lines,
        roles=[],
        show_roles=False,
        login_link=public_url("accounts.login"),
    )
    return mail is not None
