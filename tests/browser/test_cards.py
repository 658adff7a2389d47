"""Visitor cards in Chromium (issue 14): the sociaal beheerder prints cards, their QR codes
decode from the printed page, and the huiskamer tablet reads one through Chromium's fake
camera (a Y4M video made here from the printed card): one visit, counted once; once the
card is blocked it counts nothing."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Playwright, expect
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import House, Visit, VisitorCard
from booking.rules.visitor_cards import code_hash
from tests.browser.conftest import CHROMIUM, assert_accessible, log_in
from tests.browser.test_kiosk import pair_tablet
from tests.conftest import open_around_the_clock

HOUSE = "wijkhuis-de-haard"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"
CARD_URL = re.compile(r"/kaart/([A-Z2-7]{20})$")
WIDTH, HEIGHT = 640, 480


@pytest.fixture(scope="module", autouse=True)
def _house_open(live_app):
    """The cards are read in opening hours, whatever the clock says."""
    with live_app.app_context():
        house_id = db.session.scalars(select(House.id).where(House.slug == HOUSE)).one()
    with open_around_the_clock(live_app, house_id):
        yield


def write_y4m(image: Image.Image, path, frames: int = 4) -> None:
    """A tiny 4:2:0 Y4M video of a still image: the grey plane is the luma, the chroma
    planes are neutral (a QR code needs no colour)."""
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    still = image.convert("L")
    still.thumbnail((HEIGHT - 60, HEIGHT - 60))
    frame.paste(still, ((WIDTH - still.width) // 2, (HEIGHT - still.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def card_visits(app, *, suspicious: bool = False) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Visit.id)).where(
                Visit.channel == "kaart", Visit.suspicious.is_(suspicious)
            )
        )


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))]


@pytest.fixture(scope="module")
def printed(browser: Browser, live_app, axe):
    """The beheerder prints three cards; each QR on the page decodes to a stored card."""
    base = live_app.config["LIVE_URL"]
    staff = browser.new_page(locale="nl-NL", viewport={"width": 1200, "height": 1000})
    log_in(staff, base, BEHEERDER)
    staff.goto(f"{base}/kiosk/beheer/{HOUSE}")
    expect(staff.get_by_role("heading", name="Bezoekerskaarten")).to_be_visible()
    assert_accessible(axe, staff)
    staff.get_by_label("Aantal kaarten").fill("3")
    staff.get_by_role("button", name="Kaarten maken en afdrukken").click()
    expect(staff.locator(".visitor-card")).to_have_count(3)
    assert_accessible(axe, staff)
    shots = [card.screenshot() for card in staff.locator(".visitor-card").all()]
    urls = [decode(shot)[0] for shot in shots]
    codes = [CARD_URL.search(url).group(1) for url in urls]
    assert all(url.startswith(f"{base}/kaart/") for url in urls)
    with live_app.app_context():
        stored = set(db.session.scalars(select(VisitorCard.code_hash)))
    assert {code_hash(c) for c in codes} <= stored
    shorts = [s.split(": ", 1)[1] for s in staff.locator(".visitor-card-short").all_inner_texts()]
    yield staff, shots, urls, shorts
    staff.close()


def test_a_phone_that_scans_a_card_is_told_what_it_is(printed, browser: Browser, axe):
    _staff, _shots, urls, _shorts = printed
    phone = browser.new_page(locale="nl-NL", viewport={"width": 390, "height": 844})
    phone.goto(urls[0])
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dit is een bezoekerskaart")
    assert_accessible(axe, phone)
    phone.close()


def test_the_tablet_reads_a_card_once_and_a_blocked_card_counts_nothing(
    printed, playwright: Playwright, live_app, axe, tmp_path
):
    staff, shots, _urls, shorts = printed
    base = live_app.config["LIVE_URL"]
    video = tmp_path / "kaart.y4m"
    write_y4m(Image.open(io.BytesIO(shots[0])), video)
    camera_browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context, tablet = pair_tablet(
            camera_browser, live_app, staff, viewport={"width": 1280, "height": 900}
        )
        context.grant_permissions(["camera"], origin=base)
        expect(tablet.locator("#kaart[data-ready='true']")).to_be_visible()
        before = card_visits(live_app)

        tablet.get_by_role("button", name="Ik heb een kaart").click()
        expect(tablet.get_by_text("Camera staat aan")).to_be_visible()
        assert_accessible(axe, tablet)
        expect(tablet.locator("#bedankt")).to_have_text(
            "Welkom, fijn dat u er bent!", timeout=15_000
        )
        expect(tablet.get_by_text("Camera staat aan")).to_be_hidden()  # off after a read
        assert card_visits(live_app) == before + 1

        tablet.get_by_role("button", name="Ik heb een kaart").click()
        expect(tablet.locator("#bedankt")).to_have_text(
            "Welkom terug! U bent vandaag al geteld.", timeout=15_000
        )
        assert card_visits(live_app) == before + 1

        staff.goto(f"{base}/kiosk/beheer/{HOUSE}")
        staff.get_by_label("Korte code op de kaart (zoals ABC-DEFG)").fill(shorts[0])
        staff.get_by_role("button", name="Kaart blokkeren").click()
        expect(staff.get_by_role("status").first).to_contain_text("is geblokkeerd")
        flagged = card_visits(live_app, suspicious=True)
        tablet.get_by_role("button", name="Ik heb een kaart").click()
        expect(tablet.locator("#bedankt")).to_have_text(
            "Deze kaart is geblokkeerd; vraag de gastvrouw om een nieuwe.", timeout=15_000
        )
        assert card_visits(live_app) == before + 1
        assert card_visits(live_app, suspicious=True) == flagged + 1
        context.close()
    finally:
        camera_browser.close()


def test_a_scanner_types_the_card_and_a_missing_camera_is_explained(
    printed, browser: Browser, live_app
):
    """A USB scanner types the card's URL and Enter; a tablet without a camera says so
    and keeps the tap."""
    staff, _shots, urls, _shorts = printed
    context, tablet = pair_tablet(browser, live_app, staff)
    expect(tablet.locator("#kaart[data-ready='true']")).to_be_visible()
    tablet.evaluate(
        "Object.defineProperty(navigator.mediaDevices, 'getUserMedia', "
        "{value: () => Promise.reject(new DOMException('geen', 'NotFoundError'))})"
    )
    tablet.get_by_role("button", name="Ik heb een kaart").click()
    expect(tablet.locator("#kaart-melding")).to_contain_text("De camera werkt niet")
    expect(tablet.get_by_role("button", name="Ik ben er")).to_be_visible()
    before = card_visits(live_app)
    tablet.get_by_role("button", name="Ik heb een kaart").focus()
    tablet.keyboard.type(urls[1], delay=5)
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#bedankt")).to_have_text("Welkom, fijn dat u er bent!")
    assert card_visits(live_app) == before + 1
    context.close()
