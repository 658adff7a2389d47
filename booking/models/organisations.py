"""Organisations that book through their contact persons (DESIGN §14).

An organisation is the invoiced party of the bookings made on its behalf ("namens"); each
booking is still judged by its own answers. A user may be a contact of several."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.accounts import User
from booking.models.base import Base, UTCDateTime, utcnow
from booking.rules.organisations import OrganisationKind

_KIND_VALUES = ", ".join(f"'{k.value}'" for k in OrganisationKind)


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KIND_VALUES})", name="kind"),
        CheckConstraint("kvk_number IS NULL OR length(kvk_number) = 8", name="kvk_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    kvk_number: Mapped[str | None] = mapped_column(String(8))
    billing_street: Mapped[str] = mapped_column(String(120), default="")
    billing_postcode: Mapped[str] = mapped_column(String(10), default="")
    billing_city: Mapped[str] = mapped_column(String(80), default="")
    billing_email: Mapped[str] = mapped_column(String(254), default="")
    # The house whose staff registered it, so they see it before its first booking.
    house_id: Mapped[int | None] = mapped_column(ForeignKey("house.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list[OrganisationContact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def has_contact(self, user: User) -> bool:
        return any(c.user_id == user.id for c in self.contacts)


class OrganisationContact(Base):
    """A user who may book on the organisation's behalf and read its invoices."""

    __tablename__ = "organisation_contact"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    user: Mapped[User] = relationship()
