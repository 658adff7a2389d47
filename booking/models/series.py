"""A recurring booking's rule; its occurrences are ordinary bookings (models/bookings.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from booking.models.bookings import Booking


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
