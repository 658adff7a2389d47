"""Invoice rules: rounding, VAT per category, where payments put an invoice, the late
cancellation fee and the VAT breakdown both documents print."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.invoices import (
    EXEMPTION_TEXT,
    OUT_OF_SCOPE_TEXT,
    InvoiceStatus,
    VatBreakdown,
    VatTreatment,
    derive_status,
    half_up,
    invoice_number,
    late_cancellation_fee,
    payment_reference,
    vat_breakdown,
    vat_category,
    vat_cents,
)

FAST = settings(max_examples=300, deadline=None, database=None)
S = InvoiceStatus


@pytest.mark.parametrize(
    ("numerator", "denominator", "result"),
    [
        (5, 10, 1),
        (4, 10, 0),
        (15, 10, 2),
        (14, 10, 1),
        (-5, 10, -1),
        (-4, 10, 0),
        (-15, 10, -2),
        (5, -10, -1),
        (-5, -10, 1),
        (0, 7, 0),
        (10, 5, 2),
    ],
)
def test_half_up_rounds_halves_away_from_zero(
    numerator: int, denominator: int, result: int
) -> None:
    assert half_up(numerator, denominator) == result


@FAST
@given(st.integers(-(10**12), 10**12), st.integers(1, 10**6) | st.integers(-(10**6), -1))
def test_half_up_is_decimal_round_half_up(numerator: int, denominator: int) -> None:
    expected = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), ROUND_HALF_UP)
    assert half_up(numerator, denominator) == int(expected)
    assert half_up(-numerator, denominator) == -half_up(numerator, denominator)


@pytest.mark.parametrize(
    ("taxable", "rate", "tax"),
    [
        (10000, 2100, 2100),
        (1005, 2100, 211),
        (1002, 2100, 210),
        (999, 900, 90),
        (0, 2100, 0),
        (5, 1000, 1),
    ],
)
def test_vat_cents_is_the_rate_to_the_cent(taxable: int, rate: int, tax: int) -> None:
    assert vat_cents(taxable, rate) == tax


@FAST
@given(st.integers(0, 10**9), st.sampled_from([0, 900, 2100, 1550]))
def test_vat_cents_is_within_half_a_cent(taxable: int, rate: int) -> None:
    exact = Decimal(taxable) * rate / 10_000
    assert abs(vat_cents(taxable, rate) - exact) <= Decimal("0.5")


def test_vat_category_per_treatment() -> None:
    assert vat_category(VatTreatment.belast, True) == "S"
    assert vat_category(VatTreatment.belast, False) == "S"
    assert vat_category(VatTreatment.vrijgesteld, True) == "E"
    assert vat_category(VatTreatment.vrijgesteld, False) == "O"


def test_numbers_and_payment_reference() -> None:
    assert invoice_number("BP", 2026, 7) == "BP2026-0007"
    assert invoice_number("BP", 2026, 12345) == "BP2026-12345"
    assert payment_reference("BP2026-0007") == "BP2026-0007"


@pytest.mark.parametrize(
    ("status", "total", "credited", "paid", "result"),
    [
        (S.concept, 1000, 0, 1000, S.concept),  # a concept is no debt yet
        (S.definitief, 1000, 0, 0, S.definitief),
        (S.verzonden, 1000, 0, 0, S.verzonden),
        (S.verzonden, 1000, 0, 400, S.deels_betaald),
        (S.verzonden, 1000, 0, 1000, S.betaald),
        (S.verzonden, 1000, 0, 1500, S.betaald),
        (S.verzonden, 1000, 1000, 0, S.gecrediteerd),
        (S.verzonden, 1000, 400, 600, S.betaald),
        (S.verzonden, 1000, 400, 100, S.deels_betaald),
        (S.betaald, 1000, 0, 0, S.verzonden),  # a payment undone
        (S.deels_betaald, 1000, 0, 0, S.verzonden),
        (S.gecrediteerd, 1000, 0, 0, S.verzonden),  # the credit note withdrawn
    ],
)
def test_derive_status(status: S, total: int, credited: int, paid: int, result: S) -> None:
    assert derive_status(status, total, credited, paid) is result


@FAST
@given(
    st.sampled_from(list(S)), st.integers(1, 10**7), st.integers(0, 10**7), st.integers(0, 10**7)
)
def test_derive_status_invariants(status: S, total: int, credited: int, paid: int) -> None:
    result = derive_status(status, total, credited, paid)
    if status is S.concept:
        assert result is S.concept
        return
    assert result is not S.concept
    if credited and credited >= total:
        assert result is S.gecrediteerd
    elif paid >= total - credited:
        assert result is S.betaald
    elif paid:
        assert result is S.deels_betaald
    # money decides, not the previous state: the same money gives the same status
    assert result is derive_status(S.verzonden, total, credited, paid) or status is S.definitief


START = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cancelled", "free_days", "percent", "fee"),
    [
        (START - timedelta(days=8), 7, 50, 0),  # in time
        (START - timedelta(days=7), 7, 50, 0),  # exactly seven days: still free
        (START - timedelta(days=7) + timedelta(seconds=1), 7, 50, 5000),
        (START - timedelta(hours=1), 7, 100, 10000),
        (START - timedelta(hours=1), 7, 33, 3300),
        (START - timedelta(hours=1), None, 50, 0),  # the house has no such rule
        (START - timedelta(hours=1), 7, None, 0),
        (START - timedelta(hours=1), 7, 0, 0),
        (START + timedelta(hours=1), 0, 50, 5000),  # after the start, even with 0 free days
        (START - timedelta(hours=1), 0, 50, 0),
    ],
)
def test_late_cancellation_fee(
    cancelled: datetime, free_days: int | None, percent: int | None, fee: int
) -> None:
    assert late_cancellation_fee(10000, START, cancelled, free_days, percent) == fee


def test_no_fee_on_a_free_booking() -> None:
    assert late_cancellation_fee(0, START, START, 7, 50) == 0
    assert late_cancellation_fee(-500, START, START, 7, 50) == 0


@FAST
@given(st.integers(0, 10**7), st.integers(0, 100), st.integers(0, 60 * 86_400))
def test_the_fee_never_exceeds_its_percentage(amount: int, percent: int, seconds: int) -> None:
    fee = late_cancellation_fee(amount, START, START - timedelta(seconds=seconds), 14, percent)
    assert 0 <= fee <= amount
    assert fee in (0, half_up(amount * percent, 100))


def test_vat_breakdown_per_treatment() -> None:
    assert vat_breakdown([1000, 1005], VatTreatment.belast, 2100, "NL123456782B01") == (
        VatBreakdown("S", 2100, 2005, 421),
    )
    assert vat_breakdown([1000], VatTreatment.vrijgesteld, 2100, "NL123456782B01") == (
        VatBreakdown("E", 0, 1000, 0, EXEMPTION_TEXT),
    )
    assert vat_breakdown([1000], VatTreatment.vrijgesteld, 2100, "") == (
        VatBreakdown("O", 0, 1000, 0, OUT_OF_SCOPE_TEXT),
    )


@FAST
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=60),
    st.sampled_from(list(VatTreatment)),
    st.sampled_from([900, 2100]),
    st.sampled_from(["", "NL123456782B01"]),
)
def test_vat_is_computed_once_per_category(
    amounts: list[int], treatment: VatTreatment, rate: int, btw: str
) -> None:
    """BR-CO-17: the tax of the invoice is the rate over the sum, not a sum of rounded
    line taxes; the taxable amount is the lines' total."""
    (row,) = vat_breakdown(amounts, treatment, rate, btw)
    assert row.taxable_cents == sum(amounts)
    if row.category == "S":
        assert row.tax_cents == vat_cents(sum(amounts), rate)
    else:
        assert row.tax_cents == 0 and row.rate_hundredths == 0 and row.exemption_reason
