"""Use cases of running one house: rooms, settings, opening hours, closures, voorrangsblokken,
and the reads the beheer pages need (bookings of a house, its audit log).

Every write use case opens the write transaction first (``begin_write``), then loads what it
changes, checks the rules, changes it, records an audit entry and flushes; the view commits.
Broken rules come back as ``RuleViolation`` (Dutch msgids, rendered by the web layer),
objects that are not in the house as ``NotFound``. Permissions are the view's business:
it only calls these after ``house_for`` found the house with the right permission.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.extensions import db
from booking.models import (
    AuditEntry,
    Booking,
    Closure,
    House,
    OpeningHours,
    PriorityBlock,
    Room,
    User,
)
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import horizon
from booking.rules.messages import N_, WEEKDAY_LABELS, Message
from booking.rules.slots import GRID_MINUTES, require_aware
from booking.rules.statuses import BookingStatus, PriorityClass, TariffGroup
from booking.services import audit
from booking.services.availability import LONGEST_BOOKING
from booking.services.bookings import NotFound, RuleViolation

__all__ = [
    "AuditPage",
    "HouseSettingsInput",
    "NotFound",
    "OpeningPeriodInput",
    "PriorityBlockInput",
    "RoomInput",
    "RuleViolation",
]

GROUPS = ("T1", "T2", "T3", "T4")
NAME_MAX = 120
TEXT_MAX = 200
CAPACITY_MAX = 10_000
RATE_MAX_CENTS = 1_000_000
FACTOR_MAX_PERCENT = 1_000
CAP_MAX_CENTS = 100_000
WINDOW_MAX_DAYS = 365
EXPIRY_MAX_DAYS = 365
DURATION_MAX_MINUTES = 24 * 60
AUDIT_PAGE_SIZE = 50


# Inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomInput:
    """A room as the beheerder enters it; explicit rates of None mean "use the factor"."""

    name: str
    capacity: int
    base_rate_cents: int
    rates_cents: Mapping[str, int | None]
    requires_approval: bool = False
    is_huiskamer: bool = False
    active: bool = True


@dataclass(frozen=True)
class HouseSettingsInput:
    """A house's own settings; None means "follow the gemeente's default"."""

    factors_percent: Mapping[str, int | None]
    contribution_cap_cents: int | None
    voorrangstermijn_days: int | None
    request_expiry_days: int
    min_duration_minutes: int
    max_duration_minutes: int
    booking_horizon_months: int = horizon.DEFAULT_MONTHS


@dataclass(frozen=True)
class OpeningPeriodInput:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class PriorityBlockInput:
    room_id: int
    weekday: int
    starts: time
    ends: time
    valid_from: date | None = None
    valid_until: date | None = None
    note: str = ""


# Pure checks (no database) ----------------------------------------------------------------


def _on_grid(moment: time) -> bool:
    return moment.minute % GRID_MINUTES == 0 and moment.second == 0 and moment.microsecond == 0


def _grid_example() -> dict[str, str]:
    return {"example": "09:00, 09:15, 09:30, 09:45"}


def period_problems(weekday: int, opens: time, closes: time) -> list[Message]:
    """Problems of one opening period or voorrangsblok on a weekday (0 = Monday)."""
    if not 0 <= weekday <= 6:
        return [Message(N_("Kies een dag van de week."))]
    label = {"weekday_label": WEEKDAY_LABELS[weekday]}
    problems = []
    if not (_on_grid(opens) and _on_grid(closes)):
        problems.append(
            Message(
                N_("%(weekday_label)s: tijden vallen op een heel kwartier (%(example)s)."),
                {**label, **_grid_example()},
            )
        )
    if opens >= closes:
        problems.append(
            Message(N_("%(weekday_label)s: de eindtijd moet na de begintijd liggen."), label)
        )
    return problems


def _too_long(value: str, maximum: int) -> list[Message]:
    if len(value) <= maximum:
        return []
    return [Message(N_("Een tekst is te lang (hoogstens %(max)s tekens)."), {"max": maximum})]


def _range_problem(value: int | None, low: int, high: int, what: str) -> list[Message]:
    if value is None or low <= value <= high:
        return []
    return [
        Message(
            N_("%(what_label)s moet tussen %(low)s en %(high)s liggen."),
            {"what_label": what, "low": low, "high": high},
        )
    ]


