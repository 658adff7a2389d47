"""The invoicing aggregate: a house's invoicing details, invoices and credit notes with their
lines and payments, and the per-house, per-year number counter (DESIGN §14).

A finalised invoice is never edited: its seller, buyer, lines and totals are frozen at
finalising, and every later correction is a credit note that refers to it. The database
holds the promises the treasurer relies on: one number per house and year once
(`uq_invoice_number_once`), a number exactly when finalised (`ck_invoice_number_when_final`),
and a booking charged by at most one live line of each kind (`uq_invoice_line_live_once`),
so two runs at once cannot invoice a rehearsal twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from booking.errors import IllegalTransition
from booking.models.accounts import User
from booking.models.base import Base, UTCDateTime, utcnow
from booking.models.houses import House
from booking.models.organisations import Organisation
from booking.rules.invoices import InvoiceKind, InvoiceStatus, derive_status
from booking.rules.messages import N_, Message

_KINDS = ", ".join(f"'{k.value}'" for k in InvoiceKind)
_STATUSES = ", ".join(f"'{s.value}'" for s in InvoiceStatus)
LINE_KINDS = ("boeking", "annulering")


class HouseInvoicing(Base):
    """How a house's stichting invoices: its legal details and its VAT treatment."""

    __tablename__ = "house_invoicing"
    __table_args__ = (
        CheckConstraint("vat_treatment IN ('vrijgesteld', 'belast')", name="vat_treatment"),
        CheckConstraint(
            "(vat_treatment = 'vrijgesteld' AND vat_rate_hundredths = 0) OR "
            "(vat_treatment = 'belast' AND vat_rate_hundredths BETWEEN 1 AND 10000 "
            "AND btw_number <> '')",
            name="vat_needs_number",
        ),
        CheckConstraint("payment_term_days BETWEEN 1 AND 120", name="payment_term"),
        CheckConstraint("length(kvk_number) = 8", name="kvk_length"),
        CheckConstraint(
            "(late_cancel_free_days IS NULL) = (late_cancel_percent IS NULL)",
            name="late_cancel_both",
        ),
        CheckConstraint(
            "late_cancel_percent IS NULL OR late_cancel_percent BETWEEN 1 AND 100",
            name="late_cancel_percent",
        ),
    )

    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(160))
    street: Mapped[str] = mapped_column(String(120))
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(80))
    kvk_number: Mapped[str] = mapped_column(String(8))
    btw_number: Mapped[str] = mapped_column(String(14), default="")
    iban: Mapped[str] = mapped_column(String(34))
    payment_term_days: Mapped[int] = mapped_column(Integer, default=30)
    number_prefix: Mapped[str] = mapped_column(String(10))
    vat_treatment: Mapped[str] = mapped_column(String(12), default="vrijgesteld")
    vat_rate_hundredths: Mapped[int] = mapped_column(Integer, default=0)
    late_cancel_free_days: Mapped[int | None] = mapped_column(Integer)
    late_cancel_percent: Mapped[int | None] = mapped_column(Integer)
    email: Mapped[str] = mapped_column(String(254), default="")

    house: Mapped[House] = relationship()


