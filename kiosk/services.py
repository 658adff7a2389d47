"""Kiosk use cases: pair a tablet, show its QR, count a visit, tally, answer questions.

A visit stores house, room, kiosk, the minute, the channel, the running activity, the
optional answers, a keyed device hash (QR and poster only) and a suspicion flag — never
an IP address, user agent, name or phone number (DESIGN section 6).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    Time,
    bindparam,
    delete,
    exists,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from booking.database import begin_write
from booking.extensions import db
from booking.models import Area, Booking, House, Kiosk, OpeningHours, Room, User, Visit
from booking.models.base import UTCDateTime
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.models.kiosk import AGE_GROUPS
from booking.rules.messages import N_
from booking.rules.numbers import parse_whole_number
from booking.rules.permissions import Permission
from booking.rules.slots import AMSTERDAM, local_day_bounds
from booking.rules.visits import (
    KIOSK_BURST_SIZE,
    ROOM_BURST_COUNT_CAP,
    Circumstances,
    burst_since,
    suspicion,
    to_minute,
)
from booking.services import audit
from booking.services.device_keys import device_hash, existing_key, key_for_year
from kiosk import tokens

PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PAIRING_VALID = timedelta(minutes=15)
SAME_VISIT = timedelta(hours=3)
ANSWER_WINDOW = timedelta(minutes=30)
TAP_MAX_AGE = timedelta(hours=24)
AREA_OTHER_ANSWERS = ("elders", "geen_antwoord")


class KioskError(Exception):
    """A kiosk use case refused; the message is Dutch and safe to show."""


class NotFound(KioskError):
    pass


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in PAIRING_ALPHABET)


# Pairing ----------------------------------------------------------------------------


def _room_for(actor: User, room_id: int) -> Room:
    room = db.session.get(Room, room_id)
    if room is None or not actor.can(Permission.manage_programme, room.house_id):
        raise NotFound(room_id)
    return room


def create_kiosk(actor: User, room_id: int, now: datetime, name: str = "") -> tuple[Kiosk, str]:
    """A kiosk for a room, with a one-time pairing code valid for 15 minutes."""
    begin_write()
    room = _room_for(actor, room_id)
    code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
    kiosk = Kiosk(
        room_id=room.id,
        name=name or room.name,
        pairing_code_hash=_sha(code),
        pairing_expires_at=now + PAIRING_VALID,
        created_by_id=actor.id,
    )
    db.session.add(kiosk)
    db.session.flush()
    audit.record("kiosk_created", "kiosk", kiosk.id, actor_id=actor.id, house_id=room.house_id)
    return kiosk, f"{code[:4]}-{code[4:]}"


def pair(code: str, now: datetime) -> tuple[Kiosk, str]:
    """Exchange a pairing code for a device credential; the code works once."""
    begin_write()
    normalised = normalise_code(code or "")
    kiosk = None
    if len(normalised) == 8:
        kiosk = db.session.scalar(select(Kiosk).where(Kiosk.pairing_code_hash == _sha(normalised)))
    if (
        kiosk is None
        or kiosk.revoked_at is not None
        or kiosk.pairing_expires_at is None
        or kiosk.pairing_expires_at < now
    ):
        raise KioskError(
            N_("Deze koppelcode is onbekend of verlopen. Vraag de beheerder om een nieuwe.")
        )
    credential = secrets.token_urlsafe(32)
    kiosk.credential_hash = _sha(credential)
    kiosk.pairing_code_hash = None
    kiosk.pairing_expires_at = None
    kiosk.paired_at = kiosk.last_seen_at = now
    audit.record("kiosk_paired", "kiosk", kiosk.id, actor_id=None, house_id=kiosk.room.house_id)
    return kiosk, credential


def kiosk_for_credential(credential: str | None) -> Kiosk | None:
    if not credential or len(credential) > 100:
        return None
    return db.session.scalar(
        select(Kiosk)
        .where(Kiosk.credential_hash == _sha(credential), Kiosk.revoked_at.is_(None))
        .options(joinedload(Kiosk.room, innerjoin=True))
    )


def revoke(actor: User, kiosk_id: int, now: datetime) -> Kiosk:
    """Revoke the device credential and, with a new key version, every QR code it showed."""
    begin_write()
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or not actor.can(Permission.manage_programme, kiosk.room.house_id):
        raise NotFound(kiosk_id)
    kiosk.revoked_at = now
    kiosk.credential_hash = None
    kiosk.pairing_code_hash = None
    kiosk.key_version += 1
    audit.record(
        "kiosk_revoked", "kiosk", kiosk.id, actor_id=actor.id, house_id=kiosk.room.house_id
    )
    return kiosk


def kiosks_of(house: House) -> list[Kiosk]:
    return list(
        db.session.scalars(
            select(Kiosk).join(Room).where(Room.house_id == house.id).order_by(Kiosk.id)
        )
    )


def seen(kiosk: Kiosk, now: datetime) -> None:
    """Note that the tablet is alive; written at most once a minute."""
    if kiosk.last_seen_at is None or now - kiosk.last_seen_at > timedelta(minutes=1):
        begin_write()
        kiosk.last_seen_at = now


# QR tokens ---------------------------------------------------------------------------


def _key(kiosk: Kiosk) -> bytes:
    return tokens.kiosk_key(current_app.config["SECRET_KEY"], kiosk.id, kiosk.key_version)


def qr_token(kiosk: Kiosk, now: datetime) -> str:
    return tokens.sign(_key(kiosk), kiosk.id, tokens.slot_of(now))


@dataclass(frozen=True)
class Place:
    """Where a phone checks in: from a kiosk's QR code or a room's poster."""

    room: Room
    kiosk: Kiosk | None
    channel: str


def place_for_qr(token: str, now: datetime, *, grace_slots: int = 0) -> Place | None:
    """The kiosk's room if the token is authentic, fresh and its kiosk not revoked."""
    parsed = tokens.parse(token)
    if parsed is None:
        return None
    kiosk = db.session.get(Kiosk, parsed.kiosk_id, options=[joinedload(Kiosk.room)])
    if kiosk is None or kiosk.revoked_at is not None or kiosk.credential_hash is None:
        return None
    if not tokens.is_authentic(_key(kiosk), parsed):
        return None
    if not tokens.is_fresh(parsed, now, tokens.ACCEPTED_SLOTS + grace_slots):
        return None
    return Place(kiosk.room, kiosk, "qr")


