"""The bounds and defaults of the gemeente's policy settings."""

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.rules import policy
from booking.rules.messages import render
from booking.rules.visits import DEFAULT_LIMITS

FAST = settings(max_examples=300, deadline=None, database=None)


def test_every_default_lies_within_its_bounds() -> None:
    assert set(policy.DEFAULTS) == set(policy.BOUNDS)
    assert policy.problems(policy.DEFAULTS) == []
    assert set(policy.HOUSE_OVERRIDABLE) < set(policy.BOUNDS)


def test_the_burst_defaults_are_the_kiosks_documented_limits() -> None:
    assert (
        policy.DEFAULTS["burst_kiosk"],
        policy.DEFAULTS["burst_tablet"],
        policy.DEFAULTS["burst_qr"],
        policy.DEFAULTS["burst_poster"],
    ) == (DEFAULT_LIMITS.kiosk, DEFAULT_LIMITS.tablet, DEFAULT_LIMITS.qr, DEFAULT_LIMITS.poster)


@given(st.sampled_from(sorted(policy.BOUNDS)), st.integers(-(10**6), 10**6))
@FAST
def test_a_value_has_a_problem_exactly_when_it_is_out_of_bounds(name: str, value: int) -> None:
    bound = policy.BOUNDS[name]
    found = policy.problems({name: value})
    assert (found == []) == (bound.low <= value <= bound.high)
    assert len(found) <= 1


def test_factors_go_from_0_to_500_percent() -> None:
    for group in policy.GROUPS:
        name = f"factor_{group.lower()}_percent"
        assert policy.bound_problem(name, 0) is None and policy.bound_problem(name, 500) is None
        assert policy.bound_problem(name, -1) is not None
        assert render(policy.bound_problem(name, 501)) == (
            f"De factor voor {group} moet tussen 0 en 500 liggen."
        )


def test_the_cap_speaks_in_euros() -> None:
    problem = policy.bound_problem("contribution_cap_cents", 100_001)
    assert (
        render(problem)
        == "De grens voor de eigen bijdrage moet tussen € 0,00 en € 1.000,00 liggen."
    )


def test_changes_lists_old_and_new_of_what_differs() -> None:
    assert policy.changes({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}
    assert policy.changes({"a": 1}, {"a": 1}) == {}


@given(
    st.sampled_from(["qr", "tablet", "poster"]),
    st.integers(policy.BURST_MIN, policy.BURST_MAX),
    st.integers(0, policy.BURST_MAX + 5),
)
@FAST
def test_a_room_burst_starts_at_the_threshold_in_force(
    channel: str, limit: int, recent: int
) -> None:
    from datetime import UTC, datetime

    from booking.rules.visits import BurstLimits, Circumstances, room_burst_reason, suspicion

    limits = BurstLimits(**{"kiosk": policy.BURST_MAX, channel: limit})
    found = Circumstances(
        channel=channel,  # type: ignore[arg-type]
        now=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
        house_open=True,
        room_recent=recent,
        limits=limits,
    )
    assert suspicion(found) == (room_burst_reason(channel) if recent >= limit else "")


def test_a_kiosk_burst_starts_at_its_threshold() -> None:
    from datetime import UTC, datetime

    from booking.rules.visits import BurstLimits, Circumstances, suspicion

    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    tap = {"channel": "tablet", "now": now, "house_open": True, "from_kiosk": True}
    limits = BurstLimits(kiosk=50, tablet=200)
    assert (
        suspicion(Circumstances(**tap, kiosk_last_seen_at=now, kiosk_recent=49, limits=limits))
        == ""
    )
    assert (
        suspicion(Circumstances(**tap, kiosk_last_seen_at=now, kiosk_recent=50, limits=limits))
        == "piek"
    )
    assert suspicion(Circumstances(**tap, kiosk_last_seen_at=now, kiosk_recent=30)) == "piek"
