"""The gemeente's use cases called directly, as the CLI or a future API would: each checks
the actor itself and refuses bad input with a Dutch message, storing nothing."""

from __future__ import annotations

import pytest

from booking.errors import Forbidden, RuleViolation
from booking.extensions import db
from booking.models import Area, AuditEntry, House, User
from booking.rules import policy as rules
from booking.rules.messages import render
from booking.services import houses
from booking.services.gemeente import areas, policy
from booking.services.gemeente import houses as house_service


@pytest.fixture
def people(app, make_house, make_user):
    house = make_house("de-haard", area="Ruwaard")
    return {
        "house": house,
        "gemeente": make_user("gemeente"),
        "beheerder": make_user("beheerder", house),
    }


def user(ref) -> User:
    return db.session.get(User, ref.id)


def test_every_use_case_refuses_anyone_but_the_gemeente(app, people):
    with app.app_context():
        beheerder = user(people["beheerder"])
        area_id = db.session.query(Area).one().id
        calls = [
            lambda: house_service.list_houses(beheerder),
            lambda: house_service.create_house(beheerder, house_service.HouseInput("X", area_id)),
            lambda: house_service.deactivate_house(beheerder, "de-haard", now=None),
            lambda: areas.list_areas(beheerder),
            lambda: areas.create_area(beheerder, areas.AreaInput("Elzenburg", "wijk"), 2026),
            lambda: areas.update_area(beheerder, area_id, areas.AreaInput("X", "wijk"), 2026),
            lambda: policy.policy_page(beheerder),
            lambda: policy.update_policy(beheerder, dict(rules.DEFAULTS)),
        ]
        for call in calls:
            with pytest.raises(Forbidden):
                call()
        mine = (
            "house_created",
            "house_deactivated",
            "area_created",
            "area_updated",
            "policy_updated",
        )
        assert db.session.query(AuditEntry).filter(AuditEntry.action.in_(mine)).count() == 0
        assert db.session.get(House, people["house"].id).active


def test_update_policy_refuses_a_factor_above_500_percent_and_stores_nothing(app, people):
    with app.app_context():
        gemeente = user(people["gemeente"])
        values = {**rules.DEFAULTS, "factor_t2_percent": 40, "factor_t4_percent": 501}
        with pytest.raises(RuleViolation) as refused:
            policy.update_policy(gemeente, values)
        assert [render(m) for m in refused.value.problems] == [
            "De factor voor T4 moet tussen 0 en 500 liggen."
        ]
        assert houses.policy().factor_t2_percent == 50
        with pytest.raises(ValueError):
            policy.update_policy(gemeente, {"factor_t1_percent": 0})


def test_create_house_checks_what_the_form_would_have(app, people):
    with app.app_context():
        gemeente = user(people["gemeente"])
        area_id = db.session.query(Area).one().id
        for data, field in [
            (house_service.HouseInput("", area_id), "name"),
            (house_service.HouseInput("Elzenburg", None), "area_id"),
            (house_service.HouseInput("Elzenburg", 999_999), "area_id"),
            (house_service.HouseInput("Elzenburg", area_id, slug="Niet Goed"), "slug"),
            (house_service.HouseInput("Elzenburg", area_id, kvk_number="123"), "kvk_number"),
            (house_service.HouseInput("Elzenburg", area_id, website="ftp://x.nl"), "website"),
            (house_service.HouseInput("ö", area_id), "slug"),  # slugifies to "o": too short
        ]:
            with pytest.raises(RuleViolation) as refused:
                house_service.create_house(gemeente, data)
            assert refused.value.field == field, data
        assert db.session.query(House).count() == 1


def test_create_area_checks_the_cbs_code_and_its_year(app, people):
    with app.app_context():
        gemeente = user(people["gemeente"])
        for data, field in [
            (areas.AreaInput("Elzenburg", "wijk", cbs_code="WK12345"), "cbs_code"),
            (areas.AreaInput("Elzenburg", "wijk", cbs_code="WK082801"), "cbs_year"),
            (areas.AreaInput("Elzenburg", "wijk", cbs_year=2024), "cbs_year"),
            (areas.AreaInput("Elzenburg", "dorp"), "kind"),
            (areas.AreaInput("RUWAARD", "wijk"), "name"),
            (areas.AreaInput("Elzenburg", "wijk", served_by_id=999_999), "served_by_id"),
        ]:
            with pytest.raises(RuleViolation) as refused:
                areas.create_area(gemeente, data, 2026)
            assert refused.value.field == field, data
        assert db.session.query(Area).count() == 1
        made = areas.create_area(
            gemeente, areas.AreaInput("Elzenburg", "wijk", "wk082815", 2026, True), 2026
        )
        assert (made.cbs_code, made.cbs_year, made.vulnerable) == ("WK082815", 2026, True)


def test_a_new_house_follows_the_current_defaults(app, people):
    with app.app_context():
        gemeente = user(people["gemeente"])
        policy.update_policy(
            gemeente, {**rules.DEFAULTS, "request_expiry_days": 3, "booking_horizon_months": 6}
        )
        area_id = db.session.query(Area).one().id
        house = house_service.create_house(
            gemeente, house_service.HouseInput("Nieuw Huis", area_id)
        )
        assert house.slug == "nieuw-huis"
        assert (house.request_expiry_days, house.booking_horizon_months) == (3, 6)
        assert not house.request_expiry_own and not house.booking_horizon_own
        assert houses.house_overrides(house) == {}
