"""Who may give and take which role, what an account is called, and how far an invitation
reaches: DESIGN section 3 for people and roles, as pure rules.

- The gemeente gives and takes every role: the house roles in any house, and gemeente.
- A sociaal beheerder or beheerder of a house "invites hosts and sociaal beheerders of own
  houses": gastheer and sociaal beheerder in that house, never beheerder (the building,
  rates and invoicing are the gemeente's to hand out) and never gemeente.
- Nobody else gives any role.

An account's kind (`User.role`) is the highest role it holds; the gemeente role is held
by the account itself, the others by house memberships.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from booking.rules.messages import N_
from booking.rules.permissions import Role

ROLE_ORDER: tuple[Role, ...] = (
    Role.initiatiefnemer,
    Role.gastheer,
    Role.sociaal_beheerder,
    Role.beheerder,
    Role.gemeente,
)
"""From the fewest rights to the most; the account's kind is the last one it holds."""

STAFF_GIVEN_ROLES: frozenset[Role] = frozenset({Role.gastheer, Role.sociaal_beheerder})
"""What a house's own sociaal beheerder or beheerder may give and take there."""

INVITABLE_ROLES: tuple[Role, ...] = (
    Role.gastheer,
    Role.sociaal_beheerder,
    Role.beheerder,
    Role.gemeente,
)
"""What an invitation can be for (residents register themselves to book)."""

INVITATION_VALID = timedelta(days=7)
"""How long an invitation link works (issue 12): once, and for seven days."""

PENDING_PASSWORD = "!uitgenodigd"
"""The stored password of an account whose invitation was not accepted yet: no password
hash has this form, so nothing logs in with it."""


def roles_given_by(actor_roles: Iterable[Role]) -> frozenset[Role]:
    """The roles someone holding `actor_roles` in a house may give or take in that house
    (for the gemeente: everywhere, gemeente included)."""
    held = set(actor_roles)
    if Role.gemeente in held:
        return frozenset(INVITABLE_ROLES)
    if held & {Role.sociaal_beheerder, Role.beheerder}:
        return STAFF_GIVEN_ROLES
    return frozenset()


def account_kind(is_gemeente: bool, house_roles: Iterable[Role]) -> Role:
    """The highest role an account holds: what the account is called everywhere."""
    held = set(house_roles) | ({Role.gemeente} if is_gemeente else set())
    return max(held | {Role.initiatiefnemer}, key=ROLE_ORDER.index)


class PersonStatus(StrEnum):
    """Where an account stands, as the lists of people show it."""

    active = "actief"
    invited = "uitgenodigd"
    invitation_expired = "uitnodiging_verlopen"
    deactivated = "gedeactiveerd"


STATUS_LABELS: dict[PersonStatus, str] = {
    PersonStatus.active: N_("actief"),
    PersonStatus.invited: N_("uitgenodigd, nog niet aangenomen"),
    PersonStatus.invitation_expired: N_("uitnodiging verlopen"),
    PersonStatus.deactivated: N_("gedeactiveerd"),
}


def person_status(
    *, active: bool, pending: bool, invitation_expires: datetime | None, now: datetime
) -> PersonStatus:
    """An account is deactivated, or waiting for its invitation (open or expired), or active."""
    if not active:
        return PersonStatus.deactivated
    if pending:
        if invitation_expires is None or invitation_expires <= now:
            return PersonStatus.invitation_expired
        return PersonStatus.invited
    return PersonStatus.active


class LinkState(StrEnum):
    """What an invitation link is worth now."""

    open = "open"
    used = "gebruikt"
    expired = "verlopen"
    withdrawn = "ingetrokken"


def link_state(
    *, used: bool, withdrawn: bool, expires_at: datetime, now: datetime, pending: bool
) -> LinkState:
    """A link works once, for seven days, while the account still waits for it.

    An account that chose its password another way (a password reset) has used up its
    invitation too; a link replaced by a newer one, or of an account that was deactivated
    since, is withdrawn.
    """
    if used or not pending:
        return LinkState.used
    if withdrawn:
        return LinkState.withdrawn
    if expires_at <= now:
        return LinkState.expired
    return LinkState.open


def leaves_a_gemeente(active_gemeente_ids: Iterable[int], losing_id: int) -> bool:
    """Whether an active gemeente account remains when `losing_id` stops being one."""
    return any(account_id != losing_id for account_id in active_gemeente_ids)


LINK_REFUSALS: dict[LinkState, str] = {
    LinkState.used: N_(
        "Deze uitnodiging is al gebruikt. Log in met uw e-mailadres en wachtwoord; bent u "
        "uw wachtwoord vergeten, kies dan 'Wachtwoord vergeten?'."
    ),
    LinkState.expired: N_(
        "Deze uitnodiging is verlopen: een uitnodiging is 7 dagen geldig. Vraag wie u "
        "uitnodigde om een nieuwe."
    ),
    LinkState.withdrawn: N_(
        "Deze uitnodiging geldt niet meer: er is een nieuwere verstuurd, of het account is "
        "gedeactiveerd. Gebruik de nieuwste uitnodiging, of vraag wie u uitnodigde."
    ),
}
"""Why a link no longer works, in the words the invitation page shows."""
