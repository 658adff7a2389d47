"""Confirmation before destructive actions, in Chromium: a resident cancels a booking with
JavaScript switched off through the "Weet u het zeker?" page; axe-core on the confirmation
pages, the dashboard with requests waiting, and the request-mail choice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from booking.errors import RuleViolation, SlotTaken
from booking.extensions import db
from booking.models import Booking, House, Room, User
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import bookings
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import activity

HOUSE = "de-berchplaets"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"
RESIDENT = "bewoner@buurthuis.example"


def a_booking(live_app: Any, title: str, *, status: str | None = None) -> int:
    """A fresh booking of the resident in the house, on the first free evening hour."""
    with live_app.app_context():
        organiser = db.session.scalar(select(User).where(User.email == RESIDENT))
        house = db.session.scalar(select(House).where(House.slug == HOUSE))
        rooms = list(db.session.scalars(select(Room).where(Room.house_id == house.id)))
        today = datetime.now(AMSTERDAM).date()
        for ahead in range(30, 90):
            for room in rooms:
                day = today + timedelta(days=ahead)
                start = local_to_utc(datetime.combine(day, time(19)))
                try:
                    made = bookings.create_booking(
                        organiser,
                        room.id,
                        start,
                        start + timedelta(hours=1),
                        title,
                        False,
                        activity(),
                        now=datetime.now(UTC),
                    )
                except (SlotTaken, RuleViolation):
                    db.session.rollback()
                    continue
                if status:
                    made.booking.status = status
                db.session.commit()
                return made.booking.id
    raise AssertionError("no free evening found for a test booking")


def status_of(live_app: Any, booking_id: int) -> str:
    with live_app.app_context():
        return str(db.session.get(Booking, booking_id).status)


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=False, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    page = context.new_page()
    yield page
    context.close()


def test_cancelling_without_javascript_goes_through_the_confirmation(
    no_js_page: Page, live_server: str, live_app: Any
) -> None:
    page = no_js_page
    booking_id = a_booking(live_app, "Proefavond zonder script")
    log_in(page, live_server, RESIDENT)
    page.goto(f"{live_server}/mijn-boekingen/{booking_id}")
    page.get_by_role("link", name="Annuleer deze boeking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
    expect(page.get_by_text("Proefavond zonder script")).to_be_visible()
    assert status_of(live_app, booking_id) == "bevestigd"  # only asked so far
    page.get_by_role("button", name="Ja, annuleer").click()
    expect(page.get_by_text("De boeking is geannuleerd.")).to_be_visible()
    assert status_of(live_app, booking_id) == "geannuleerd"
    page.goto(f"{live_server}/mijn-boekingen/{booking_id}")
    expect(page.get_by_text("geen kosten")).to_be_visible()


def test_the_way_back_changes_nothing(page: Page, live_server: str, live_app: Any, axe) -> None:
    booking_id = a_booking(live_app, "Proefavond terug")
    log_in(page, live_server, RESIDENT)
    page.goto(f"{live_server}/mijn-boekingen/{booking_id}")
    page.get_by_role("link", name="Annuleer deze boeking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Nee, terug").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proefavond terug")
    assert status_of(live_app, booking_id) == "bevestigd"


def test_beheer_confirmation_pages_are_accessible(
    page: Page, live_server: str, live_app: Any, axe
) -> None:
    booking_id = a_booking(live_app, "Proefavond beheer")
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/beheer/{HOUSE}/boekingen/{booking_id}")
    page.get_by_label("Reden (niet verplicht; de organisator krijgt hem te zien)").fill("Lekkage")
    page.get_by_role("button", name="Annuleer deze boeking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
    expect(page.locator("textarea")).to_have_value("Lekkage")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, annuleer deze boeking").click()
    expect(
        page.get_by_text("De boeking is geannuleerd; de organisator krijgt bericht.")
    ).to_be_visible()
    assert status_of(live_app, booking_id) == "geannuleerd"
    for listing, link in (("/sluitingen", "Verwijderen"), ("/voorrangsblokken", "Verwijderen")):
        page.goto(f"{live_server}/beheer/{HOUSE}{listing}")
        button = page.get_by_role("link", name=link).first
        if button.count():
            button.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
            assert_accessible(axe, page)
    page.goto(f"{live_server}/kiosk/beheer/{HOUSE}")
    unpair = page.get_by_role("link", name="Ontkoppelen").first
    if unpair.count():
        unpair.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
        assert_accessible(axe, page)


def test_dashboard_with_waiting_requests_and_the_mail_choice_are_accessible(
    page: Page, live_server: str, live_app: Any, axe
) -> None:
    a_booking(live_app, "Wachtende aanvraag", status="aangevraagd")
    log_in(page, live_server, BEHEERDER)
    expect(page.get_by_role("heading", name="Wacht op uw beslissing")).to_be_visible()
    expect(page.get_by_role("link", name="Beslis over Wachtende aanvraag")).to_be_visible()
    assert_accessible(axe, page)
    page.goto(f"{live_server}/account/aanvraagmail")
    assert_accessible(axe, page)
    page.get_by_label("Eén keer per dag een overzicht").check()
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Uw keuze is bewaard.")).to_be_visible()
    expect(page.get_by_label("Eén keer per dag een overzicht")).to_be_checked()
    page.get_by_label("Direct, één e-mail per aanvraag").check()
    page.get_by_role("button", name="Bewaren").click()
