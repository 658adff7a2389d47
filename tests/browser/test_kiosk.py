"""The kiosk end to end in Chromium: pair a tablet by its QR code, decode the kiosk's QR
from a screenshot, check in from a second browser (the phone), count once, refuse old and
forged codes, and count a tap made while the tablet was offline exactly once."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import func, select

from booking.extensions import db
from booking.models import House, Kiosk, Visit
from kiosk import places, tallies
from tests.browser.conftest import assert_accessible, log_in

HOUSE = "wijkhuis-de-haard"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"


def decode_qr(png: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert results, "no QR code found in the screenshot"
    return results[0].text


def visits(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Visit.id)).where(
                Visit.channel.in_(["qr", "tablet"]), Visit.kiosk_id.is_not(None)
            )
        )


def pair_tablet(
    browser: Browser, live_app, staff: Page | None = None, **context_args: Any
) -> tuple[BrowserContext, Page]:
    """A beheerder makes a kiosk for the huiskamer; a new tablet context scans the pairing
    QR and pairs itself. `staff`, a beheerder's page, is reused when given."""
    base = live_app.config["LIVE_URL"]
    own_staff = staff is None
    if staff is None:
        staff = browser.new_page(locale="nl-NL")
        log_in(staff, base, BEHEERDER)
    staff.goto(f"{base}/kiosk/beheer/{HOUSE}")
    staff.get_by_label("Ruimte waar de tablet staat").select_option(label="Huiskamer")
    staff.get_by_role("button", name="Maak een koppelcode").click()
    pairing_url = decode_qr(staff.locator(".pair-qr svg").screenshot())
    assert pairing_url.startswith(f"{base}/kiosk/koppelen/")
    if own_staff:
        staff.close()
    context = browser.new_context(
        **{"viewport": {"width": 1280, "height": 800}, "locale": "nl-NL", **context_args}
    )
    page = context.new_page()
    page.goto(pairing_url)
    page.get_by_role("button", name="Koppel deze tablet").click()
    expect(page.get_by_role("heading", name="Welkom!")).to_be_visible()
    expect(page.locator("#kiosk[data-ready='true']")).to_be_attached()
    return context, page


@pytest.fixture(scope="module")
def tablet(browser: Browser, live_app):
    """A paired huiskamer tablet."""
    context, page = pair_tablet(browser, live_app)
    yield page
    context.close()


