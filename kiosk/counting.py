"""How one visit row is written, whichever way it came in: phone, tablet or host.

A visit stores house, room, kiosk, the minute, the channel, the running activity, the
optional answers, a keyed device hash (QR and poster only) and a suspicion flag — never
an IP address, user agent, name or phone number (DESIGN section 6). Whether it is
suspicious is decided by the pure rule in booking/rules/visits.py, from what one
statement read just before the write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    Time,
    bindparam,
    exists,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from booking.extensions import db
from booking.models import Booking, OpeningHours, Room, Visit
from booking.models.base import UTCDateTime
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules.slots import AMSTERDAM
from booking.rules.visits import (
    BURST_COUNT_CAP,
    BurstLimits,
    Circumstances,
    burst_since,
    suspicion,
    to_minute,
)
from booking.services.houses import policy
from kiosk.places import Place

VisitValues = dict[str, Any]


def running_activity(room: Room, now: datetime) -> Booking | None:
    """The booking on in this room now, if any: a visit is counted towards it."""
    return db.session.scalar(
        select(Booking).where(Booking.id == _running_activity_id(room.id, now).scalar_subquery())
    )


def _running_activity_id(room_id: int | BindParameter[int], moment: object) -> Select[tuple[int]]:
    return (
        select(Booking.id)
        .where(
            Booking.room_id == room_id,
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.start <= moment,
            Booking.end > moment,
        )
        .order_by(Booking.start)
        .limit(1)
    )


# What a visit row needs to know besides its place, read in one statement before the
# write lock: is the house open at that moment, how many visits this kiosk counted in the
# burst window, how many this room counted in the same channel (whatever the device
# cookie: a flood sends a fresh one each time), and which activity is running. Both counts
# are capped, since only "the limit or more" matters (booking.rules.visits). Both are
# range scans of ix_visit_reach on (house_id, visited_at >= burst_since) that test
# kiosk_id, or room_id and channel, on the index entries themselves: the range holds the
# house's visits of at most two minutes. Built once with bind parameters, so each
# check-in reuses the compiled statement.
def _recent_visits(cap: int, *where: ColumnElement[bool]) -> ScalarSelect[int]:
    """How many of the house's visits since burst_since match `where`, counted up to `cap`."""
    return (
        select(func.count())
        .select_from(
            select(Visit.id)
            .where(
                Visit.house_id == bindparam("house_id"),  # uses ix_visit_reach
                Visit.visited_at >= bindparam("burst_since", type_=UTCDateTime),
                *where,
            )
            .limit(cap)
            .subquery()
        )
        .scalar_subquery()
    )


_CIRCUMSTANCES = select(
    exists()
    .where(
        OpeningHours.house_id == bindparam("house_id"),
        OpeningHours.weekday == bindparam("weekday"),
        OpeningHours.opens <= bindparam("local_time", type_=Time),
        OpeningHours.closes > bindparam("local_time", type_=Time),
    )
    .label("open"),
    _recent_visits(BURST_COUNT_CAP, Visit.kiosk_id == bindparam("kiosk_id")).label("kiosk_recent"),
    _recent_visits(
        BURST_COUNT_CAP,
        Visit.room_id == bindparam("room_id"),
        Visit.channel == bindparam("channel"),
    ).label("room_recent"),
    _running_activity_id(bindparam("room_id"), bindparam("moment", type_=UTCDateTime))
    .scalar_subquery()
    .label("booking_id"),
)


def burst_limits() -> BurstLimits:
    """The gemeente's burst thresholds (read once per transaction, `houses.policy`)."""
    settings = policy()
    return BurstLimits(
        settings.burst_kiosk, settings.burst_tablet, settings.burst_qr, settings.burst_poster
    )


def visit_values(place: Place, moment: datetime, now: datetime, **fields: object) -> VisitValues:
    """Everything a visit row holds, read before the write lock is taken."""
    local = moment.astimezone(AMSTERDAM)
    kiosk = place.kiosk
    found = db.session.execute(
        _CIRCUMSTANCES,
        {
            "house_id": place.room.house_id,
            "weekday": local.weekday(),
            "local_time": local.time(),
            "burst_since": burst_since(now),
            "kiosk_id": kiosk.id if kiosk else None,
            "room_id": place.room.id,
            "channel": place.channel,
            "moment": moment,
        },
    ).one()
    reason = suspicion(
        Circumstances(
            channel=place.channel,
            now=now,
            house_open=bool(found.open),
            from_kiosk=kiosk is not None,
            kiosk_last_seen_at=kiosk.last_seen_at if kiosk else None,
            kiosk_recent=found.kiosk_recent,
            room_recent=found.room_recent,
            limits=burst_limits(),
        )
    )
    return {
        "house_id": place.room.house_id,
        "room_id": place.room.id,
        "kiosk_id": kiosk.id if kiosk else None,
        "booking_id": found.booking_id,
        "visited_at": to_minute(moment),
        "channel": place.channel,
        "suspicious": bool(reason),
        "suspicious_reason": reason,
        **fields,
    }


_VISIT_COLUMNS = (
    "house_id",
    "room_id",
    "kiosk_id",
    "booking_id",
    "visited_at",
    "channel",
    "suspicious",
    "suspicious_reason",
    "client_id",
    "device_hash",
)
_INSERT_VISIT = {
    dialect: insert(Visit.__table__)
    .on_conflict_do_nothing(index_elements=["client_id"])
    .returning(Visit.__table__.c.id)
    for dialect, insert in (("sqlite", sqlite_insert), ("postgresql", postgresql_insert))
}


def insert_visit(values: VisitValues) -> int | None:
    """One INSERT; a visit whose client id was counted before is skipped (None).

    Every call sends the same columns (absent ones as NULL), so the compiled statement is
    reused; it goes through the session's connection, inside the transaction that
    begin_write() opened.
    """
    row = dict.fromkeys(_VISIT_COLUMNS) | values
    dialect = db.session.get_bind().dialect.name
    return db.session.connection().execute(_INSERT_VISIT[dialect], row).scalar()
