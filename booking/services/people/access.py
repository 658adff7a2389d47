"""The permission gate of the people use cases (DESIGN section 3).

The gemeente gives and takes every role in every house; a house's own sociaal beheerder
or beheerder gives and takes gastheer and sociaal beheerder there
(`rules/staff_roles.roles_given_by`). A house where the actor holds no such right, and a
person the actor may not manage, answer 404 (`Forbidden`, `NotFound`) like every object
the user may not see; a role the actor may not give in a house they do run is a broken
rule (422) with a Dutch sentence.
"""

from __future__ import annotations

from sqlalchemy import select

from booking.errors import Forbidden, NotFound, RuleViolation
from booking.extensions import db
from booking.models import House, HouseMembership, User
from booking.rules.messages import N_
from booking.rules.permissions import HOUSE_ROLES, Permission, Role
from booking.rules.staff_roles import roles_given_by
from booking.services import houses
from booking.services.gemeente.access import require_gemeente

NOT_YOURS_TO_GIVE = N_(
    "U kunt alleen gastvrouwen, gastheren en sociaal beheerders van uw eigen huis "
    "uitnodigen of weghalen. Een beheerder of een account van de gemeente geeft de gemeente."
)
OWN_ROLE = N_(
    "Uw eigen rol kunt u hier niet weghalen. Vraag een collega of de gemeente om dat te doen."
)
HOUSE_NEEDED = N_("Deze rol hoort bij een huis: kies het huis.")


def staff_house(actor: User, slug: str) -> House:
    """The house whose people the actor manages: they run its programme (or are gemeente)."""
    return houses.house_for(actor, slug, Permission.manage_programme)


def check_may_give(actor: User | None, role: Role, house: House | None) -> None:
    """Refuse unless the actor may give (or take) `role` in `house`.

    `actor` None is the operator at the shell (`flask users …`), who may do everything.
    """
    if actor is None:
        return
    if role == Role.gemeente or house is None:
        require_gemeente(actor)
        if role in HOUSE_ROLES:
            raise RuleViolation(HOUSE_NEEDED, "houses")
        return
    given = roles_given_by(actor.roles_in(house.id))
    if not given:
        raise Forbidden(house.slug)  # another house: as if it did not exist
    if role not in given:
        raise RuleViolation(NOT_YOURS_TO_GIVE, "role")


def person(user_id: int) -> User:
    """An account that exists and was not deleted (a deleted one is nobody any more)."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(user_id)
    return user


def person_for_gemeente(actor: User, user_id: int) -> User:
    require_gemeente(actor)
    return person(user_id)


def staff_member(actor: User, slug: str, user_id: int) -> tuple[House, User]:
    """Someone with a role in a house the actor manages; anyone else answers 404."""
    house = staff_house(actor, slug)
    found = db.session.scalar(
        select(HouseMembership.id).where(
            HouseMembership.house_id == house.id, HouseMembership.user_id == user_id
        )
    )
    if found is None:
        raise NotFound(user_id)
    return house, person(user_id)


def house_by_id(house_id: int | None) -> House | None:
    """A house picked in a form; one that does not exist is a broken rule of the form."""
    if house_id is None:
        return None
    house = db.session.get(House, house_id)
    if house is None:
        raise RuleViolation(N_("Dit huis bestaat niet (meer). Kies een ander huis."), "houses")
    return house
