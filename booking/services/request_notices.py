"""Requests that wait for a beheerder's decision (aangevraagd): nothing slips past staff.

Three ways a request reaches the people who may decide it (manage_building in its house):

- the dashboard lists the requests waiting for them, oldest first, with the day each one
  expires (`waiting_for`, two small queries whatever the number of houses);
- a mail at once (`announce_requests`), queued in the transaction that made the booking,
  to every beheerder of the house who chose `direct` (RequestMail);
- a daily digest (`send_digest`, the `send_request_digest` job) to those who chose
  `dagelijks`, of the requests made since the previous digest.

Who hears by mail: the house's own beheerders (a membership). The gemeente may decide in
every house and sees the requests on its dashboard, but is not mailed about every request
of the municipality. Sociaal beheerders may not decide (DESIGN section 3), so they are
neither listed nor mailed.

The digest never mails a request twice: each run claims its local day in `job_run`
(job `send_request_digest`, period the date) and covers the requests created after the
previous run's moment (the "sent up to" marker, that row's `started_at`) up to its own;
each mail also has a dedupe key per person and day, so a second scheduler that raced past
the claim cannot queue it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.errors import Forbidden
from booking.extensions import db
from booking.mail import request_mails
from booking.models import Booking, HouseMembership, JobRun, Room, User
from booking.rules import slots
from booking.rules.permissions import Permission, Role
from booking.rules.request_mail import RequestMail
from booking.rules.statuses import BookingStatus

DASHBOARD_SHOWN = 10
"""How many waiting requests the dashboard lists; the count says how many there are."""

DIGEST_JOB = "send_request_digest"
DIGEST_FROM = time(7, 0)
"""The digest goes out once a day, at the first run after 07:00 Amsterdam time."""

FIRST_DIGEST_LOOKS_BACK = timedelta(days=1)
"""Without an earlier digest, the first one covers the day before it."""


@dataclass(frozen=True)
class WaitingRequest:
    """A request as the dashboard shows it: the booking and the moment it lapses."""

    booking: Booking
    expires_at: datetime


@dataclass(frozen=True)
class Waiting:
    """The requests waiting for one person's decision: how many, and the oldest."""

    count: int = 0
    oldest: list[WaitingRequest] = field(default_factory=list)


@dataclass(frozen=True)
class DigestReport:
    mails: int = 0
    requests: int = 0
    note: str = ""


def expires_at(booking: Booking) -> datetime:
    """When the expiry job lets this request lapse (services/deadlines.expire_requests)."""
    return booking.created_at + timedelta(days=booking.request_expiry_days)


def _waiting_query(house_ids: set[int] | None, now: datetime) -> Select[tuple[Booking]]:
    query = select(Booking).where(
        Booking.status == BookingStatus.aangevraagd.value, Booking.end > now
    )
    if house_ids is not None:
        query = query.join(Room, Room.id == Booking.room_id).where(Room.house_id.in_(house_ids))
    return query


def waiting_for(user: User, now: datetime, limit: int = DASHBOARD_SHOWN) -> Waiting:
    """The requests the user may decide on, oldest first; nothing for who may not decide."""
    house_ids = user.house_ids_with(Permission.manage_building)
    if house_ids is not None and not house_ids:
        return Waiting()
    query = _waiting_query(house_ids, now)
    count = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if not count:
        return Waiting()
    oldest = db.session.scalars(
        query.options(
            selectinload(Booking.room).selectinload(Room.house), selectinload(Booking.organiser)
        )
        .order_by(Booking.created_at, Booking.id)
        .limit(limit)
    ).all()
    return Waiting(count, [WaitingRequest(b, expires_at(b)) for b in oldest])


def may_choose_request_mail(user: User) -> bool:
    """Whether the user is beheerder of a house, and so may be mailed about its requests."""
    return any(m.role == Role.beheerder.value for m in user.memberships)


