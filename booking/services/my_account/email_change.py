"""A new e-mail address, confirmed at that address by a one-time link.

Asking needs the current password (a borrowed session must not take the account over by
moving its mail elsewhere). The link is signed like the registration and reset links of
services/account_links.py and carries a fingerprint of the address it replaces, so it
works once: after the change (or after a newer link was used) the fingerprint no longer
matches. It is valid for 24 hours. The old address is told of the change afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.mail.outbox import queue_mail
from booking.models import User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_
from booking.services import audit
from booking.services.accounts import find_user, normalise_email
from booking.services.login import check_current_password
from booking.urls import public_url

LINK_VALID_FOR = timedelta(hours=24)
EXPIRED = "link_verlopen"
USED = "link_gebruikt"
TAKEN = "email_bezet"
"""The codes of the refusals, so a page can answer 410 (a dead link) or 409 (taken)."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="email-change")


def _fingerprint(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def masked(email: str) -> str:
    """'f•••@example.org': enough for the owner to recognise, not to copy."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def _taken() -> RuleViolation:
    return RuleViolation(
        N_("Dit e-mailadres hoort al bij een ander account. Kies een ander adres."),
        "email",
        code=TAKEN,
    )


def request_email_change(actor: User, new_email: str, current_password: str, now: datetime) -> str:
    """Mail a confirmation link to the new address; returns that address, normalised.

    Nothing changes until the link is used. The address must be free now; whether it is
    still free is checked again when the link is used.
    """
    check_current_password(actor, current_password, now)
    email = normalise_email(new_email)
    if email == actor.email:
        raise RuleViolation(N_("Dit is al uw e-mailadres."), "email")
    if find_user(email) is not None:
        raise _taken()
    begin_write()
    token = _serializer().dumps({"u": actor.id, "e": email, "f": _fingerprint(actor.email)})
    queue_mail(
        "email_change",
        email,
        template="email_change",
        locale=actor.locale,
        user=actor,
        link=public_url("accounts.confirm_email_change", token=token),
        hours=int(LINK_VALID_FOR.total_seconds() // 3600),
    )
    audit.record(AuditAction.email_change_requested, AuditObject.user, actor.id, actor_id=actor.id)
    return email


@dataclass(frozen=True)
class PendingChange:
    user: User
    new_email: str


def pending_change(token: str, now: datetime) -> PendingChange:
    """The change a link stands for. A link that is not ours answers 404; one that is too
    old or already used is refused with its reason (codes EXPIRED and USED)."""
    try:
        data, signed_at = _serializer().loads(token, return_timestamp=True)
    except BadSignature as error:
        raise NotFound("email-change link") from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise NotFound("email-change link")
    if not all(isinstance(data.get(key), str) for key in "ef"):
        raise NotFound("email-change link")
    if now - signed_at.astimezone(UTC) > LINK_VALID_FOR:
        raise RuleViolation(
            N_(
                "Deze link is verlopen: een bevestigingslink werkt 24 uur. Vraag op uw "
                "accountpagina opnieuw om een nieuw e-mailadres."
            ),
            code=EXPIRED,
        )
    user = db.session.get(User, data["u"])
    if (
        user is None
        or not user.active
        or not hmac.compare_digest(data["f"], _fingerprint(user.email))
    ):
        raise RuleViolation(
            N_(
                "Deze link is al gebruikt, of er is daarna een nieuwere gebruikt. Op uw "
                "accountpagina ziet u welk e-mailadres nu geldt."
            ),
            code=USED,
        )
    return PendingChange(user, data["e"])


def confirm_email_change(token: str, now: datetime) -> PendingChange:
    """Use the link: the account's address becomes the new one, and the old one is told.

    A link used twice at once changes the address once: the account row is locked and the
    link checked again under the lock; an address taken in the meantime is refused.
    """
    begin_write()
    user = pending_change(token, now).user
    db.session.refresh(user, with_for_update=True)
    pending = pending_change(token, now)
    if find_user(pending.new_email) is not None:
        raise _taken()
    old_email = user.email
    try:
        with db.session.begin_nested():
            user.email = pending.new_email
    except IntegrityError as error:
        raise _taken() from error
    queue_mail(
        "email_changed",
        old_email,
        template="email_changed",
        locale=user.locale,
        user=user,
        new_email=masked(pending.new_email),
    )
    audit.record(AuditAction.email_changed, AuditObject.user, user.id, actor_id=user.id)
    db.session.flush()
    return pending
