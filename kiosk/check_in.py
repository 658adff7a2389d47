"""A visitor checks in: a phone by QR code or poster, a tap on the tablet, the questions.

A phone counts once per house per `SAME_VISIT`, recognised by its keyed device hash; a
tap counts once by its client id, however often the tablet's offline queue replays it.
The optional questions belong to a visit of the last `ANSWER_WINDOW`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import InvalidInput, RuleViolation
from booking.extensions import db
from booking.models import Area, Kiosk, Visit
from booking.rules.kiosk_windows import (
    device_key_years,
    is_answerable,
    same_visit_since,
    tap_moment,
)
from booking.rules.messages import N_, Message
from booking.rules.numbers import parse_whole_number
from booking.rules.visit_vocabulary import AgeGroup, AreaAnswer, Channel, FirstTimeAnswer
from booking.services.device_keys import device_hash, existing_key, key_for_year
from kiosk.counting import insert_visit, visit_values
from kiosk.places import Place

BAD_TAP = Message(N_("Ongeldige tik."))
QUESTIONS_EXPIRED = Message(N_("Deze vragen zijn verlopen. Dank u wel voor uw bezoek!"))
UNKNOWN_AREA = Message(N_("Kies een wijk of kern uit de lijst."))
UNKNOWN_AGE_GROUP = Message(N_("Kies een leeftijdsgroep uit de lijst."))
_FIRST_TIME_ANSWERS = frozenset(FirstTimeAnswer)
_AREA_ANSWERS = frozenset(AreaAnswer)
_AGE_GROUPS = frozenset(AgeGroup)


@dataclass(frozen=True)
class CheckIn:
    visit_id: int
    counted: bool  # False: the same device was here within SAME_VISIT


def device_hashes(house_id: int, device_id: str, now: datetime) -> list[str]:
    """The hash to store first, then the hash this device had at the start of the
    `SAME_VISIT` window if the year's key changed since and last year's key still exists."""
    this_year, *earlier_years = device_key_years(now)
    hashes = [device_hash(key_for_year(this_year), house_id, device_id)]
    for year in earlier_years:
        earlier_key = existing_key(year)
        if earlier_key is not None:
            hashes.append(device_hash(earlier_key, house_id, device_id))
    return hashes


def check_in_phone(place: Place, device_id: str, now: datetime) -> CheckIn:
    """Count a phone once per house per `SAME_VISIT`, by its keyed device hash.

    The reads that only shape the row happen first; SQLite's write lock is held only for
    the check and the insert. On PostgreSQL the statement that reads the circumstances
    also takes a lock on this device in this house, held to the commit; the check after it
    is a statement of its own and sees a visit committed meanwhile. Either way two
    simultaneous posts from one phone count once.
    """
    house_id = place.room.house_id
    hashed, *earlier_hashes = device_hashes(house_id, device_id, now)
    # PostgreSQL: the statement that reads the circumstances also locks this device here
    values = visit_values(place, now, now, lock_key=hashed, device_hash=hashed)
    begin_write()
    earlier = db.session.scalar(
        select(Visit.id)
        .where(
            Visit.house_id == house_id,
            Visit.device_hash.in_([hashed, *earlier_hashes]),
            Visit.visited_at > same_visit_since(now),
        )
        .order_by(Visit.visited_at.desc())
        .limit(1)
    )
    if earlier is not None:
        return CheckIn(earlier, counted=False)
    visit_id = insert_visit(values)
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
        raise InvalidInput("client_id", BAD_TAP) from error
    place = Place(kiosk.room, kiosk, Channel.tablet)
    values = visit_values(place, tap_moment(tapped_at, now), now, client_id=client_id)
    begin_write()
    return insert_visit(values) is not None


def can_answer(visit_id: int, now: datetime) -> bool:
    """The questions belong to a visit of the last `ANSWER_WINDOW`; a phone that checks
    in again later within `SAME_VISIT` is welcomed back without them."""
    visited_at = db.session.scalar(select(Visit.visited_at).where(Visit.id == visit_id))
    return is_answerable(visited_at, now)


def answer(
    visit_id: int, now: datetime, *, first_time: str | None, area: str | None, age_group: str | None
) -> Visit:
    """Store the optional answers of a visit made from this browser a moment ago.

    An empty answer is no answer; one outside the lists is refused at its field.
    """
    begin_write()
    visit = db.session.get(Visit, visit_id)
    if visit is None or not is_answerable(visit.visited_at, now):
        raise RuleViolation(QUESTIONS_EXPIRED)
    if first_time in _FIRST_TIME_ANSWERS:
        visit.first_time = first_time == FirstTimeAnswer.ja
    if area in _AREA_ANSWERS:
        visit.area_answer, visit.area_id = AreaAnswer(area), None
    elif (area_id := parse_whole_number(area)) is not None and db.session.get(Area, area_id):
        visit.area_id, visit.area_answer = area_id, None
    elif area:
        raise InvalidInput("area", UNKNOWN_AREA)
    if age_group in _AGE_GROUPS:
        visit.age_group = AgeGroup(age_group)
    elif age_group:
        raise InvalidInput("age_group", UNKNOWN_AGE_GROUP)
    return visit