def _money_problem(cents: int | None, what: str) -> list[Message]:
    if cents is None or 0 <= cents <= RATE_MAX_CENTS:
        return []
    if cents < 0:
        return [Message(N_("%(what_label)s kan niet negatief zijn."), {"what_label": what})]
    return [Message(N_("%(what_label)s is te hoog."), {"what_label": what})]


def room_problems(data: RoomInput) -> list[Message]:
    problems = [] if data.name.strip() else [Message(N_("Geef de ruimte een naam."))]
    problems += _too_long(data.name, NAME_MAX)
    problems += _range_problem(data.capacity, 1, CAPACITY_MAX, N_("Het aantal personen"))
    problems += _money_problem(data.base_rate_cents, N_("Het basistarief"))
    for group in GROUPS:
        problems += _money_problem(data.rates_cents.get(group), N_("Een tarief per groep"))
    unknown = set(data.rates_cents) - set(GROUPS)
    if unknown:
        problems.append(Message(N_("Onbekende tariefgroep.")))
    return problems


def settings_problems(data: HouseSettingsInput) -> list[Message]:
    problems: list[Message] = []
    for group in GROUPS:
        problems += _range_problem(
            data.factors_percent.get(group), 0, FACTOR_MAX_PERCENT, N_("Een factor")
        )
    problems += _range_problem(
        data.contribution_cap_cents, 0, CAP_MAX_CENTS, N_("De grens voor de eigen bijdrage")
    )
    problems += _range_problem(
        data.voorrangstermijn_days, 0, WINDOW_MAX_DAYS, N_("De voorrangstermijn")
    )
    problems += _range_problem(
        data.request_expiry_days, 1, EXPIRY_MAX_DAYS, N_("De bedenktijd voor aanvragen")
    )
    problems += _range_problem(
        data.booking_horizon_months,
        horizon.MIN_MONTHS,
        horizon.MAX_MONTHS,
        N_("De boekingshorizon (in maanden)"),
    )
    for minutes in (data.min_duration_minutes, data.max_duration_minutes):
        if not GRID_MINUTES <= minutes <= DURATION_MAX_MINUTES or minutes % GRID_MINUTES:
            problems.append(
                Message(
                    N_(
                        "Een boekingsduur is een veelvoud van %(grid)s minuten, "
                        "tussen %(grid)s en %(max)s minuten."
                    ),
                    {"grid": GRID_MINUTES, "max": DURATION_MAX_MINUTES},
                )
            )
            break
    if data.min_duration_minutes > data.max_duration_minutes:
        problems.append(
            Message(N_("De kortste boeking mag niet langer zijn dan de langste boeking."))
        )
    return problems


def opening_problems(periods: Sequence[OpeningPeriodInput]) -> list[Message]:
    problems: list[Message] = []
    seen: set[int] = set()
    for period in periods:
        problems += period_problems(period.weekday, period.opens, period.closes)
        if period.weekday in seen:
            problems.append(
                Message(
                    N_("%(weekday_label)s staat er twee keer in."),
                    {"weekday_label": WEEKDAY_LABELS[period.weekday]},
                )
            )
        seen.add(period.weekday)
    return problems


def block_problems(data: PriorityBlockInput) -> list[Message]:
    problems = period_problems(data.weekday, data.starts, data.ends)
    if data.valid_from and data.valid_until and data.valid_from > data.valid_until:
        problems.append(Message(N_("'Geldig tot' ligt voor 'geldig vanaf'.")))
    problems += _too_long(data.note, TEXT_MAX)
    return problems


# Loading inside one house ------------------------------------------------------------------


def _house(house_id: int) -> House:
    house = db.session.get(House, house_id)
    if house is None:
        raise NotFound(house_id)
    return house


def _room_of(house_id: int, room_id: int | None) -> Room:
    room = db.session.get(Room, room_id) if room_id is not None else None
    if room is None or room.house_id != house_id:
        raise RuleViolation([Message(N_("Deze ruimte hoort niet bij dit huis."))])
    return room


def house_room(house_id: int, room_id: int) -> Room:
    """A room of this house, for the edit page; a room of another house is NotFound."""
    room = db.session.get(Room, room_id)
    if room is None or room.house_id != house_id:
        raise NotFound(room_id)
    return room


# Rooms ----------------------------------------------------------------------------------------


