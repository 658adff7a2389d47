"""Read use cases for houses, rooms and areas, and the effective policy per house."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from booking.database import transaction_cache
from booking.errors import Forbidden, NotFound
from booking.extensions import db
from booking.models import Area, House, HouseMembership, PolicySettings, Room, User
from booking.rules import policy as policy_rules
from booking.rules.permissions import Permission


def policy() -> PolicySettings:
    """The gemeente's defaults; a fresh database gets DESIGN's defaults."""
    cache = transaction_cache()
    if "policy" in cache:
        return cache["policy"]
    settings = db.session.scalar(select(PolicySettings).order_by(PolicySettings.id).limit(1))
    if settings is None:
        settings = PolicySettings(suppression_threshold=5, **policy_rules.DEFAULTS)
        db.session.add(settings)
        db.session.flush()
    cache["policy"] = settings
    return settings


@dataclass(frozen=True)
class HousePolicy:
    """What holds for one house: its own overrides, else the gemeente's defaults."""

    voorrangstermijn_days: int
    contribution_cap_cents: int
    factors_percent: dict[str, int]
    request_expiry_days: int = policy_rules.DEFAULTS["request_expiry_days"]
    booking_horizon_months: int = policy_rules.DEFAULTS["booking_horizon_months"]


def house_policy(house: House) -> HousePolicy:
    base = policy()

    def pick(own: int | None, default: int) -> int:
        return default if own is None else own

    return HousePolicy(
        voorrangstermijn_days=pick(house.voorrangstermijn_days, base.voorrangstermijn_days),
        contribution_cap_cents=pick(house.contribution_cap_cents, base.contribution_cap_cents),
        factors_percent={
            "T1": pick(house.factor_t1_percent, base.factor_t1_percent),
            "T2": pick(house.factor_t2_percent, base.factor_t2_percent),
            "T3": pick(house.factor_t3_percent, base.factor_t3_percent),
            "T4": pick(house.factor_t4_percent, base.factor_t4_percent),
        },
        # Kept in force on the house itself (see House): its own, or the default's copy.
        request_expiry_days=house.request_expiry_days,
        booking_horizon_months=house.booking_horizon_months,
    )


def house_overrides(house: House) -> dict[str, int]:
    """The settings this house sets itself instead of following the gemeente: {name: value}."""
    own: dict[str, int] = {}
    for name in policy_rules.HOUSE_OVERRIDABLE:
        if name == "request_expiry_days":
            value = house.request_expiry_days if house.request_expiry_own else None
        elif name == "booking_horizon_months":
            value = house.booking_horizon_months if house.booking_horizon_own else None
        else:
            value = getattr(house, name)
        if value is not None:
            own[name] = value
    return own


def list_houses(*, active_only: bool = False) -> list[House]:
    """Every house by name; `active_only` leaves out deactivated houses (the public lists
    and the booking search), whose history the statistics still show."""
    query = (
        select(House)
        .options(selectinload(House.rooms), selectinload(House.area))
        .order_by(House.name)
    )
    if active_only:
        query = query.where(House.active.is_(True))
    return list(db.session.scalars(query))


def get_house(slug: str) -> House | None:
    if not slug or len(slug) > 80:
        return None
    return db.session.scalar(select(House).where(House.slug == slug))


def get_room(room_id: int) -> Room | None:
    return db.session.get(Room, room_id)


def list_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.kind.desc(), Area.name)))


def staff_of(house: House) -> list[tuple[str, str, str]]:
    """(name, e-mail, role) of everyone with a role in the house."""

    rows = db.session.execute(
        select(User.name, User.email, HouseMembership.role)
        .join(HouseMembership, HouseMembership.user_id == User.id)
        .where(HouseMembership.house_id == house.id)
        .order_by(HouseMembership.role, User.name)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def house_for(actor: User, slug: str, permission: Permission) -> House:
    """The house with this slug, if the actor holds `permission` there: the one gate.

    An unknown house is `NotFound`, one where the actor holds no such right `Forbidden`;
    both answer 404, so nobody learns which houses exist elsewhere (DESIGN section 3).
    """
    house = get_house(slug)
    if house is None:
        raise NotFound(slug)
    if not actor.can(permission, house.id):
        raise Forbidden(slug)
    return house