class InvoiceCounter(Base):
    """The last number given per house and year; its row lock orders concurrent finalising."""

    __tablename__ = "invoice_counter"

    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Base):
    """An invoice or credit note of one house to one organisation or person."""

    __tablename__ = "invoice"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KINDS})", name="kind"),
        CheckConstraint(f"status IN ({_STATUSES})", name="status"),
        CheckConstraint(
            "(status = 'concept') = (sequence IS NULL) AND (sequence IS NULL) = (number IS NULL)",
            name="number_when_final",
        ),
        CheckConstraint(
            "(kind = 'creditfactuur') = (credits_invoice_id IS NOT NULL)", name="credit_refers"
        ),
        CheckConstraint(
            "organisation_id IS NOT NULL OR person_id IS NOT NULL", name="has_recipient"
        ),
        CheckConstraint("paid_cents >= 0 AND credited_cents >= 0", name="money_not_negative"),
        UniqueConstraint("house_id", "year", "sequence", name="uq_invoice_number_once"),
        Index("ix_invoice_house_status", "house_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(ForeignKey("house.id"))
    kind: Mapped[str] = mapped_column(String(14), default=InvoiceKind.factuur.value)
    status: Mapped[str] = mapped_column(String(14), default=InvoiceStatus.concept.value)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    period_month: Mapped[str | None] = mapped_column(String(7))
    year: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(30))
    issue_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    credits_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # Frozen at finalising: what the documents print, whatever the house or the
    # organisation changes later.
    seller: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    buyer: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    vat_treatment: Mapped[str] = mapped_column(String(12), default="vrijgesteld")
    vat_rate_hundredths: Mapped[int] = mapped_column(Integer, default=0)
    net_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    paid_cents: Mapped[int] = mapped_column(Integer, default=0)
    credited_cents: Mapped[int] = mapped_column(Integer, default=0)
    last_reminder_on: Mapped[date | None] = mapped_column(Date)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    house: Mapped[House] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[User | None] = relationship()
    credits: Mapped[Invoice | None] = relationship(remote_side="Invoice.id")
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.position"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Payment.paid_on"
    )

    @property
    def state(self) -> InvoiceStatus:
        return InvoiceStatus(self.status)

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.creditfactuur.value

    @property
    def due_cents(self) -> int:
        """What is still to be paid: the total, less credit notes and payments."""
        if self.is_credit_note:
            return 0
        return max(self.total_cents - self.credited_cents - self.paid_cents, 0)

    def finalise(
        self, *, year: int, sequence: int, number: str, issued: date, due: date, now: datetime
    ) -> None:
        if self.state is not InvoiceStatus.concept:
            raise IllegalTransition(Message(N_("Deze factuur is al definitief.")))
        self.year, self.sequence, self.number = year, sequence, number
        self.issue_date, self.due_date = issued, due
        self.status = InvoiceStatus.definitief.value
        self.finalised_at = now

    def mark_sent(self, *, now: datetime) -> None:
        if self.state is InvoiceStatus.definitief:
            self.status = InvoiceStatus.verzonden.value
        self.sent_at = now

    def follow_money(self) -> None:
        """Let payments and credit notes set the status (`rules.invoices.derive_status`)."""
        self.status = derive_status(
            self.state, self.total_cents, self.credited_cents, self.paid_cents
        ).value


class InvoiceLine(Base):
    """A booking (or a late-cancellation fee) on an invoice, or its credit on a credit note."""

    __tablename__ = "invoice_line"
    __table_args__ = (
        CheckConstraint("kind IN ('boeking', 'annulering')", name="kind"),
        CheckConstraint(
            "list_price_cents >= 0 AND discount_cents >= 0 AND amount_cents >= 0", name="amounts"
        ),
        CheckConstraint("amount_cents = list_price_cents - discount_cents", name="amount_is_net"),
        Index(
            "uq_invoice_line_live_once",
            "booking_id",
            "kind",
            unique=True,
            sqlite_where=text("live"),
            postgresql_where=text("live"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(12), default="boeking")
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id"), index=True)
    # True while this line charges its booking: on an invoice (concept or final) and not
    # credited. A credit note's lines are never live.
    live: Mapped[bool] = mapped_column(default=False, server_default=false())
    credited_line_id: Mapped[int | None] = mapped_column(ForeignKey("invoice_line.id"))
    description: Mapped[str] = mapped_column(String(200))
    room_name: Mapped[str] = mapped_column(String(120), default="")
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    hours_hundredths: Mapped[int] = mapped_column(Integer, default=0)
    tariff_group: Mapped[str] = mapped_column(String(2), default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    list_price_cents: Mapped[int] = mapped_column(Integer)
    discount_cents: Mapped[int] = mapped_column(Integer, default=0)
    amount_cents: Mapped[int] = mapped_column(Integer)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(Base):
    """Money received for an invoice, partial or whole, as the treasurer records it."""

    __tablename__ = "payment"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    paid_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invoice: Mapped[Invoice] = relationship(back_populates="payments")
