"""The suspicion rule of a visit: bursts per kiosk and per room and channel, the window."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules.visit_vocabulary import SuspicionReason
from booking.rules.visits import (
    BURST_WINDOW,
    KIOSK_BURST_SIZE,
    ROOM_BURST_COUNT_CAP,
    ROOM_BURST_LIMITS,
    Circumstances,
    burst_since,
    room_burst_reason,
    suspicion,
    to_minute,
)

FAST = settings(max_examples=300, deadline=None, database=None)
NOW = datetime(2026, 12, 2, 9, 0, 30, tzinfo=UTC)  # 10:00:30 in Amsterdam
CHANNELS = ("qr", "tablet", "tally", "poster", "kaart")

circumstances = st.builds(
    Circumstances,
    channel=st.sampled_from(CHANNELS),
    now=st.just(NOW),
    house_open=st.booleans(),
    from_kiosk=st.booleans(),
    kiosk_last_seen_at=st.one_of(
        st.none(), st.integers(0, 600).map(lambda s: NOW - timedelta(seconds=s))
    ),
    kiosk_recent=st.integers(0, KIOSK_BURST_SIZE + 5),
    room_recent=st.integers(0, ROOM_BURST_COUNT_CAP + 5),
)


def burst(channel: str, size: int, *, from_kiosk: bool = False) -> list[str]:
    """The reasons of `size` visits of one room and channel in one window, in order:
    the n-th finds n - 1 before it."""
    return [
        suspicion(
            Circumstances(
                channel=channel,
                now=NOW,
                house_open=True,
                from_kiosk=from_kiosk,
                kiosk_last_seen_at=NOW if from_kiosk else None,
                room_recent=min(n, ROOM_BURST_COUNT_CAP),
            )
        )
        for n in range(size)
    ]


@given(circumstances, st.integers(0, 40), st.integers(0, 40))
@FAST
def test_more_visits_never_unflag(found: Circumstances, more_kiosk: int, more_room: int) -> None:
    """Monotone: a visit flagged with some counts stays flagged with higher counts."""
    busier = replace(
        found,
        kiosk_recent=found.kiosk_recent + more_kiosk,
        room_recent=found.room_recent + more_room,
    )
    assert not suspicion(found) or suspicion(busier)


@given(st.sampled_from(sorted(ROOM_BURST_LIMITS)), st.integers(1, 200))
@FAST
def test_a_burst_counts_at_most_the_limit_of_its_channel(channel: str, size: int) -> None:
    reasons = burst(channel, size)
    limit = ROOM_BURST_LIMITS[channel]
    assert reasons == [""] * min(size, limit) + [room_burst_reason(channel)] * (size - limit)


def test_sixty_posters_count_ten_and_the_limits_are_the_documented_ones() -> None:
    assert dict(ROOM_BURST_LIMITS) == {"tablet": 30, "qr": 30, "poster": 10, "kaart": 30}
    reasons = burst("poster", 60)
    assert reasons.count("") == 10 and reasons[10:] == ["piek_ruimte_poster"] * 50


def test_a_class_of_25_at_the_tablet_is_not_a_burst() -> None:
    assert burst("tablet", 25, from_kiosk=True) == [""] * 25
    assert burst("qr", 25, from_kiosk=True) == [""] * 25
    assert burst("tablet", 31, from_kiosk=True)[30] == "piek_ruimte_tablet"


@given(circumstances)
@FAST
def test_a_hosts_tally_is_never_flagged(found: Circumstances) -> None:
    assert suspicion(replace(found, channel="tally")) == ""


@given(circumstances)
@FAST
def test_below_every_limit_an_open_house_and_a_live_kiosk_flag_nothing(
    found: Circumstances,
) -> None:
    calm = replace(found, house_open=True, kiosk_last_seen_at=NOW, kiosk_recent=0, room_recent=0)
    assert suspicion(calm) == ""


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"house_open": False, "kiosk_recent": 99, "room_recent": 99}, "buiten_openingstijd"),
        ({"kiosk_last_seen_at": NOW - timedelta(minutes=6), "room_recent": 99}, "kiosk_stil"),
        ({"kiosk_recent": KIOSK_BURST_SIZE, "room_recent": 99}, "piek"),
        ({"kiosk_recent": KIOSK_BURST_SIZE - 1, "room_recent": 30}, "piek_ruimte_qr"),
        ({"kiosk_recent": KIOSK_BURST_SIZE - 1, "room_recent": 29}, ""),
    ],
)
def test_one_reason_the_first_that_applies(changes: dict, reason: str) -> None:
    qr = Circumstances(
        channel="qr", now=NOW, house_open=True, from_kiosk=True, kiosk_last_seen_at=NOW
    )
    assert suspicion(replace(qr, **changes)) == reason


def test_a_poster_has_no_kiosk_so_only_its_room_counts() -> None:
    poster = Circumstances(channel="poster", now=NOW, house_open=True, kiosk_recent=500)
    assert suspicion(poster) == ""
    assert suspicion(replace(poster, room_recent=10)) == "piek_ruimte_poster"


@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.integers(0, 60_000_000),
)
@FAST
def test_the_window_holds_every_visit_of_the_last_minute_and_nothing_older_than_two(
    now: datetime, micros_ago: int
) -> None:
    earlier = now - timedelta(microseconds=micros_ago)  # within BURST_WINDOW of now
    assert micros_ago <= BURST_WINDOW / timedelta(microseconds=1)
    since = burst_since(now)
    assert to_minute(earlier) >= since  # its stored minute counts
    assert now - since < 2 * BURST_WINDOW
    assert since.second == since.microsecond == 0 and since.tzinfo == UTC


def test_to_minute_is_utc_to_the_minute() -> None:
    local = datetime(2026, 7, 1, 10, 0, 59, 999999, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert to_minute(local) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


@given(circumstances)
@FAST
def test_every_reason_is_a_word_of_the_vocabulary(found: Circumstances) -> None:
    reason = suspicion(found)
    assert reason == "" or isinstance(reason, SuspicionReason)
