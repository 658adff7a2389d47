"""Visitor cards through the Flask test client (issue 14): print, show, block, read."""

from __future__ import annotations

import http.client
import json
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pypdfium2 as pdfium
import pytest
import zxingcpp
from sqlalchemy import func, select
from werkzeug.serving import make_server

from booking.extensions import db
from booking.models import Visit, VisitorCard, VisitorCardBatch
from booking.rules.slots import AMSTERDAM
from booking.rules.visitor_cards import code_hash
from tests.conftest import login, open_around_the_clock, post_form
from tests.kiosk.conftest import visit_count

CARD_URL = re.compile(r"/kaart/([A-Z2-7]{20})")


@pytest.fixture(autouse=True)
def _house_open(app, paired):
    """Card reads in these tests happen in opening hours, whatever the clock says."""
    with open_around_the_clock(app, paired[0].id):
        yield


def print_batch(staff, slug: str, count: int = 3):
    page = f"/kiosk/beheer/{slug}"
    response = post_form(staff, f"{page}/kaarten", {"count": str(count)}, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def codes_of(app, house_id: int) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(VisitorCard.plain_code, VisitorCard.short_code)
            .where(VisitorCard.house_id == house_id)
            .order_by(VisitorCard.id)
        )
        return [tuple(r) for r in rows]


def read(tablet, code: str, client_id: str | None = None, **extra):
    body = {"client_id": client_id or str(uuid.uuid4()), "code": code, **extra}
    return tablet.post("/kiosk/kaart", json=body)


def test_print_makes_a_sheet_with_hashed_codes(app, paired):
    house, staff, _tablet, _ = paired
    sheet_url = print_batch(staff, house.slug, 5)
    page = staff.get(sheet_url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Houd deze kaart voor de tablet" in html and "Testhuis" in html
    printed = codes_of(app, house.id)
    assert len(printed) == 5 and len({s for _c, s in printed}) == 5
    with app.app_context():
        hashes = set(db.session.scalars(select(VisitorCard.code_hash)))
    assert {code_hash(c) for c, _s in printed} == hashes
    assert html.count("visitor-card-qr") == 5
    assert all(f"{s[:3]}-{s[3:]}" in html for _c, s in printed)
    pdf = staff.get(sheet_url + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize("count", ["0", "101", "twintig", ""])
def test_a_bad_count_prints_nothing(app, paired, count):
    house, staff, _, _ = paired
    page = f"/kiosk/beheer/{house.slug}"
    response = post_form(staff, f"{page}/kaarten", {"count": count}, page=page)
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(VisitorCard.id))) == 0


@pytest.mark.parametrize("role", ["gastheer", "initiatiefnemer", "other"])
def test_others_cannot_see_a_sheet(app, paired, make_house, make_user, role):
    house, staff, _, _ = paired
    sheet_url = print_batch(staff, house.slug)
    other = app.test_client()
    login(
        other, make_user("beheerder", make_house()) if role == "other" else make_user(role, house)
    )
    assert other.get(sheet_url).status_code == 404
    assert other.get(sheet_url + ".pdf").status_code == 404
    assert app.test_client().get(sheet_url).status_code == 302  # to the login


def test_a_sociaal_beheerder_prints_and_another_houses_batch_is_404(
    app, paired, make_house, make_user
):
    house, _, _, _ = paired
    social = app.test_client()
    login(social, make_user("sociaal_beheerder", house))
    sheet_url = print_batch(social, house.slug, 2)
    assert social.get(sheet_url).status_code == 200
    other = make_house()
    other_staff = app.test_client()
    login(other_staff, make_user("beheerder", other))
    batch_id = sheet_url.rsplit("/", 1)[1]
    assert other_staff.get(f"/kiosk/beheer/{other.slug}/kaarten/{batch_id}").status_code == 404


def test_the_sheet_can_be_shown_for_a_day_then_the_codes_are_erased(app, paired, monkeypatch):
    house, staff, _, _ = paired
    sheet_url = print_batch(staff, house.slug, 2)
    later = datetime.now(UTC) + timedelta(hours=25)
    monkeypatch.setattr("kiosk.web.now", lambda: later)
    gone = staff.get(sheet_url)
    assert gone.status_code == 410 and "gewist" in gone.get_data(as_text=True)
    assert staff.get(sheet_url + ".pdf").status_code == 302
    from booking.jobs import JOBS

    with app.app_context():
        summary = JOBS["retention"](later)
    assert summary.counts["kaartcodes gewist"] == 2
    assert codes_of(app, house.id)[0][0] is None


