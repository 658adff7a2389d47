"""Calendar feeds at secret, revocable URLs (DESIGN section 8, STACK.md section 4).

A feed URL is a credential, like Google's "secret address in iCal format": long, random,
shown once, stored only as its SHA-256, revocable, never logged or written to the audit
log. Whoever holds it sees what the feed's scope shows without logging in, so the scope's
permission is checked when the feed is made *and* on every request (an owner who leaves
the house takes their house feeds with them).

Scopes:
- ``house``: every booking of a house, with organiser details (staff with manage_feeds);
- ``room``: the same for one room;
- ``mine``: the owner's own bookings (anyone logged in);
- ``public``: the public agenda of a house: public, active bookings, no organiser data.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from booking.database import begin_write
from booking.errors import InvalidInput, NotFound, RuleViolation
from booking.extensions import db
from booking.models import FeedToken, House, Room, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.text import has_unsafe_chars
from booking.services import audit
from booking.services.calendar import Detail
from booking.urls import public_url

WINDOW_BACK = timedelta(days=31)
WINDOW_AHEAD = timedelta(days=400)
CANCELLED_SHOWN_FOR = timedelta(days=31)
"""A cancelled booking stays in a feed this long after it changed, as STATUS:CANCELLED, so
subscribed calendars drop it instead of keeping a stale copy."""
MAX_DOWNLOAD_DAYS = 400
MAX_ACTIVE_FEEDS = 50
"""Per user: enough for every house and room one manages, few enough to notice abuse."""


class Scope(StrEnum):
    house = "house"
    room = "room"
    mine = "mine"
    public = "public"


DETAIL = {
    Scope.house: Detail.staff,
    Scope.room: Detail.staff,
    Scope.mine: Detail.own,
    Scope.public: Detail.public,
}


@dataclass(frozen=True)
class Target:
    """What a feed or a download shows: a scope and the house or room it is about."""

    scope: Scope
    owner: User
    house: House | None = None
    room: Room | None = None

    @property
    def house_id(self) -> int | None:
        if self.room is not None:
            return self.room.house_id
        return self.house.id if self.house is not None else None


@dataclass(frozen=True)
class CreatedFeed:
    """A new feed and its token: the only moment the token exists outside the caller."""

    feed: FeedToken
    token: str

    @property
    def url(self) -> str:
        return feed_url(self.token)

    @property
    def webcal_url(self) -> str:
        return webcal_url(self.token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_url(token: str) -> str:
    return public_url("feeds.feed", token=token)


def webcal_url(token: str) -> str:
    """The same URL for calendar apps that subscribe on a click (Apple, Outlook)."""
    url = feed_url(token)
    return "webcal://" + url.split("://", 1)[1]


# Who may see what ---------------------------------------------------------------------


def _parse_scope(scope: object) -> Scope:
    if not isinstance(scope, str) or scope not in Scope.__members__:
        raise InvalidInput(
            "scope", Message(N_("Kies een soort agenda: house, room, mine of public."))
        )
    return Scope(scope)


def resolve_target(user: User, scope: object, target_id: object) -> Target:
    """Check the request and the user's right to it; anything not theirs is NotFound.

    `target_id` is a house slug (str) for house and public, a room id (int) for room, and
    absent (None) for mine.
    """
    parsed = _parse_scope(scope)
    if parsed is Scope.mine:
        if target_id is not None:
            raise InvalidInput(
                "id",
                Message(N_("Een agenda van uw eigen boekingen heeft geen huis of ruimte nodig.")),
            )
        return Target(parsed, user)
    if parsed is Scope.room:
        if isinstance(target_id, bool) or not isinstance(target_id, int):
            raise InvalidInput("id", Message(N_("Kies een ruimte.")))
        room = db.session.get(Room, target_id)
        if room is None or not user.can(Permission.manage_feeds, room.house_id):
            raise NotFound(target_id)
        return Target(parsed, user, house=room.house, room=room)
    if not isinstance(target_id, str) or not target_id.strip():
        raise InvalidInput("id", Message(N_("Kies een huis.")))
    house = (
        db.session.scalar(select(House).where(House.slug == target_id))
        if len(target_id) <= 80 and not has_unsafe_chars(target_id)
        else None
    )
    if house is None or not user.can(Permission.manage_feeds, house.id):
        raise NotFound(target_id)
    return Target(parsed, user, house=house)


def target_of(feed: FeedToken) -> Target | None:
    """The feed's target as it stands now, or None if its owner may no longer use it."""
    owner = db.session.get(User, feed.owner_id)
    scope = Scope(feed.scope)
    house = db.session.get(House, feed.house_id) if feed.house_id is not None else None
    room = db.session.get(Room, feed.room_id) if feed.room_id is not None else None
    if owner is None:
        return None
    if scope is Scope.public:
        # Public data: keeps working on a house website after its maker leaves the house or
        # is deactivated (deleting the account revokes it: services/my_account/deletion.py).
        return Target(scope, owner, house=house) if house is not None else None
    if not owner.active:
        return None
    if scope is Scope.mine:
        return Target(scope, owner)
    if scope is Scope.room:
        if room is None or not owner.can(Permission.manage_feeds, room.house_id):
            return None
        return Target(scope, owner, house=room.house, room=room)
    if house is None or not owner.can(Permission.manage_feeds, house.id):
        return None
    return Target(scope, owner, house=house)


