"""The account aggregate: users, their roles per house, and API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, UTCDateTime, utcnow
from booking.models.houses import House
from booking.rules.permissions import (
    HOUSE_ROLES,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    permissions_for,
)
from booking.rules.request_mail import RequestMail

_ROLE_VALUES = ", ".join(f"'{r.value}'" for r in Role)
_HOUSE_ROLE_VALUES = ", ".join(f"'{r.value}'" for r in sorted(HOUSE_ROLES))
_REQUEST_MAIL_VALUES = ", ".join(f"'{choice.value}'" for choice in RequestMail)


class User(UserMixin, Base):
    """Anyone with an account. `role` is the account's kind; house rights are memberships."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_VALUES})", name="role"),
        CheckConstraint(f"request_mail IN ({_REQUEST_MAIL_VALUES})", name="request_mail"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.initiatiefnemer.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # Optional; seen only by the staff of houses where this person books (DESIGN section 3).
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    request_mail: Mapped[str] = mapped_column(
        String(10), default=RequestMail.direct.value, server_default=RequestMail.direct.value
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Raised by logout, password change and reset: a session cookie carries the version it
    # was made under and stops working as soon as the account's version moves on.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Set when the account was deleted (booking/services/my_account/deletion.py): the row
    # stays for the houses' records of past bookings, scrubbed of name, address and phone.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the account last logged in with its password or an invitation (services/login.py,
    # services/people/invitations.py); the gemeente's list of people shows it.
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the retention job told this unused account it will be deleted
    # (booking/services/retention.py); it counts only while nobody used the account after it.
    inactivity_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[HouseMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        """What the session cookie holds: the id and the session version it was made under.

        Logout, a password change or reset raise the version, so a cookie copied before
        then names a version that no longer exists and loads nobody.
        """
        return f"{self.id}.{self.session_version}"

    @property
    def is_gemeente(self) -> bool:
        return self.role == Role.gemeente

    def roles_in(self, house_id: int) -> frozenset[Role]:
        """Everyone may book; gemeente holds in every house; the rest by membership."""
        roles = {Role.initiatiefnemer}
        if self.is_gemeente:
            roles.add(Role.gemeente)
        roles.update(Role(m.role) for m in self.memberships if m.house_id == house_id)
        return frozenset(roles)

    def can(self, permission: Permission, house_id: int | None = None) -> bool:
        """Whether the user holds `permission` in that house (or in any house, without one)."""
        if house_id is not None:
            return permission in permissions_for(self.roles_in(house_id))
        houses = self.house_ids_with(permission)
        return (
            houses is None or bool(houses) or permission in ROLE_PERMISSIONS[Role.initiatiefnemer]
        )

    def house_ids_with(self, permission: Permission) -> set[int] | None:
        """House ids where the user holds `permission`; None means every house."""
        if self.is_gemeente and permission in ROLE_PERMISSIONS[Role.gemeente]:
            return None
        return {
            m.house_id for m in self.memberships if permission in ROLE_PERMISSIONS[Role(m.role)]
        }


class HouseMembership(Base):
    """A house-bound role: gastheer, sociaal beheerder or beheerder of one house."""

    __tablename__ = "house_membership"
    __table_args__ = (
        UniqueConstraint("user_id", "house_id", "role"),
        CheckConstraint(f"role IN ({_HOUSE_ROLE_VALUES})", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="memberships")
    house: Mapped[House] = relationship()


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginSession(Base):
    """One signed-in browser or API client, so the account page can list and end it.

    The cookie holds a random key; only its SHA-256 is stored, with when the session began
    and was last seen (moved on once a quarter hour at most). No IP address or browser
    name: privacy by design. A row counts only while its `session_version` is the account's (see
    User.get_id), so "log out everywhere" ends every row at once.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    session_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginThrottle(Base):
    """Failed logins per login name (a keyed hash of the e-mail address), for every worker.

    Keyed by the address that was typed, not by the account, so an address without an
    account is throttled exactly like one with: a block tells nobody who has an account.
    Only the hash is kept; rows of addresses quiet for a day are forgotten.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_not_negative"),)

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Invitation(Base):
    """A one-time link by which an invited person chooses their name and password.

    Only the token's SHA-256 is stored. It works once (`used_at`), for seven days
    (`expires_at`), and stops working when a newer link replaces it or the account is
    deactivated (`withdrawn_at`). See services/people/invitations.py.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
