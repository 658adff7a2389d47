"""The reach figures a person may see: check who asks, count, publish with suppression.

Who sees what (DESIGN section 3): see_statistics (sociaal beheerder, beheerder of the
house; gemeente everywhere) sees a house's full figures, its rendement and the exports;
a gastheer (see_today_totals) sees only today's totals of the house. The comparison of
all houses is the gemeente's. A house the actor may not see is `Forbidden`, answered
404 like one that does not exist, so nobody learns which houses exist.

Every function here returns published figures (`booking.rules.publication`), never
raw counts: the page, the CSV and the API render the same suppressed cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.errors import Forbidden, InvalidInput, NotFound
from booking.models import Booking, House, Room, User
from booking.rules.messages import N_, Message
from booking.rules.periods import Period, today_amsterdam
from booking.rules.permissions import Permission
from booking.rules.publication import (
    ShownComparison,
    ShownReach,
    published_comparison,
    published_reach,
)
from booking.rules.visit_vocabulary import CHANNELS
from booking.services import houses
from booking.services.activities import activities, house_booking, house_room
from booking.services.host_notes import NoteView, notes
from booking.services.reach import Scope, parse_period, reach, reach_per_house, threshold
from booking.services.reach_visitors import add_house_visitors, with_visitors

# Which houses ------------------------------------------------------------------------------


def visible_house(actor: User, slug: str, permission: Permission) -> House:
    """The house named in the URL, when the actor holds `permission` there."""
    house = houses.get_house(slug)
    if house is None:
        raise NotFound(slug)
    if not actor.can(permission, house.id):
        raise Forbidden(slug)
    return house


def check_all_houses(actor: User) -> None:
    """Figures of all houses together (comparison, rendement) are the gemeente's."""
    if not actor.is_gemeente:
        raise Forbidden("alle huizen")


def statistics_houses(user: User) -> list[House]:
    """Houses where the user sees the full statistics, by name."""
    allowed = user.house_ids_with(Permission.see_statistics)
    return [h for h in houses.list_houses() if allowed is None or h.id in allowed]


def today_houses(user: User) -> list[House]:
    """Houses where the user sees at least today's totals, by name."""
    allowed = user.house_ids_with(Permission.see_today_totals)
    return [h for h in houses.list_houses() if allowed is None or h.id in allowed]


def first_house(actor: User, *, today_totals: bool) -> House:
    """Where someone who is not the gemeente goes from a page of all houses: their first
    house with full figures (or, when asked, with today's totals only)."""
    found = statistics_houses(actor)
    if not found and today_totals:
        found = today_houses(actor)
    if not found:
        raise NotFound("statistieken")
    return found[0]


def _check_scope(actor: User, scope: Scope) -> None:
    if scope.house_ids is None:
        check_all_houses(actor)
    elif not all(actor.can(Permission.see_statistics, h) for h in scope.house_ids):
        raise Forbidden(scope.house_ids)


def published(actor: User, period: Period, scope: Scope) -> ShownReach:
    """The figures of one scope, suppressed as one publication."""
    _check_scope(actor, scope)
    return published_reach(with_visitors(period, scope), threshold())


# One house ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseFigures:
    """A house's reach page (or its CSV): the filters as understood, and the figures."""

    house: House
    period: Period
    room: Room | None
    booking: Booking | None
    include_suspicious: bool
    activities: list[Booking]  # to filter on, or to write a note about
    shown: ShownReach
    notes: list[NoteView]


def house_figures(
    actor: User,
    house: House,
    period: Period,
    *,
    room_id: int | None = None,
    booking_id: int | None = None,
    include_suspicious: bool = False,
) -> HouseFigures:
    """Full figures of one house, on one of its rooms or activities when asked.

    A room or an activity of another house is InvalidInput at its filter field.
    """
    if not actor.can(Permission.see_statistics, house.id):
        raise Forbidden(house.id)
    room = house_room(house.id, room_id) if room_id is not None else None
    if room_id is not None and room is None:
        raise InvalidInput("ruimte", Message(N_("Deze ruimte hoort niet bij dit huis.")))
    booking = house_booking(house.id, booking_id) if booking_id is not None else None
    if booking_id is not None and booking is None:
        raise InvalidInput("activiteit", Message(N_("Deze activiteit hoort niet bij dit huis.")))
    found = activities(house.id, period)
    if booking is not None and booking not in found:
        found.insert(0, booking)
    scope = Scope(
        (house.id,),
        room_id=room.id if room else None,
        booking_id=booking.id if booking else None,
        include_suspicious=include_suspicious,
    )
    return HouseFigures(
        house=house,
        period=period,
        room=room,
        booking=booking,
        include_suspicious=include_suspicious,
        activities=found,
        shown=published(actor, period, scope),
        notes=notes([house.id], period, scope.booking_id),
    )


def house_activities(actor: User, house: House, period: Period) -> list[Booking]:
    """The activities a filter or a note may name, for a form shown again after a refusal."""
    if not actor.can(Permission.see_today_totals, house.id):
        raise Forbidden(house.id)
    return activities(house.id, period)


@dataclass(frozen=True)
class TodayFigures:
    """What a gastheer sees: today's totals of the house, and today's notes."""

    house: House
    period: Period
    shown: ShownReach
    notes: list[NoteView]
    activities: list[Booking]


def today_figures(actor: User, house: House, now: datetime) -> TodayFigures:
    if not actor.can(Permission.see_today_totals, house.id):
        raise Forbidden(house.id)
    today = today_amsterdam(now)
    period = Period(today, today)
    counts = reach(period, Scope((house.id,)))
    return TodayFigures(
        house=house,
        period=period,
        shown=published_reach(counts, threshold()),
        notes=notes([house.id], period),
        activities=activities(house.id, period),
    )


# All houses --------------------------------------------------------------------------------


def comparison(actor: User, period: Period, *, include_suspicious: bool) -> ShownComparison:
    """The gemeente's comparison of all houses, protected as one table."""
    check_all_houses(actor)
    rows = reach_per_house(period, include_suspicious=include_suspicious, devices=False)
    add_house_visitors(rows, period, include_suspicious=include_suspicious)
    return published_comparison(period, rows, CHANNELS, threshold())


def api_reach(actor: User, slug: str | None, first: str | None, last: str | None) -> ShownReach:
    """GET /api/v1/stats/reach: one house, or all houses for the gemeente without one.

    The house is settled before the dates, so a house the caller may not see answers 404
    whatever the dates say.
    """
    slug = (slug or "").strip()
    if slug:
        scope = Scope((visible_house(actor, slug, Permission.see_statistics).id,))
    elif actor.is_gemeente:
        scope = Scope()
    else:
        message = Message(N_("Geef een huis op: house=<slug>."))
        raise InvalidInput("house", message, code="huis_ontbreekt")
    return published(actor, parse_period(first, last, fields=("from", "to")), scope)
