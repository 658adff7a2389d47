"""The booking aggregate: bookings (each occurrence its own row; their series' rule is in
`models/series.py`).

The invariant of DESIGN section 4 lives here on PostgreSQL: an exclusion constraint
forbids two active bookings of one room whose time ranges overlap. SQLite has no such
constraint; there the booking service serialises writers with BEGIN IMMEDIATE.

A booking's status changes only through its methods (`cancel`, `displace`, `decide`,
`confirm_by_window`, `expire`, `override`), which refuse a move the state machine of
`booking/rules/statuses.py` does not allow and raise the iCalendar SEQUENCE whenever the
calendar event changes, so no use case can forget either.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    column,
    false,
    func,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.errors import IllegalTransition, RuleViolation
from booking.models.accounts import User
from booking.models.base import Base, UTCDateTime, utcnow
from booking.models.houses import Room
from booking.models.organisations import Organisation
from booking.models.series import BookingSeries
from booking.rules.messages import N_, Message, encode_reason, encode_text_reason
from booking.rules.pricing import Price
from booking.rules.priority import DISPLACEABLE_STATUSES, initial_status
from booking.rules.residents import Resident
from booking.rules.statuses import (
    ACTIVE_STATUSES,
    BookingStatus,
    OrganiserKind,
    PriorityClass,
    TariffGroup,
    may_move,
)
from booking.rules.tariff import Activity, TariffDecision

NO_OVERLAP_CONSTRAINT = "ex_booking_no_overlap"
CHANGEABLE = (
    *("room_id", "title", "public", "start", "end", "status", "tariff_group", "priority_class"),
    *("amount_cents", "list_price_cents", "organiser_kind", "open_to_all", "membership_required"),
    *("contribution_cents", "profit_making", "subsidised", "mainly_meeting", "gives_in_return"),
    *("voorrangstermijn_days", "request_expiry_days"),
)
"""What `Booking.change` takes from a fresh judgement; identity, organiser, series stay."""
_GROUP_VALUES = ", ".join(f"'{g.value}'" for g in TariffGroup)
_KIND_VALUES = ", ".join(f"'{k.value}'" for k in OrganiserKind)
ACTIVE_STATUS_VALUES = sorted(s.value for s in ACTIVE_STATUSES)
REASON_MAX = 1000
"""The longest reason a person may type for a cancellation, a decision or an override."""

_STATUS_TYPE = Enum(
    BookingStatus,
    native_enum=False,  # a VARCHAR with a CHECK: a new status is one migration, on both databases
    create_constraint=True,
    name="status",  # the CHECK is ck_booking_status under the metadata's naming convention
    length=20,
    values_callable=lambda statuses: [s.value for s in statuses],
    validate_strings=True,
)
"""The column type of `Booking.status`: the Dutch words of DESIGN section 4, nothing else."""


class Quote(Protocol):
    """What a booking is made from: the server's judgement of one slot (services/quotes.py)."""

    @property
    def room(self) -> Room: ...

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...

    @property
    def decision(self) -> TariffDecision: ...

    @property
    def price(self) -> Price: ...

    @property
    def status(self) -> BookingStatus: ...

    @property
    def voorrangstermijn_days(self) -> int: ...

    @property
    def request_expiry_days(self) -> int: ...


