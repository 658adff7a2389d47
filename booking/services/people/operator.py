"""The operator's commands (`flask users create`, `flask users token`), on the same use
cases as the web pages: roles are given by `roles.add_grants` and audited, the person is
told by mail when an existing account gets a role, a deactivated account gets nothing.

The operator at the shell is trusted (actor None): they create the first gemeente
account, and set a password directly where the web would send an invitation.
"""

from __future__ import annotations

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.mail import people_mails
from booking.models import House, User
from booking.rules.messages import N_
from booking.rules.permissions import HOUSE_ROLES, Role
from booking.services import accounts
from booking.services.people.roles import Grant, add_grants, check_grants

DEACTIVATED = N_(
    "Dit account is gedeactiveerd. De gemeente kan het weer activeren op de pagina "
    "Mensen en rollen."
)


def create_account(
    email: str, role: Role, password: str, *, name: str = "", house: House | None = None
) -> User:
    """A new account with this role and password, or this role added to an existing one
    (whose password is then set to `password`: the operator's way to let someone in)."""
    accounts.check_password_rules(password)
    if role in HOUSE_ROLES and house is None:
        raise RuleViolation(N_("Deze rol hoort bij een huis: geef het huis op."), "house")
    grants = [Grant(role, house if role in HOUSE_ROLES else None)]
    if role == Role.initiatiefnemer:
        grants = []
    check_grants(None, grants)
    begin_write()
    user = accounts.find_user(email)
    if user is not None and not user.active:
        raise RuleViolation(DEACTIVATED, "email")
    if user is None:
        user = accounts.add_user(email, role, password, name=name)
        add_grants(None, user, grants)
        return user
    user.password_hash = accounts.hash_password(password)
    new = add_grants(None, user, grants)
    if new:
        people_mails.queue_roles_changed(user, *[people_mails.given(g.role, g.house) for g in new])
    return user


def api_token(email: str) -> str:
    """A new API token for the account, shown once; none for a deactivated account."""
    begin_write()
    user = accounts.find_user(email)
    if user is None or user.deleted_at is not None:
        raise NotFound(email)
    if not user.active:
        raise RuleViolation(DEACTIVATED)
    return accounts.issue_api_token(user)
