"""The booking aggregate: bookings (each occurrence its own row) and their series.

The invariant of DESIGN section 4 lives here on PostgreSQL: an exclusion constraint
forbids two active bookings of one room whose time ranges overlap. SQLite has no such
constraint; there the booking service serialises writers with BEGIN IMMEDIATE.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    column,
    func,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.accounts import User
from booking.models.base import Base, UTCDateTime, utcnow
from booking.models.houses import Room
from booking.rules.statuses import ACTIVE_STATUSES, BookingStatus, OrganiserKind, TariffGroup

NO_OVERLAP_CONSTRAINT = "ex_booking_no_overlap"
_STATUS_VALUES = ", ".join(f"'{s.value}'" for s in BookingStatus)
_GROUP_VALUES = ", ".join(f"'{g.value}'" for g in TariffGroup)
_KIND_VALUES = ", ".join(f"'{k.value}'" for k in OrganiserKind)
ACTIVE_STATUS_VALUES = sorted(s.value for s in ACTIVE_STATUSES)


class BookingSeries(Base):
    """The rule of a recurring booking; its occurrences are ordinary bookings."""

    __tablename__ = "booking_series"
    __table_args__ = (
        CheckConstraint("freq IN ('weekly', 'monthly')", name="freq"),
        CheckConstraint("interval BETWEEN 1 AND 52", name="interval"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"), index=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    freq: Mapped[str] = mapped_column(String(10))
    interval: Mapped[int] = mapped_column(Integer, default=1)
    until: Mapped[date] = mapped_column(Date)
    local_start: Mapped[time] = mapped_column(Time)
    local_end: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Amsterdam")
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bookings: Mapped[list[Booking]] = relationship(
        back_populates="series", order_by="Booking.start"
    )


class Booking(Base):
    """One reservation of one room; price and tariff group are frozen when it is made."""

    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint('start < "end"', name="start_before_end"),
        CheckConstraint(f"status IN ({_STATUS_VALUES})", name="status"),
        CheckConstraint(f"tariff_group IN ({_GROUP_VALUES})", name="tariff_group"),
        CheckConstraint(f"organiser_kind IN ({_KIND_VALUES})", name="organiser_kind"),
        CheckConstraint("priority_class BETWEEN 1 AND 4", name="priority_class"),
        CheckConstraint("amount_cents >= 0 AND list_price_cents >= 0", name="money"),
        CheckConstraint("contribution_cents >= 0", name="contribution"),
        Index("ix_booking_room_start", "room_id", "start"),
        ExcludeConstraint(
            (column("room_id"), "="),
            (func.tstzrange(column("start"), column("end"), "[)"), "&&"),
            name=NO_OVERLAP_CONSTRAINT,
            using="gist",
            where=column("status").in_(ACTIVE_STATUS_VALUES),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    tariff_group: Mapped[str] = mapped_column(String(2))
    priority_class: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    list_price_cents: Mapped[int] = mapped_column(Integer)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    displaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    organiser_kind: Mapped[str] = mapped_column(String(30))
    open_to_all: Mapped[bool] = mapped_column(Boolean)
    membership_required: Mapped[bool] = mapped_column(Boolean)
    contribution_cents: Mapped[int] = mapped_column(Integer)
    profit_making: Mapped[bool] = mapped_column(Boolean)
    subsidised: Mapped[bool] = mapped_column(Boolean)
    mainly_meeting: Mapped[bool] = mapped_column(Boolean)
    gives_in_return: Mapped[bool] = mapped_column(Boolean)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    room: Mapped[Room] = relationship()
    organiser: Mapped[User] = relationship()
    series: Mapped[BookingSeries | None] = relationship(back_populates="bookings")

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUS_VALUES
