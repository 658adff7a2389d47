"""The house calendar in Chromium: a beheerder sees the Christmas closure on the week,
reaches a free half hour by keyboard and lands on a prefilled booking form; the day and
week views and the room page are axe-clean, and the week prints without navigation."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from booking.demo.closures import christmas_closure
from booking.rules.slots import AMSTERDAM
from tests.browser.conftest import assert_accessible, log_in

HOUSE = "de-berchplaets"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"


def christmas_eve() -> str:
    starts, _ends = christmas_closure(datetime.now(AMSTERDAM).date())
    return starts.astimezone(AMSTERDAM).date().isoformat()


def test_a_beheerder_sees_the_closure_and_books_a_free_slot_by_keyboard(
    page: Page, live_server: str, axe
) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/beheer/{HOUSE}")
    page.get_by_role("link", name="Agenda", exact=True).click()
    page.wait_for_url(re.compile(r"/agenda/week$"))
    page.goto(f"{live_server}/beheer/{HOUSE}/agenda/week?dag={christmas_eve()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda De Berchplaets")
    expect(page.get_by_text("gesloten: kerstvakantie").first).to_be_visible()
    assert_accessible(axe, page)

    page.locator("h1").click()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('cal-free')"):
            break
    else:
        raise AssertionError("no free slot reachable by keyboard")
    box = page.evaluate(
        "(() => { const r = document.activeElement.getBoundingClientRect();"
        " return [r.width, r.height]; })()"
    )
    assert box[0] >= 44 and box[1] >= 44, box
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/ruimtes/\d+/boeken\?start="))
    expect(page.get_by_label("Datum")).not_to_have_value("")
    expect(page.get_by_label("Begintijd")).not_to_have_value("")
    expect(page.get_by_label("Eindtijd")).not_to_have_value("")


def test_the_day_view_and_the_room_page_are_accessible_and_print(
    page: Page, live_server: str, axe
) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/beheer/{HOUSE}/agenda?dag={christmas_eve()}")
    expect(page.get_by_role("table")).to_contain_text("gesloten: kerstvakantie")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Volgende dag").click()
    expect(page).to_have_url(re.compile(r"/agenda\?dag=\d{4}-\d{2}-\d{2}$"))
    page.get_by_role("link", name="Vandaag").click()
    expect(page.get_by_text("(vandaag)")).to_be_visible()
    assert_accessible(axe, page)

    page.emulate_media(media="print")
    expect(page.locator("header.site-header")).to_be_hidden()
    expect(page.locator("nav.subnav")).to_be_hidden()
    expect(page.locator("table.cal-day")).to_be_visible()
    assert page.pdf(format="A4", landscape=True, prefer_css_page_size=True).startswith(b"%PDF")
    page.emulate_media(media="screen")

    monday = datetime.fromisoformat(christmas_eve()).date()
    monday -= timedelta(days=monday.weekday())
    page.goto(f"{live_server}/beheer/{HOUSE}/agenda/week?dag={christmas_eve()}")
    free = page.locator("a.cal-free").first.get_attribute("href") or ""
    room_id = re.search(r"/ruimtes/(\d+)/", free)
    assert room_id, free
    page.goto(f"{live_server}/ruimtes/{room_id.group(1)}?week={monday.isoformat()}")
    expect(page.locator("table.week-grid")).to_contain_text("gesloten: kerstvakantie")
    assert_accessible(axe, page)
