"""Changing a booking in Chromium, by keyboard alone: a resident moves their own booking to
another time, sees the outcome before confirming, and their agenda-link shows the new time
with a higher SEQUENCE (so calendar apps update the event). axe-core on the change page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_booking import (
    RESIDENT,
    day,
    fill_booking,
    keyboard_formats,
    open_booking_form,
    quote_and_confirm,
    tab_to,
)

TITLE = "Verhuisde koffieochtend"


def event_of(page: Page, feed_url: str, title: str) -> str:
    calendar = page.request.get(feed_url).text().replace("\r\n ", "")
    events = calendar.split("BEGIN:VEVENT")[1:]
    found = [e for e in events if f"SUMMARY:{title}" in e]
    assert len(found) == 1, calendar
    return found[0]


def field(event: str, name: str) -> str:
    match = re.search(rf"^{name}[;:](.*)$", event, re.MULTILINE)
    assert match, event
    return match.group(1).strip()


def test_resident_moves_their_booking_with_the_keyboard(page: Page, live_server: str, axe) -> None:
    _, morning = keyboard_formats(page)
    log_in(page, live_server, RESIDENT)
    open_booking_form(page, live_server, "de-meteoor", "Ontmoetingsruimte")
    fill_booking(page, day(26), "10:00", "11:00", TITLE, "bewoners")
    quote_and_confirm(page)
    booking_url = page.url
    page.goto(f"{live_server}/agenda-links")
    page.get_by_role("button", name="Maak agenda-link").click()
    feed_url = page.locator("#nieuwe-link-https").input_value()
    before = event_of(page, feed_url, TITLE)

    page.goto(booking_url)
    tab_to(page, page.get_by_role("link", name="Wijzigen", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boeking wijzigen")
    expect(page.get_by_label("Naam van de activiteit")).to_have_value(TITLE)
    assert_accessible(axe, page)
    tab_to(page, page.get_by_label("Begintijd"))
    page.keyboard.type("1030" + morning)
    tab_to(page, page.get_by_label("Eindtijd"))
    page.keyboard.type("1145" + morning)  # a morning: "12" would be midnight in a 12-hour widget
    expect(page.get_by_label("Begintijd")).to_have_value("10:30")
    expect(page.get_by_label("Eindtijd")).to_have_value("11:45")
    tab_to(page, page.get_by_role("button", name="Bekijk de wijziging"))
    page.keyboard.press("Enter")
    expect(page.locator("#quote")).to_contain_text("10:30")
    expect(page.locator("#quote")).to_contain_text("bevestigd")
    assert_accessible(axe, page)
    tab_to(page, page.get_by_role("button", name="Bevestig de wijziging"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("De boeking is gewijzigd")
    expect(page.locator(".quote-facts")).to_contain_text("10:30")

    after = event_of(page, feed_url, TITLE)
    assert field(after, "UID") == field(before, "UID")
    assert int(field(after, "SEQUENCE")) == int(field(before, "SEQUENCE")) + 1
    assert field(after, "DTSTART") != field(before, "DTSTART")
    assert field(after, "DTEND") != field(before, "DTEND")