class Booking(Base):
    """One reservation of one room; price and tariff group are frozen when it is made."""

    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint('start < "end"', name="start_before_end"),
        CheckConstraint(f"tariff_group IN ({_GROUP_VALUES})", name="tariff_group"),
        CheckConstraint(f"organiser_kind IN ({_KIND_VALUES})", name="organiser_kind"),
        CheckConstraint("priority_class BETWEEN 1 AND 4", name="priority_class"),
        CheckConstraint("amount_cents >= 0 AND list_price_cents >= 0", name="money"),
        CheckConstraint("contribution_cents >= 0", name="contribution"),
        Index("ix_booking_room_start", "room_id", "start"),
        # The public agendas read every room's public bookings of a fortnight by start.
        Index("ix_booking_public_start", "public", "start"),
        ExcludeConstraint(
            (column("room_id"), "="),
            (func.tstzrange(column("start"), column("end"), "[)"), "&&"),
            name=NO_OVERLAP_CONSTRAINT,
            using="gist",
            where=column("status").in_(ACTIVE_STATUS_VALUES),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id"))
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"), index=True)
    # Booked "namens" an organisation, which is then invoiced (DESIGN §14).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[BookingStatus] = mapped_column(_STATUS_TYPE, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    tariff_group: Mapped[str] = mapped_column(String(2))
    priority_class: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    list_price_cents: Mapped[int] = mapped_column(Integer)
    override_reason: Mapped[str] = mapped_column(Text, default="")
    displaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"))
    organiser_kind: Mapped[str] = mapped_column(String(30))
    open_to_all: Mapped[bool] = mapped_column(Boolean)
    membership_required: Mapped[bool] = mapped_column(Boolean)
    contribution_cents: Mapped[int] = mapped_column(Integer)
    profit_making: Mapped[bool] = mapped_column(Boolean)
    subsidised: Mapped[bool] = mapped_column(Boolean)
    mainly_meeting: Mapped[bool] = mapped_column(Boolean)
    gives_in_return: Mapped[bool] = mapped_column(Boolean)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # The voorrangstermijn and approval expiry it was judged by, frozen like the price: a
    # policy change moves no promise made to a booker (0010 gave old rows their house's).
    voorrangstermijn_days: Mapped[int] = mapped_column(Integer, server_default="14")
    request_expiry_days: Mapped[int] = mapped_column(Integer, server_default="7")
    # Booked by staff for a resident without an account (the organiser is then the staff
    # member); the name and phone are shown to the house's staff only.
    on_behalf_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    on_behalf_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    on_behalf_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # A beheerder took it off a concept invoice: the runs leave it alone.
    not_invoiced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    room: Mapped[Room] = relationship()
    organiser: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    series: Mapped[BookingSeries | None] = relationship(back_populates="bookings")
    displaced_by: Mapped[Booking | None] = relationship(
        remote_side="Booking.id",
        foreign_keys=[displaced_by_id],
        # Written by a second UPDATE after the flush: the displaced row must be inactive
        # before the new booking is inserted, or the exclusion constraint refuses it.
        post_update=True,
    )

    @classmethod
    def from_quote(
        cls,
        quote: Quote,
        *,
        organiser: User,
        title: str,
        public: bool,
        activity: Activity,
        series_id: int | None = None,
    ) -> Booking:
        """A new booking, with the group, class, price and status the quote froze."""
        if quote.status not in ACTIVE_STATUSES:
            raise ValueError(f"a booking cannot start as {quote.status}")
        return cls(
            room_id=quote.room.id,
            organiser_id=organiser.id,
            series_id=series_id,
            title=title,
            public=public,
            start=quote.start,
            end=quote.end,
            status=BookingStatus(quote.status),
            status_reason="",
            tariff_group=quote.decision.tariff_group.value,
            priority_class=int(quote.decision.priority_class),
            amount_cents=quote.price.amount_cents,
            list_price_cents=quote.price.list_price_cents,
            override_reason="",
            organiser_kind=activity.organiser_kind.value,
            open_to_all=activity.open_to_all,
            membership_required=activity.membership_required,
            contribution_cents=activity.contribution_cents,
            profit_making=activity.profit_making,
            subsidised=activity.subsidised,
            mainly_meeting=activity.mainly_meeting,
            gives_in_return=activity.gives_in_return,
            voorrangstermijn_days=quote.voorrangstermijn_days,
            request_expiry_days=quote.request_expiry_days,
            sequence=0,
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_on_behalf(self) -> bool:
        """Booked by staff (the organiser) for a resident without an account."""
        return bool(self.on_behalf_name)

    def book_for(self, resident: Resident) -> None:
        """Record the resident staff booked for: shown to the house's staff only."""
        self.on_behalf_name = resident.name
        self.on_behalf_phone = resident.phone
        self.on_behalf_email = resident.email

    # Transitions: each refuses an illegal move, then changes status and SEQUENCE at once.

    def cancel(self, *, now: datetime, reason: str = "") -> None:
        """The organiser or a beheerder cancels: only an active booking that is not over."""
        if not self.is_active:
            raise IllegalTransition(self._already())
        if self.end <= now:
            raise IllegalTransition(
                Message(N_("Een boeking die al voorbij is kan niet meer worden geannuleerd."))
            )
        _check_reason(reason)
        self._move(BookingStatus.geannuleerd)
        if reason:
            self.status_reason = encode_text_reason(reason)

    def displace(self, *, by: Booking, reason: Message) -> None:
        """A better class takes the slot; whether it may is `rules.priority.may_displace`."""
        if self.status not in DISPLACEABLE_STATUSES:
            raise IllegalTransition(
                Message(
                    N_("Deze boeking is %(status_label)s en kan niet worden verdrongen."),
                    {"status_label": self._status.value},
                )
            )
        self._move(BookingStatus.verdrongen)
        self.displaced_by = by
        self.status_reason = encode_reason(reason)

    def decide(self, approved: bool, reason: str, *, now: datetime) -> None:
        """A beheerder approves or rejects a request; a rejection needs a reason.

        An approved request gets the status it would have had without approval: confirmed
        for class 1 or inside the priority window (its own, frozen), provisional otherwise.
        """
        if self.status != BookingStatus.aangevraagd:
            raise IllegalTransition(
                Message(N_("Alleen een aanvraag kan worden goedgekeurd of afgewezen."))
            )
        if approved and self.end <= now:
            raise IllegalTransition(
                Message(
                    N_("Deze aanvraag ligt al in het verleden en kan niet meer worden goedgekeurd.")
                )
            )
        _check_reason(reason)
        if not approved and not reason.strip():
            raise RuleViolation(Message(N_("Geef een reden voor de afwijzing.")))
        if approved:
            self._move(
                initial_status(
                    PriorityClass(self.priority_class),
                    self.start,
                    now,
                    self.voorrangstermijn_days,
                    requires_approval=False,
                )
            )
        else:
            self._move(BookingStatus.afgewezen)
            self.status_reason = encode_text_reason(reason.strip())

    def confirm_by_window(self, *, now: datetime) -> None:
        """The priority window reached a provisional booking: from now on it stays."""
        if self.status != BookingStatus.onder_voorbehoud:
            raise IllegalTransition(
                Message(
                    N_(
                        "Alleen een boeking onder voorbehoud kan door de voorrangstermijn "
                        "worden bevestigd."
                    )
                )
            )
        self._move(BookingStatus.bevestigd)
        self.updated_at = now

    def expire(self, *, reason: Message, now: datetime) -> None:
        """Nobody decided on a request in time: it lapses, so it stops blocking the room."""
        if self.status != BookingStatus.aangevraagd:
            raise IllegalTransition(Message(N_("Alleen een aanvraag kan verlopen.")))
        self._move(BookingStatus.afgewezen)
        self.status_reason = encode_reason(reason)
        self.updated_at = now

    def override(
        self,
        *,
        tariff_group: TariffGroup,
        priority_class: PriorityClass,
        price: Price,
        reason: str,
    ) -> None:
        """A beheerder corrects group and class, with a reason; the price follows the group.

        Class 1 is confirmed at once, so a provisional booking moved to class 1 is confirmed.
        """
        if not reason.strip():
            raise RuleViolation(Message(N_("Geef een reden voor de wijziging.")))
        _check_reason(reason)
        if not self.is_active:
            raise IllegalTransition(self._already())
        self.tariff_group = TariffGroup(tariff_group).value
        self.priority_class = int(priority_class)
        self.amount_cents = price.amount_cents
        self.list_price_cents = price.list_price_cents
        self.override_reason = reason.strip()
        if (
            PriorityClass(priority_class) is PriorityClass.DOOR_EN_VOOR_BEWONERS
            and self.status == BookingStatus.onder_voorbehoud
        ):
            self._move(BookingStatus.bevestigd)
        else:
            self.sequence += 1  # the price in the event's description changed

    def change(
        self, quote: Quote, *, title: str, public: bool, activity: Activity, now: datetime
    ) -> None:
        """Move or edit a future booking: judged again like a new one, same id and UID."""
        if not self.is_active:
            raise IllegalTransition(self._already())
        if self.start <= now:
            raise IllegalTransition(
                Message(N_("Een boeking die al begonnen of voorbij is kan niet worden gewijzigd."))
            )
        fresh = Booking.from_quote(
            quote, organiser=self.organiser, title=title, public=public, activity=activity
        )
        for name in CHANGEABLE:
            setattr(self, name, getattr(fresh, name))
        self.room, self.status_reason, self.override_reason = quote.room, "", ""
        self.sequence += 1  # the event moved or its text changed: calendars update

    @property
    def _status(self) -> BookingStatus:
        return BookingStatus(self.status)

    def _already(self) -> Message:
        return Message(
            N_("Deze boeking is al %(status_label)s."), {"status_label": self._status.value}
        )

    def _move(self, target: BookingStatus) -> None:
        """The one place a status changes: legal moves only, and the event's SEQUENCE rises."""
        if not may_move(self._status, target):
            raise IllegalTransition(self._already())
        self.status = target
        self.sequence += 1


def _check_reason(reason: str) -> None:
    if len(reason) > REASON_MAX:
        raise RuleViolation(
            Message(N_("De reden is te lang (hoogstens %(max)s tekens)."), {"max": REASON_MAX})
        )
