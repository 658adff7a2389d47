"""Bad input found by review: look-alike digits, ids too large for the database, moments
with no UTC equivalent, several spellings of one client id, the turn of the year, and a
poster code that is unknown. Each answers 4xx and counts nothing (or once), never 500."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from booking.extensions import db
from booking.models import Kiosk, User, Visit
from booking.rules.numbers import MAX_ID, parse_whole_number
from booking.rules.slots import local_to_utc
from kiosk import check_in, places, tallies
from tests.conftest import PASSWORD, login, post_form
from tests.kiosk.conftest import visit_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("²", None),
        ("٣", None),
        ("", None),
        (None, None),
        ("-1", None),
        (" 1", None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
    ],
)
def test_whole_numbers_are_ascii_digits_within_an_integer(text, expected) -> None:
    assert parse_whole_number(text) == expected


@pytest.mark.parametrize(
    "path",
    [
        "/k/%C2%B2.1.abc",
        "/k/99999999999999999999.1.abc",
        "/k/1.99999999999999999999.abc",
        "/k/%D9%A3.1.abc",
    ],
)
def test_garbled_qr_tokens_are_gone_not_errors(app, client, path) -> None:
    for response in (client.get(path), client.post(path)):
        assert response.status_code in (400, 410)
    assert visit_count(app) == 0


@pytest.mark.parametrize("path", ["/p/%C2%B2.abc", "/p/99999999999999999999.abc", "/p/1.x"])
def test_an_unknown_poster_code_says_so(app, client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Deze postercode kennen we niet" in page and "tablet verandert" not in page
    assert visit_count(app) == 0


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_tap_time_without_a_utc_moment_counts_now(app, paired, moment) -> None:
    _, _, tablet, _ = paired
    response = tablet.post("/kiosk/tik", json={"client_id": str(uuid.uuid4()), "tapped_at": moment})
    assert response.status_code == 201 and visit_count(app) == 1


def test_one_client_id_in_several_spellings_counts_once(app, paired) -> None:
    _, _, tablet, _ = paired
    tap = uuid.uuid4()
    spellings = [str(tap), str(tap).upper(), f"{{{tap}}}", f"urn:uuid:{tap}", tap.hex]
    statuses = [tablet.post("/kiosk/tik", json={"client_id": s}).status_code for s in spellings]
    assert statuses == [201, 200, 200, 200, 200]
    with app.app_context():
        assert db.session.scalars(select(Visit.client_id)).all() == [str(tap)]


def test_a_phone_an_hour_apart_across_new_year_counts_once(app, paired) -> None:
    before = local_to_utc(datetime(2026, 12, 31, 23, 40))
    after = local_to_utc(datetime.combine(datetime(2027, 1, 1), time(0, 40)))
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk)).one()
        place = places.Place(kiosk.room, kiosk, "qr")
        first = check_in.check_in_phone(place, "d" * 32, before)
        db.session.commit()
        second = check_in.check_in_phone(place, "d" * 32, after)
        db.session.commit()
        assert (first.counted, second.counted) == (True, False)
        assert second.visit_id == first.visit_id
        later = check_in.check_in_phone(place, "d" * 32, local_to_utc(datetime(2027, 1, 1, 4)))
        db.session.commit()
        assert later.counted  # more than three hours later: a new visit


def test_the_tablet_is_told_what_to_show_when_nothing_is_on(app, paired) -> None:
    _, _, tablet, _ = paired
    status = tablet.get("/kiosk/status.json").get_json()
    assert status["now_on"] is None and status["now_line"] == "Loop gerust binnen."


def test_huge_room_ids_in_the_api_are_refused(app, client, make_house, make_user) -> None:
    house = make_house()
    user = make_user("beheerder", house)
    client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    response = client.post("/api/v1/kiosks", json={"room_id": 10**20})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "ongeldig_veld"


def test_look_alike_digits_in_staff_pages_are_refused(app, client, make_house, make_user) -> None:
    house = make_house()
    login(client, make_user("beheerder", house))
    for path in (
        f"/bereik/{house.slug}?ruimte=%C2%B2",
        f"/bereik/{house.slug}?activiteit=%C2%B2",
        f"/bereik/{house.slug}/export.csv?ruimte=%C2%B2",
        f"/beheer/{house.slug}/logboek?pagina=%C2%B2",
    ):
        assert client.get(path).status_code == 400, path


def test_a_phone_back_after_the_answer_window_is_welcomed_without_questions(app, paired) -> None:
    device = "e" * 32
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk)).one()
        place = places.Place(kiosk.room, kiosk, "qr")
        check_in.check_in_phone(place, device, datetime.now(UTC) - timedelta(minutes=45))
        db.session.commit()
        token = places.qr_token(kiosk, datetime.now(UTC))
    phone = app.test_client()
    phone.set_cookie("bh_apparaat", device)
    assert post_form(phone, f"/k/{token}", {}, page=f"/k/{token}").status_code == 302
    page = phone.get("/k/vragen").get_data(as_text=True)
    assert "U was al ingecheckt. Welkom terug!" in page and "Hoe oud bent u?" not in page
    assert visit_count(app) == 1


def test_a_hosts_tally_after_closing_time_is_counted(app, paired, make_user) -> None:
    house, _, _, _ = paired
    host = make_user("gastheer", house)
    night = local_to_utc(datetime(2026, 12, 2, 23, 30))  # the test house closes at 23:00
    with app.app_context():
        tallies.tally(db.session.get(User, host.id), house.room_ids[0], 3, night)
        db.session.commit()
        flags = db.session.scalars(select(Visit.suspicious)).all()
    assert flags == [False, False, False]


DEEP = "[" * 100_000 + "]" * 100_000


def test_deep_json_to_the_tablet_tap_is_refused_without_a_server_error(app, client):
    response = client.post("/kiosk/tik", data=DEEP, content_type="application/json")
    assert response.status_code == 401  # no kiosk cookie: refused before parsing


def test_deep_json_from_a_paired_tablet_is_a_bad_tap(paired):
    _house, _staff, tablet, _beheerder = paired
    response = tablet.post("/kiosk/tik", data=DEEP, content_type="application/json")
    assert response.status_code == 400
