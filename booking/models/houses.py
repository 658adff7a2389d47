"""The house aggregate: areas, houses, rooms, opening hours, closures, voorrangsblokken,
and the gemeente's policy settings that houses may override."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, UTCDateTime


class Area(Base):
    """A wijk of the town or a kern (village) of the municipality.

    Visits keep the area by id (`Visit.area_id`), and the daily roll-ups by name, so editing
    an area (its name, CBS code or kwetsbaar mark) never rewrites a visit's answer. Areas
    are never deleted: past answers keep pointing at them.
    """

    __tablename__ = "area"
    __table_args__ = (
        CheckConstraint("kind IN ('wijk', 'kern')", name="kind"),
        CheckConstraint("(cbs_code IS NULL) = (cbs_year IS NULL)", name="cbs_code_with_year"),
        CheckConstraint("cbs_year IS NULL OR cbs_year BETWEEN 2000 AND 2999", name="cbs_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    vulnerable: Mapped[bool] = mapped_column(Boolean, default=False)
    # CBS wijk code (WK + 6 digits) or buurt code (BU + 8), with the year of its map.
    cbs_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    cbs_year: Mapped[int | None] = mapped_column(Integer)

    service: Mapped[ServedArea | None] = relationship(
        back_populates="area", cascade="all, delete-orphan", uselist=False
    )

    @property
    def served_by(self) -> House | None:
        """The house that serves this area, if the gemeente named one."""
        return self.service.house if self.service else None


class ServedArea(Base):
    """Which house serves an area: at most one house per wijk or kern.

    Its own table rather than a column of `area`, because `house` already points at
    `area` (the area a house stands in) and two tables pointing at each other cannot be
    created, emptied or dropped in one order.
    """

    __tablename__ = "served_area"

    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)

    area: Mapped[Area] = relationship(back_populates="service")
    house: Mapped[House] = relationship()


class PolicySettings(Base):
    """The gemeente's defaults; one row (`booking/rules/policy.py` says what each means).

    Houses may override the factors, the cap, the window, the expiry and the horizon; the
    visit and booking retention, the account inactivity period and the bursts hold for all."""

    __tablename__ = "policy_settings"
    __table_args__ = (
        CheckConstraint("contribution_cap_cents >= 0", name="cap_not_negative"),
        CheckConstraint(
            "factor_t1_percent >= 0 AND factor_t2_percent >= 0 AND factor_t3_percent >= 0 "
            "AND factor_t4_percent >= 0",
            name="factors_not_negative",
        ),
        CheckConstraint(
            "factor_t1_percent <= 500 AND factor_t2_percent <= 500 AND factor_t3_percent <= 500 "
            "AND factor_t4_percent <= 500",
            name="factors_at_most_500",
        ),
        CheckConstraint("request_expiry_days >= 1", name="expiry_positive"),
        CheckConstraint("booking_horizon_months BETWEEN 1 AND 60", name="horizon_range"),
        CheckConstraint(
            "burst_kiosk >= 1 AND burst_tablet >= 1 AND burst_qr >= 1 AND burst_poster >= 1",
            name="bursts_positive",
        ),
        CheckConstraint(
            "booking_retention_years >= 7 AND account_inactivity_months >= 12",
            name="retention_minimum",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contribution_cap_cents: Mapped[int] = mapped_column(Integer, default=300)
    factor_t1_percent: Mapped[int] = mapped_column(Integer, default=0)
    factor_t2_percent: Mapped[int] = mapped_column(Integer, default=50)
    factor_t3_percent: Mapped[int] = mapped_column(Integer, default=100)
    factor_t4_percent: Mapped[int] = mapped_column(Integer, default=150)
    voorrangstermijn_days: Mapped[int] = mapped_column(Integer, default=14)
    suppression_threshold: Mapped[int] = mapped_column(Integer, default=5)
    visit_retention_months: Mapped[int] = mapped_column(Integer, default=13)
    request_expiry_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    booking_horizon_months: Mapped[int] = mapped_column(Integer, default=18, server_default="18")
    # Burst thresholds of the kiosk (booking/rules/visits.py): per kiosk, and per room and
    # channel.
    burst_kiosk: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    burst_tablet: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    burst_qr: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    burst_poster: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    # Retention of personal data (booking/rules/retention.py), for every house alike; the
    # CHECK keeps the fiscal bewaarplicht of seven years whatever writes the row.
    booking_retention_years: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    account_inactivity_months: Mapped[int] = mapped_column(Integer, default=24, server_default="24")


class House(Base):
    """A community centre with its own board, rooms, rates and opening hours.

    A deactivated house (`active` false) keeps its rooms, bookings, visits and audit
    entries, and its slug, but takes no new bookings. The factors, cap and window are the
    house's own when set and the gemeente's default when NULL. The request expiry and the
    horizon always hold the value in force (the jobs and the booking form read them): the
    house's own when `request_expiry_own` / `booking_horizon_own`, otherwise a copy of the
    gemeente's default that `services/gemeente/policy.py` keeps up to date.
    """

    __tablename__ = "house"
    __table_args__ = (
        CheckConstraint(
            "voorrangstermijn_days IS NULL OR voorrangstermijn_days >= 0",
            name="window_not_negative",
        ),
        CheckConstraint("request_expiry_days >= 1", name="expiry_positive"),
        CheckConstraint(
            "min_duration_minutes >= 15 AND max_duration_minutes >= min_duration_minutes",
            name="duration_limits",
        ),
        CheckConstraint(
            "booking_horizon_months BETWEEN 1 AND 60", name="booking_horizon_months_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Free text for the public agenda, e.g. "ma t/m vr 10.00-12.00".
    huiskamer_hours: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    voorrangstermijn_days: Mapped[int | None] = mapped_column(Integer)
    contribution_cap_cents: Mapped[int | None] = mapped_column(Integer)
    factor_t1_percent: Mapped[int | None] = mapped_column(Integer)
    factor_t2_percent: Mapped[int | None] = mapped_column(Integer)
    factor_t3_percent: Mapped[int | None] = mapped_column(Integer)
    factor_t4_percent: Mapped[int | None] = mapped_column(Integer)
    request_expiry_days: Mapped[int] = mapped_column(Integer, default=7)
    min_duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    max_duration_minutes: Mapped[int] = mapped_column(Integer, default=12 * 60)
    booking_horizon_months: Mapped[int] = mapped_column(Integer, default=18, server_default="18")
    request_expiry_own: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    booking_horizon_own: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    website: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # The stichting (foundation) that runs the house, and its Kamer van Koophandel number.
    stichting_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    kvk_number: Mapped[str] = mapped_column(String(8), default="", server_default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area: Mapped[Area] = relationship()
    rooms: Mapped[list[Room]] = relationship(
        back_populates="house", order_by="Room.id", cascade="all, delete-orphan"
    )
    opening_hours: Mapped[list[OpeningHours]] = relationship(
        order_by="(OpeningHours.weekday, OpeningHours.opens)", cascade="all, delete-orphan"
    )
    closures: Mapped[list[Closure]] = relationship(
        order_by="Closure.starts_at", cascade="all, delete-orphan"
    )


class Room(Base):
    """A bookable room; its base hourly rate is the T3 (regulier) rate."""

    __tablename__ = "room"
    __table_args__ = (
        UniqueConstraint("house_id", "name"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("base_rate_cents >= 0", name="rate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    base_rate_cents: Mapped[int] = mapped_column(Integer)
    rate_t1_cents: Mapped[int | None] = mapped_column(Integer)
    rate_t2_cents: Mapped[int | None] = mapped_column(Integer)
    rate_t3_cents: Mapped[int | None] = mapped_column(Integer)
    rate_t4_cents: Mapped[int | None] = mapped_column(Integer)
    is_huiskamer: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    house: Mapped[House] = relationship(back_populates="rooms")
    priority_blocks: Mapped[list[PriorityBlock]] = relationship(
        order_by="(PriorityBlock.weekday, PriorityBlock.starts)", cascade="all, delete-orphan"
    )


class OpeningHours(Base):
    """One opening period on one weekday (0 = Monday), in Amsterdam wall-clock time."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class Closure(Base):
    """A period in which a house (or one room) cannot be booked: holidays, maintenance."""

    __tablename__ = "closure"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("room.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200))


class PriorityBlock(Base):
    """A recurring voorrangsblok that only class 1 (door en voor bewoners) may book."""

    __tablename__ = "priority_block"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("starts < ends", name="starts_before_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
