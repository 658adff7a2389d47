"""axe-core on the staff pages: beheer, agenda links, the mail viewer, and a booking decision
made in the browser by a demo beheerder."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

HOUSE = "de-berchplaets"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"
BEHEER_PAGES = [
    "",
    "/boekingen",
    "/boekingen?weergave=dag",
    "/ruimtes",
    "/instellingen",
    "/openingstijden",
    "/sluitingen",
    "/voorrangsblokken",
    "/logboek",
]


@pytest.mark.parametrize("path", BEHEER_PAGES)
def test_beheer_pages_are_accessible(page: Page, live_server: str, axe, path: str) -> None:
    log_in(page, live_server, BEHEERDER)
    response = page.goto(f"{live_server}/beheer/{HOUSE}{path}")
    assert response.status == 200
    assert_accessible(axe, page)


def test_room_edit_and_booking_detail_are_accessible(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/beheer/{HOUSE}/ruimtes")
    page.get_by_role("link", name=re.compile(r"^Wijzigen.*Zaal$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zaal")
    assert_accessible(axe, page)
    page.goto(f"{live_server}/beheer/{HOUSE}/boekingen")
    first = page.locator("a[href*='/boekingen/']").first
    if first.count():
        first.click()
        assert_accessible(axe, page)


def test_agenda_links_and_mail_viewer_are_accessible(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/agenda-links")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(axe, page)
    page.goto(f"{live_server}/post")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(axe, page)
    mail = page.locator("a[href^='/post/']").first
    if mail.count():
        mail.click()
        assert_accessible(axe, page)


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("gemeente@buurthuis.example", "/bereik/"),
        ("gemeente@buurthuis.example", "/bereik/rendement"),
        (BEHEERDER, f"/bereik/{HOUSE}"),
        (BEHEERDER, f"/bereik/{HOUSE}/rendement"),
        ("gastheer@buurthuis.example", "/bereik/wijkhuis-de-haard"),
    ],
)
def test_statistics_pages_are_accessible(
    page: Page, live_server: str, axe, email: str, path: str
) -> None:
    log_in(page, live_server, email)
    response = page.goto(f"{live_server}{path}")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(axe, page)