def test_a_card_counts_once_in_three_hours_and_replays_once(app, paired, monkeypatch):
    house, staff, tablet, _ = paired
    print_batch(staff, house.slug, 1)
    ((code, _short),) = codes_of(app, house.id)
    client_id = str(uuid.uuid4())
    first = read(tablet, code, client_id, read_at=datetime.now(UTC).isoformat())
    assert first.status_code == 201
    assert first.json["counted"] is True and first.json["outcome"] == "welkom"
    assert read(tablet, code, client_id).json["counted"] is False  # the queue replays
    again = read(tablet, f"https://elders.example/kaart/{code.lower()}/")
    assert again.status_code == 200 and again.json["outcome"] == "welkom_terug"
    assert visit_count(app) == 1
    with app.app_context():
        visit = db.session.scalars(select(Visit)).one()
        assert visit.channel == "kaart" and not visit.suspicious, visit.suspicious_reason
        assert visit.device_hash and visit.device_hash != code_hash(code)
    later = datetime.now(UTC) + timedelta(hours=3, minutes=2)
    monkeypatch.setattr("kiosk.web.now", lambda: later)
    assert read(tablet, code).json["counted"] is True
    assert visit_count(app) == 2
    with app.app_context():
        hashes = set(db.session.scalars(select(Visit.device_hash)))
    assert len(hashes) == 1  # the same card, recognised


def test_unknown_blocked_and_other_houses_cards_are_flagged(app, paired, make_house, make_user):
    house, staff, tablet, _ = paired
    print_batch(staff, house.slug, 2)
    (good, _), (lost, lost_short) = codes_of(app, house.id)
    other = make_house()
    other_staff = app.test_client()
    login(other_staff, make_user("beheerder", other))
    print_batch(other_staff, other.slug, 1)
    ((foreign, _),) = codes_of(app, other.id)
    page = f"/kiosk/beheer/{house.slug}"
    blocked = post_form(
        staff, f"{page}/kaarten/blokkeren", {"short_code": lost_short.lower()}, page=page
    )
    assert blocked.status_code == 302
    assert "geblokkeerd" in staff.get(blocked.headers["Location"]).get_data(as_text=True)
    answers = {
        "lost": read(tablet, lost).json,
        "unknown": read(tablet, "A" * 20).json,
        "foreign": read(tablet, foreign).json,
    }
    assert answers["lost"]["outcome"] == "geblokkeerd"
    assert (
        answers["lost"]["message"] == "Deze kaart is geblokkeerd; vraag de gastvrouw om een nieuwe."
    )
    assert answers["unknown"]["message"] == "Deze kaart kennen we niet."
    assert answers["foreign"]["outcome"] == "onbekend"
    assert not any(a["counted"] for a in answers.values())
    assert read(tablet, good).json["counted"] is True
    assert read(tablet, lost).json["outcome"] == "geblokkeerd"  # again: one flagged read
    with app.app_context():
        reasons = sorted(db.session.scalars(select(Visit.suspicious_reason)))
        assert reasons == ["", "kaart_geblokkeerd", "kaart_onbekend", "kaart_onbekend"]
    today = datetime.now(AMSTERDAM).date().isoformat()  # the report's days are Amsterdam's
    stats = staff.get(f"/api/v1/stats/reach?house={house.slug}&from={today}&to={today}")
    assert stats.status_code == 200 and stats.json["by_channel"].get("kaart") in (1, "<5")
    assert stats.json["visits"] in (1, "<5")