def _room_rules(house_id: int, data: RoomInput, room_id: int | None) -> list[Message]:
    problems = room_problems(data)
    others = db.session.scalars(
        select(Room).where(Room.house_id == house_id, Room.id != (room_id or -1))
    ).all()
    name = data.name.strip().casefold()
    if any(other.name.strip().casefold() == name for other in others):
        problems.append(Message(N_("Dit huis heeft al een ruimte met deze naam.")))
    huiskamer = next((o for o in others if o.is_huiskamer), None)
    if data.is_huiskamer and huiskamer is not None:
        problems.append(
            Message(
                N_(
                    "Een huis heeft één huiskamer; dat is nu %(room)s. "
                    "Zet die eerst uit als huiskamer."
                ),
                {"room": huiskamer.name},
            )
        )
    return problems


def _apply_room(room: Room, data: RoomInput) -> dict[str, object]:
    values = {
        "name": data.name.strip(),
        "capacity": data.capacity,
        "base_rate_cents": data.base_rate_cents,
        "rate_t1_cents": data.rates_cents.get("T1"),
        "rate_t2_cents": data.rates_cents.get("T2"),
        "rate_t3_cents": data.rates_cents.get("T3"),
        "rate_t4_cents": data.rates_cents.get("T4"),
        "requires_approval": data.requires_approval,
        "is_huiskamer": data.is_huiskamer,
        "active": data.active,
    }
    changed = {}
    for name, value in values.items():
        before = getattr(room, name, None)
        if before != value:
            changed[name] = [before, value]
            setattr(room, name, value)
    return changed


def add_room(house_id: int, actor: User, data: RoomInput) -> Room:
    begin_write()
    _house(house_id)
    problems = _room_rules(house_id, data, None)
    if problems:
        raise RuleViolation(problems)
    room = Room(house_id=house_id)
    _apply_room(room, data)
    db.session.add(room)
    db.session.flush()
    audit.record(
        "room_created",
        "room",
        room.id,
        actor_id=actor.id,
        house_id=house_id,
        name=room.name,
        base_rate_cents=room.base_rate_cents,
    )
    return room


def update_room(house_id: int, room_id: int, actor: User, data: RoomInput) -> Room:
    """Change a room. Prices already frozen on bookings stay as they are (DESIGN §5)."""
    begin_write()
    room = house_room(house_id, room_id)
    problems = _room_rules(house_id, data, room.id)
    if problems:
        raise RuleViolation(problems)
    changed = _apply_room(room, data)
    db.session.flush()
    if changed:
        audit.record(
            "room_updated", "room", room.id, actor_id=actor.id, house_id=house_id, changed=changed
        )
    return room


# Settings -----------------------------------------------------------------------------------


def update_settings(house_id: int, actor: User, data: HouseSettingsInput) -> House:
    begin_write()
    house = _house(house_id)
    problems = settings_problems(data)
    if problems:
        raise RuleViolation(problems)
    values = {
        "factor_t1_percent": data.factors_percent.get("T1"),
        "factor_t2_percent": data.factors_percent.get("T2"),
        "factor_t3_percent": data.factors_percent.get("T3"),
        "factor_t4_percent": data.factors_percent.get("T4"),
        "contribution_cap_cents": data.contribution_cap_cents,
        "voorrangstermijn_days": data.voorrangstermijn_days,
        "request_expiry_days": data.request_expiry_days,
        "min_duration_minutes": data.min_duration_minutes,
        "max_duration_minutes": data.max_duration_minutes,
        "booking_horizon_months": data.booking_horizon_months,
    }
    changed = {}
    for name, value in values.items():
        if getattr(house, name) != value:
            changed[name] = [getattr(house, name), value]
            setattr(house, name, value)
    db.session.flush()
    if changed:
        audit.record(
            "house_settings_updated",
            "house",
            house.id,
            actor_id=actor.id,
            house_id=house.id,
            changed=changed,
        )
    return house


# Opening hours --------------------------------------------------------------------------------


