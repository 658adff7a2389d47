"""Who gives which role, what an account is called, and what an invitation link is worth."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.rules.permissions import Role
from booking.rules.staff_roles import (
    INVITATION_VALID,
    LINK_REFUSALS,
    ROLE_ORDER,
    STATUS_LABELS,
    LinkState,
    PersonStatus,
    account_kind,
    leaves_a_gemeente,
    link_state,
    person_status,
    roles_given_by,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
roles = st.frozensets(st.sampled_from(list(Role)))


def test_the_table_of_design_section_3() -> None:
    assert roles_given_by({Role.beheerder}) == {Role.gastheer, Role.sociaal_beheerder}
    assert roles_given_by({Role.sociaal_beheerder}) == {Role.gastheer, Role.sociaal_beheerder}
    assert roles_given_by({Role.gastheer}) == set()
    assert roles_given_by({Role.initiatiefnemer}) == set()
    assert Role.beheerder in roles_given_by({Role.gemeente})
    assert Role.gemeente in roles_given_by({Role.gemeente})


@given(roles)
def test_only_the_gemeente_gives_a_beheerder_or_gemeente_role(held: frozenset[Role]) -> None:
    given_roles = roles_given_by(held)
    if Role.gemeente not in held:
        assert not given_roles & {Role.beheerder, Role.gemeente}
    assert Role.initiatiefnemer not in given_roles  # residents register themselves


@given(roles)
def test_nobody_gives_more_than_they_hold(held: frozenset[Role]) -> None:
    top = max(held | {Role.initiatiefnemer}, key=ROLE_ORDER.index)
    assert all(ROLE_ORDER.index(r) <= ROLE_ORDER.index(top) for r in roles_given_by(held))


@given(st.booleans(), roles)
def test_an_account_is_called_by_its_highest_role(is_gemeente: bool, held: frozenset[Role]) -> None:
    house_roles = held - {Role.gemeente, Role.initiatiefnemer}
    kind = account_kind(is_gemeente, house_roles)
    assert (kind == Role.gemeente) == is_gemeente
    assert all(ROLE_ORDER.index(kind) >= ROLE_ORDER.index(r) for r in house_roles)
    assert kind in house_roles | {Role.initiatiefnemer, Role.gemeente}


def test_a_link_works_once_for_seven_days_while_the_account_waits() -> None:
    expires = NOW + INVITATION_VALID
    state = {"used": False, "withdrawn": False, "expires_at": expires, "pending": True}
    assert link_state(**state, now=NOW) == LinkState.open
    assert link_state(**state, now=expires - timedelta(seconds=1)) == LinkState.open
    assert link_state(**state, now=expires) == LinkState.expired
    assert link_state(**{**state, "used": True}, now=NOW) == LinkState.used
    assert link_state(**{**state, "pending": False}, now=NOW) == LinkState.used
    assert link_state(**{**state, "withdrawn": True}, now=NOW) == LinkState.withdrawn
    assert set(LINK_REFUSALS) == set(LinkState) - {LinkState.open}


def test_a_status_for_every_account() -> None:
    later = NOW + timedelta(days=1)
    assert person_status(active=False, pending=True, invitation_expires=later, now=NOW) == (
        PersonStatus.deactivated
    )
    assert person_status(active=True, pending=True, invitation_expires=later, now=NOW) == (
        PersonStatus.invited
    )
    assert person_status(active=True, pending=True, invitation_expires=None, now=NOW) == (
        PersonStatus.invitation_expired
    )
    assert person_status(active=True, pending=False, invitation_expires=None, now=NOW) == (
        PersonStatus.active
    )
    assert set(STATUS_LABELS) == set(PersonStatus)


@given(st.sets(st.integers(1, 20)), st.integers(1, 20))
def test_a_gemeente_remains_unless_the_last_one_goes(active: set[int], losing: int) -> None:
    assert leaves_a_gemeente(active, losing) == bool(active - {losing})