def test_blocking_an_unknown_or_malformed_short_code(app, paired):
    house, staff, _, _ = paired
    page = f"/kiosk/beheer/{house.slug}"
    unknown = post_form(staff, f"{page}/kaarten/blokkeren", {"short_code": "ABC-DEFG"}, page=page)
    assert unknown.status_code == 400
    assert "Geen kaart van dit huis heeft deze code." in unknown.get_data(as_text=True)
    bad = post_form(staff, f"{page}/kaarten/blokkeren", {"short_code": "??"}, page=page)
    assert bad.status_code == 400 and "zoals ABC-DEFG" in bad.get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": "x", "code": "A" * 20},
        {"code": "A" * 20},
        {"client_id": "00000000-0000-4000-8000-000000000000", "code": "A" * 19},
        {"client_id": "00000000-0000-4000-8000-000000000000", "code": "0" * 20},
        {"client_id": "00000000-0000-4000-8000-000000000000", "code": ["A"]},
        {"client_id": "00000000-0000-4000-8000-000000000000"},
        ["A"],
    ],
)
def test_a_garbled_read_is_a_400_and_stores_nothing(app, paired, body):
    _, _, tablet, _ = paired
    response = tablet.post("/kiosk/kaart", json=body)
    assert response.status_code == 400 and "error" in response.json
    assert visit_count(app) == 0


def test_an_unpaired_device_cannot_read_cards(app, paired):
    response = app.test_client().post(
        "/kiosk/kaart", json={"client_id": str(uuid.uuid4()), "code": "A" * 20}
    )
    assert response.status_code == 401 and visit_count(app) == 0


def test_the_card_page_of_a_phone_tells_nothing(app, paired):
    house, staff, _, _ = paired
    print_batch(staff, house.slug, 1)
    ((code, _),) = codes_of(app, house.id)
    known = app.test_client().get(f"/kaart/{code}")
    unknown = app.test_client().get("/kaart/" + "B" * 20)
    assert known.status_code == unknown.status_code == 200

    def same(page, code):  # the language buttons carry the path and a fresh CSRF token
        text = page.get_data(as_text=True).replace(code, "CODE")
        return re.sub(r'name="csrf_token" value="[^"]+"', "", text)

    assert same(known, code) == same(unknown, "B" * 20)
    assert "Dit is een bezoekerskaart" in known.get_data(as_text=True)
    assert visit_count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(VisitorCardBatch.id))) == 1


def test_the_pdf_sheet_qr_codes_decode_to_the_stored_cards(app, paired):
    """Render the printed PDF (pypdfium2, no poppler) and read every QR with zxing-cpp."""
    house, staff, _, _ = paired
    sheet_url = print_batch(staff, house.slug, 12)  # two pages: ten a page
    document = pdfium.PdfDocument(staff.get(sheet_url + ".pdf").data)
    assert len(document) == 2
    read = []
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        read += [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.QRCode]
    codes = [CARD_URL.search(text).group(1) for text in read]
    assert all(text.startswith("http") for text in read)
    with app.app_context():
        stored = set(
            db.session.scalars(
                select(VisitorCard.code_hash).where(VisitorCard.house_id == house.id)
            )
        )
    assert len(codes) == 12 and {code_hash(c) for c in codes} == stored


def test_the_html_sheet_prints_no_card_code_as_text(app, paired):
    """The HTML sheet shows the card codes only inside the QR codes, never as text: the
    short code is the only thing a person reads off a card (the browser test decodes the
    sheet's QR codes from a screenshot)."""
    house, staff, _, _ = paired
    html = staff.get(print_batch(staff, house.slug, 2)).get_data(as_text=True)
    assert html.count("visitor-card-qr") == 2
    assert not any(code in html for code, _short in codes_of(app, house.id))


@pytest.mark.real_commits  # a real threaded server: the reads race in their own transactions
def test_one_card_held_up_six_times_at_once_counts_once(app, paired):
    """Six tablets' worth of the same card at the same moment (a shaky hand, a scanner
    that repeats), each with its own client id: one visit, five 'welkom terug'."""
    house, staff, tablet, _ = paired
    print_batch(staff, house.slug, 1)
    ((code, _short),) = codes_of(app, house.id)
    cookie = f"bh_kiosk={tablet.get_cookie('bh_kiosk').value}"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    barrier = threading.Barrier(6)

    def post(_: int) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        connection.connect()
        body = json.dumps({"client_id": str(uuid.uuid4()), "code": code})
        barrier.wait()
        connection.request(
            "POST",
            "/kiosk/kaart",
            body=body,
            headers={"Content-Type": "application/json", "Cookie": cookie},
        )
        status = connection.getresponse().status
        connection.close()
        return status

    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = sorted(pool.map(post, range(6)))
    finally:
        server.shutdown()
    assert statuses == [200, 200, 200, 200, 200, 201]
    assert visit_count(app) == 1
