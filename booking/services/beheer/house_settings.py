"""A house's own settings and opening hours, and the overview page that shows them.

A setting left empty follows the gemeente's default (`houses.house_policy`; which
settings a house may set itself is `rules/policy.HOUSE_OVERRIDABLE`). Changing settings or
hours leaves existing bookings alone: prices stay frozen, and a beheerder who shortens the
hours decides about bookings that no longer fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import House, OpeningHours, User
from booking.rules import policy as policy_rules
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, WEEKDAY_LABELS, Message
from booking.rules.permissions import Permission
from booking.rules.slots import GRID_MINUTES
from booking.services import audit, houses
from booking.services.beheer.checks import GROUPS, period_problems
from booking.services.houses import house_for

FACTOR_MAX_PERCENT = policy_rules.FACTOR_MAX_PERCENT
CAP_MAX_CENTS = policy_rules.CAP_MAX_CENTS
WINDOW_MAX_DAYS = policy_rules.WINDOW_MAX_DAYS
EXPIRY_MAX_DAYS = policy_rules.EXPIRY_MAX_DAYS
DURATION_MAX_MINUTES = 24 * 60
CONTACT_EMAIL_MAX = 254
CONTACT_PHONE_MAX = 40
HUISKAMER_HOURS_MAX = 200


@dataclass(frozen=True)
class HouseSettingsInput:
    """A house's own settings; None means "follow the gemeente's default"."""

    factors_percent: Mapping[str, int | None]
    contribution_cap_cents: int | None
    voorrangstermijn_days: int | None
    request_expiry_days: int | None
    min_duration_minutes: int
    max_duration_minutes: int
    booking_horizon_months: int | None = None
    # For the public agenda; None leaves the stored value as it is.
    contact_email: str | None = None
    contact_phone: str | None = None
    huiskamer_hours: str | None = None


@dataclass(frozen=True)
class OpeningPeriodInput:
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class HouseOverview:
    """The first beheer page of a house: its staff and the policy that holds there."""

    house: House
    staff: list[tuple[str, str, str]]
    policy: houses.HousePolicy


def _duration_problems(data: HouseSettingsInput) -> list[Message]:
    problems = []
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


def _looks_like_email(text: str) -> bool:
    """A minimal check (the form's validator is stricter): one @, a dot after it, no space."""
    local, at, domain = text.partition("@")
    return bool(local and at and "." in domain.strip(".") and "@" not in domain) and not any(
        c.isspace() for c in text
    )


def _contact_problems(data: HouseSettingsInput) -> list[Message]:
    problems = []
    email = data.contact_email or ""
    if len(email) > CONTACT_EMAIL_MAX or (email and not _looks_like_email(email)):
        problems.append(
            Message(N_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."))
        )
    if len(data.contact_phone or "") > CONTACT_PHONE_MAX:
        problems.append(
            Message(
                N_("Een telefoonnummer heeft hoogstens %(n)s tekens."), {"n": CONTACT_PHONE_MAX}
            )
        )
    if len(data.huiskamer_hours or "") > HUISKAMER_HOURS_MAX:
        problems.append(
            Message(
                N_("De openingstijden van de huiskamer hebben hoogstens %(n)s tekens."),
                {"n": HUISKAMER_HOURS_MAX},
            )
        )
    return problems


def _overrides(data: HouseSettingsInput) -> dict[str, int | None]:
    """The house's own value of every setting it may override; None follows the gemeente."""
    return {
        **{f"factor_{g.lower()}_percent": data.factors_percent.get(g) for g in GROUPS},
        "contribution_cap_cents": data.contribution_cap_cents,
        "voorrangstermijn_days": data.voorrangstermijn_days,
        "request_expiry_days": data.request_expiry_days,
        "booking_horizon_months": data.booking_horizon_months,
    }


def settings_problems(data: HouseSettingsInput) -> list[Message]:
    problems: list[Message] = _contact_problems(data)
    problems += policy_rules.problems(_overrides(data))
    return problems + _duration_problems(data)


def _stored_values(data: HouseSettingsInput) -> dict[str, object]:
    """The columns the settings form sets, as they will be stored.

    The expiry and the horizon are kept in force on the house. The form shows the value in
    force; a value equal to the gemeente's default (or none) follows the gemeente, and
    later changes of the default reach the house (`services/gemeente/policy.py`); any
    other value is the house's own.
    """
    defaults = houses.policy()
    values: dict[str, object] = {
        name: value
        for name, value in _overrides(data).items()
        if name not in ("request_expiry_days", "booking_horizon_months")
    }
    for name, flag in (
        ("request_expiry_days", "request_expiry_own"),
        ("booking_horizon_months", "booking_horizon_own"),
    ):
        own, default = getattr(data, name), getattr(defaults, name)
        values[flag] = own is not None and own != default
        values[name] = default if own is None else own
    values["min_duration_minutes"] = data.min_duration_minutes
    values["max_duration_minutes"] = data.max_duration_minutes
    for name in ("contact_email", "contact_phone", "huiskamer_hours"):
        if getattr(data, name) is not None:
            values[name] = getattr(data, name).strip()
    return values


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


def overview(actor: User, slug: str) -> HouseOverview:
    """The house overview: anyone who runs the programme there sees it."""
    house = house_for(actor, slug, Permission.manage_programme)
    return HouseOverview(house, houses.staff_of(house), houses.house_policy(house))


def settings_house(actor: User, slug: str) -> House:
    """The house whose settings and opening hours the actor keeps."""
    return house_for(actor, slug, Permission.manage_building)


def update_settings(actor: User, slug: str, data: HouseSettingsInput) -> House:
    begin_write()
    house = settings_house(actor, slug)
    problems = settings_problems(data)
    if problems:
        raise RuleViolation(problems)
    changed = {}
    for name, value in _stored_values(data).items():
        if getattr(house, name) != value:
            changed[name] = [getattr(house, name), value]
            setattr(house, name, value)
    db.session.flush()
    if changed:
        audit.record(
            AuditAction.house_settings_updated,
            AuditObject.house,
            house.id,
            actor_id=actor.id,
            house_id=house.id,
            changed=changed,
        )
    return house


def replace_opening_hours(
    actor: User, slug: str, periods: Sequence[OpeningPeriodInput]
) -> list[OpeningHours]:
    """Replace every opening period of the house; a weekday without one is closed.

    Existing bookings are left alone: a beheerder who shortens the hours decides about
    bookings that no longer fit (the bookings overview shows them).
    """
    begin_write()
    house = settings_house(actor, slug)
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
            AuditAction.opening_hours_replaced,
            AuditObject.house,
            house.id,
            actor_id=actor.id,
            house_id=house.id,
            before=before,
            after=after,
        )
    return rows
