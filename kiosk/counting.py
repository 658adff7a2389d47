"""How one visit row is written, whichever way it came in: phone, tablet or host.

A visit stores house, room, kiosk, the minute, the channel, the running activity, the
optional answers, a keyed device hash (QR and poster only) and a suspicion flag — never
an IP address, user agent, name or phone number (DESIGN section 6). Whether it is
suspicious is decided by the pure rule in booking/rules/visits.py, from what one
statement read just before the write.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    String,
    Time,
    bindparam,
    cast,
    exists,
    func,
    select,
)
from sqlalchemy.dialects.postgresql.dml import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql.dml import OnConflictDoNothing as PostgresqlDoNothing
from sqlalchemy.dialects.sqlite.dml import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite.dml import OnConflictDoNothing as SqliteDoNothing
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from booking.extensions import db
from booking.models import Booking, OpeningHours, Room, Visit, VisitorCard
from booking.models.base import UTCDateTime
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules.slots import AMSTERDAM
from booking.rules.visitor_cards import card_reason
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


class _device_lock(FunctionElement[Any]):  # lower case: reads like the SQL it becomes
    """PostgreSQL: an advisory transaction lock on (house, device hash), so two posts of
    one phone or card are counted one after the other; the later INSERT, a statement of its
    own, then sees the first one's visit. Nothing when the key is NULL (the function is
    strict: a tap locks nothing). SQLite: nothing, BEGIN IMMEDIATE serialises writers."""

    name = "device_lock"
    inherit_cache = True


@compiles(_device_lock, "postgresql")
def _device_lock_postgresql(element: _device_lock, compiler: Any, **kw: Any) -> str:
    house, key = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(SELECT 1 FROM pg_advisory_xact_lock({house}, hashtext(CAST({key} AS TEXT))))"


@compiles(_device_lock)
def _device_lock_elsewhere(element: _device_lock, compiler: Any, **kw: Any) -> str:
    return "NULL"


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
    _device_lock(bindparam("house_id"), bindparam("lock_key", type_=String)).label("locked"),
    # A card read only: True for a good card of this house, False for a blocked one, NULL
    # for a card it never printed (a NULL card_hash finds nothing, so taps pay nothing).
    select(VisitorCard.blocked_at.is_(None))
    .where(
        VisitorCard.code_hash == bindparam("card_hash", type_=String),
        VisitorCard.house_id == bindparam("house_id"),
    )
    .scalar_subquery()
    .label("card_good"),
)


def burst_limits() -> BurstLimits:
    """The gemeente's burst thresholds (read once per transaction, `houses.policy`)."""
    settings = policy()
    return BurstLimits(
        settings.burst_kiosk, settings.burst_tablet, settings.burst_qr, settings.burst_poster
    )


def visit_values(
    place: Place,
    moment: datetime,
    now: datetime,
    *,
    card_hash: str | None = None,
    lock_key: str | None = None,
    **fields: object,
) -> VisitValues:
    """Everything a visit row holds, read before the write lock is taken. For a card read
    (`card_hash`) the same statement says whether this house printed the card and whether
    it is blocked: such a read is flagged for that whatever else is true. `lock_key` (a
    device hash) takes PostgreSQL's lock on that device in the same statement."""
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
            "card_hash": card_hash,
            "lock_key": lock_key,
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
    if card_hash is not None:
        good = found.card_good
        reason = card_reason(good is not None, good is not None and not good) or reason
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


# The dialects' INSERT ... ON CONFLICT is not cached by SQLAlchemy 2.0 (their Insert has
# `inherit_cache = False` and the ON CONFLICT clause has no cache key), so every check-in
# compiled its INSERT again: about a millisecond of a worker's time. The subclasses below
# give the clause a cache key made of its target, which is all a DO NOTHING clause holds.
_DO_NOTHING_KEY = [
    ("inferred_target_elements", InternalTraversal.dp_string_list),  # column names
    ("inferred_target_whereclause", InternalTraversal.dp_clauseelement),
]


class _SqliteDoNothing(SqliteDoNothing):
    inherit_cache = True
    _traverse_internals = _DO_NOTHING_KEY


class _PostgresqlDoNothing(PostgresqlDoNothing):
    inherit_cache = True
    _traverse_internals = [*_DO_NOTHING_KEY, ("constraint_target", InternalTraversal.dp_string)]


class _SqliteVisitInsert(SqliteInsert):
    inherit_cache = True

    def on_client_id_conflict_do_nothing(self) -> Self:
        self._post_values_clause = _SqliteDoNothing(index_elements=["client_id"])
        return self


class _PostgresqlVisitInsert(PostgresqlInsert):
    inherit_cache = True

    def on_client_id_conflict_do_nothing(self) -> Self:
        self._post_values_clause = _PostgresqlDoNothing(index_elements=["client_id"])
        return self


_VISIT_INSERTS = {"sqlite": _SqliteVisitInsert, "postgresql": _PostgresqlVisitInsert}
_INSERT_VISIT = {
    dialect: insert(Visit.__table__)
    .on_client_id_conflict_do_nothing()
    .returning(Visit.__table__.c.id)
    for dialect, insert in _VISIT_INSERTS.items()
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


def _insert_unless_seen(dialect: str, same_reason: bool) -> Any:
    """INSERT ... SELECT ... WHERE NOT EXISTS (a visit of one of these hashes in the
    window), skipping a client id counted before: the check and the write in one
    statement, taken after the lock, so it sees every visit committed before it."""
    table = Visit.__table__
    earlier = table.alias("earlier")

    def value(column: str) -> Any:
        param = bindparam(column, type_=table.c[column].type)
        # PostgreSQL types a bare parameter in a SELECT list as text; SQLite needs no cast
        # (and a CAST to a date type there would turn the stored text into a number).
        return cast(param, table.c[column].type) if dialect == "postgresql" else param

    conditions = [
        earlier.c.house_id == bindparam("house_id"),
        earlier.c.device_hash.in_(bindparam("hashes", expanding=True)),
        earlier.c.visited_at > bindparam("seen_since", type_=UTCDateTime),
        earlier.c.visited_at < bindparam("seen_until", type_=UTCDateTime),
    ]
    if same_reason:
        conditions.append(earlier.c.suspicious_reason == bindparam("suspicious_reason"))
    rows = select(*(value(c) for c in _VISIT_COLUMNS)).where(~exists().where(*conditions))
    return (
        _VISIT_INSERTS[dialect](table)
        .from_select(list(_VISIT_COLUMNS), rows)
        .on_client_id_conflict_do_nothing()
        .returning(table.c.id)
    )


_INSERT_UNLESS_SEEN = {
    (dialect, same_reason): _insert_unless_seen(dialect, same_reason)
    for dialect in ("sqlite", "postgresql")
    for same_reason in (False, True)
}


def insert_visit_unless_seen(
    values: VisitValues,
    hashes: list[str],
    since: datetime,
    until: datetime,
    *,
    same_reason: bool = False,
) -> int | None:
    """Insert the visit unless one of `hashes` visited the house in (since, until) or its
    client id was counted before (None then). With `same_reason` only earlier visits
    flagged for this visit's own reason count as seen."""
    row = dict.fromkeys(_VISIT_COLUMNS) | values
    dialect = db.session.get_bind().dialect.name
    params = row | {"hashes": hashes, "seen_since": since, "seen_until": until}
    statement = _INSERT_UNLESS_SEEN[dialect, same_reason]
    return db.session.connection().execute(statement, params).scalar()
