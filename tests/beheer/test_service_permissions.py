"""The beheer use cases check the actor themselves: a caller that skips the views (a CLI
command, a job, the next API route) cannot change a house the actor does not run."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from booking.errors import Forbidden, InvalidInput, NotFound
from booking.extensions import db
from booking.models import AuditEntry, User
from booking.services import invoicing
from booking.services.beheer import (
    audit_log,
    closures,
    house_bookings,
    house_settings,
    priority_blocks,
    rooms,
)
from tests.beheer.test_pages import Setup, make_setup

ROOM = rooms.RoomInput(name="Atelier", capacity=8, base_rate_cents=1500, rates_cents={})
CLOSURE = closures.ClosureInput(
    starts=datetime(2030, 1, 1, 9), ends=datetime(2030, 1, 1, 17), reason="Schilders"
)


@pytest.fixture
def setup(make_house, make_user) -> Setup:
    return make_setup(make_house, make_user)


def _user(ref) -> User:
    return db.session.get(User, ref.id)


def _block(room_id: int) -> priority_blocks.PriorityBlockInput:
    return priority_blocks.PriorityBlockInput(room_id, 3, time(10), time(12))


def test_building_use_cases_refuse_the_sociaal_beheerder(app, setup):
    slug = setup.house.slug
    with app.app_context():
        sociaal = _user(setup.sociaal)
        entries = db.session.query(AuditEntry).count()
        for attempt in (
            lambda: rooms.add_room(sociaal, slug, ROOM),
            lambda: rooms.house_room(sociaal, slug, setup.house.room_ids[0]),
            lambda: house_settings.settings_house(sociaal, slug),
            lambda: house_settings.replace_opening_hours(sociaal, slug, []),
            lambda: closures.add_closure(sociaal, slug, CLOSURE),
            lambda: house_bookings.managed_booking(sociaal, slug, 1),
            lambda: invoicing.month_export(sociaal, slug, "2026-12", date(2027, 1, 5)),
        ):
            with pytest.raises(Forbidden):
                attempt()
        assert db.session.query(AuditEntry).count() == entries


def test_programme_use_cases_refuse_a_beheerder_of_another_house(app, setup):
    slug = setup.house.slug
    with app.app_context():
        other = _user(setup.other_beheerder)
        for attempt in (
            lambda: house_settings.overview(other, slug),
            lambda: priority_blocks.add_priority_block(
                other, slug, _block(setup.house.room_ids[0])
            ),
            lambda: priority_blocks.blocks_page(other, slug),
            lambda: audit_log.audit_page(other, slug, 1),
            lambda: house_bookings.house_booking(other, slug, 1),
        ):
            with pytest.raises(Forbidden):
                attempt()


def test_an_unknown_house_or_object_is_not_found(app, setup):
    with app.app_context():
        gemeente = _user(setup.gemeente)
        with pytest.raises(NotFound) as unknown:
            rooms.rooms_house(gemeente, "bestaat-niet")
        assert not isinstance(unknown.value, Forbidden)
        with pytest.raises(NotFound):
            rooms.house_room(gemeente, setup.house.slug, setup.other_house.room_ids[0])
        with pytest.raises(NotFound):
            closures.delete_closure(gemeente, setup.house.slug, 999_999)


def test_the_right_actor_passes_and_a_bad_page_number_is_input(app, setup):
    with app.app_context():
        beheerder = _user(setup.beheerder)
        room = rooms.add_room(beheerder, setup.house.slug, ROOM)
        assert room.house_id == setup.house.id
        with pytest.raises(InvalidInput):
            audit_log.audit_page(beheerder, setup.house.slug, None)
        page = audit_log.audit_page(beheerder, setup.house.slug, 1)
        assert page.entries[0][0].action == "room_created"
        db.session.rollback()
