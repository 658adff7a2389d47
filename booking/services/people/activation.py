"""Deactivating and reactivating an account (the gemeente; DESIGN section 3).

A deactivated account keeps everything it has — its roles, bookings, notes and audit
entries — but nothing works for it any more, **at once**:

- every session cookie: the account's session version moves on (as "log out everywhere"
  does), so the user loader (booking/security.py) loads nobody for a cookie made before,
  and the login session rows are removed;
- every API token is revoked (and `user_for_api_token` refuses an inactive owner anyway);
- its calendar feeds answer nothing while the owner is inactive (services/feeds.py);
- logging in and asking for a password reset are refused like a wrong password;
- an invitation link it was still waiting for is withdrawn.

Reactivating lets the person log in again with their password; sessions and tokens stay
ended (they make new ones). Nobody deactivates their own account here (that is "delete my
account"), and the last active gemeente account is never deactivated.
"""

from __future__ import annotations

from datetime import datetime

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.mail import people_mails
from booking.models import User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_
from booking.services import audit
from booking.services.accounts import revoke_all_api_tokens
from booking.services.my_account.sessions import end_every_session
from booking.services.people import access
from booking.services.people.invitations import withdraw_open
from booking.services.people.roles import refuse_last_gemeente

LAST_GEMEENTE_ACTIVE = N_(
    "Dit is het laatste actieve account van de gemeente: dat kan niet gedeactiveerd worden. "
    "Geef eerst iemand anders de rol gemeente."
)


def deactivate(actor: User, user_id: int, now: datetime) -> User:
    """Switch the account off; every session and token of it stops working now."""
    begin_write()
    user = access.person_for_gemeente(actor, user_id)
    if user.id == actor.id:
        raise RuleViolation(
            N_(
                "U kunt uw eigen account hier niet deactiveren. Vraag een collega van de "
                "gemeente, of verwijder uw account op de pagina Mijn account."
            )
        )
    if not user.active:
        raise RuleViolation(N_("Dit account is al gedeactiveerd."))
    refuse_last_gemeente(user, LAST_GEMEENTE_ACTIVE)
    user.active = False
    user.session_version = User.session_version + 1  # in SQL: every cookie dies
    revoke_all_api_tokens(user, now=now)
    end_every_session(user)
    withdraw_open(user, now)
    audit.record(AuditAction.account_deactivated, AuditObject.user, user.id, actor_id=actor.id)
    people_mails.queue_deactivated(user)
    return user


def reactivate(actor: User, user_id: int) -> User:
    """Switch the account on again: the person logs in with their own password."""
    begin_write()
    user = access.person_for_gemeente(actor, user_id)
    if user.active:
        raise RuleViolation(N_("Dit account is al actief."))
    user.active = True
    audit.record(AuditAction.account_reactivated, AuditObject.user, user.id, actor_id=actor.id)
    people_mails.queue_reactivated(user)
    return user