def replace_opening_hours(
    house_id: int, actor: User, periods: Sequence[OpeningPeriodInput]
) -> list[OpeningHours]:
    """Replace every opening period of the house; a weekday without one is closed.

    Existing bookings are left alone: a beheerder who shortens the hours decides about
    bookings that no longer fit (the bookings overview shows them).
    """
    begin_write()
    house = _house(house_id)
    problems = opening_problems(periods)
    if problems:
        raise RuleViolation(problems)
    before = [(p.weekday, f"{p.opens:%H:%M}", f"{p.closes:%H:%M}") for p in house.opening_hours]
    rows = [
        OpeningHours(weekday=p.weekday, opens=p.opens, closes=p.closes)
        for p in sorted(periods, key=lambda p: (p.weekday, p.opens))
    ]
    house.opening_hours = rows  # delete-orphan removes the old periods
    db.session.flush()
    after = [(p.weekday, f"{p.opens:%H:%M}", f"{p.closes:%H:%M}") for p in rows]
    if before != after:
        audit.record(
            "opening_hours_replaced",
            "house",
            house.id,
            actor_id=actor.id,
            house_id=house.id,
            before=before,
            after=after,
        )
    return rows


# Closures -------------------------------------------------------------------------------------


def add_closure(
    house_id: int,
    actor: User,
    *,
    starts_at: datetime,
    ends_at: datetime,
    reason: str,
    room_id: int | None = None,
) -> tuple[Closure, list[Booking]]:
    """Close the house (or one room) for a while; returns the active bookings it touches."""
    begin_write()
    _house(house_id)
    require_aware(starts_at, ends_at)
    problems = [] if reason.strip() else [Message(N_("Geef een reden voor de sluiting."))]
    problems += _too_long(reason, TEXT_MAX)
    if ends_at <= starts_at:
        problems.append(Message(N_("Het einde van de sluiting moet na het begin liggen.")))
    room = _room_of(house_id, room_id) if room_id is not None else None
    if problems:
        raise RuleViolation(problems)
    closure = Closure(
        house_id=house_id,
        room_id=room.id if room else None,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip(),
    )
    db.session.add(closure)
    db.session.flush()
    audit.record(
        "closure_created",
        "closure",
        closure.id,
        actor_id=actor.id,
        house_id=house_id,
        reason=closure.reason,
        room_id=closure.room_id,
        starts_at=starts_at.isoformat(),
        ends_at=ends_at.isoformat(),
    )
    return closure, _active_bookings_between(house_id, starts_at, ends_at, closure.room_id)


def _active_bookings_between(
    house_id: int, start: datetime, end: datetime, room_id: int | None
) -> list[Booking]:
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .where(
            Room.house_id == house_id,
            Booking.status.in_(ACTIVE_STATUS_VALUES),
            Booking.start < end,
            Booking.end > start,
        )
        .order_by(Booking.start)
    )
    if room_id is not None:
        query = query.where(Booking.room_id == room_id)
    return list(db.session.scalars(query))


def delete_closure(house_id: int, actor: User, closure_id: int) -> None:
    begin_write()
    closure = db.session.get(Closure, closure_id)
    if closure is None or closure.house_id != house_id:
        raise NotFound(closure_id)
    audit.record(
        "closure_deleted",
        "closure",
        closure.id,
        actor_id=actor.id,
        house_id=house_id,
        reason=closure.reason,
        room_id=closure.room_id,
        starts_at=closure.starts_at.isoformat(),
        ends_at=closure.ends_at.isoformat(),
    )
    db.session.delete(closure)
    db.session.flush()


def closures_of(house_id: int, now: datetime) -> list[Closure]:
    """Current and coming closures of the house, soonest first."""
    return list(
        db.session.scalars(
            select(Closure)
            .where(Closure.house_id == house_id, Closure.ends_at > now)
            .order_by(Closure.starts_at, Closure.id)
        )
    )


# Voorrangsblokken ---------------------------------------------------------------------------


def _validity_overlaps(a: PriorityBlock, b: PriorityBlockInput) -> bool:
    a_from, a_until = a.valid_from or date.min, a.valid_until or date.max
    b_from, b_until = b.valid_from or date.min, b.valid_until or date.max
    return a_from <= b_until and b_from <= a_until


def add_priority_block(house_id: int, actor: User, data: PriorityBlockInput) -> PriorityBlock:
    begin_write()
    _house(house_id)
    room = _room_of(house_id, data.room_id)
    problems = block_problems(data)
    if not problems:
        clash = [
            b
            for b in room.priority_blocks
            if b.weekday == data.weekday
            and b.starts < data.ends
            and data.starts < b.ends
            and _validity_overlaps(b, data)
        ]
        if clash:
            problems.append(
                Message(
                    N_("Dit blok overlapt met een ander voorrangsblok van %(room)s."),
                    {"room": room.name},
                )
            )
    if problems:
        raise RuleViolation(problems)
    block = PriorityBlock(
        room_id=room.id,
        weekday=data.weekday,
        starts=data.starts,
        ends=data.ends,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        note=data.note.strip(),
    )
    db.session.add(block)
    db.session.flush()
    db.session.expire(room, ["priority_blocks"])
    audit.record(
        "priority_block_created",
        "priority_block",
        block.id,
        actor_id=actor.id,
        house_id=house_id,
        room_id=room.id,
        weekday=block.weekday,
        starts=f"{block.starts:%H:%M}",
        ends=f"{block.ends:%H:%M}",
        valid_from=block.valid_from,
        valid_until=block.valid_until,
        note=block.note,
    )
    return block


