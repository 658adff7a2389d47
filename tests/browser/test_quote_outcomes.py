"""Quotes that see the calendar, in Chromium: a resident quotes a weekly series and sees
each date's outcome (one date displaces a company's provisional booking) before
confirming; the page is axe-clean, with the live (JavaScript) quote and without."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_booking import (
    COMPANY,
    RESIDENT,
    day,
    fill_booking,
    open_booking_form,
    quote_and_confirm,
)

FIRST = 70
START, END = "20:30", "22:00"


def test_resident_sees_each_date_of_a_weekly_series(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, COMPANY)
    open_booking_form(page, live_server, "de-meteoor", "Zaal")
    fill_booking(page, day(FIRST + 7), START, END, "Avondcursus verkoop", "commercieel", True)
    quote_and_confirm(page)
    expect(page.get_by_text("onder voorbehoud", exact=True)).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, live_server, RESIDENT)
    open_booking_form(page, live_server, "de-meteoor", "Zaal")
    fill_booking(page, day(FIRST), START, END, "Buurtkoor", "bewoners")
    page.get_by_label("Herhalen", exact=True).select_option("weekly")
    page.get_by_label("Herhalen tot en met").fill(day(FIRST + 21))
    outcomes = page.locator("#quote ol.outcomes > li")
    # The live quote (static/js/quote.js) already lists the dates …
    expect(outcomes).to_have_count(4)
    expect(outcomes.nth(1)).to_contain_text("verdringt 1")
    expect(outcomes.nth(1)).to_contain_text("een besloten activiteit")  # not public
    assert_accessible(axe, page)
    # … and so does the page the server renders.
    page.get_by_role("button", name="Bereken prijs en voorrang").click()
    expect(outcomes).to_have_count(4)
    for n in (0, 2, 3):
        expect(outcomes.nth(n)).to_contain_text("vrij")
    expect(outcomes.nth(1)).to_contain_text("Verdringt: een besloten activiteit")
    expect(outcomes.nth(1)).to_contain_text("klasse 1")
    expect(outcomes.nth(1)).not_to_contain_text("organisator")
    expect(page.locator("#quote")).to_contain_text("4 van de 4 datums worden geboekt")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Bevestig de boeking").click()
    expect(page.get_by_role("status").first).to_contain_text("Reeks geboekt: 4 datums")
    assert_accessible(axe, page)
