"""The kiosk as an offline web app in Chromium: a paired tablet whose service worker
controls the screen is reloaded with the network down, still shows the kiosk with the
offline message in the QR area, queues an *Ik ben er* tap, and that tap is counted once
when the network returns.

`context.set_offline(True)` in Chromium also cuts the service worker's own fetches (the
worker's network-first fetch of the screen fails, so it answers from its cache); the test
checks that in the server's request log: nothing of the kiosk reached it while offline.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from booking.extensions import db
from booking.models import House, VisitorCard
from booking.services import visitor_cards
from tests.browser.conftest import assert_accessible
from tests.browser.test_cards import card_visits
from tests.browser.test_kiosk import HOUSE, pair_tablet, visits
from tests.conftest import open_around_the_clock

OFFLINE_MESSAGE = "Inchecken met uw telefoon kan weer zodra het netwerk terug is"


@pytest.fixture(scope="module")
def card(live_app) -> Iterator[str]:
    """The code of a card printed for the house, which is open around the clock meanwhile."""
    with live_app.app_context():
        house = db.session.scalars(select(House).where(House.slug == HOUSE)).one()
        batch = visitor_cards.print_cards(house, 1, datetime.now(UTC))
        code = db.session.scalars(
            select(VisitorCard.plain_code).where(VisitorCard.batch_id == batch.id)
        ).one()
        db.session.commit()
        house_id = house.id
    with open_around_the_clock(live_app, house_id):
        yield code


@pytest.fixture(scope="module")
def tablet(browser: Browser, live_app):
    context, page = pair_tablet(browser, live_app, service_workers="allow")
    yield page
    context.close()


def wait_until_controlled(page: Page) -> None:
    """Until the worker controls the page and keeps its shell (polled: the page's CSP
    forbids the eval that `wait_for_function` needs)."""
    for _ in range(100):
        if page.evaluate(KEEPS_THE_SHELL):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never took over the kiosk screen")


KEEPS_THE_SHELL = """async () => {
    if (!navigator.serviceWorker.controller) return false;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      if (await cache.match(location.origin + '/kiosk')) return true;
    }
    return false;
}"""


def test_an_offline_reload_still_shows_the_kiosk_and_counts_a_tap_once(
    tablet: Page, live_app, axe, card: str, caplog: pytest.LogCaptureFixture
) -> None:
    """And a card read while offline, queued beside the tap, counts once too."""
    wait_until_controlled(tablet)
    expect(tablet.locator("#qr-offline")).to_be_hidden()
    before = visits(live_app)
    tablet.context.set_offline(True)
    caplog.clear()
    tablet.reload()
    expect(tablet.get_by_role("heading", name="Welkom!")).to_be_visible()
    expect(tablet.locator("#kiosk[data-ready='true']")).to_be_attached()
    expect(tablet.locator("#online")).to_have_text("Geen verbinding: tikken worden bewaard")
    expect(tablet.locator("#qr-offline")).to_contain_text(OFFLINE_MESSAGE)
    expect(tablet.locator("#qr")).to_be_hidden()
    assert_accessible(axe, tablet)

    tablet.get_by_role("button", name="Ik ben er").click()
    expect(tablet.locator("#bedankt")).to_be_visible()
    tablet.wait_for_timeout(500)
    assert visits(live_app) == before
    tablet.get_by_role("button", name="Ik heb een kaart").focus()  # a scanner types the card
    tablet.keyboard.type(f"{live_app.config['LIVE_URL']}/kaart/{card}", delay=5)
    tablet.keyboard.press("Enter")
    expect(tablet.locator("#bedankt")).to_contain_text("zodra er weer verbinding is")
    cards_before = card_visits(live_app)
    queued = tablet.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open('buurthuis-kiosk', 1);
            open.onsuccess = () => {
              const all = open.result.transaction('taps').objectStore('taps').getAll();
              all.onsuccess = () => resolve(all.result.length);
            };
        })"""
    )
    assert queued == 2  # the tap and the card
    reached = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert not [line for line in reached if "/kiosk" in line], reached  # all from the worker

    tablet.context.set_offline(False)
    expect(tablet.locator("#online")).to_have_text("Online", timeout=10_000)
    for _ in range(50):
        if visits(live_app) == before + 1:
            break
        tablet.wait_for_timeout(200)
    assert visits(live_app) == before + 1
    for _ in range(50):
        if card_visits(live_app) == cards_before + 1:
            break
        tablet.wait_for_timeout(200)
    assert card_visits(live_app) == cards_before + 1
    assert any("POST /kiosk/tik" in r.getMessage() for r in caplog.records)  # the log works
    expect(tablet.locator("#qr-offline")).to_be_hidden()
    tablet.evaluate("window.dispatchEvent(new Event('online'))")  # a replayed flush
    tablet.reload()  # and a reload online: the queue is empty, nothing counted again
    expect(tablet.locator("#kiosk[data-ready='true']")).to_be_attached()
    tablet.wait_for_timeout(1000)
    assert visits(live_app) == before + 1
    assert card_visits(live_app) == cards_before + 1


def test_a_new_kiosk_version_takes_over_and_reloads_the_idle_screen(
    tablet: Page, live_app, tmp_path
) -> None:
    """A changed kiosk.css gives a new worker; it takes over, deletes the old cache, and the
    screen reloads itself once (no one touched it for a while) with the new file."""
    wait_until_controlled(tablet)
    old_caches = set(tablet.evaluate("caches.keys()"))
    copy = tmp_path / "static"
    shutil.copytree(live_app.static_folder, copy)
    (copy / "css" / "kiosk.css").write_text(
        (copy / "css" / "kiosk.css").read_text(encoding="utf-8") + "\n/* new version */\n",
        encoding="utf-8",
    )
    original = live_app.static_folder
    live_app.static_folder = str(copy)
    try:
        tablet.evaluate("window.__sameDocument = true")
        tablet.evaluate("navigator.serviceWorker.getRegistration('/kiosk').then((r) => r.update())")
        for _ in range(60):  # the screen waits until it has been idle for 20 seconds
            if tablet.evaluate("window.__sameDocument !== true"):
                break
            tablet.wait_for_timeout(500)
        assert tablet.evaluate("window.__sameDocument !== true"), "the screen did not reload"
        expect(tablet.locator("#kiosk[data-ready='true']")).to_be_attached()
        new_caches = set(tablet.evaluate("caches.keys()"))
        assert new_caches != old_caches and len(new_caches) == len(old_caches)
        css = tablet.evaluate("fetch('/static/css/kiosk.css').then((r) => r.text())")
        assert "/* new version */" in css  # from the new cache
    finally:
        live_app.static_folder = original
