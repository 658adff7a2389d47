"""The kiosk's time windows and the visit vocabulary: pure rules, no app, no database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.kiosk_windows import (
    ANSWER_WINDOW,
    TAP_MAX_AGE,
    TAP_MAX_AHEAD,
    device_key_years,
    is_answerable,
    is_pairable,
    is_tally_count,
    normalise_code,
    same_visit_since,
    show_code,
    tap_moment,
)
from booking.rules.visit_vocabulary import (
    ROOM_BURST_REASONS,
    AgeGroup,
    AreaAnswer,
    Channel,
    SuspicionReason,
)
from booking.rules.visits import ROOM_BURST_LIMITS

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 12, 2, 9, 0, 30, tzinfo=UTC)
FAST = settings(max_examples=200, deadline=None, database=None)


def test_the_stored_values_are_the_ones_in_the_database_and_the_exports() -> None:
    assert [c.value for c in Channel] == ["qr", "tablet", "tally", "poster", "kaart"]
    assert [a.value for a in AgeGroup] == [
        "0-17",
        "18-29",
        "30-49",
        "50-66",
        "67+",
        "geen_antwoord",
    ]
    assert {a.value for a in AreaAnswer} == {"elders", "geen_antwoord"}
    assert {r.value for r in SuspicionReason} == {
        "buiten_openingstijd",
        "kiosk_stil",
        "piek",
        "piek_ruimte_qr",
        "piek_ruimte_tablet",
        "piek_ruimte_poster",
        "piek_ruimte_kaart",
        "kaart_onbekend",
        "kaart_geblokkeerd",
    }
    assert set(ROOM_BURST_REASONS) == set(ROOM_BURST_LIMITS)
    assert all(r == "piek_ruimte_" + c for c, r in ROOM_BURST_REASONS.items())


@given(
    st.one_of(st.none(), st.integers(-3 * 86400, 3600).map(lambda s: NOW + timedelta(seconds=s)))
)
@FAST
def test_a_tap_is_counted_within_a_day_back_and_never_in_the_future(
    tapped_at: datetime | None,
) -> None:
    moment = tap_moment(tapped_at, NOW)
    assert NOW - TAP_MAX_AGE <= moment <= NOW
    believable = tapped_at is not None and NOW - TAP_MAX_AGE <= tapped_at <= NOW + TAP_MAX_AHEAD
    assert moment == (min(tapped_at, NOW) if believable else NOW)


def test_a_replayed_tap_keeps_its_moment_and_a_wild_clock_is_ignored() -> None:
    assert tap_moment(NOW - timedelta(hours=5), NOW) == NOW - timedelta(hours=5)
    assert tap_moment(NOW - timedelta(hours=25), NOW) == NOW
    assert tap_moment(NOW + timedelta(minutes=1), NOW) == NOW
    assert tap_moment(NOW + timedelta(minutes=3), NOW) == NOW


@pytest.mark.parametrize(
    ("local", "years"),
    [
        (datetime(2027, 1, 1, 1, 30), (2027, 2026)),  # 22:30 on New Year's Eve is in the window
        (datetime(2027, 1, 1, 2, 59), (2027, 2026)),
        (datetime(2027, 1, 1, 3, 0), (2027,)),
        (datetime(2026, 12, 31, 23, 59), (2026,)),
    ],
)
def test_the_key_of_last_year_is_consulted_only_while_the_same_visit_began_in_it(
    local: datetime, years: tuple[int, ...]
) -> None:
    assert device_key_years(local.replace(tzinfo=AMSTERDAM)) == years


def test_the_same_visit_window_starts_three_hours_back_to_the_minute() -> None:
    assert same_visit_since(NOW) == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)


def test_the_questions_belong_to_the_last_half_hour() -> None:
    assert is_answerable(NOW - ANSWER_WINDOW, NOW)
    assert not is_answerable(NOW - ANSWER_WINDOW - timedelta(seconds=1), NOW)
    assert not is_answerable(None, NOW)


def test_a_pairing_code_is_read_in_one_spelling_and_works_until_it_expires() -> None:
    assert normalise_code("abcd-efgh") == "ABCDEFGH"
    assert normalise_code(" O0I1 x ") == "X"  # look-alikes are no part of any code
    assert show_code("ABCDEFGH") == "ABCD-EFGH"
    assert is_pairable(NOW, NOW) and not is_pairable(NOW - timedelta(seconds=1), NOW)
    assert not is_pairable(None, NOW)


def test_a_tally_counts_one_to_two_hundred() -> None:
    assert [is_tally_count(n) for n in (0, 1, 200, 201)] == [False, True, True, False]