def test_phone_checks_in_by_scanning_the_kiosk(
    tablet: Page, browser: Browser, live_app, axe
) -> None:
    assert_accessible(axe, tablet)
    qr_png = tablet.locator("#qr").screenshot()
    url = decode_qr(qr_png)
    assert re.search(r"/k/\d+\.\d+\.[\w-]+$", url)
    before = visits(live_app)
    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="nl-NL"
    )
    phone = phone_context.new_page()
    phone.goto(url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Wij(k)huis de Haard")
    assert_accessible(axe, phone)
    phone.get_by_role("button", name="Inchecken").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dank u wel, u bent ingecheckt!")
    assert_accessible(axe, phone)
    assert visits(live_app) == before + 1
    phone.get_by_role("group", name="Bent u hier voor het eerst?").get_by_label(
        "Ja, voor het eerst"
    ).check()
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Dank u wel!")

    phone.goto(url)
    phone.get_by_role("button", name="Inchecken").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("U was al ingecheckt. Welkom terug!")
    assert visits(live_app) == before + 1
    phone_context.close()


def test_old_and_forged_codes_count_nothing(tablet: Page, browser: Browser, live_app, axe) -> None:
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        kiosk = db.session.scalars(
            select(Kiosk).where(Kiosk.revoked_at.is_(None)).order_by(Kiosk.id.desc())
        ).first()
        old = places.qr_token(kiosk, datetime.now(UTC) - timedelta(minutes=3))
        fresh = places.qr_token(kiosk, datetime.now(UTC))
    forged = fresh.rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAA"
    before = visits(live_app)
    phone = browser.new_page(locale="nl-NL")
    for token in (old, forged):
        response = phone.goto(f"{base}/k/{token}")
        assert response.status == 410
        expect(phone.get_by_role("heading", level=1)).to_have_text("Deze code werkt niet meer")
    assert_accessible(axe, phone)
    assert visits(live_app) == before
    phone.close()


def test_offline_tap_counts_once_when_back_online(tablet: Page, live_app) -> None:
    before = visits(live_app)
    tablet.context.set_offline(True)
    tablet.get_by_role("button", name="Ik ben er").click()
    expect(tablet.locator("#bedankt")).to_be_visible()
    expect(tablet.locator("#online")).to_have_text("Geen verbinding: tikken worden bewaard")
    assert visits(live_app) == before
    tablet.context.set_offline(False)
    expect(tablet.locator("#online")).to_have_text("Online", timeout=10_000)
    for _ in range(50):
        if visits(live_app) == before + 1:
            break
        tablet.wait_for_timeout(200)
    assert visits(live_app) == before + 1
    tablet.evaluate("window.dispatchEvent(new Event('online'))")  # a replayed flush
    tablet.wait_for_timeout(1000)
    assert visits(live_app) == before + 1


def test_done_when_a_visitor_taps_the_beheerder_sees_today_the_gemeente_exports(
    tablet: Page, browser: Browser, live_app
) -> None:
    """The issue's story after pairing: an older visitor without a phone taps *Ik ben er*,
    the beheerder sees today's visits, the gemeente compares the houses over a quarter and
    downloads the comparison."""
    base = live_app.config["LIVE_URL"]
    before = visits(live_app)
    tablet.get_by_role("button", name="Ik ben er").click()
    expect(tablet.locator("#bedankt")).to_be_visible()
    expect(tablet.locator("#online")).to_have_text("Online")
    for _ in range(50):
        if visits(live_app) == before + 1:
            break
        tablet.wait_for_timeout(100)
    assert visits(live_app) == before + 1
    expect(tablet.locator("#bedankt")).to_be_hidden(timeout=15_000)  # back to welcome
    expect(tablet.get_by_role("button", name="Ik ben er")).to_be_visible()

    with live_app.app_context():
        house = db.session.scalars(select(House).where(House.slug == HOUSE)).one()
        today = tallies.visits_today(house.id, datetime.now(UTC))
    beheerder = browser.new_page(locale="nl-NL")
    log_in(beheerder, base, BEHEERDER)
    beheerder.goto(f"{base}/kiosk/gastheer/{HOUSE}")
    shown = f"{today} bezoeker vandaag" if today == 1 else f"{today} bezoekers vandaag"
    expect(beheerder.get_by_role("status")).to_have_text(shown)
    beheerder.close()

    gemeente = browser.new_page(locale="nl-NL")
    log_in(gemeente, base, "gemeente@buurthuis.example")
    gemeente.goto(f"{base}/bereik/")
    gemeente.get_by_role("link", name="Dit kwartaal").click()
    table = gemeente.locator("table.stats-comparison")
    expect(table.locator("tbody tr")).to_have_count(13)
    expect(table).to_contain_text("Wij(k)huis de Haard")
    with gemeente.expect_download() as download:
        gemeente.get_by_role("link", name="Download de vergelijking als CSV").click()
    data = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("bereik-alle-huizen-")
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel reads it
    text = data.decode("utf-8-sig")
    assert ";" in text.splitlines()[0] and "Wij(k)huis de Haard" in text
    gemeente.close()


def test_host_and_manage_pages_are_accessible(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/kiosk/gastheer/{HOUSE}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag in")
    assert_accessible(axe, page)
    page.get_by_label("Aantal bezoekers").fill("3")
    page.get_by_role("button", name="Tellen", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("3 bezoeker(s) geteld")
    page.goto(f"{live_server}/kiosk/beheer/{HOUSE}")
    assert_accessible(axe, page)
    page.get_by_role("link", name="poster (A4)").first.click()
    assert_accessible(axe, page)


def test_kiosk_languages_are_one_tap_away(tablet: Page, axe) -> None:
    tablet.get_by_role("button", name="العربية").click()
    expect(tablet.locator("html")).to_have_attribute("dir", "rtl")
    expect(tablet.get_by_role("button", name="أنا هنا")).to_be_visible()
    assert_accessible(axe, tablet)
    tablet.get_by_role("button", name="Türkçe").click()
    expect(tablet.get_by_role("button", name="Buradayım")).to_be_visible()
    tablet.get_by_role("button", name="Nederlands").click()
    expect(tablet.locator("html")).to_have_attribute("lang", "nl")
