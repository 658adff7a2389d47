"""The booking's state machine, on plain objects: which moves are legal, and SEQUENCE.

No database: the transitions are methods of the model and decide by the booking alone
(and the `now`, window and reason they are given).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.errors import IllegalTransition, RuleViolation
from booking.models import Booking
from booking.rules.messages import N_, Message, decode_reason
from booking.rules.pricing import Price
from booking.rules.statuses import (
    ACTIVE_STATUSES,
    LEGAL_MOVES,
    TERMINAL_STATUSES,
    BookingStatus,
    OrganiserKind,
    PriorityClass,
    TariffGroup,
    may_move,
)
from booking.rules.tariff import Activity, TariffDecision

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
WINDOW = 14
REASON = Message(N_("Verlopen: de beheerder heeft niet op tijd beslist."), {})
ACTIVITY = Activity(OrganiserKind.vereniging, False, True, 0, False, False, False, False)
S = BookingStatus


def booking(
    status: BookingStatus = S.onder_voorbehoud,
    *,
    days_ahead: int = 30,
    priority_class: PriorityClass = PriorityClass.REGULIER,
) -> Booking:
    start = NOW + timedelta(days=days_ahead)
    quote = SimpleNamespace(
        room=SimpleNamespace(id=1),
        start=start,
        end=start + timedelta(hours=2),
        decision=TariffDecision(TariffGroup.T3, priority_class, 1, ()),
        price=Price(4000, 4000, 4),
        status=status,
        voorrangstermijn_days=WINDOW,
        request_expiry_days=7,
    )
    return Booking.from_quote(
        quote, organiser=SimpleNamespace(id=7), title="Koor", public=False, activity=ACTIVITY
    )


def in_status(status: BookingStatus, **kwargs: object) -> Booking:
    """A booking that got to `status` the way a booking can (terminal ones via a move)."""
    if status in ACTIVE_STATUSES:
        return booking(status, **kwargs)  # type: ignore[arg-type]
    made = booking(S.aangevraagd, **kwargs)  # type: ignore[arg-type]
    {
        S.geannuleerd: lambda: made.cancel(now=NOW),
        S.verdrongen: lambda: made.displace(by=booking(), reason=REASON),
        S.afgewezen: lambda: made.decide(False, "Vol", now=NOW),
    }[status]()
    made.sequence = 0
    return made


# The table ---------------------------------------------------------------------------


def test_every_status_has_a_row_and_never_follows_itself() -> None:
    assert set(LEGAL_MOVES) == set(BookingStatus)
    assert all(status not in moves for status, moves in LEGAL_MOVES.items())


def test_the_final_statuses_are_exactly_those_that_hold_no_room() -> None:
    assert set(BookingStatus) - ACTIVE_STATUSES == TERMINAL_STATUSES
    assert {S.geannuleerd, S.verdrongen, S.afgewezen} == TERMINAL_STATUSES


def test_a_confirmed_booking_can_only_be_cancelled() -> None:
    assert LEGAL_MOVES[S.bevestigd] == {S.geannuleerd}
    assert not may_move(S.bevestigd, S.verdrongen)
    assert not may_move(S.geannuleerd, S.bevestigd)


# Each transition ---------------------------------------------------------------------


def test_a_new_booking_starts_active_at_sequence_zero() -> None:
    made = booking(S.bevestigd)
    assert (made.status, made.sequence, made.is_active) == (S.bevestigd, 0, True)
    with pytest.raises(ValueError):
        booking(S.geannuleerd)


@pytest.mark.parametrize("status", sorted(ACTIVE_STATUSES))
def test_cancel_from_every_active_status(status: BookingStatus) -> None:
    made = booking(status)
    made.cancel(now=NOW, reason="Ziek")
    assert (made.status, made.sequence) == (S.geannuleerd, 1)
    assert decode_reason(made.status_reason) == "Ziek"


def test_cancel_refuses_a_final_booking_and_one_that_is_over() -> None:
    done = in_status(S.geannuleerd)
    with pytest.raises(IllegalTransition) as refused:
        done.cancel(now=NOW)
    assert refused.value.message.params == {"status_label": "geannuleerd"}
    over = booking(S.bevestigd, days_ahead=-1)
    with pytest.raises(IllegalTransition, match="voorbij"):
        over.cancel(now=NOW)
    assert (done.sequence, over.sequence, over.status) == (0, 0, S.bevestigd)


def test_cancel_refuses_a_reason_that_is_too_long_before_changing_anything() -> None:
    made = booking(S.bevestigd)
    with pytest.raises(RuleViolation, match="te lang"):
        made.cancel(now=NOW, reason="x" * 1001)
    assert (made.status, made.sequence) == (S.bevestigd, 0)


@pytest.mark.parametrize("status", [S.aangevraagd, S.onder_voorbehoud])
def test_displace_a_provisional_booking_or_a_request(status: BookingStatus) -> None:
    made, better = booking(status), booking(S.bevestigd)
    made.displace(by=better, reason=REASON)
    assert (made.status, made.sequence, made.displaced_by) == (S.verdrongen, 1, better)
    assert decode_reason(made.status_reason) == REASON


@pytest.mark.parametrize("status", [S.bevestigd, *sorted(TERMINAL_STATUSES)])
def test_displace_refuses_a_confirmed_or_final_booking(status: BookingStatus) -> None:
    made = in_status(status)
    with pytest.raises(IllegalTransition):
        made.displace(by=booking(), reason=REASON)
    assert (made.status, made.sequence) == (status, 0)


@pytest.mark.parametrize(
    "days_ahead,priority_class,expected",
    [
        (30, PriorityClass.REGULIER, S.onder_voorbehoud),  # outside the window
        (5, PriorityClass.REGULIER, S.bevestigd),  # inside the window
        (30, PriorityClass.DOOR_EN_VOOR_BEWONERS, S.bevestigd),  # class 1
    ],
)
def test_an_approved_request_gets_the_status_it_would_have_had(
    days_ahead: int, priority_class: PriorityClass, expected: BookingStatus
) -> None:
    made = booking(S.aangevraagd, days_ahead=days_ahead, priority_class=priority_class)
    made.decide(True, "", now=NOW)
    assert (made.status, made.sequence) == (expected, 1)


def test_a_rejection_needs_a_reason_and_keeps_it() -> None:
    made = booking(S.aangevraagd)
    with pytest.raises(RuleViolation, match="reden"):
        made.decide(False, "  ", now=NOW)
    made.decide(False, " Vol ", now=NOW)
    assert (made.status, made.sequence) == (S.afgewezen, 1)
    assert decode_reason(made.status_reason) == "Vol"


def test_only_a_request_is_decided_and_not_approved_once_past() -> None:
    with pytest.raises(IllegalTransition, match="Alleen een aanvraag"):
        booking(S.bevestigd).decide(True, "", now=NOW)
    past = booking(S.aangevraagd, days_ahead=-1)
    with pytest.raises(IllegalTransition, match="verleden"):
        past.decide(True, "", now=NOW)
    past.decide(False, "Te laat", now=NOW)  # rejecting still may
    assert past.status == S.afgewezen


def test_the_window_confirms_only_a_provisional_booking() -> None:
    made = booking(S.onder_voorbehoud)
    made.confirm_by_window(now=NOW)
    assert (made.status, made.sequence, made.updated_at) == (S.bevestigd, 1, NOW)
    with pytest.raises(IllegalTransition):
        made.confirm_by_window(now=NOW)
    assert made.sequence == 1


def test_only_a_request_expires() -> None:
    made = booking(S.aangevraagd)
    made.expire(reason=REASON, now=NOW)
    assert (made.status, made.sequence, made.updated_at) == (S.afgewezen, 1, NOW)
    with pytest.raises(IllegalTransition):
        booking(S.onder_voorbehoud).expire(reason=REASON, now=NOW)


def test_override_reprices_raises_sequence_and_confirms_class_one() -> None:
    made = booking(S.onder_voorbehoud)
    made.override(
        tariff_group=TariffGroup.T2,
        priority_class=PriorityClass.MAATSCHAPPELIJK,
        price=Price(2000, 4000, 4),
        reason="Stichting",
    )
    assert (made.status, made.sequence, made.tariff_group, made.amount_cents) == (
        S.onder_voorbehoud,
        1,
        "T2",
        2000,
    )
    made.override(
        tariff_group=TariffGroup.T1,
        priority_class=PriorityClass.DOOR_EN_VOOR_BEWONERS,
        price=Price(0, 4000, 4),
        reason="Bewoners",
    )
    assert (made.status, made.sequence, made.override_reason) == (S.bevestigd, 2, "Bewoners")


def test_override_needs_a_reason_and_an_active_booking() -> None:
    change = {
        "tariff_group": TariffGroup.T2,
        "priority_class": PriorityClass.MAATSCHAPPELIJK,
        "price": Price(2000, 4000, 4),
    }
    with pytest.raises(RuleViolation, match="reden"):
        booking().override(**change, reason="")  # type: ignore[arg-type]
    with pytest.raises(IllegalTransition) as refused:
        in_status(S.geannuleerd).override(**change, reason="Stichting")  # type: ignore[arg-type]
    assert refused.value.message.params == {"status_label": "geannuleerd"}


# Any sequence of attempts ------------------------------------------------------------

Attempt = Callable[[Booking], None]
ATTEMPTS: dict[str, Attempt] = {
    "cancel": lambda b: b.cancel(now=NOW),
    "displace": lambda b: b.displace(by=booking(), reason=REASON),
    "approve": lambda b: b.decide(True, "", now=NOW),
    "reject": lambda b: b.decide(False, "Vol", now=NOW),
    "confirm_by_window": lambda b: b.confirm_by_window(now=NOW),
    "expire": lambda b: b.expire(reason=REASON, now=NOW),
    "override": lambda b: b.override(
        tariff_group=TariffGroup.T1,
        priority_class=PriorityClass.DOOR_EN_VOOR_BEWONERS,
        price=Price(0, 4000, 4),
        reason="Bewoners",
    ),
}


@settings(max_examples=300, deadline=None)
@given(
    start=st.sampled_from(sorted(ACTIVE_STATUSES)),
    days_ahead=st.sampled_from([5, 30]),
    attempts=st.lists(st.sampled_from(sorted(ATTEMPTS)), max_size=8),
)
def test_no_sequence_of_attempts_makes_an_illegal_move(
    start: BookingStatus, days_ahead: int, attempts: list[str]
) -> None:
    """Every change is a legal move and one SEQUENCE step; a refusal changes nothing; and
    nothing leaves a final status."""
    made = booking(start, days_ahead=days_ahead)
    for name in attempts:
        before = (made.status, made.sequence)
        try:
            ATTEMPTS[name](made)
        except RuleViolation:
            assert (made.status, made.sequence) == before
            continue
        assert before[0] not in TERMINAL_STATUSES, f"{name} acted on {before[0]}"
        assert made.sequence == before[1] + 1
        assert made.status == before[0] or may_move(before[0], made.status)
        assert made.status != before[0] or name == "override"