def delete_priority_block(house_id: int, actor: User, block_id: int) -> None:
    begin_write()
    block = db.session.get(PriorityBlock, block_id)
    room = db.session.get(Room, block.room_id) if block else None
    if block is None or room is None or room.house_id != house_id:
        raise NotFound(block_id)
    audit.record(
        "priority_block_deleted",
        "priority_block",
        block.id,
        actor_id=actor.id,
        house_id=house_id,
        room_id=room.id,
        weekday=block.weekday,
        starts=f"{block.starts:%H:%M}",
        ends=f"{block.ends:%H:%M}",
    )
    db.session.delete(block)
    db.session.flush()
    db.session.expire(room, ["priority_blocks"])


def priority_blocks_of(house_id: int) -> list[PriorityBlock]:
    return list(
        db.session.scalars(
            select(PriorityBlock)
            .join(Room, Room.id == PriorityBlock.room_id)
            .where(Room.house_id == house_id)
            .order_by(PriorityBlock.weekday, PriorityBlock.starts, Room.name)
        )
    )


# Bookings of the house (reads) ---------------------------------------------------------------


@dataclass(frozen=True)
class BookingFilter:
    room_id: int | None = None
    status: BookingStatus | None = None
    priority_class: PriorityClass | None = None
    tariff_group: TariffGroup | None = None


def house_bookings(
    house_id: int, start: datetime, end: datetime, filters: BookingFilter = BookingFilter()
) -> list[Booking]:
    """Bookings of the house that overlap [start, end), with room and organiser loaded."""
    query = (
        select(Booking)
        .join(Room, Room.id == Booking.room_id)
        .options(selectinload(Booking.room), selectinload(Booking.organiser))
        .where(
            Room.house_id == house_id,
            Booking.start < end,
            Booking.start > start - LONGEST_BOOKING,
            Booking.end > start,
        )
        .order_by(Booking.start, Room.name, Booking.id)
    )
    if filters.room_id is not None:
        query = query.where(Booking.room_id == filters.room_id)
    if filters.status is not None:
        query = query.where(Booking.status == filters.status.value)
    if filters.priority_class is not None:
        query = query.where(Booking.priority_class == int(filters.priority_class))
    if filters.tariff_group is not None:
        query = query.where(Booking.tariff_group == filters.tariff_group.value)
    return list(db.session.scalars(query))


def open_requests(house_id: int, now: datetime, limit: int = 100) -> list[Booking]:
    """Requests of the house that still wait for a decision, soonest first."""
    return list(
        db.session.scalars(
            select(Booking)
            .join(Room, Room.id == Booking.room_id)
            .options(selectinload(Booking.room), selectinload(Booking.organiser))
            .where(
                Room.house_id == house_id,
                Booking.status == BookingStatus.aangevraagd.value,
                Booking.end > now,
            )
            .order_by(Booking.start, Booking.id)
            .limit(limit)
        )
    )


def house_booking(house_id: int, booking_id: int) -> Booking:
    """One booking of this house; a booking of another house is NotFound."""
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.room.house_id != house_id:
        raise NotFound(booking_id)
    return booking


# Audit log ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditPage:
    entries: list[tuple[AuditEntry, str | None]]
    page: int
    pages: int
    total: int


def audit_page(house_id: int, page: int, per_page: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of the house's audit log, newest first, with the actor's name."""
    total = (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.house_id == house_id)
        )
        or 0
    )
    pages = max(1, math.ceil(total / per_page))
    rows = db.session.execute(
        select(AuditEntry, User.name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.house_id == house_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return AuditPage([(row[0], row[1]) for row in rows], page, pages, total)


def week_bounds(day: date) -> tuple[date, date]:
    """Monday and the Monday after, of the week that holds `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)
