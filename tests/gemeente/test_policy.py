"""The gemeente's policy page: every setting, its bounds, the audit with old and new values,
the houses that deviate, and that a change reaches only what is judged after it."""

from __future__ import annotations

import json

import pytest

from booking.extensions import db
from booking.models import AuditEntry, Booking, House, PolicySettings
from booking.services import houses
from tests.conftest import activity
from tests.gemeente.conftest import audit_entries, client_for, post

DEFAULTS = {
    "factor_t1_percent": "0",
    "factor_t2_percent": "50",
    "factor_t3_percent": "100",
    "factor_t4_percent": "150",
    "contribution_cap": "3,00",
    "voorrangstermijn_days": "14",
    "booking_horizon_months": "18",
    "request_expiry_days": "7",
    "visit_retention_months": "13",
    "booking_retention_years": "7",
    "account_inactivity_months": "24",
    "burst_kiosk": "30",
    "burst_tablet": "30",
    "burst_qr": "30",
    "burst_poster": "10",
}


def settings(app) -> dict[str, int]:
    with app.app_context():
        row = houses.policy()
        values = {c.name: getattr(row, c.name) for c in PolicySettings.__table__.columns}
        db.session.commit()  # a fresh database stores DESIGN's defaults on first read
        return values


def test_the_page_shows_the_defaults_and_a_change_is_audited_with_old_and_new(app, town):
    client = client_for(app, town.gemeente)
    html = client.get("/gemeente/beleid").get_data(as_text=True)
    assert 'value="150"' in html and 'value="3,00"' in html and "Nog geen wijzigingen." in html
    changed = {**DEFAULTS, "factor_t2_percent": "40", "contribution_cap": "2,50", "burst_qr": "40"}
    response = post(client, "/gemeente/beleid", changed)
    assert response.status_code == 302
    stored = settings(app)
    assert (stored["factor_t2_percent"], stored["contribution_cap_cents"]) == (40, 250)
    assert stored["burst_qr"] == 40
    (entry,) = audit_entries(app, "policy_updated")
    assert json.loads(entry.details)["changed"] == {
        "factor_t2_percent": [50, 40],
        "contribution_cap_cents": [300, 250],
        "burst_qr": [30, 40],
    }
    assert entry.actor_id == town.gemeente.id and entry.object_type == "policy_settings"
    html = client.get("/gemeente/beleid").get_data(as_text=True)
    assert "Factor T2: 50 % → 40 %" in html
    assert "Grens eigen bijdrage: €\xa03,00 → €\xa02,50" in html
    # saving the same values again changes nothing and audits nothing
    post(client, "/gemeente/beleid", changed)
    assert len(audit_entries(app, "policy_updated")) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"factor_t3_percent": "-1"}, "Kies een getal van 0 tot 500."),
        ({"factor_t4_percent": "501"}, "Kies een getal van 0 tot 500."),
        ({"factor_t1_percent": "veel"}, "Ongeldig getal"),
        ({"factor_t1_percent": ""}, "Dit veld is verplicht."),
        ({"factor_t2_percent": "9" * 40}, "Kies een getal van 0 tot 500."),
        ({"contribution_cap": "-1,00"}, "Een bedrag kan niet negatief zijn."),
        ({"contribution_cap": ""}, "Vul een bedrag in"),
        ({"voorrangstermijn_days": "366"}, "Kies een getal van 0 tot 365."),
        ({"booking_horizon_months": "0"}, "Kies een getal van 1 tot 60."),
        ({"request_expiry_days": "0"}, "Kies een getal van 1 tot 365."),
        ({"visit_retention_months": "61"}, "Kies een getal van 1 tot 60."),
        ({"booking_retention_years": "6"}, "Kies een getal van 7 tot 10."),
        ({"booking_retention_years": "11"}, "Kies een getal van 7 tot 10."),
        ({"booking_retention_years": ""}, "Dit veld is verplicht."),
        ({"account_inactivity_months": "11"}, "Kies een getal van 12 tot 60."),
        ({"account_inactivity_months": "61"}, "Kies een getal van 12 tot 60."),
        ({"account_inactivity_months": "twee jaar"}, "Ongeldig getal"),
        ({"burst_poster": "4"}, "Kies een getal van 5 tot 200."),
        ({"burst_kiosk": "201"}, "Kies een getal van 5 tot 200."),
    ],
)
def test_bad_policy_input_stores_nothing(app, town, change, message):
    before = settings(app)
    client = client_for(app, town.gemeente)
    response = post(client, "/gemeente/beleid", {**DEFAULTS, "factor_t2_percent": "45", **change})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert settings(app) == before  # not even the valid factor_t2 of the same form
    assert audit_entries(app, "policy_updated") == []