def _beheerders(house_ids: set[int], choice: RequestMail) -> list[tuple[User, int]]:
    """(beheerder, house id) for the active beheerders of these houses with this choice."""
    if not house_ids:
        return []
    rows = db.session.execute(
        select(User, HouseMembership.house_id)
        .join(HouseMembership, HouseMembership.user_id == User.id)
        .where(
            HouseMembership.house_id.in_(house_ids),
            HouseMembership.role == Role.beheerder.value,
            User.active.is_(True),
            User.request_mail == choice.value,
        )
        .order_by(User.id)
    ).all()
    return [(user, house_id) for user, house_id in rows]


def announce_requests(bookings: Sequence[Booking]) -> int:
    """Mail the house's `direct` beheerders about new requests; the number of mails queued.

    Called by the booking use cases right after they placed the bookings, in their
    transaction. A series is one request: one mail lists its dates that wait.
    """
    requests = [b for b in bookings if b.status == BookingStatus.aangevraagd]
    if not requests:
        return 0
    by_house: dict[int, list[Booking]] = defaultdict(list)
    for booking in requests:
        by_house[booking.room.house_id].append(booking)
    queued = 0
    for user, house_id in _beheerders(set(by_house), RequestMail.direct):
        of_house = by_house[house_id]
        if user.id == of_house[0].organiser_id:
            continue  # a beheerder's own request: they know
        mail = request_mails.queue_request(user, of_house, expires_at(of_house[0]))
        queued += mail is not None
    return queued


# The daily digest ---------------------------------------------------------------------


def _digest_day(now: datetime) -> str | None:
    """The local day this run's digest is for, or None before 07:00."""
    local = now.astimezone(slots.AMSTERDAM)
    return local.date().isoformat() if local.time() >= DIGEST_FROM else None


def _sent_up_to(now: datetime) -> datetime:
    last = db.session.scalar(select(func.max(JobRun.started_at)).where(JobRun.job == DIGEST_JOB))
    return last if last is not None else now - FIRST_DIGEST_LOOKS_BACK


def _claim(day: str, now: datetime) -> bool:
    """Claim today's digest; False if this or another scheduler already sent it."""
    if db.session.get(JobRun, (DIGEST_JOB, day)) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(JobRun(job=DIGEST_JOB, period=day, started_at=now))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def send_digest(now: datetime) -> DigestReport:
    """Once a day: one mail per `dagelijks` beheerder with the requests since the last one."""
    day = _digest_day(now)
    if day is None:
        return DigestReport(note="pas na 07.00 uur")
    begin_write()
    since = _sent_up_to(now)
    if not _claim(day, now):
        return DigestReport(note="vandaag al verstuurd")
    new = db.session.scalars(
        select(Booking)
        .where(
            Booking.status == BookingStatus.aangevraagd.value,
            Booking.created_at > since,
            Booking.created_at <= now,
            Booking.end > now,
        )
        .options(selectinload(Booking.room).selectinload(Room.house))
        .order_by(Booking.created_at, Booking.id)
    ).all()
    by_house: dict[int, list[Booking]] = defaultdict(list)
    for booking in new:
        by_house[booking.room.house_id].append(booking)
    per_user: dict[int, tuple[User, list[Booking]]] = {}
    for user, house_id in _beheerders(set(by_house), RequestMail.dagelijks):
        per_user.setdefault(user.id, (user, []))[1].extend(by_house[house_id])
    mails = 0
    for user, requests in per_user.values():
        requests.sort(key=lambda b: (b.created_at, b.id))
        items = [WaitingRequest(b, expires_at(b)) for b in requests]
        mail = request_mails.queue_digest(user, items, day, still_waiting=_count_for(user, now))
        mails += mail is not None
    return DigestReport(mails, len(new))


def _count_for(user: User, now: datetime) -> int:
    house_ids = {m.house_id for m in user.memberships if m.role == Role.beheerder.value}
    query = _waiting_query(house_ids, now)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def request_mail_choice(actor: User) -> RequestMail:
    """The actor's current choice; not found for who is beheerder of no house."""
    if not may_choose_request_mail(actor):
        raise Forbidden(actor.id)
    return RequestMail(actor.request_mail)


def choose_request_mail(actor: User, choice: RequestMail) -> RequestMail:
    """Store how the actor hears of new requests (at once, daily, or only the dashboard)."""
    begin_write()
    before = request_mail_choice(actor)
    actor.request_mail = RequestMail(choice).value
    db.session.flush()
    return before
