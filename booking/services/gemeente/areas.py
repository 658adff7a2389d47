"""The gemeente's wijken and kernen: their CBS code and its year, the kwetsbaar mark, and
which house serves each one.

Editing an area never rewrites what visitors answered: a visit keeps the area by id and
the daily roll-up keeps its name (`services/reach.py`), and areas are never deleted, so
every past answer still points at the area it was given for. A new CBS code (they change
when CBS redraws the map) or a changed kwetsbaar mark applies to the figures as they are
shown from then on; the visits themselves stay as they were stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.errors import NotFound, RuleViolation
from booking.extensions import db
from booking.models import Area, House, ServedArea, User
from booking.rules import cbs
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.services import audit
from booking.services.gemeente.access import require_gemeente

NAME_MAX = 80
KINDS = ("wijk", "kern")


@dataclass(frozen=True)
class AreaInput:
    """An area as the gemeente typed it; `served_by_id` is a house id or None."""

    name: str
    kind: str
    cbs_code: str = ""
    cbs_year: int | None = None
    vulnerable: bool = False
    served_by_id: int | None = None


@dataclass(frozen=True)
class AreaRow:
    """One line of the list: the area, the house that serves it, the houses that stand in it."""

    area: Area
    served_by: House | None
    houses_in_area: list[str]


def list_areas(actor: User) -> list[AreaRow]:
    """Wijken first, then kernen, each by name."""
    require_gemeente(actor)
    areas = db.session.scalars(
        select(Area)
        .options(selectinload(Area.service).selectinload(ServedArea.house))
        .order_by(Area.kind.desc(), Area.name)
    ).all()
    standing: dict[int, list[str]] = {}
    for area_id, name in db.session.execute(
        select(House.area_id, House.name).order_by(House.name)
    ).tuples():
        standing.setdefault(area_id, []).append(name)
    return [AreaRow(a, a.served_by, standing.get(a.id, [])) for a in areas]


def area_for(actor: User, area_id: int) -> Area:
    require_gemeente(actor)
    area = db.session.get(Area, area_id)
    if area is None:
        raise NotFound(area_id)
    return area


def area_problems(data: AreaInput, this_year: int) -> dict[str, list[Message]]:
    """Problems of the typed values themselves, by field."""
    name = data.name.strip()
    found: dict[str, list[Message]] = {}
    if not name:
        found["name"] = [Message(N_("Vul de naam van de wijk of kern in."))]
    elif len(name) > NAME_MAX:
        found["name"] = [Message(N_("Hoogstens %(n)s tekens."), {"n": NAME_MAX})]
    if data.kind not in KINDS:
        found["kind"] = [Message(N_("Kies wijk of kern."))]
    if problem := cbs.code_problem(data.cbs_code):
        found["cbs_code"] = [problem]
    elif problems := cbs.code_and_year_problems(data.cbs_code, data.cbs_year, this_year):
        found["cbs_year"] = problems
    return found


def _database_problems(data: AreaInput, area: Area | None) -> dict[str, list[Message]]:
    found: dict[str, list[Message]] = {}
    others = [] if area is None else [Area.id != area.id]
    name = data.name.strip()
    if db.session.scalar(select(exists().where(func.lower(Area.name) == name.lower(), *others))):
        found["name"] = [Message(N_("Er is al een wijk of kern %(name)s."), {"name": name})]
    code = cbs.normalise_code(data.cbs_code)
    if code:
        holder = db.session.scalar(select(Area.name).where(Area.cbs_code == code, *others))
        if holder is not None:
            found["cbs_code"] = [_code_taken(code, holder)]
    if data.served_by_id is not None and db.session.get(House, data.served_by_id) is None:
        found["served_by_id"] = [Message(N_("Kies een huis uit de lijst."))]
    return found


def _code_taken(code: str, holder: str) -> Message:
    return Message(
        N_("De CBS-code %(code)s hoort al bij %(name)s."), {"code": code, "name": holder}
    )


def _refuse(problems: dict[str, list[Message]]) -> None:
    """Refuse with the problems of the first field that has any, named for the form."""
    if problems:
        field, messages = next(iter(problems.items()))
        raise RuleViolation(messages, field=field)


def _values(data: AreaInput) -> dict[str, object]:
    code = cbs.normalise_code(data.cbs_code) or None
    return {
        "name": data.name.strip(),
        "kind": data.kind,
        "cbs_code": code,
        "cbs_year": data.cbs_year if code else None,
        "vulnerable": bool(data.vulnerable),
    }


def _slug_of(house_id: int | None) -> str | None:
    """How the audit log names a house: by its slug, which never changes once used."""
    house = db.session.get(House, house_id) if house_id is not None else None
    return house.slug if house else None


def _serve(area: Area, house_id: int | None) -> None:
    if house_id is None:
        area.service = None
    elif area.service is None:
        area.service = ServedArea(house_id=house_id)
    else:
        area.service.house_id = house_id


def _store_or_refuse(area: Area, values: dict[str, object], served_by_id: int | None) -> None:
    """Write in a savepoint: a name or code that another request stored meanwhile is a
    422 and leaves the transaction usable, never a 500."""
    try:
        with db.session.begin_nested():
            for name, value in values.items():
                setattr(area, name, value)
            db.session.add(area)
            db.session.flush()
            _serve(area, served_by_id)
            db.session.flush()
    except IntegrityError as error:
        raise RuleViolation(
            Message(N_("Deze naam of CBS-code is net door iemand anders gebruikt.")),
            field="name",
        ) from error


def create_area(actor: User, data: AreaInput, this_year: int) -> Area:
    begin_write()
    require_gemeente(actor)
    _refuse(area_problems(data, this_year) or _database_problems(data, None))
    area = Area()
    _store_or_refuse(area, _values(data), data.served_by_id)
    audit.record(
        AuditAction.area_created,
        AuditObject.area,
        area.id,
        actor_id=actor.id,
        served_by=_slug_of(data.served_by_id),
        **_values(data),
    )
    return area


def update_area(actor: User, area_id: int, data: AreaInput, this_year: int) -> Area:
    """Change an area; past visits keep their answers (see the module)."""
    begin_write()
    area = area_for(actor, area_id)
    _refuse(area_problems(data, this_year) or _database_problems(data, area))
    values = _values(data)
    changed = {n: [getattr(area, n), v] for n, v in values.items() if getattr(area, n) != v}
    before = area.service.house_id if area.service else None
    if before != data.served_by_id:
        changed["served_by"] = [_slug_of(before), _slug_of(data.served_by_id)]
    _store_or_refuse(area, values, data.served_by_id)
    if changed:
        audit.record(
            AuditAction.area_updated,
            AuditObject.area,
            area.id,
            actor_id=actor.id,
            changed=changed,
        )
    return area
