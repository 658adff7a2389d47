"""The gemeente's houses: add a house, edit its details, deactivate and reactivate it.

Only the gemeente runs these (DESIGN section 3); a house's rooms, rates and opening hours
stay with its beheerder (`services/beheer/`).

**The slug** names the house in every URL, in the API and in the calendars people
subscribe to. It may be changed only while nothing can have used it yet: no booking,
agenda link (feed) or kiosk of the house exists (`slug_locked`). After that it is fixed
for good, also when the house is renamed.

**Deactivating** a house keeps everything it has — rooms, bookings, visits, audit
entries, its slug and public page, its feeds — but it takes no new bookings: every quote
for one of its rooms says so (`services/quotes.py`), and the public lists and the room
search leave it out. Bookings already made stay as they are; the beheerder can still
cancel them (the organisers are told by mail as always). Reactivating undoes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import Area, Booking, FeedToken, House, Kiosk, Room, ServedArea, User
from booking.models.bookings import ACTIVE_STATUS_VALUES
from booking.rules import house_details
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.phone import PhoneError, normalise_phone
from booking.services import audit, houses
from booking.services.gemeente.access import require_gemeente
from booking.services.slugs import slugify

NAME_MAX = 120
ADDRESS_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 40
STICHTING_MAX = 200


@dataclass(frozen=True)
class HouseInput:
    """A house's details as the gemeente typed them; an empty slug is made from the name."""

    name: str
    area_id: int | None
    slug: str = ""
    address: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    website: str = ""
    stichting_name: str = ""
    kvk_number: str = ""


@dataclass(frozen=True)
class HouseRow:
    """One line of the gemeente's list of houses."""

    house: House
    rooms: int
    slug_locked: bool


@dataclass(frozen=True)
class Deactivation:
    """What the confirmation page tells before a house is deactivated."""

    house: House
    future_bookings: int


def list_houses(actor: User) -> list[HouseRow]:
    """Every house, active or not, with its number of rooms and whether its slug is fixed."""
    require_gemeente(actor)
    found = houses.list_houses()
    locked = _locked_house_ids([h.id for h in found])
    return [HouseRow(h, len(h.rooms), h.id in locked) for h in found]


def house_for_gemeente(actor: User, slug: str) -> House:
    require_gemeente(actor)
    house = houses.get_house(slug)
    if house is None:
        raise NotFound(slug)
    return house


def slug_locked(house: House) -> bool:
    """Whether the slug may have been used: a booking, a feed or a kiosk of the house."""
    return house.id in _locked_house_ids([house.id])


def _locked_house_ids(house_ids: list[int]) -> set[int]:
    if not house_ids:
        return set()
    room_of_house = select(Room.id).where(Room.house_id == House.id)
    used = (
        exists().where(Booking.room_id.in_(room_of_house))
        | exists().where(Kiosk.room_id.in_(room_of_house))
        | exists().where((FeedToken.house_id == House.id) | FeedToken.room_id.in_(room_of_house))
    )
    return set(db.session.scalars(select(House.id).where(House.id.in_(house_ids), used)))


# Checks ------------------------------------------------------------------------------------

SLUG_LOCKED = Message(
    N_(
        "De webadres-naam ligt vast: het huis heeft al boekingen, agenda-links of een kiosk, "
        "dus staan er links naar dit adres."
    )
)


def _length(value: str, maximum: int) -> Message | None:
    if len(value) <= maximum:
        return None
    return Message(N_("Hoogstens %(n)s tekens."), {"n": maximum})


def detail_problems(data: HouseInput) -> dict[str, list[Message]]:
    """Problems of the details themselves, by field; what the database knows comes later."""
    found: dict[str, list[Message | None]] = {
        "name": [
            Message(N_("Vul de naam van het huis in.")) if not data.name.strip() else None,
            _length(data.name, NAME_MAX),
        ],
        "slug": [house_details.slug_problem(data.slug)] if data.slug else [],
        "area_id": [] if data.area_id else [Message(N_("Kies de wijk of kern van het huis."))],
        "address": [_length(data.address, ADDRESS_MAX)],
        "contact_email": [_email_problem(data.contact_email)],
        "contact_phone": [_phone_problem(data.contact_phone)],
        "website": [house_details.website_problem(data.website.strip())],
        "stichting_name": [_length(data.stichting_name, STICHTING_MAX)],
        "kvk_number": [house_details.kvk_problem(data.kvk_number)],
    }
    return {name: [p for p in ps if p] for name, ps in found.items() if any(ps)}


