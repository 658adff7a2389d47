"""The API tokens of an account: which are valid, and revoking one.

Tokens are made by `flask users token EMAIL` (services/accounts.issue_api_token) and shown
once; here the owner sees when each was made and can revoke it. Only hashes are stored, so
a token itself is never shown again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import NotFound
from booking.extensions import db
from booking.models import ApiToken, User
from booking.rules.audit import AuditAction, AuditObject
from booking.services import audit


def valid_tokens(user: User) -> list[ApiToken]:
    """The account's tokens that still work, the newest first."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(actor: User, token_id: int, now: datetime) -> None:
    """Revoke one of the actor's valid tokens; another's (or a revoked one) answers 404."""
    begin_write()
    token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.id == token_id, ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        raise NotFound(token_id)
    token.revoked_at = now
    audit.record(
        AuditAction.api_token_revoked, AuditObject.user, actor.id, actor_id=actor.id, token=token.id
    )
    db.session.flush()