def test_only_the_gemeente_sets_policy(app, town):
    before = settings(app)
    for user in (town.beheerder, town.organiser):
        client = client_for(app, user)
        assert (
            post(client, "/gemeente/beleid", {**DEFAULTS, "factor_t3_percent": "200"}).status_code
            == 404
        )
    assert settings(app) == before


def test_a_change_reaches_new_bookings_only_frozen_prices_stay(app, town, book):
    """A choir booked at T3 keeps its price when the gemeente doubles the T3 factor; the
    next quote for the same room and hours costs double."""
    choir = activity("vereniging")
    booked = book(town.organiser, town.house.room_ids[0], days_ahead=6, what=choir)
    with app.app_context():
        old = db.session.get(Booking, booked)
        frozen = (old.tariff_group, old.amount_cents, old.list_price_cents, old.status)
    assert frozen[0] == "T3" and frozen[1] > 0
    client = client_for(app, town.gemeente)
    assert (
        post(client, "/gemeente/beleid", {**DEFAULTS, "factor_t3_percent": "200"}).status_code
        == 302
    )
    with app.app_context():
        again = db.session.get(Booking, booked)
        assert (
            again.tariff_group,
            again.amount_cents,
            again.list_price_cents,
            again.status,
        ) == frozen
    newer = book(town.organiser, town.house.room_ids[0], days_ahead=7, what=choir)
    with app.app_context():
        assert db.session.get(Booking, newer).amount_cents == 2 * frozen[1]


def test_a_house_with_its_own_factor_keeps_it(app, town, book):
    with app.app_context():
        db.session.get(House, town.house.id).factor_t3_percent = 100
        db.session.commit()
    client = client_for(app, town.gemeente)
    assert (
        post(client, "/gemeente/beleid", {**DEFAULTS, "factor_t3_percent": "200"}).status_code
        == 302
    )
    choir = activity("vereniging")
    own = book(town.organiser, town.house.room_ids[0], days_ahead=6, what=choir)
    follows = book(town.organiser, town.other_house.room_ids[0], days_ahead=6, what=choir)
    with app.app_context():
        own_booking, other = db.session.get(Booking, own), db.session.get(Booking, follows)
        # the same room size and hours: the own 100 % against the gemeente's 200 %
        assert own_booking.amount_cents == 2 * 2000 and other.amount_cents == 2 * 2 * 2000
    html = client.get("/gemeente/beleid").get_data(as_text=True)
    assert "Testhuis 1" in html and "Factor T3: 100 %" in html


def expiry_and_horizon(app, house_id: int) -> tuple:
    with app.app_context():
        h = db.session.get(House, house_id)
        return (
            h.request_expiry_days,
            h.request_expiry_own,
            h.booking_horizon_months,
            h.booking_horizon_own,
        )


def test_houses_that_follow_get_the_new_expiry_and_horizon_and_own_values_stay(app, town):
    beheerder = client_for(app, town.beheerder)
    own = {
        "factor_t1": "",
        "factor_t2": "",
        "factor_t3": "",
        "factor_t4": "",
        "contribution_cap": "",
        "voorrangstermijn": "",
        "request_expiry_days": "5",
        "min_duration": "30",
        "max_duration": "720",
        "booking_horizon": "18",  # the gemeente's default: this house follows it
    }
    assert post(beheerder, f"/beheer/{town.house.slug}/instellingen", own).status_code == 302
    assert expiry_and_horizon(app, town.house.id) == (5, True, 18, False)
    client = client_for(app, town.gemeente)
    changed = {**DEFAULTS, "request_expiry_days": "10", "booking_horizon_months": "12"}
    assert post(client, "/gemeente/beleid", changed).status_code == 302
    assert expiry_and_horizon(app, town.house.id) == (5, True, 12, False)
    assert expiry_and_horizon(app, town.other_house.id) == (10, False, 12, False)
    (entry,) = audit_entries(app, "policy_updated")
    assert json.loads(entry.details)["houses_following"] == {
        "request_expiry_days": 1,
        "booking_horizon_months": 2,
    }
    # the beheerder's page shows the new defaults and the value in force
    page = beheerder.get(f"/beheer/{town.house.slug}/instellingen").get_data(as_text=True)
    assert (
        "Standaard van de gemeente: 10 dagen" in page
        and "Standaard van de gemeente: 12 maanden" in page
    )
    # typing the default again follows the gemeente from then on
    assert (
        post(
            beheerder,
            f"/beheer/{town.house.slug}/instellingen",
            {**own, "request_expiry_days": "10", "booking_horizon": "12"},
        ).status_code
        == 302
    )
    assert expiry_and_horizon(app, town.house.id) == (10, False, 12, False)


