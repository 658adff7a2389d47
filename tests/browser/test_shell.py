"""The UI shell in Chromium: a demo beheerder logs in and finds the Dutch dashboard;
every page so far is free of serious axe-core violations; the keyboard path works."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

BEHEERDER = "beheer.de-berchplaets@buurthuis.example"
PUBLIC_PAGES = [
    "/",
    "/huizen/de-berchplaets",
    "/login",
    "/registreren",
    "/wachtwoord-vergeten",
    "/privacy",
    "/bestaat-niet",
]


def test_beheerder_logs_in_and_sees_the_dutch_dashboard(page: Page, live_server: str) -> None:
    log_in(page, live_server, BEHEERDER)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    expect(page.get_by_role("heading", name="Mijn huizen")).to_be_visible()
    expect(page.get_by_role("link", name="De Berchplaets", exact=True)).to_be_visible()
    page.get_by_role("link", name="De Berchplaets", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beheer: De Berchplaets")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(page: Page, live_server: str, axe, path: str) -> None:
    page.goto(live_server + path)
    assert_accessible(axe, page)


@pytest.mark.parametrize(
    "email", [BEHEERDER, "gemeente@buurthuis.example", "bewoner@buurthuis.example"]
)
def test_logged_in_pages_are_accessible(page: Page, live_server: str, axe, email: str) -> None:
    log_in(page, live_server, email)
    assert_accessible(axe, page)
    if email != "bewoner@buurthuis.example":
        page.goto(f"{live_server}/beheer/de-berchplaets")
        assert_accessible(axe, page)


def test_failed_login_form_is_accessible(page: Page, live_server: str, axe) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(axe, page)


def test_login_with_the_keyboard_alone(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_label("E-mailadres").focus()
    page.keyboard.type(BEHEERDER)
    page.keyboard.press("Tab")
    page.keyboard.type("buurthuis-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/dashboard$"))
    expect(page.get_by_role("heading", name="Mijn huizen")).to_be_visible()


def test_language_switch_to_english(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Kies").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