def place_for_poster(token: str) -> Place | None:
    room_id = tokens.poster_room(current_app.config["SECRET_KEY"], token)
    room = db.session.get(Room, room_id) if room_id else None
    return Place(room, None, "poster") if room is not None and room.active else None


def poster_url_token(room: Room) -> str:
    return tokens.poster_token(current_app.config["SECRET_KEY"], room.id)


# Counting ----------------------------------------------------------------------------


def running_activity(room: Room, now: datetime) -> Booking | None:
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
    _recent_visits(KIOSK_BURST_SIZE, Visit.kiosk_id == bindparam("kiosk_id")).label("kiosk_recent"),
    _recent_visits(
        ROOM_BURST_COUNT_CAP,
        Visit.room_id == bindparam("room_id"),
        Visit.channel == bindparam("channel"),
    ).label("room_recent"),
    _running_activity_id(bindparam("room_id"), bindparam("moment", type_=UTCDateTime))
    .scalar_subquery()
    .label("booking_id"),
)


def _visit_values(place: Place, moment: datetime, now: datetime, **fields: object) -> dict:
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


def _insert_visit(values: dict) -> int | None:
    """One INSERT; a visit whose client id was counted before is skipped (None).

    Every call sends the same columns (absent ones as NULL), so the compiled statement is
    reused; it goes through the session's connection, inside the transaction that
    begin_write() opened.
    """
    row = dict.fromkeys(_VISIT_COLUMNS) | values
    dialect = db.session.get_bind().dialect.name
    return db.session.connection().execute(_INSERT_VISIT[dialect], row).scalar()


@dataclass(frozen=True)
class CheckIn:
    visit_id: int
    counted: bool  # False: the same device was here within 3 hours


def _device_hashes(house_id: int, device_id: str, now: datetime) -> list[str]:
    """The hash to store first, then the hash this device had three hours ago if the
    year's key changed since (midnight of 1 January, Amsterdam) and still exists."""
    year = now.astimezone(AMSTERDAM).year
    hashes = [device_hash(key_for_year(year), house_id, device_id)]
    if (now - SAME_VISIT).astimezone(AMSTERDAM).year < year:
        earlier_key = existing_key(year - 1)
        if earlier_key is not None:
            hashes.append(device_hash(earlier_key, house_id, device_id))
    return hashes


def check_in_phone(place: Place, device_id: str, now: datetime) -> CheckIn:
    """Count a phone once per house per three hours, by its keyed device hash.

    The reads that only shape the row happen first; the write lock (SQLite) or a lock on
    this device in this house (PostgreSQL) is held only for the check and the insert, so
    two simultaneous posts from one phone still count once.
    """
    house_id = place.room.house_id
    hashed, *earlier_hashes = _device_hashes(house_id, device_id, now)
    values = _visit_values(place, now, now, device_hash=hashed)
    begin_write()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:house, hashtext(:device))"),
            {"house": house_id, "device": hashed},
        )
    earlier = db.session.scalar(
        select(Visit.id)
        .where(
            Visit.house_id == house_id,
            Visit.device_hash.in_([hashed, *earlier_hashes]),
            Visit.visited_at > to_minute(now - SAME_VISIT),
        )
        .order_by(Visit.visited_at.desc())
        .limit(1)
    )
    if earlier is not None:
        return CheckIn(earlier, counted=False)
    visit_id = _insert_visit(values)
    assert visit_id is not None
    return CheckIn(visit_id, counted=True)


