"""axe-core on the public page "Hoe we tellen" and on a house's statistics with the visitor
figures (issue 14 part 6), followed from the statistics page as a beheerder would."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

HOUSE = "de-berchplaets"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"


def test_how_we_count_is_public_and_accessible(page: Page, live_server: str, axe) -> None:
    response = page.goto(f"{live_server}/hoe-we-tellen")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe we tellen")
    expect(page.get_by_text("Een terugkerende bezoeker", exact=True)).to_be_visible()
    assert_accessible(axe, page)


def test_statistics_page_shows_visitors_and_links_the_method(
    page: Page, live_server: str, axe
) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/bereik/{HOUSE}")
    core = page.locator("table", has=page.locator("caption", has_text="Kerncijfers"))
    card_row = core.get_by_role("row", name="Unieke bezoekers met een bezoekerskaart")
    expect(card_row).to_contain_text("geteld")
    expect(core.get_by_role("row", name="Voor het eerst hier")).to_contain_text("zelf opgegeven")
    expect(core.get_by_role("row", name="Terugkerende bezoekers samen")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Hoe we tellen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe we tellen")
