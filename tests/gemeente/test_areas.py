"""The gemeente's wijken and kernen: CBS codes and their year, the kwetsbaar mark, the house
that serves an area, and that changing an area never rewrites what visitors answered."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from booking.extensions import db
from booking.models import Area, ServedArea, Visit, VisitDailyRollup
from booking.rules.slots import AMSTERDAM
from tests.gemeente.conftest import audit_entries, client_for, post

THIS_YEAR = datetime.now(AMSTERDAM).year
NEW = {
    "name": "Elzenburg",
    "kind": "wijk",
    "cbs_code": "WK082815",
    "cbs_year": "2024",
    "vulnerable": "y",
    "served_by_id": "",
}


def area_named(app, name: str) -> dict | None:
    with app.app_context():
        area = db.session.query(Area).filter_by(name=name).one_or_none()
        if area is None:
            return None
        return {
            "id": area.id,
            "kind": area.kind,
            "cbs_code": area.cbs_code,
            "cbs_year": area.cbs_year,
            "vulnerable": area.vulnerable,
            "served_by": area.served_by.slug if area.served_by else None,
        }


def area_count(app) -> int:
    with app.app_context():
        return db.session.query(Area).count()


def test_the_gemeente_adds_a_wijk_with_its_cbs_code(app, town):
    client = client_for(app, town.gemeente)
    data = {**NEW, "cbs_code": " wk 0828 15 ", "served_by_id": str(town.house.id)}
    response = post(client, "/gemeente/wijken/nieuw", data)
    assert response.status_code == 302
    assert area_named(app, "Elzenburg") == {
        "id": area_named(app, "Elzenburg")["id"],
        "kind": "wijk",
        "cbs_code": "WK082815",
        "cbs_year": 2024,
        "vulnerable": True,
        "served_by": "de-haard",
    }
    (entry,) = audit_entries(app, "area_created")
    details = json.loads(entry.details)
    assert details["cbs_code"] == "WK082815" and details["served_by"] == "de-haard"
    html = client.get("/gemeente/wijken").get_data(as_text=True)
    assert "WK082815" in html and "(2024)" in html and "Testhuis 1" in html


def test_a_buurt_code_and_no_code_at_all_are_fine(app, town):
    client = client_for(app, town.gemeente)
    buurt = {**NEW, "name": "Oss-Oost", "cbs_code": "BU08281501", "cbs_year": str(THIS_YEAR)}
    assert post(client, "/gemeente/wijken/nieuw", buurt).status_code == 302
    none = {**NEW, "name": "Geffen", "kind": "kern", "cbs_code": "", "cbs_year": ""}
    assert post(client, "/gemeente/wijken/nieuw", none).status_code == 302
    assert area_named(app, "Geffen")["cbs_code"] is None
    assert area_named(app, "Oss-Oost")["cbs_code"] == "BU08281501"


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"cbs_code": "WK08281"}, 400, "Dit is geen CBS-code."),
        ({"cbs_code": "WK0828155"}, 400, "Dit is geen CBS-code."),
        ({"cbs_code": "BU082815"}, 400, "Dit is geen CBS-code."),
        ({"cbs_code": "GM0828"}, 400, "Dit is geen CBS-code."),
        ({"cbs_code": "0828 15"}, 400, "Dit is geen CBS-code."),
        ({"cbs_code": "WK08281５"}, 400, "Dit is geen CBS-code."),
        ({"cbs_code": "WK" + "1" * 100}, 400, "Hoogstens 40 tekens."),
        ({"cbs_year": ""}, 422, "Vul ook het jaar van de CBS-code in"),
        ({"cbs_code": "", "cbs_year": "2024"}, 422, "Vul ook de CBS-code in"),
        ({"cbs_year": "1999"}, 400, "Kies een jaar van 2000 tot 2999."),
        ({"cbs_year": str(THIS_YEAR + 2)}, 422, f"tussen 2000 en {THIS_YEAR + 1}"),
        ({"cbs_year": "twintig"}, 400, "Ongeldig"),
        ({"name": ""}, 400, "Vul de naam van de wijk of kern in."),
        ({"name": "ruwaard"}, 422, "Er is al een wijk of kern ruwaard."),
        ({"kind": "stad"}, 400, "Ongeldige keuze"),
        ({"served_by_id": "999999"}, 400, "Ongeldige keuze"),
    ],
)
def test_bad_area_input_is_refused_and_nothing_is_stored(app, town, change, status, message):
    client = client_for(app, town.gemeente)
    before = area_count(app)
    response = post(client, "/gemeente/wijken/nieuw", {**NEW, **change})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert area_count(app) == before
    assert audit_entries(app, "area_created") == []


def test_a_cbs_code_belongs_to_one_area(app, town):
    client = client_for(app, town.gemeente)
    assert post(client, "/gemeente/wijken/nieuw", NEW).status_code == 302
    response = post(client, "/gemeente/wijken/nieuw", {**NEW, "name": "Elzenburg-Noord"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "De CBS-code WK082815 hoort al bij Elzenburg." in html and 'id="cbs_code-error"' in html
    assert area_named(app, "Elzenburg-Noord") is None


def add_visits(app, area_id: int, house_id: int, room_id: int) -> None:
    with app.app_context():
        db.session.add_all(
            [
                Visit(
                    house_id=house_id,
                    room_id=room_id,
                    visited_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
                    channel="tablet",
                    area_id=area_id,
                    first_time=True,
                ),
                VisitDailyRollup(
                    house_id=house_id,
                    room_id=room_id,
                    day=date(2025, 1, 6),
                    channel="qr",
                    area_key="Ruwaard",
                    visits=7,
                ),
            ]
        )
        db.session.commit()


def visit_answers(app) -> list[tuple]:
    with app.app_context():
        visits = [(v.area_id, v.area_answer, v.first_time) for v in db.session.query(Visit)]
        rollups = [(r.area_key, r.visits) for r in db.session.query(VisitDailyRollup)]
        return visits + rollups


def test_changing_an_area_never_rewrites_past_visits(app, town):
    ruwaard = area_named(app, "Ruwaard")["id"]
    add_visits(app, ruwaard, town.house.id, town.house.room_ids[0])
    before = visit_answers(app)
    client = client_for(app, town.gemeente)
    data = {
        **NEW,
        "name": "Ruwaard-Oost",
        "cbs_code": "WK082807",
        "cbs_year": "2025",
        "served_by_id": str(town.other_house.id),
    }
    assert post(client, f"/gemeente/wijken/{ruwaard}", data).status_code == 302
    assert visit_answers(app) == before
    assert area_named(app, "Ruwaard-Oost")["id"] == ruwaard
    (entry,) = audit_entries(app, "area_updated")
    changed = json.loads(entry.details)["changed"]
    assert changed["name"] == ["Ruwaard", "Ruwaard-Oost"]
    assert changed["vulnerable"] == [False, True]
    assert changed["cbs_code"] == [None, "WK082807"]
    assert changed["served_by"] == [None, "het-anker"]


def test_the_house_that_serves_an_area_can_change_and_be_cleared(app, town):
    client = client_for(app, town.gemeente)
    ruwaard = area_named(app, "Ruwaard")["id"]
    keep = {"name": "Ruwaard", "kind": "wijk", "cbs_code": "", "cbs_year": ""}
    served = {**keep, "served_by_id": str(town.other_house.id)}
    assert post(client, f"/gemeente/wijken/{ruwaard}", served).status_code == 302
    assert area_named(app, "Ruwaard")["served_by"] == "het-anker"
    edit = client.get(f"/gemeente/wijken/{ruwaard}").get_data(as_text=True)
    assert f'<option selected value="{town.other_house.id}">' in edit
    assert (
        post(client, f"/gemeente/wijken/{ruwaard}", {**keep, "served_by_id": ""}).status_code == 302
    )
    assert area_named(app, "Ruwaard")["served_by"] is None
    with app.app_context():
        assert db.session.query(ServedArea).count() == 0


def test_editing_to_another_areas_code_or_name_is_refused(app, town):
    client = client_for(app, town.gemeente)
    assert post(client, "/gemeente/wijken/nieuw", NEW).status_code == 302
    lith = area_named(app, "Lith")["id"]
    taken = {"name": "Lith", "kind": "kern", "cbs_code": "WK082815", "cbs_year": "2024"}
    assert post(client, f"/gemeente/wijken/{lith}", taken).status_code == 422
    renamed = {"name": "ELZENBURG", "kind": "kern", "cbs_code": "", "cbs_year": ""}
    assert post(client, f"/gemeente/wijken/{lith}", renamed).status_code == 422
    assert area_named(app, "Lith")["cbs_code"] is None


def test_only_the_gemeente_keeps_areas(app, town):
    ruwaard = area_named(app, "Ruwaard")["id"]
    for user in (town.beheerder, town.organiser):
        client = client_for(app, user)
        assert post(client, "/gemeente/wijken/nieuw", NEW).status_code == 404
        assert post(client, f"/gemeente/wijken/{ruwaard}", NEW).status_code == 404
    assert area_named(app, "Elzenburg") is None
    client = client_for(app, town.gemeente)
    assert client.get("/gemeente/wijken/999999").status_code == 404
    assert client.get("/gemeente/wijken/99999999999999999999").status_code == 404
