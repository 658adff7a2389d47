"""The public agenda in Chromium: an anonymous visitor reads De Berchplaets' week, filters
"wat is er te doen" without JavaScript, and every agenda page is free of serious axe-core
violations; a beheerder finds the snippet to embed the agenda."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, log_in

HOUSE = "de-berchplaets"
BEHEERDER = "beheer.de-berchplaets@buurthuis.example"


def test_anonymous_visitor_sees_this_weeks_agenda(page: Page, live_server: str, axe) -> None:
    page.goto(f"{live_server}/huizen/{HOUSE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("De Berchplaets")
    agenda = page.locator("section[aria-labelledby=agenda-kop]")
    expect(agenda.get_by_role("heading", name="Wat is er te doen")).to_be_visible()
    expect(agenda.locator(".agenda-item").first).to_be_visible()
    expect(agenda.get_by_text("Koffieochtend").first).to_be_visible()
    # The demo's choir rehearsal is a private booking: never on the public agenda.
    expect(page.get_by_text("Repetitie", exact=False)).to_have_count(0)
    expect(page.get_by_text("info@deberchplaets.example")).to_be_visible()
    expect(page.get_by_text("0412 123 456")).to_be_visible()
    expect(page.get_by_text("ma t/m vr 10.00–12.00", exact=False).first).to_be_visible()
    events = [
        json.loads(raw)
        for raw in page.locator("script[type='application/ld+json']").all_text_contents()
    ]
    assert events and all(e["@type"] == "Event" for e in events)
    assert_accessible(axe, page)


def test_filter_works_without_javascript(browser: Browser, live_server: str) -> None:
    context = browser.new_context(
        java_script_enabled=False, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server}/huizen/{HOUSE}")
        page.get_by_role("link", name="Wat is er te doen").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Wat is er te doen")
        page.get_by_label("Soort").select_option("huiskamer")
        page.get_by_label("Wijk of kern").select_option(label="Berghem (kern)")
        page.get_by_role("button", name="Toon").click()
        expect(page).to_have_url(re.compile(r"soort=huiskamer"))
        places = page.locator(".agenda-place")
        expect(places.first).to_be_visible()
        for text in places.all_text_contents():
            assert "In de huiskamer" in text and "De Berchplaets" in text, text
        expect(page.get_by_label("Soort")).to_have_value("huiskamer")
    finally:
        context.close()


def test_whats_on_pages_are_accessible(page: Page, live_server: str, axe) -> None:
    """axe needs JavaScript, so the filtered and refused pages are checked here."""
    for query in ("", "?soort=huiskamer", "?soort=feest"):
        page.goto(f"{live_server}/wat-is-er-te-doen{query}")
        assert_accessible(axe, page)
    expect(page.get_by_role("alert")).to_contain_text("Kies als soort")


def test_embed_is_chrome_free_and_accessible(page: Page, live_server: str, axe) -> None:
    response = page.goto(f"{live_server}/huizen/{HOUSE}/agenda-embed")
    assert response is not None and "X-Frame-Options" not in {k.title() for k in response.headers}
    expect(page.locator(".site-header")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda van De Berchplaets")
    expect(page.get_by_text("Koffieochtend").first).to_be_visible()
    assert_accessible(axe, page)


def test_beheerder_finds_the_embed_snippet(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/beheer/{HOUSE}")
    snippet = page.get_by_label("Code om de agenda in uw website op te nemen (iframe)")
    expect(snippet).to_have_value(
        re.compile(r'<iframe src="[^"]+/huizen/de-berchplaets/agenda-embed"')
    )
    assert_accessible(axe, page)