def describe(target: Target) -> str:
    """A short Dutch (or the current language's) name: the calendar name and list label."""
    if target.scope is Scope.mine:
        return _("Mijn boekingen")
    if target.scope is Scope.room:
        assert target.room is not None
        return _("%(room)s, %(house)s", room=target.room.name, house=target.room.house.name)
    assert target.house is not None
    if target.scope is Scope.public:
        return _("Openbare agenda van %(house)s", house=target.house.name)
    return _("Alle boekingen van %(house)s", house=target.house.name)


def describe_feed(feed: FeedToken) -> str:
    target = target_of(feed)
    return describe(target) if target is not None else feed.label


def creatable(user: User) -> tuple[list[House], list[Room]]:
    """Houses and rooms the user may make house, public and room feeds of."""
    house_ids = user.house_ids_with(Permission.manage_feeds)
    query = select(House).options(selectinload(House.rooms)).order_by(House.name)
    if house_ids is not None:
        if not house_ids:
            return [], []
        query = query.where(House.id.in_(house_ids))
    found = list(db.session.scalars(query))
    return found, [room for house in found for room in house.rooms]


# Use cases ----------------------------------------------------------------------------


def create_feed(user: User, scope: object, target_id: object, *, now: datetime) -> CreatedFeed:
    """Make a secret feed URL; the token is returned once and only its hash is kept."""
    begin_write()
    target = resolve_target(user, scope, target_id)
    live = db.session.scalar(
        select(func.count(FeedToken.id)).where(
            FeedToken.owner_id == user.id, FeedToken.revoked_at.is_(None)
        )
    )
    if (live or 0) >= MAX_ACTIVE_FEEDS:
        raise RuleViolation(
            Message(
                N_("U heeft al %(max)s agenda-links. Trek er eerst een in."),
                {"max": MAX_ACTIVE_FEEDS},
            )
        )
    token = secrets.token_urlsafe(32)
    with force_locale("nl"):
        label = describe(target)[:120]
    feed = FeedToken(
        token_hash=hash_token(token),
        scope=target.scope.value,
        house_id=target.house.id if target.house is not None else None,
        room_id=target.room.id if target.room is not None else None,
        owner_id=user.id,
        label=label,
        created_at=now,
    )
    db.session.add(feed)
    db.session.flush()
    audit.record(
        AuditAction.feed_created,
        AuditObject.feed_token,
        feed.id,
        actor_id=user.id,
        house_id=target.house_id,
        scope=feed.scope,
        room_id=feed.room_id,
    )
    db.session.flush()
    return CreatedFeed(feed, token)


def _may_revoke(user: User, feed: FeedToken) -> bool:
    """The owner, or staff of the feed's house (room feeds record their house too)."""
    if feed.owner_id == user.id:
        return True
    return feed.house_id is not None and user.can(Permission.manage_feeds, feed.house_id)


@dataclass(frozen=True)
class Revocable:
    """A live feed the user may revoke, as its confirmation page names it."""

    feed: FeedToken
    name: str
    owner: User


def feed_to_revoke(user: User, feed_id: int) -> Revocable:
    """The feed about to be revoked, for its "Weet u het zeker?" page (read only): not
    found exactly where `revoke_feed` would refuse it."""
    feed = db.session.get(FeedToken, feed_id)
    if feed is None or feed.revoked_at is not None or not _may_revoke(user, feed):
        raise NotFound(feed_id)
    owner = db.session.get(User, feed.owner_id)
    assert owner is not None  # owner_id is a foreign key
    return Revocable(feed, describe_feed(feed), owner)


def revoke_feed(user: User, feed_id: int, *, now: datetime) -> FeedToken:
    """Stop a feed at once: its owner, or whoever manages feeds in its house, may."""
    begin_write()
    feed = db.session.get(FeedToken, feed_id)
    if feed is None or feed.revoked_at is not None or not _may_revoke(user, feed):
        raise NotFound(feed_id)
    feed.revoked_at = now
    audit.record(
        AuditAction.feed_revoked,
        AuditObject.feed_token,
        feed.id,
        actor_id=user.id,
        house_id=feed.house_id,
        scope=feed.scope,
        owner_id=feed.owner_id,
    )
    db.session.flush()
    return feed


def feeds_of(user: User) -> list[FeedToken]:
    """The user's live feeds, newest first."""
    return list(
        db.session.scalars(
            select(FeedToken)
            .where(FeedToken.owner_id == user.id, FeedToken.revoked_at.is_(None))
            .order_by(FeedToken.created_at.desc(), FeedToken.id.desc())
        )
    )


def others_feeds_in_houses(user: User) -> list[tuple[FeedToken, User]]:
    """Live house, room and public feeds that colleagues made in houses the user manages.

    Listed so a colleague's leaked or forgotten link can be revoked without them.
    """
    house_ids = user.house_ids_with(Permission.manage_feeds)
    if house_ids is not None and not house_ids:
        return []
    query = (
        select(FeedToken, User)
        .join(User, User.id == FeedToken.owner_id)
        .where(
            FeedToken.owner_id != user.id,
            FeedToken.revoked_at.is_(None),
            FeedToken.scope != Scope.mine.value,
        )
        .order_by(FeedToken.created_at.desc(), FeedToken.id.desc())
    )
    if house_ids is not None:
        query = query.where(FeedToken.house_id.in_(house_ids))
    return [(feed, owner) for feed, owner in db.session.execute(query).all()]


def feed_for_token(token: str) -> FeedToken | None:
    """The live feed a token opens, or None; unknown, revoked and orphaned look the same."""
    if not token or len(token) > 200:
        return None
    feed = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == hash_token(token)))
    if feed is None or feed.revoked_at is not None or target_of(feed) is None:
        return None
    return feed
