"""The kiosk aggregate: paired tablets, anonymous visits, their roll-ups and host notes.

A visit never holds an IP address, user agent, name or phone number (DESIGN section 6).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.models.base import Base, UTCDateTime, utcnow
from booking.models.houses import Room
from booking.rules.visit_vocabulary import AGE_GROUPS, CHANNELS

# The allowed values of the CHECK constraints, in the vocabulary's order (the initial
# migration wrote them so: a reordering would show up as a schema change).
_CHANNEL_VALUES = ", ".join(f"'{c}'" for c in CHANNELS)
_AGE_VALUES = ", ".join(f"'{a}'" for a in AGE_GROUPS)
REACH_INDEX_COLUMNS = (
    "house_id",
    "visited_at",
    "suspicious",
    "channel",
    "first_time",
    "age_group",
    "area_id",
    "area_answer",
    "room_id",
    "booking_id",
    "kiosk_id",
    "device_hash",
)


class Kiosk(Base):
    """A tablet paired to one room. Only hashes of its pairing code and credential are kept."""

    __tablename__ = "kiosk"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    pairing_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pairing_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    credential_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    key_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    room: Mapped[Room] = relationship()


class Visit(Base):
    """One anonymous check-in, to the minute."""

    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint(f"channel IN ({_CHANNEL_VALUES})", name="channel"),
        CheckConstraint(f"age_group IS NULL OR age_group IN ({_AGE_VALUES})", name="age_group"),
        # The reach index: a house's visits in time order, with every column a reach
        # report reads, so a report is an index range scan that never visits the table
        # (bench/stats_bench.py). It also serves the burst count of a check-in.
        Index("ix_visit_reach", *REACH_INDEX_COLUMNS),
        Index("ix_visit_house_device", "house_id", "device_hash", "visited_at", "suspicious"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"))
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(10))
    first_time: Mapped[bool | None] = mapped_column(Boolean)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    area_answer: Mapped[str | None] = mapped_column(String(20))
    age_group: Mapped[str | None] = mapped_column(String(15))
    device_hash: Mapped[str | None] = mapped_column(String(64))
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    suspicious: Mapped[bool] = mapped_column(Boolean, default=False)
    suspicious_reason: Mapped[str] = mapped_column(String(40), default="")


class VisitDailyRollup(Base):
    """Daily counts that outlive the raw visits after the retention period."""

    __tablename__ = "visit_daily_rollup"
    __table_args__ = (
        UniqueConstraint(
            "house_id",
            "room_id",
            "day",
            "channel",
            "area_key",
            "age_group",
            "first_time",
            "suspicious",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    day: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(10))
    area_key: Mapped[str] = mapped_column(String(80), default="")
    age_group: Mapped[str] = mapped_column(String(15), default="")
    first_time: Mapped[str] = mapped_column(String(5), default="")
    suspicious: Mapped[bool] = mapped_column(Boolean, default=False)
    visits: Mapped[int] = mapped_column(Integer)
    distinct_devices: Mapped[int] = mapped_column(Integer, default=0)


class DeviceHashKey(Base):
    """The key of the keyed device hash for one reporting year; destroyed afterwards."""

    __tablename__ = "device_hash_key"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    destroyed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VisitorCardBatch(Base):
    """One printed sheet of visitor cards. Its plain codes live on its cards for
    `PRINTABLE_FOR` (booking/rules/visitor_cards.py), so the sheet can be printed again."""

    __tablename__ = "visitor_card_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    size: Mapped[int] = mapped_column(Integer)


class VisitorCard(Base):
    """An anonymous printed card: a hash of its code, a short code to block it by.

    Nothing about who got it. `plain_code` is kept only while its sheet may be printed
    again and erased afterwards (lazily when read, and by the retention job).
    """

    __tablename__ = "visitor_card"
    __table_args__ = (UniqueConstraint("house_id", "short_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("visitor_card_batch.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    short_code: Mapped[str] = mapped_column(String(12))
    plain_code: Mapped[str | None] = mapped_column(String(32))
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HostNote(Base):
    """The 'vertellen' beside the counts: a short note on a day or an activity."""

    __tablename__ = "host_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), index=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
