"""The day sheet in Chromium: one click from the dashboard, accessible, clean on paper."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

HOUSE = "de-berchplaets"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"


def test_a_beheerder_goes_from_the_dashboard_to_todays_day_sheet_in_one_click(
    page: Page, live_server: str, axe
) -> None:
    log_in(page, live_server, BEHEERDER)
    page.get_by_role("link", name=re.compile(r"^Dagstaat van vandaag\s+De Berchplaets$")).click()
    page.wait_for_url(f"{live_server}/beheer/{HOUSE}/dagstaat")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dagstaat De Berchplaets")
    expect(page.get_by_text("(vandaag)")).to_be_visible()
    expect(page.get_by_role("heading", name="Activiteiten")).to_be_visible()
    assert_accessible(axe, page)

    header = page.locator("header.site-header")
    subnav = page.locator("nav.subnav")
    expect(header).to_be_visible()
    expect(subnav).to_be_visible()
    page.emulate_media(media="print")
    expect(header).to_be_hidden()
    expect(subnav).to_be_hidden()
    expect(page.locator(".day-sheet-controls")).to_be_hidden()
    expect(page.locator("footer.site-footer")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert abs(float(size.removesuffix("px")) - 11 * 96 / 72) < 0.2, size
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="screen")
    expect(header).to_be_visible()


def test_the_day_sheet_of_another_day_and_its_table_are_accessible(
    page: Page, live_server: str, axe
) -> None:
    log_in(page, live_server, "beheer.wijkhuis-de-haard@buurthuis.example")
    page.goto(f"{live_server}/beheer/wijkhuis-de-haard/dagstaat")
    page.get_by_role("link", name="Vorige dag").click()
    expect(page).to_have_url(re.compile(r"/dagstaat\?dag=\d{4}-\d{2}-\d{2}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dagstaat")
    assert_accessible(axe, page)
    for _ in range(7):  # a week back always holds some of the demo's weekly programme
        if page.locator("table.day-sheet-table").count():
            break
        page.get_by_role("link", name="Vorige dag").click()
    table = page.locator("table.day-sheet-table")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Telefoon")).to_be_visible()
    assert_accessible(axe, page)