def test_the_beheerder_cannot_go_past_the_bounds_either(app, town):
    beheerder = client_for(app, town.beheerder)
    data = {
        "factor_t1": "",
        "factor_t2": "501",
        "factor_t3": "",
        "factor_t4": "",
        "contribution_cap": "",
        "voorrangstermijn": "",
        "request_expiry_days": "7",
        "min_duration": "30",
        "max_duration": "720",
        "booking_horizon": "18",
    }
    response = post(beheerder, f"/beheer/{town.house.slug}/instellingen", data)
    assert response.status_code == 400
    assert "Kies een getal van 0 tot 500." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(House, town.house.id).factor_t2_percent is None
        assert db.session.query(AuditEntry).filter_by(action="house_settings_updated").count() == 0


def test_the_burst_thresholds_reach_the_kiosk(app, town):
    from kiosk.counting import burst_limits

    client = client_for(app, town.gemeente)
    changed = {
        **DEFAULTS,
        "burst_kiosk": "50",
        "burst_tablet": "45",
        "burst_qr": "20",
        "burst_poster": "6",
    }
    assert post(client, "/gemeente/beleid", changed).status_code == 302
    with app.app_context():
        limits = burst_limits()
    assert (limits.kiosk, limits.tablet, limits.qr, limits.poster) == (50, 45, 20, 6)


def test_the_retention_settings_are_stored_audited_and_shown(app, town):
    client = client_for(app, town.gemeente)
    html = client.get("/gemeente/beleid").get_data(as_text=True)
    assert "Persoonsgegevens bewaren (voor alle huizen)" in html
    assert 'name="booking_retention_years"' in html and 'value="24"' in html
    changed = {**DEFAULTS, "booking_retention_years": "8", "account_inactivity_months": "36"}
    assert post(client, "/gemeente/beleid", changed).status_code == 302
    stored = settings(app)
    assert (stored["booking_retention_years"], stored["account_inactivity_months"]) == (8, 36)
    (entry,) = audit_entries(app, "policy_updated")
    assert json.loads(entry.details)["changed"] == {
        "booking_retention_years": [7, 8],
        "account_inactivity_months": [24, 36],
    }
    html = client.get("/gemeente/beleid").get_data(as_text=True)
    assert "Boekingen bewaren (jaren): 7 → 8" in html
    assert "Ongebruikte accounts (maanden): 24 → 36" in html


def test_the_service_refuses_a_retention_below_the_bewaarplicht_with_422(app, town):
    """The form stops it first (400, above); a caller that skips the form gets the rule's
    refusal, which the error pages answer with 422, and nothing is stored."""
    from booking.errors import RuleViolation
    from booking.models import User
    from booking.rules import policy as rules
    from booking.rules.messages import render
    from booking.services.gemeente import policy as service

    before = settings(app)
    with app.test_request_context():
        gemeente = db.session.get(User, town.gemeente.id)
        values = {**rules.DEFAULTS, "booking_retention_years": 5, "account_inactivity_months": 6}
        with pytest.raises(RuleViolation) as refused:
            service.update_policy(gemeente, values)
        assert refused.value.status == 422
        assert [render(m) for m in refused.value.problems] == [
            "De bewaartermijn van boekingen (in jaren) moet tussen 7 en 10 liggen.",
            "De termijn voor ongebruikte accounts (in maanden) moet tussen 12 en 60 liggen.",
        ]
        db.session.rollback()
    assert settings(app) == before
    assert audit_entries(app, "policy_updated") == []


def test_the_database_keeps_the_bewaarplicht_too(app):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        row = houses.policy()
        db.session.commit()
        row.booking_retention_years = 6
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
