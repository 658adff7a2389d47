"""A beheerder books a weekly series for a resident who phoned: the per-date outcome
first, then every date booked for the resident, the printable list of dates, and the
staff member's own bookings saying for whom (front desk)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in

HOUSE = "de-berchplaets"
BEHEERDER = f"beheer.{HOUSE}@buurthuis.example"
WEEKS = 4


def _first_weekday(days_ahead: int) -> date:
    day = date.today() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _answer(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_beheerder_books_a_weekly_series_for_a_resident(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, BEHEERDER)
    page.goto(f"{live_server}/beheer/{HOUSE}/boeken-voor-bewoner")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boeken voor een bewoner")

    first = _first_weekday(12)
    page.get_by_label("Naam van de bewoner").fill("Meneer Bakker")
    page.get_by_label("Telefoonnummer (niet verplicht)").fill("0412 654321")
    page.get_by_label("Ruimte").select_option(label="Vergaderkamer (12 personen)")
    page.get_by_label("Datum", exact=True).fill(first.isoformat())
    page.get_by_label("Begintijd").fill("15:30")
    page.get_by_label("Eindtijd").fill("16:30")
    page.get_by_label("Herhalen", exact=True).select_option(label="Elke week, of elke paar weken")
    page.get_by_label("Herhalen tot en met").fill((first + timedelta(weeks=WEEKS - 1)).isoformat())
    page.get_by_label("Naam van de activiteit").fill("Schaakmiddag")
    page.get_by_label("Wie organiseert de activiteit?").select_option("bewoners")
    _answer(page, "Mag iedere bewoner meedoen?", "Ja")
    _answer(page, "Moeten deelnemers lid zijn?", "Nee")
    page.get_by_label("Eigen bijdrage per deelnemer (in euro, 0 als het gratis is)").fill("0")
    _answer(page, "Wordt er winst gemaakt?", "Nee")
    _answer(page, "Krijgt u subsidie voor deze activiteit?", "Nee")
    _answer(page, "Gaat het vooral om elkaar ontmoeten en meedoen?", "Ja")
    _answer(
        page,
        "Geeft u iets terug, zoals stageplekken of een gratis inloop met koffie en thee?",
        "Nee",
    )
    page.get_by_role("button", name="Bereken prijs en voorrang").click()

    # What the calendar says on each of the four dates, before anything is booked.
    quote = page.locator("#quote")
    expect(quote).to_contain_text("T1 bewonersinitiatief (gratis)")
    expect(quote).to_contain_text("Wat de agenda zegt")
    expect(quote.locator("ol.outcomes > li")).to_have_count(WEEKS)
    expect(quote).to_contain_text(re.compile(rf"\d van de {WEEKS} datums worden geboekt"))
    expect(page.get_by_label("Naam van de bewoner")).to_have_value("Meneer Bakker")
    assert_accessible(axe, page)
    bookable = int(re.search(r"(\d) van de", quote.inner_text()).group(1))
    assert bookable >= 1
    page.get_by_role("button", name="Bevestig de boeking").click()

    # The printable confirmation lists every booked date of the series.
    expect(page).to_have_url(re.compile(rf"/beheer/{HOUSE}/boekingen/\d+/bevestiging$"))
    expect(page.locator(".flash-success")).to_contain_text("Reeks geboekt voor Meneer Bakker")
    card = page.locator(".confirmation")
    expect(card).to_contain_text("Voor Meneer Bakker")
    expect(card).to_contain_text("Alle datums van de reeks")
    expect(card.locator(".confirmation-dates li")).to_have_count(bookable)
    expect(card).to_contain_text("15:30–16:30")
    assert_accessible(axe, page)

    # The staff member's own bookings say for whom, with the phone.
    page.goto(f"{live_server}/mijn-boekingen")
    rows = page.get_by_role("row").filter(has_text="Schaakmiddag")
    expect(rows).to_have_count(bookable)
    expect(rows.first).to_contain_text("namens Meneer Bakker")
    expect(rows.first).to_contain_text("0412654321")
    assert_accessible(axe, page)
    rows.first.get_by_role("link").first.click()
    expect(page.locator("dl").first).to_contain_text("Meneer Bakker")
    assert_accessible(axe, page)