def tap(kiosk: Kiosk, client_id: str, tapped_at: datetime | None, now: datetime) -> bool:
    """An *Ik ben er* tap, possibly replayed from the tablet's offline queue; counts once.

    The unique client id is the guarantee: a replay or a simultaneous duplicate hits
    ON CONFLICT DO NOTHING, so the write lock is held for one INSERT only.
    """
    try:
        # One spelling per tap: "{...}", "urn:uuid:..." and upper case are the same uuid,
        # and the stored client id is what makes a replay count once.
        client_id = str(uuid.UUID(client_id))
    except (ValueError, TypeError, AttributeError) as error:
        raise KioskError(N_("Ongeldige tik.")) from error
    moment = (
        tapped_at
        if tapped_at and now - TAP_MAX_AGE <= tapped_at <= now + timedelta(minutes=2)
        else now
    )
    values = _visit_values(
        Place(kiosk.room, kiosk, "tablet"), min(moment, now), now, client_id=client_id
    )
    begin_write()
    return _insert_visit(values) is not None


def _answerable(visited_at: datetime | None, now: datetime) -> bool:
    return visited_at is not None and now - visited_at <= ANSWER_WINDOW


def can_answer(visit_id: int, now: datetime) -> bool:
    """The questions belong to a visit of the last half hour; a phone that checks in again
    later within three hours is welcomed back without them."""
    return _answerable(db.session.scalar(select(Visit.visited_at).where(Visit.id == visit_id)), now)


def answer(
    visit_id: int, now: datetime, *, first_time: str | None, area: str | None, age_group: str | None
) -> Visit:
    """Store the optional answers of a visit made from this browser a moment ago."""
    begin_write()
    visit = db.session.get(Visit, visit_id)
    if visit is None or not _answerable(visit.visited_at, now):
        raise KioskError(N_("Deze vragen zijn verlopen. Dank u wel voor uw bezoek!"))
    if first_time in ("ja", "nee"):
        visit.first_time = first_time == "ja"
    if area in AREA_OTHER_ANSWERS:
        visit.area_answer, visit.area_id = area, None
    elif (area_id := parse_whole_number(area)) is not None and db.session.get(Area, area_id):
        visit.area_id, visit.area_answer = area_id, None
    elif area:
        raise KioskError(N_("Kies een wijk of kern uit de lijst."))
    if age_group in AGE_GROUPS:
        visit.age_group = age_group
    elif age_group:
        raise KioskError(N_("Kies een leeftijdsgroep uit de lijst."))
    return visit


# The host's tally ----------------------------------------------------------------------


def tally(actor: User, room_id: int, count: int, now: datetime) -> int:
    """The host counts a group (+1 or +N) that did not check in themselves."""
    begin_write()
    room = db.session.get(Room, room_id)
    if room is None or not actor.can(Permission.run_kiosk, room.house_id):
        raise NotFound(room_id)
    if not 1 <= count <= 200:
        raise KioskError(N_("Tel 1 tot 200 bezoekers tegelijk."))
    batch = "t" + uuid.uuid4().hex[:27]
    values = _visit_values(Place(room, None, "tally"), now, now)
    for index in range(count):
        _insert_visit({**values, "client_id": f"{batch}-{index:04d}"})
    audit.record(
        "tally_added",
        "room",
        room.id,
        actor_id=actor.id,
        house_id=room.house_id,
        count=count,
        batch=batch,
    )
    return count


def undo_last_tally(actor: User, house: House, now: datetime) -> int:
    """Remove the most recent tally of today in this house (all visits of that batch)."""
    begin_write()
    if not actor.can(Permission.run_kiosk, house.id):
        raise NotFound(house.id)
    start, end = local_day_bounds(now)
    last = db.session.scalar(
        select(Visit)
        .where(
            Visit.house_id == house.id,
            Visit.channel == "tally",
            Visit.visited_at >= start,
            Visit.visited_at < end,
        )
        .order_by(Visit.id.desc())
        .limit(1)
    )
    if last is None or not last.client_id:
        return 0
    batch = last.client_id.split("-")[0]
    removed = db.session.execute(
        delete(Visit).where(Visit.house_id == house.id, Visit.client_id.like(f"{batch}-%"))
    ).rowcount
    audit.record(
        "tally_undone",
        "house",
        house.id,
        actor_id=actor.id,
        house_id=house.id,
        count=removed,
        batch=batch,
    )
    return removed


def visits_today(house_id: int, now: datetime) -> int:
    start, end = local_day_bounds(now)
    return (
        db.session.scalar(
            select(func.count(Visit.id)).where(
                Visit.house_id == house_id,
                Visit.visited_at >= start,
                Visit.visited_at < end,
                Visit.suspicious.is_(False),
            )
        )
        or 0
    )


def programme_today(house: House, now: datetime) -> list[Booking]:
    start, end = local_day_bounds(now)
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room)
            .where(
                Room.house_id == house.id,
                Booking.start < end,
                Booking.end > start,
                Booking.status.in_(ACTIVE_STATUS_VALUES),
            )
            .order_by(Booking.start)
        )
    )
