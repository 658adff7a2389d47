"""Rooms, house settings, opening hours, closures and voorrangsblokken of one house."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from booking.demo.bookings import CHOIR
from booking.extensions import db
from booking.models import AuditEntry, Closure, House, OpeningHours, PriorityBlock, Room
from booking.rules.slots import AMSTERDAM
from tests.beheer.test_pages import (
    audit_actions,
    book,
    client_for,
    days_ahead,
    make_setup,
)
from tests.conftest import csrf_token


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


ROOM = {
    "name": "Keuken",
    "capacity": "14",
    "base_rate": "35,00",
    "rate_t1": "",
    "rate_t2": "",
    "rate_t3": "",
    "rate_t4": "60,00",
    "active": "y",
}
SETTINGS = {
    "factor_t1": "",
    "factor_t2": "40",
    "factor_t3": "",
    "factor_t4": "200",
    "contribution_cap": "2,50",
    "voorrangstermijn": "21",
    "request_expiry_days": "5",
    "min_duration": "60",
    "max_duration": "480",
    "booking_horizon": "18",
}


def post(client, url: str, data: dict):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def rooms_of(app, house_id: int) -> list[tuple]:
    with app.app_context():
        return [
            (
                r.name,
                r.capacity,
                r.base_rate_cents,
                r.rate_t1_cents,
                r.rate_t2_cents,
                r.rate_t3_cents,
                r.rate_t4_cents,
                r.requires_approval,
                r.is_huiskamer,
                r.active,
            )
            for r in db.session.query(Room).filter_by(house_id=house_id).order_by(Room.id)
        ]


def house_settings(app, house_id: int) -> tuple:
    with app.app_context():
        h = db.session.get(House, house_id)
        return (
            h.factor_t1_percent,
            h.factor_t2_percent,
            h.factor_t3_percent,
            h.factor_t4_percent,
            h.contribution_cap_cents,
            h.voorrangstermijn_days,
            h.request_expiry_days,
            h.min_duration_minutes,
            h.max_duration_minutes,
        )


def opening_of(app, house_id: int) -> list[tuple]:
    with app.app_context():
        return [
            (p.weekday, p.opens, p.closes)
            for p in db.session.query(OpeningHours)
            .filter_by(house_id=house_id)
            .order_by(OpeningHours.weekday, OpeningHours.opens)
        ]


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


# Rooms ------------------------------------------------------------------------------------


def test_add_a_room(app, setup):
    client = client_for(app, setup.beheerder)
    response = post(client, f"{setup.base}/ruimtes", ROOM)
    assert response.status_code == 302
    rooms = rooms_of(app, setup.house.id)
    assert rooms[-1] == ("Keuken", 14, 3500, None, None, None, 6000, False, False, True)
    assert "room_created" in audit_actions(app, setup.house.id)
    html = client.get(f"{setup.base}/ruimtes").get_data(as_text=True)
    assert "Ruimte Keuken is toegevoegd." in html and "T4: €\xa060,00" in html


def test_edit_a_room_keeps_booked_prices(app, setup):
    room_id = setup.house.room_ids[1]
    booking_id = book(app, setup.organiser, room_id, days_ahead(3), activity=CHOIR)
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/ruimtes/{room_id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="25,00"' in form and 'value="Zaal 2"' in form
    data = {
        **ROOM,
        "name": "Grote zaal",
        "capacity": "80",
        "base_rate": "€ 1.234,50",
        "requires_approval": "y",
    }
    response = post(client, url, data)
    assert response.status_code == 302
    assert rooms_of(app, setup.house.id)[1] == (
        "Grote zaal",
        80,
        123450,
        None,
        None,
        None,
        6000,
        True,
        False,
        True,
    )
    with app.app_context():
        from booking.models import Booking

        assert db.session.get(Booking, booking_id).amount_cents == 5000
        entry = db.session.query(AuditEntry).filter_by(action="room_updated").one()
        assert entry.object_id == room_id and "123450" in entry.details


def test_room_can_be_deactivated(app, setup):
    room_id = setup.house.room_ids[1]
    data = {k: v for k, v in ROOM.items() if k != "active"}
    client = client_for(app, setup.beheerder)
    assert post(client, f"{setup.base}/ruimtes/{room_id}", data).status_code == 302
    assert rooms_of(app, setup.house.id)[1][-1] is False


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"name": ""}, 400, "Dit veld is verplicht."),
        ({"name": "x" * 100_000}, 400, "Hoogstens 120 tekens."),
        ({"capacity": "0"}, 400, "Kies een getal van 1 tot 10000."),
        ({"capacity": "veel"}, 400, "Ongeldig getal"),
        ({"base_rate": ""}, 400, "Vul een bedrag in"),
        ({"base_rate": "twaalf"}, 400, "Vul een bedrag in"),
        ({"base_rate": "-5,00"}, 400, "Een bedrag kan niet negatief zijn."),
        ({"rate_t2": "-1"}, 400, "Een bedrag kan niet negatief zijn."),
        ({"rate_t2": "99999999"}, 400, "Dat bedrag is te hoog."),
        ({"name": "Zaal 1"}, 422, "Dit huis heeft al een ruimte met deze naam."),
        ({"is_huiskamer": "y"}, 422, "Een huis heeft één huiskamer; dat is nu Zaal 1."),
    ],
)
def test_bad_room_input_stores_nothing(app, setup, change, status, message):
    before = rooms_of(app, setup.house.id)
    audit_before = audit_actions(app, setup.house.id)
    client = client_for(app, setup.beheerder)
    for url in (f"{setup.base}/ruimtes", f"{setup.base}/ruimtes/{setup.house.room_ids[1]}"):
        response = post(client, url, {**ROOM, **change})
        assert response.status_code == status, url
        assert message in response.get_data(as_text=True), url
    assert rooms_of(app, setup.house.id) == before
    assert audit_actions(app, setup.house.id) == audit_before


def test_editing_the_huiskamer_itself_is_fine(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/ruimtes/{setup.house.room_ids[0]}"
    response = post(client, url, {**ROOM, "name": "Huiskamer", "is_huiskamer": "y"})
    assert response.status_code == 302
    assert rooms_of(app, setup.house.id)[0][0] == "Huiskamer"


def test_rooms_of_another_house_cannot_be_edited(app, setup):
    client = client_for(app, setup.beheerder)
    other_room = setup.other_house.room_ids[0]
    before = rooms_of(app, setup.other_house.id)
    assert post(client, f"{setup.base}/ruimtes/{other_room}", ROOM).status_code == 404
    assert post(client, f"{setup.base}/ruimtes/999999", ROOM).status_code == 404
    assert rooms_of(app, setup.other_house.id) == before


# Settings ------------------------------------------------------------------------------------


def test_settings_show_the_gemeente_defaults_and_save(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/instellingen"
    html = client.get(url).get_data(as_text=True)
    assert "Standaard van de gemeente: 50 %" in html
    assert "Standaard van de gemeente: €\xa03,00" in html
    assert "Standaard van de gemeente: 14 dagen" in html
    assert post(client, url, SETTINGS).status_code == 302
    assert house_settings(app, setup.house.id) == (None, 40, None, 200, 250, 21, 5, 60, 480)
    assert "house_settings_updated" in audit_actions(app, setup.house.id)
    overview = client.get(setup.base).get_data(as_text=True)
    assert "T2: 40 %" in overview and "T1: 0 %" in overview
    # emptying a field returns to the gemeente's default
    assert (
        post(client, url, {**SETTINGS, "voorrangstermijn": "", "factor_t2": ""}).status_code == 302
    )
    assert house_settings(app, setup.house.id)[1] is None
    assert house_settings(app, setup.house.id)[5] is None


def test_a_zero_factor_and_window_are_kept(app, setup):
    client = client_for(app, setup.beheerder)
    data = {**SETTINGS, "factor_t4": "0", "voorrangstermijn": "0", "contribution_cap": "0"}
    assert post(client, f"{setup.base}/instellingen", data).status_code == 302
    settings = house_settings(app, setup.house.id)
    assert settings[3] == 0 and settings[4] == 0 and settings[5] == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"factor_t2": "-1"}, "Kies een getal van 0 tot 500."),
        ({"factor_t2": "501"}, "Kies een getal van 0 tot 500."),
        ({"factor_t2": "veertig"}, "Ongeldig getal"),
        ({"contribution_cap": "drie"}, "Vul een bedrag in"),
        ({"contribution_cap": "-1,00"}, "Een bedrag kan niet negatief zijn."),
        ({"voorrangstermijn": "400"}, "Kies een getal van 0 tot 365."),
        ({"request_expiry_days": "0"}, "Kies een getal van 1 tot 365."),
        ({"request_expiry_days": ""}, "Dit veld is verplicht."),
        ({"min_duration": "20"}, "Kies een veelvoud van 15 minuten."),
        ({"min_duration": "0"}, "Kies een getal van 15 tot 1440."),
        ({"max_duration": "1500"}, "Kies een getal van 15 tot 1440."),
        ({"min_duration": "120", "max_duration": "60"}, "minstens zo lang"),
        ({"contribution_cap": "9" * 100_000}, "Hoogstens 20 tekens."),
    ],
)
def test_bad_settings_store_nothing(app, setup, change, message):
    before = house_settings(app, setup.house.id)
    client = client_for(app, setup.beheerder)
    response = post(client, f"{setup.base}/instellingen", {**SETTINGS, **change})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert house_settings(app, setup.house.id) == before


# Opening hours -----------------------------------------------------------------------------


def week_form(**overrides: str) -> dict:
    data = {}
    for d in range(7):
        data[f"opens_{d}"] = "09:00"
        data[f"closes_{d}"] = "22:00"
    data.update(overrides)
    return data


def test_opening_hours_are_replaced(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/openingstijden"
    html = client.get(url).get_data(as_text=True)
    assert 'value="08:30"' in html and "zondag" in html
    data = week_form(closed_6="y", opens_5="10:00", closes_5="17:45")
    assert post(client, url, data).status_code == 302
    rows = opening_of(app, setup.house.id)
    assert len(rows) == 6 and 6 not in [r[0] for r in rows]
    assert (5, time(10), time(17, 45)) in rows and (0, time(9), time(22)) in rows
    assert "opening_hours_replaced" in audit_actions(app, setup.house.id)
    public = client.get(f"/huizen/{setup.house.slug}").get_data(as_text=True)
    assert "zaterdag: 10:00–17:45" in public


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (week_form(opens_0="09:10"), 400, "Kies een heel kwartier"),
        (week_form(closes_2="25:00"), 400, "Ongeldige waarde voor tijd"),
        (week_form(opens_0=""), 400, "Vul een tijd in, of kies"),
        (
            week_form(opens_3="22:00", closes_3="09:00"),
            422,
            "donderdag: de eindtijd moet na de begintijd liggen.",
        ),
        (week_form(opens_3="12:00", closes_3="12:00"), 422, "de eindtijd moet na de begintijd"),
    ],
)
def test_bad_opening_hours_store_nothing(app, setup, data, status, message):
    before = opening_of(app, setup.house.id)
    client = client_for(app, setup.beheerder)
    response = post(client, f"{setup.base}/openingstijden", data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert opening_of(app, setup.house.id) == before


def test_a_closed_day_needs_no_times(app, setup):
    client = client_for(app, setup.beheerder)
    data = week_form(closed_0="y", opens_0="", closes_0="")
    assert post(client, f"{setup.base}/openingstijden", data).status_code == 302
    assert 0 not in [r[0] for r in opening_of(app, setup.house.id)]


# Closures ----------------------------------------------------------------------------------


def closure_form(**overrides: str) -> dict:
    day = days_ahead(10).isoformat()
    data = {
        "room": "",
        "start_date": day,
        "start_time": "00:00",
        "end_date": day,
        "end_time": "23:59",
        "reason": "Schoonmaakdag",
    }
    data.update(overrides)
    return data


def test_add_and_delete_a_closure(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/sluitingen"
    assert post(client, url, closure_form()).status_code == 302
    with app.app_context():
        closure = db.session.query(Closure).one()
        assert closure.room_id is None and closure.reason == "Schoonmaakdag"
        assert closure.starts_at.astimezone(AMSTERDAM).time() == time(0)
        assert closure.starts_at.astimezone(UTC).hour in (22, 23)  # stored as UTC
        closure_id = closure.id
    assert "Schoonmaakdag" in client.get(url).get_data(as_text=True)
    response = post(client, f"{url}/{closure_id}/verwijderen", {})
    assert response.status_code == 302
    assert count(app, Closure) == 0
    assert audit_actions(app, setup.house.id)[-2:] == ["closure_created", "closure_deleted"]


def test_a_closure_of_one_room_warns_about_bookings_in_it(app, setup):
    room_id = setup.house.room_ids[1]
    book(app, setup.organiser, room_id, days_ahead(10))
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/sluitingen"
    response = post(client, url, closure_form(room=str(room_id)))
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Let op: 1 boekingen vallen in deze sluiting." in html
    with app.app_context():
        assert db.session.query(Closure).one().room_id == room_id


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"reason": ""}, 400, "Dit veld is verplicht."),
        ({"reason": "x" * 100_000}, 400, "Hoogstens 200 tekens."),
        ({"start_date": ""}, 400, "Kies een datum."),
        ({"end_time": "morgen"}, 400, "Kies een tijd."),
        ({"room": "999999"}, 400, "Ongeldige keuze"),
        ({"end_time": "00:00"}, 422, "Het einde van de sluiting moet na het begin liggen."),
        (
            {"start_date": "2027-03-28", "start_time": "02:30", "end_date": "2027-03-28"},
            422,
            "bestaat niet door de overgang naar zomertijd",
        ),
    ],
)
def test_bad_closures_store_nothing(app, setup, change, status, message):
    client = client_for(app, setup.beheerder)
    response = post(client, f"{setup.base}/sluitingen", closure_form(**change))
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(app, Closure) == 0


def test_closure_of_a_room_of_another_house_is_refused(app, setup):
    client = client_for(app, setup.beheerder)
    other_room = str(setup.other_house.room_ids[0])
    response = post(client, f"{setup.base}/sluitingen", closure_form(room=other_room))
    assert response.status_code == 400
    assert count(app, Closure) == 0


def test_closure_of_another_house_cannot_be_deleted(app, setup):
    with app.app_context():
        closure = Closure(
            house_id=setup.other_house.id,
            starts_at=datetime(2030, 1, 1, tzinfo=UTC),
            ends_at=datetime(2030, 1, 2, tzinfo=UTC),
            reason="Ander huis",
        )
        db.session.add(closure)
        db.session.commit()
        closure_id = closure.id
    client = client_for(app, setup.beheerder)
    response = post(client, f"{setup.base}/sluitingen/{closure_id}/verwijderen", {})
    assert response.status_code == 404
    assert post(client, f"{setup.base}/sluitingen/999999/verwijderen", {}).status_code == 404
    assert count(app, Closure) == 1


# Voorrangsblokken ------------------------------------------------------------------------------


def block_form(room_id: int, **overrides: str) -> dict:
    data = {
        "room": str(room_id),
        "weekday": "3",
        "starts": "10:00",
        "ends": "12:00",
        "valid_from": "",
        "valid_until": "",
        "note": "Huiskamer voor bewoners",
    }
    data.update(overrides)
    return data


def test_sociaal_beheerder_adds_and_deletes_a_block(app, setup):
    room_id = setup.house.room_ids[0]
    client = client_for(app, setup.sociaal)
    url = f"{setup.base}/voorrangsblokken"
    assert post(client, url, block_form(room_id, valid_from="2026-01-01")).status_code == 302
    with app.app_context():
        block = db.session.query(PriorityBlock).one()
        assert (block.room_id, block.weekday, block.starts, block.ends) == (
            room_id,
            3,
            time(10),
            time(12),
        )
        block_id = block.id
    html = client.get(url).get_data(as_text=True)
    assert "donderdag" in html and "10:00–12:00" in html and "vanaf 1 januari 2026" in html
    assert post(client, f"{url}/{block_id}/verwijderen", {}).status_code == 302
    assert count(app, PriorityBlock) == 0
    assert audit_actions(app, setup.house.id)[-2:] == [
        "priority_block_created",
        "priority_block_deleted",
    ]


def test_a_block_keeps_other_classes_out(app, setup):
    room_id = setup.house.room_ids[0]
    day = days_ahead(20)
    client = client_for(app, setup.beheerder)
    data = block_form(room_id, weekday=str(day.weekday()))
    assert post(client, f"{setup.base}/voorrangsblokken", data).status_code == 302
    from booking.errors import RuleViolation

    with pytest.raises(RuleViolation):
        book(app, setup.organiser, room_id, day, activity=CHOIR)
    book(app, setup.organiser, room_id, day)  # class 1 may


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"starts": "10:05"}, 400, "Kies een heel kwartier"),
        ({"ends": ""}, 400, "Kies een tijd."),
        ({"weekday": "7"}, 400, "Ongeldige keuze"),
        ({"weekday": "do"}, 400, ""),
        ({"room": "999999"}, 400, "Ongeldige keuze"),
        ({"note": "x" * 100_000}, 400, "Hoogstens 200 tekens."),
        ({"starts": "12:00", "ends": "10:00"}, 422, "de eindtijd moet na de begintijd liggen."),
        (
            {"valid_from": "2027-02-01", "valid_until": "2027-01-01"},
            422,
            "&#39;Geldig tot&#39; ligt voor &#39;geldig vanaf&#39;.",
        ),
    ],
)
def test_bad_blocks_store_nothing(app, setup, change, status, message):
    client = client_for(app, setup.beheerder)
    response = post(
        client, f"{setup.base}/voorrangsblokken", block_form(setup.house.room_ids[0], **change)
    )
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(app, PriorityBlock) == 0


def test_overlapping_blocks_are_refused(app, setup):
    room_id = setup.house.room_ids[0]
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/voorrangsblokken"
    assert post(client, url, block_form(room_id)).status_code == 302
    response = post(client, url, block_form(room_id, starts="11:00", ends="13:00"))
    assert response.status_code == 422
    assert "overlapt met een ander voorrangsblok" in response.get_data(as_text=True)
    # another room, or another day, is fine
    assert post(client, url, block_form(setup.house.room_ids[1])).status_code == 302
    assert post(client, url, block_form(room_id, weekday="4")).status_code == 302
    assert count(app, PriorityBlock) == 3


def test_blocks_of_another_house_are_out_of_reach(app, setup):
    client = client_for(app, setup.beheerder)
    other_room = setup.other_house.room_ids[0]
    response = post(client, f"{setup.base}/voorrangsblokken", block_form(other_room))
    assert response.status_code == 400
    with app.app_context():
        block = PriorityBlock(room_id=other_room, weekday=1, starts=time(9), ends=time(10))
        db.session.add(block)
        db.session.commit()
        block_id = block.id
    response = post(client, f"{setup.base}/voorrangsblokken/{block_id}/verwijderen", {})
    assert response.status_code == 404
    assert count(app, PriorityBlock) == 1


def test_building_pages_refuse_the_sociaal_beheerder(app, setup):
    client = client_for(app, setup.sociaal)
    before = (
        rooms_of(app, setup.house.id),
        house_settings(app, setup.house.id),
        opening_of(app, setup.house.id),
    )
    for url, data in (
        (f"{setup.base}/ruimtes", ROOM),
        (f"{setup.base}/ruimtes/{setup.house.room_ids[0]}", ROOM),
        (f"{setup.base}/instellingen", SETTINGS),
        (f"{setup.base}/openingstijden", week_form()),
        (f"{setup.base}/sluitingen", closure_form()),
    ):
        response = client.post(url, data={**data, "csrf_token": csrf_token(client, "/")})
        assert response.status_code == 404, url
    assert before == (
        rooms_of(app, setup.house.id),
        house_settings(app, setup.house.id),
        opening_of(app, setup.house.id),
    )
    assert count(app, Closure) == 0


def test_programme_pages_refuse_outsiders(app, setup):
    for who in (setup.gastheer, setup.organiser, setup.other_beheerder):
        client = client_for(app, who)
        response = client.post(
            f"{setup.base}/voorrangsblokken",
            data={**block_form(setup.house.room_ids[0]), "csrf_token": csrf_token(client, "/")},
        )
        assert response.status_code == 404
    assert count(app, PriorityBlock) == 0