def _email_problem(text: str) -> Message | None:
    text = text.strip()
    local, at, domain = text.partition("@")
    well_formed = bool(local and at and "." in domain.strip(".") and "@" not in domain)
    if len(text) > EMAIL_MAX or (text and (not well_formed or any(c.isspace() for c in text))):
        return Message(N_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."))
    return None


def _phone_problem(text: str) -> Message | None:
    if len(text) > PHONE_MAX:
        return Message(N_("Een telefoonnummer heeft hoogstens %(n)s tekens."), {"n": PHONE_MAX})
    try:
        normalise_phone(text)
    except PhoneError as error:
        return error.message
    return None


def _refuse(problems: dict[str, list[Message]]) -> None:
    """Refuse with the problems of the first field that has any, named for the form."""
    if problems:
        field, messages = next(iter(problems.items()))
        raise RuleViolation(messages, field=field)


def _stored(data: HouseInput, slug: str) -> dict[str, object]:
    return {
        "name": data.name.strip(),
        "slug": slug,
        "area_id": data.area_id,
        "address": data.address.strip(),
        "contact_email": data.contact_email.strip(),
        "contact_phone": data.contact_phone.strip(),
        "website": data.website.strip(),
        "stichting_name": data.stichting_name.strip(),
        "kvk_number": house_details.normalise_kvk(data.kvk_number),
    }


def _database_problems(
    data: HouseInput, slug: str, house: House | None
) -> dict[str, list[Message]]:
    problems: dict[str, list[Message]] = {}
    if data.area_id and db.session.get(Area, data.area_id) is None:
        problems["area_id"] = [Message(N_("Kies een wijk of kern uit de lijst."))]
    if house is None or slug != house.slug:
        if house is not None and slug_locked(house):
            problems["slug"] = [SLUG_LOCKED]
        elif problem := house_details.slug_problem(slug):
            problems["slug"] = [problem]
        elif db.session.scalar(select(exists().where(House.slug == slug))):
            problems["slug"] = [_slug_taken(slug)]
    name = data.name.strip()
    same_name = select(exists().where(func.lower(House.name) == name.lower()))
    if house is not None:
        same_name = select(
            exists().where(func.lower(House.name) == name.lower(), House.id != house.id)
        )
    if name and db.session.scalar(same_name):
        problems["name"] = [Message(N_("Er is al een huis met de naam %(name)s."), {"name": name})]
    return problems


def _slug_taken(slug: str) -> Message:
    return Message(
        N_("De webadres-naam %(slug)s is al van een ander huis; kies een andere."), {"slug": slug}
    )


def _store_or_refuse(house: House, values: dict[str, object], slug: str) -> None:
    """Write the values in a savepoint: a slug taken by a request that committed meanwhile
    is a 422 and leaves the transaction usable, never a 500."""
    try:
        with db.session.begin_nested():
            for name, value in values.items():
                setattr(house, name, value)
            db.session.add(house)
            db.session.flush()
    except IntegrityError as error:
        raise RuleViolation(_slug_taken(slug), field="slug") from error


# Use cases ---------------------------------------------------------------------------------


def create_house(actor: User, data: HouseInput) -> House:
    """A new house, active, without rooms; it serves its own area if nobody does yet.

    Its expiry and horizon follow the gemeente's defaults; the beheerder adds rooms and
    opening hours before anything can be booked.
    """
    begin_write()
    require_gemeente(actor)
    slug = data.slug.strip() or slugify(data.name)[: house_details.SLUG_MAX].strip("-")
    _refuse(detail_problems(data) or _database_problems(data, slug, None))
    defaults = houses.policy()
    house = House(
        description="",
        request_expiry_days=defaults.request_expiry_days,
        booking_horizon_months=defaults.booking_horizon_months,
    )
    _store_or_refuse(house, _stored(data, slug), slug)
    area = db.session.get(Area, house.area_id)
    if area is not None and area.service is None:
        area.service = ServedArea(house_id=house.id)
    db.session.flush()
    audit.record(
        AuditAction.house_created,
        AuditObject.house,
        house.id,
        actor_id=actor.id,
        house_id=house.id,
        **{name: value for name, value in _stored(data, slug).items() if value},
    )
    return house


def update_house(actor: User, slug: str, data: HouseInput) -> House:
    """Change a house's details; the slug only while `slug_locked` is false."""
    begin_write()
    house = house_for_gemeente(actor, slug)
    new_slug = data.slug.strip() or house.slug
    _refuse(detail_problems(data) or _database_problems(data, new_slug, house))
    values = _stored(data, new_slug)
    changed = {n: [getattr(house, n), v] for n, v in values.items() if getattr(house, n) != v}
    _store_or_refuse(house, values, new_slug)
    if changed:
        audit.record(
            AuditAction.house_updated,
            AuditObject.house,
            house.id,
            actor_id=actor.id,
            house_id=house.id,
            changed=changed,
        )
    return house


def deactivation(actor: User, slug: str, now: datetime) -> Deactivation:
    """What deactivating would leave in place: the house's future active bookings."""
    house = house_for_gemeente(actor, slug)
    return Deactivation(house, _future_bookings(house, now))


def _future_bookings(house: House, now: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Booking)
            .join(Room, Room.id == Booking.room_id)
            .where(
                Room.house_id == house.id,
                Booking.status.in_(ACTIVE_STATUS_VALUES),
                Booking.end > now,
            )
        )
        or 0
    )


def deactivate_house(actor: User, slug: str, now: datetime) -> House:
    """The house stops taking bookings and leaves the public lists; nothing is deleted."""
    begin_write()
    house = house_for_gemeente(actor, slug)
    if not house.active:
        raise RuleViolation(Message(N_("Dit huis is al gedeactiveerd.")))
    house.active, house.deactivated_at = False, now
    db.session.flush()
    audit.record(
        AuditAction.house_deactivated,
        AuditObject.house,
        house.id,
        actor_id=actor.id,
        house_id=house.id,
        future_bookings=_future_bookings(house, now),
    )
    return house


def reactivate_house(actor: User, slug: str) -> House:
    begin_write()
    house = house_for_gemeente(actor, slug)
    if house.active:
        raise RuleViolation(Message(N_("Dit huis is al actief.")))
    house.active, house.deactivated_at = True, None
    db.session.flush()
    audit.record(
        AuditAction.house_reactivated,
        AuditObject.house,
        house.id,
        actor_id=actor.id,
        house_id=house.id,
    )
    return house
