"""Invoices as pure data: states, numbers, VAT arithmetic and the document both the PDF and
the UBL file are made from (DESIGN §14).

Amounts are integer cents. A line's amount is its net amount (without VAT): the room rates
of a house that charges VAT are exclusive of it, and the VAT is added per invoice, once per
category, as EN 16931 computes it (BR-CO-17: the tax of a category is its taxable amount
times the rate, rounded to the cent). A credit note is an invoice of its own kind whose
amounts are positive and whose meaning is negative, as in UBL's CreditNote.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

from booking.rules.messages import N_


class InvoiceKind(enum.StrEnum):
    factuur = "factuur"
    creditfactuur = "creditfactuur"


class InvoiceStatus(enum.StrEnum):
    """concept → definitief → verzonden → deels_betaald → betaald; any finalised invoice
    whose lines are all credited is gecrediteerd."""

    concept = "concept"
    definitief = "definitief"
    verzonden = "verzonden"
    deels_betaald = "deels_betaald"
    betaald = "betaald"
    gecrediteerd = "gecrediteerd"


STATUS_LABELS = {
    InvoiceStatus.concept: N_("concept"),
    InvoiceStatus.definitief: N_("definitief"),
    InvoiceStatus.verzonden: N_("verzonden"),
    InvoiceStatus.deels_betaald: N_("deels betaald"),
    InvoiceStatus.betaald: N_("betaald"),
    InvoiceStatus.gecrediteerd: N_("gecrediteerd"),
}
KIND_LABELS = {
    InvoiceKind.factuur: N_("Factuur"),
    InvoiceKind.creditfactuur: N_("Creditfactuur"),
}
FINAL_STATUSES = frozenset(InvoiceStatus) - {InvoiceStatus.concept}
OPEN_STATUSES = frozenset(
    {InvoiceStatus.definitief, InvoiceStatus.verzonden, InvoiceStatus.deels_betaald}
)


class VatTreatment(enum.StrEnum):
    """How a house's room rental meets VAT.

    `vrijgesteld`: exempt room rental (Wet OB art. 11 lid 1 sub b), the usual case; a house
    with a BTW number shows category E, one without is outside the VAT's scope (O).
    `belast`: the house opted for taxed rental and adds its rate (category S)."""

    vrijgesteld = "vrijgesteld"
    belast = "belast"


EXEMPTION_TEXT = N_("Vrijgesteld van btw (verhuur van onroerend goed, art. 11 lid 1 sub b Wet OB)")
OUT_OF_SCOPE_TEXT = N_("Niet belast met btw: de stichting is geen btw-ondernemer")


def vat_category(treatment: VatTreatment, has_btw_number: bool) -> str:
    """The UNCL 5305 category of EN 16931: S (standard rate), E (exempt), O (out of scope)."""
    if treatment is VatTreatment.belast:
        return "S"
    return "E" if has_btw_number else "O"


def half_up(numerator: int, denominator: int) -> int:
    """Integer division rounded half away from zero, as a cent is rounded on paper."""
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    quotient, rest = divmod(abs(numerator), abs(denominator))
    return sign * (quotient + (1 if 2 * rest >= abs(denominator) else 0))


def vat_cents(taxable_cents: int, rate_hundredths: int) -> int:
    """BR-CO-17: the tax of a category, its taxable amount times the rate, to the cent.

    The rate is in hundredths of a percent (2100 is 21 %), so no float ever holds money."""
    return half_up(taxable_cents * rate_hundredths, 10_000)


def invoice_number(prefix: str, year: int, sequence: int) -> str:
    """The printed number: prefix, year and a four-digit sequence, e.g. "BP2026-0007"."""
    return f"{prefix}{year}-{sequence:04d}"


def payment_reference(number: str) -> str:
    """What a payer types in the description of the transfer: the invoice number."""
    return number


def derive_status(
    status: InvoiceStatus, total_cents: int, credited_cents: int, paid_cents: int
) -> InvoiceStatus:
    """Where the money puts a finalised invoice: payments and credit notes, not a person,
    decide whether it is (deels) betaald or gecrediteerd."""
    if status is InvoiceStatus.concept:
        return status
    due = total_cents - credited_cents
    if credited_cents > 0 and due <= 0:
        return InvoiceStatus.gecrediteerd
    if paid_cents >= due > 0 or (due <= 0 < paid_cents):
        return InvoiceStatus.betaald
    if paid_cents > 0:
        return InvoiceStatus.deels_betaald
    if status in (InvoiceStatus.deels_betaald, InvoiceStatus.betaald, InvoiceStatus.gecrediteerd):
        return InvoiceStatus.verzonden
    return status


def late_cancellation_fee(
    amount_cents: int,
    start: datetime,
    cancelled_at: datetime,
    free_days: int | None,
    percent: int | None,
) -> int:
    """The fee for a cancellation closer than `free_days` before the start: `percent` of
    the amount. A house without both settings charges nothing."""
    if free_days is None or not percent or amount_cents <= 0:
        return 0
    if (start - cancelled_at).total_seconds() >= free_days * 86_400:
        return 0
    return half_up(amount_cents * percent, 100)


@dataclass(frozen=True)
class Party:
    """Seller or buyer as both documents print it."""

    name: str
    street: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    email: str = ""
    kvk: str = ""
    btw: str = ""
    iban: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """One booking (or fee) on an invoice, in Amsterdam time for printing."""

    description: str  # the activity ("Repetitie Zangkoor Vocalis")
    room: str
    start: datetime  # aware, Europe/Amsterdam
    end: datetime
    hours_hundredths: int  # 250 = 2,50 uur
    tariff_group: str  # "T2"
    reasons: tuple[str, ...]  # why this tariff group, in the document's language
    list_price_cents: int
    discount_cents: int
    amount_cents: int  # net; list price minus discount


@dataclass(frozen=True)
class VatBreakdown:
    category: str  # S, E or O
    rate_hundredths: int
    taxable_cents: int
    tax_cents: int
    exemption_reason: str = ""


@dataclass(frozen=True)
class InvoiceDocument:
    """Everything an invoice or credit note says, frozen: the PDF and the UBL file are two
    renderings of this and nothing else."""

    kind: InvoiceKind
    number: str
    issue_date: date
    due_date: date
    seller: Party
    buyer: Party
    lines: tuple[DocumentLine, ...]
    vat: tuple[VatBreakdown, ...]
    currency: str = "EUR"
    period_start: date | None = None
    period_end: date | None = None
    credited_number: str = ""  # a credit note names the invoice it corrects
    credited_issue_date: date | None = None
    note: str = ""  # a credit note's reason, or a line for the payer
    payment_reference: str = ""
    buyer_reference: str = ""  # BT-10; SI-UBL requires it or an order reference
    labels: dict[str, str] = field(default_factory=dict)  # translated captions for the PDF

    @property
    def net_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def list_price_cents(self) -> int:
        return sum(line.list_price_cents for line in self.lines)

    @property
    def discount_cents(self) -> int:
        return sum(line.discount_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return sum(b.tax_cents for b in self.vat)

    @property
    def total_cents(self) -> int:
        return self.net_cents + self.tax_cents


def vat_breakdown(
    line_amounts: list[int], treatment: VatTreatment, rate_hundredths: int, btw_number: str
) -> tuple[VatBreakdown, ...]:
    """One breakdown row for the invoice's one category (a house has one VAT treatment)."""
    category = vat_category(treatment, bool(btw_number))
    taxable = sum(line_amounts)
    if category == "S":
        return (
            VatBreakdown(category, rate_hundredths, taxable, vat_cents(taxable, rate_hundredths)),
        )
    reason = EXEMPTION_TEXT if category == "E" else OUT_OF_SCOPE_TEXT
    return (VatBreakdown(category, 0, taxable, 0, reason),)
