"""Kiosk through the test client: pairing, QR tokens, phone check-in, taps, tallies, posters."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select

from booking.extensions import db
from booking.models import Kiosk, Visit
from kiosk import pairing, places, tokens
from tests.conftest import PASSWORD, login, post_form
from tests.kiosk.conftest import visit_count


def current_token(app, house_room_id) -> str:
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk).where(Kiosk.room_id == house_room_id)).one()
        return places.qr_token(kiosk, datetime.now(UTC))


def test_pairing_code_works_once_and_only_hashes_are_stored(app, paired):
    _house, _staff, tablet, _ = paired
    assert "Welkom!" in tablet.get("/kiosk").get_data(as_text=True)
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk)).one()
        assert kiosk.pairing_code_hash is None and len(kiosk.credential_hash) == 64
    other = app.test_client()
    assert "Tablet koppelen" in other.get("/kiosk").get_data(as_text=True)


def test_wrong_or_expired_pairing_code(app, client, make_house, make_user):
    house = make_house()
    beheerder = make_user("beheerder", house)
    with app.app_context():
        from booking.models import User

        _, code = pairing.create_kiosk(
            db.session.get(User, beheerder.id),
            house.room_ids[0],
            datetime.now(UTC) - timedelta(minutes=16),
        )
        db.session.commit()
    assert post_form(client, "/kiosk/koppelen", {"code": code}, page="/kiosk").status_code == 400
    assert (
        post_form(client, "/kiosk/koppelen", {"code": "AAAA-BBBB"}, page="/kiosk").status_code
        == 400
    )
    assert post_form(client, "/kiosk/koppelen", {"code": ""}, page="/kiosk").status_code == 400


def test_phone_checks_in_once_per_three_hours(app, paired):
    house, _, _tablet, _ = paired
    token = current_token(app, house.room_ids[0])
    phone = app.test_client()
    page = phone.get(f"/k/{token}")
    assert page.status_code == 200 and "Testhuis" in page.get_data(as_text=True)
    response = post_form(phone, f"/k/{token}", {}, page=f"/k/{token}")
    assert response.status_code == 302 and visit_count(app) == 1
    cookie = response.headers["Set-Cookie"]
    assert "bh_apparaat" in cookie and "HttpOnly" in cookie
    assert "Dank u wel, u bent ingecheckt!" in phone.get("/k/vragen").get_data(as_text=True)
    again = post_form(phone, f"/k/{token}", {}, page=f"/k/{token}")
    assert again.status_code == 302 and visit_count(app) == 1
    assert "U was al ingecheckt" in phone.get("/k/vragen").get_data(as_text=True)


def test_answers_are_stored_and_checked(app, paired):
    house, _, _, _ = paired
    token = current_token(app, house.room_ids[0])
    phone = app.test_client()
    post_form(phone, f"/k/{token}", {}, page=f"/k/{token}")
    response = post_form(
        phone,
        "/k/vragen",
        {"first_time": "ja", "area": "elders", "age_group": "67+"},
        page="/k/vragen",
    )
    assert response.status_code == 200 and "Dank u wel!" in response.get_data(as_text=True)
    with app.app_context():
        visit = db.session.scalars(select(Visit)).one()
        assert (visit.first_time, visit.area_answer, visit.age_group) == (True, "elders", "67+")
        assert visit.channel == "qr" and visit.device_hash and visit.kiosk_id


def test_answers_outside_the_lists_are_refused(app, paired):
    house, _, _, _ = paired
    token = current_token(app, house.room_ids[0])
    phone = app.test_client()
    post_form(phone, f"/k/{token}", {}, page=f"/k/{token}")
    response = post_form(phone, "/k/vragen", {"age_group": "120"}, page="/k/vragen")
    assert response.status_code == 400
    assert "Kies een leeftijdsgroep uit de lijst." in response.get_data(as_text=True)
    response = post_form(phone, "/k/vragen", {"first_time": "misschien"}, page="/k/vragen")
    assert response.status_code == 400
    assert "Kies ja of nee." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Visit)).one().age_group is None


def test_expired_and_forged_tokens_count_nothing(app, paired):
    _house, _, _, _ = paired
    with app.app_context():
        kiosk = db.session.scalars(select(Kiosk)).one()
        old = places.qr_token(kiosk, datetime.now(UTC) - timedelta(minutes=3))
        good = places.qr_token(kiosk, datetime.now(UTC))
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    other_kiosk = f"999.{good.split('.')[1]}.{good.split('.')[2]}"
    phone = app.test_client()
    for token in (old, forged, other_kiosk, "onzin", "1.2", "x" * 200):
        page = phone.get(f"/k/{token}")
        assert page.status_code == 410 and "werkt niet meer" in page.get_data(as_text=True)
        assert post_form(phone, f"/k/{token}", {}, page="/privacy").status_code == 410
    assert visit_count(app) == 0


def test_revoking_a_kiosk_kills_its_codes_and_credential(app, paired):
    house, staff, tablet, _ = paired
    token = current_token(app, house.room_ids[0])
    with app.app_context():
        kiosk_id = db.session.scalars(select(Kiosk.id)).one()
    response = post_form(
        staff,
        f"/kiosk/beheer/{house.slug}/{kiosk_id}/intrekken",
        {},
        page=f"/kiosk/beheer/{house.slug}",
    )
    assert response.status_code == 302
    assert app.test_client().get(f"/k/{token}").status_code == 410
    assert "Tablet koppelen" in tablet.get("/kiosk").get_data(as_text=True)
    assert tablet.post("/kiosk/tik", json={"client_id": str(uuid.uuid4())}).status_code == 401
    assert visit_count(app) == 0


def test_tablet_taps_count_once_per_client_id(app, paired):
    _house, _, tablet, _ = paired
    client_id = str(uuid.uuid4())
    first = tablet.post(
        "/kiosk/tik", json={"client_id": client_id, "tapped_at": datetime.now(UTC).isoformat()}
    )
    replay = tablet.post("/kiosk/tik", json={"client_id": client_id})
    assert (first.status_code, replay.status_code) == (201, 200)
    assert visit_count(app) == 1
    with app.app_context():
        visit = db.session.scalars(select(Visit)).one()
        assert visit.channel == "tablet" and visit.device_hash is None


def test_bad_taps_are_refused(app, paired):
    _, _, tablet, _ = paired
    assert tablet.post("/kiosk/tik", json={"client_id": "geen-uuid"}).status_code == 400
    assert tablet.post("/kiosk/tik", json=["x"]).status_code == 400
    assert (
        app.test_client().post("/kiosk/tik", json={"client_id": str(uuid.uuid4())}).status_code
        == 401
    )
    assert visit_count(app) == 0


def test_tap_without_script_counts_and_returns(app, paired):
    _, _, tablet, _ = paired
    response = tablet.post("/kiosk/tik", data={})
    assert response.status_code == 302 and visit_count(app) == 1


def test_a_queued_tap_keeps_its_time(app, paired):
    _, _, tablet, _ = paired
    earlier = (datetime.now(UTC) - timedelta(minutes=20)).replace(second=0, microsecond=0)
    tablet.post(
        "/kiosk/tik", json={"client_id": str(uuid.uuid4()), "tapped_at": earlier.isoformat()}
    )
    with app.app_context():
        assert db.session.scalars(select(Visit)).one().visited_at == earlier


def test_bursts_are_flagged(app, paired):
    _, _, tablet, _ = paired
    for _ in range(32):
        tablet.post("/kiosk/tik", json={"client_id": str(uuid.uuid4())})
    with app.app_context():
        reasons = [
            v.suspicious_reason for v in db.session.scalars(select(Visit).order_by(Visit.id))
        ]
    assert reasons[:10] == [""] * 10 or reasons[0] in ("", "buiten_openingstijd")
    assert "piek" in reasons or "buiten_openingstijd" in reasons


def test_host_tallies_and_undoes(app, paired, make_user):
    house, _, _, _ = paired
    host = app.test_client()
    login(host, make_user("gastheer", house))
    page = host.get(f"/kiosk/gastheer/{house.slug}")
    assert page.status_code == 200 and "0 bezoekers vandaag" in page.get_data(as_text=True)
    post_form(
        host,
        f"/kiosk/gastheer/{house.slug}/tellen",
        {"room": house.room_ids[0], "count": 1},
        page=f"/kiosk/gastheer/{house.slug}",
    )
    post_form(
        host,
        f"/kiosk/gastheer/{house.slug}/tellen",
        {"room": house.room_ids[0], "count": 6},
        page=f"/kiosk/gastheer/{house.slug}",
    )
    assert visit_count(app) == 7
    post_form(
        host, f"/kiosk/gastheer/{house.slug}/ongedaan", {}, page=f"/kiosk/gastheer/{house.slug}"
    )
    assert visit_count(app) == 1
    bad = post_form(
        host,
        f"/kiosk/gastheer/{house.slug}/tellen",
        {"room": house.room_ids[0], "count": 500},
        page=f"/kiosk/gastheer/{house.slug}",
    )
    assert bad.status_code == 400 and visit_count(app) == 1


def test_host_of_another_house_gets_404(app, paired, make_house, make_user):
    house, _, _, _ = paired
    stranger = app.test_client()
    login(stranger, make_user("gastheer", make_house()))
    assert stranger.get(f"/kiosk/gastheer/{house.slug}").status_code == 404
    assert stranger.get(f"/kiosk/beheer/{house.slug}").status_code == 404


def test_poster_check_in_is_channel_poster(app, paired):
    house, staff, _, _ = paired
    page = staff.get(f"/kiosk/poster/{house.room_ids[1]}").get_data(as_text=True)
    url = re.search(r"http://localhost(/p/[^\"<\s]+)", page).group(1)
    assert (
        staff.get(f"/kiosk/poster/{house.room_ids[1]}.svg")
        .headers["Content-Type"]
        .startswith("image/svg+xml")
    )
    assert staff.get(f"/kiosk/poster/{house.room_ids[1]}.png").data[:4] == b"\x89PNG"
    phone = app.test_client()
    assert post_form(phone, url, {}, page=url).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Visit.channel)).one() == "poster"
    assert app.test_client().get("/p/1.vervalst").status_code == 404  # unknown, not expired


def test_visits_store_no_personal_data(app, paired):
    house, _, _tablet, _ = paired
    token = current_token(app, house.room_ids[0])
    phone = app.test_client()
    post_form(
        phone,
        f"/k/{token}",
        {},
        page=f"/k/{token}",
        headers={"User-Agent": "Geheime-Telefoon/1.0"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("visit")}
        assert not columns & {
            "ip",
            "ip_address",
            "remote_addr",
            "user_agent",
            "name",
            "phone",
            "email",
        }
        row = db.session.execute(select(Visit.__table__)).mappings().one()
        flat = " ".join(str(v) for v in row.values())
        assert "203.0.113.7" not in flat and "Geheime-Telefoon" not in flat


def test_api_creates_a_kiosk(app, client, make_house, make_user):
    house = make_house()
    user = make_user("sociaal_beheerder", house)
    client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    response = client.post("/api/v1/kiosks", json={"room_id": house.room_ids[0]})
    assert response.status_code == 201
    body = response.get_json()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", body["pairing_code"])
    assert body["pairing_url"].startswith("http://localhost/kiosk/koppelen/")
    assert client.post("/api/v1/kiosks", json={"room_id": 99999}).status_code == 404
    assert client.post("/api/v1/kiosks", json={"room_id": "een"}).status_code == 400


def test_api_kiosk_for_someone_elses_house_is_404(client, make_house, make_user):
    house = make_house()
    user = make_user("beheerder", make_house())
    client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert client.post("/api/v1/kiosks", json={"room_id": house.room_ids[0]}).status_code == 404


def test_token_rules_are_pure():
    key = tokens.kiosk_key("geheim", 7, 1)
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    token = tokens.parse(tokens.sign(key, 7, tokens.slot_of(now)))
    assert token and tokens.is_authentic(key, token) and tokens.is_fresh(token, now)
    assert not tokens.is_fresh(token, now + timedelta(minutes=2, seconds=1))
    assert not tokens.is_authentic(tokens.kiosk_key("geheim", 7, 2), token)
    assert tokens.parse("a.b.c") is None and tokens.parse("") is None


def test_a_flood_from_one_device_is_stopped(app, paired):
    house, _, _, _ = paired
    token = current_token(app, house.room_ids[0])
    phone = app.test_client()
    page = phone.get(f"/k/{token}")
    assert "bh_apparaat" in page.headers["Set-Cookie"]
    statuses = [post_form(phone, f"/k/{token}", {}, page="/privacy").status_code for _ in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert visit_count(app) == 1
