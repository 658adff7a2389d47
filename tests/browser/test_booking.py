"""Booking in Chromium: a resident books a huiskamer for free; a company's provisional
booking gives way and the company sees why; the same booking by keyboard alone; axe-core
on every booking page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from booking.rules.slots import AMSTERDAM
from booking.rules.tariff import Activity
from tests.browser.conftest import assert_accessible, log_in

RESIDENT = "bewoner@buurthuis.example"
COMPANY = "bedrijf@buurthuis.example"


def day(ahead: int) -> str:
    return (datetime.now(AMSTERDAM) + timedelta(days=ahead)).date().isoformat()


def open_booking_form(page: Page, base: str, house: str, room: str) -> None:
    page.goto(f"{base}/huizen/{house}")
    page.get_by_role("link", name=room, exact=True).click()
    page.get_by_role("link", name="Deze ruimte boeken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boeken")


def answer(page: Page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def answer_activity(page: Page, activity: Activity) -> None:
    """Answer the questionnaire the way `activity` says (a demo Activity such as CHOIR)."""

    def yes(value: bool) -> str:
        return "Ja" if value else "Nee"

    page.get_by_label("Wie organiseert de activiteit?").select_option(activity.organiser_kind.value)
    answer(page, "Mag iedere bewoner meedoen?", yes(activity.open_to_all))
    answer(page, "Moeten deelnemers lid zijn?", yes(activity.membership_required))
    whole, cents = divmod(activity.contribution_cents, 100)
    page.get_by_label("Eigen bijdrage per deelnemer (in euro, 0 als het gratis is)").fill(
        f"{whole},{cents:02d}"
    )
    answer(page, "Wordt er winst gemaakt?", yes(activity.profit_making))
    answer(page, "Krijgt u subsidie voor deze activiteit?", yes(activity.subsidised))
    answer(page, "Gaat het vooral om elkaar ontmoeten en meedoen?", yes(activity.mainly_meeting))
    answer(
        page,
        "Geeft u iets terug, zoals stageplekken of een gratis inloop met koffie en thee?",
        yes(activity.gives_in_return),
    )


def fill_booking(
    page: Page, when: str, start: str, end: str, title: str, kind: str, commercial: bool = False
) -> None:
    page.get_by_label("Datum").fill(when)
    page.get_by_label("Begintijd").fill(start)
    page.get_by_label("Eindtijd").fill(end)
    page.get_by_label("Naam van de activiteit").fill(title)
    page.get_by_label("Wie organiseert de activiteit?").select_option(kind)
    answer(page, "Mag iedere bewoner meedoen?", "Nee" if commercial else "Ja")
    answer(page, "Moeten deelnemers lid zijn?", "Nee")
    page.get_by_label("Eigen bijdrage per deelnemer (in euro, 0 als het gratis is)").fill(
        "0" if commercial else "1,00"
    )
    answer(page, "Wordt er winst gemaakt?", "Ja" if commercial else "Nee")
    answer(page, "Krijgt u subsidie voor deze activiteit?", "Nee")
    answer(page, "Gaat het vooral om elkaar ontmoeten en meedoen?", "Nee" if commercial else "Ja")
    answer(
        page,
        "Geeft u iets terug, zoals stageplekken of een gratis inloop met koffie en thee?",
        "Nee",
    )


def quote_and_confirm(page: Page, axe=None) -> None:
    page.get_by_role("button", name="Bereken prijs en voorrang").click()
    expect(page.locator("#quote")).to_contain_text("Waarom:")
    if axe:
        assert_accessible(axe, page)
    page.get_by_role("button", name="Bevestig de boeking").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_resident_books_the_huiskamer_for_free(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, RESIDENT)
    open_booking_form(page, live_server, "de-meteoor", "Ontmoetingsruimte")
    assert_accessible(axe, page)
    fill_booking(page, day(20), "14:00", "16:00", "Koffie-uurtje De Meteoor", "bewoners")
    page.get_by_role("button", name="Bereken prijs en voorrang").click()
    quote = page.locator("#quote")
    expect(quote).to_contain_text("T1 bewonersinitiatief (gratis)")
    expect(quote).to_contain_text("Voorrangsklasse 1")
    expect(quote).to_contain_text("€ 0,00")
    expect(quote).to_contain_text("niet gesubsidieerd")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Bevestig de boeking").click()
    expect(page.get_by_role("status").first).to_contain_text("Geboekt: Koffie-uurtje De Meteoor")
    expect(page.get_by_text("bevestigd", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Mijn boekingen", exact=True).click()
    expect(page.get_by_role("cell", name="Koffie-uurtje De Meteoor")).to_be_visible()
    assert_accessible(axe, page)


def test_company_is_displaced_and_sees_why(page: Page, live_server: str) -> None:
    log_in(page, live_server, COMPANY)
    open_booking_form(page, live_server, "de-meteoor", "Zaal")
    fill_booking(page, day(45), "10:00", "12:00", "Productdemo", "commercieel", commercial=True)
    page.get_by_role("button", name="Bereken prijs en voorrang").click()
    expect(page.locator("#quote")).to_contain_text("onder voorbehoud")
    page.get_by_role("button", name="Bevestig de boeking").click()
    expect(page.get_by_text("onder voorbehoud", exact=True)).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, live_server, RESIDENT)
    open_booking_form(page, live_server, "de-meteoor", "Zaal")
    fill_booking(page, day(45), "11:00", "13:00", "Buurtlunch", "bewoners")
    quote_and_confirm(page)
    expect(page.get_by_text("bevestigd", exact=True)).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, live_server, COMPANY)
    page.get_by_role("link", name="Mijn boekingen", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Productdemo")
    expect(row).to_contain_text("verdrongen")
    expect(row).to_contain_text("Verdrongen door een activiteit met voorrang")


def tab_to(page: Page, target, limit: int = 80) -> None:
    """Press Tab until the target has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("could not reach the element with the Tab key")


def keyboard_formats(page: Page) -> tuple[str, str]:
    """How this Chromium's date and time widgets take typed digits (its locale decides).

    Returns a strftime pattern for dates and a suffix to type after a morning time ('' in a
    24-hour widget, 'A' in a 12-hour one)."""
    page.set_content(
        '<input type="date" id="d" aria-label="d"><input type="time" id="t" aria-label="t">'
    )
    page.focus("#d")
    page.keyboard.type("01022026")
    date_pattern = "%d%m%Y" if page.input_value("#d") == "2026-02-01" else "%m%d%Y"
    page.focus("#t")
    page.keyboard.type("1000")
    return date_pattern, "" if page.input_value("#t") == "10:00" else "A"


def test_booking_with_the_keyboard_alone(page: Page, live_server: str) -> None:
    date_pattern, morning = keyboard_formats(page)
    log_in(page, live_server, RESIDENT)
    page.goto(f"{live_server}/huizen/hart-van-oijen")
    tab_to(page, page.get_by_role("link", name="Huiskamer", exact=True))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Deze ruimte boeken"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/boeken$"))
    when = datetime.fromisoformat(day(22))
    tab_to(page, page.get_by_label("Datum"))
    page.keyboard.type(when.strftime(date_pattern))
    tab_to(page, page.get_by_label("Begintijd"))
    page.keyboard.type("1000" + morning)
    tab_to(page, page.get_by_label("Eindtijd"))
    page.keyboard.type("1130" + morning)
    tab_to(page, page.get_by_label("Naam van de activiteit"))
    page.keyboard.type("Breiclub Oijen")
    tab_to(page, page.get_by_label("Wie organiseert de activiteit?"))
    page.keyboard.press("Home")
    for question, choice in [
        ("Mag iedere bewoner meedoen?", "Ja"),
        ("Moeten deelnemers lid zijn?", "Nee"),
        ("Wordt er winst gemaakt?", "Nee"),
        ("Krijgt u subsidie voor deze activiteit?", "Nee"),
        ("Gaat het vooral om elkaar ontmoeten en meedoen?", "Ja"),
        ("Geeft u iets terug, zoals stageplekken of een gratis inloop met koffie en thee?", "Nee"),
    ]:
        radio = page.get_by_role("group", name=question).get_by_label(choice, exact=True)
        tab_to(page, page.get_by_role("group", name=question).get_by_label("Ja", exact=True))
        if choice == "Nee":
            page.keyboard.press("ArrowRight")
        else:
            page.keyboard.press("Space")
        expect(radio).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Bereken prijs en voorrang"))
    page.keyboard.press("Enter")
    expect(page.locator("#quote")).to_contain_text("T1 bewonersinitiatief (gratis)")
    tab_to(page, page.get_by_role("button", name="Bevestig de boeking"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Geboekt: Breiclub Oijen")


def test_search_and_week_pages_are_accessible(page: Page, live_server: str, axe) -> None:
    page.goto(f"{live_server}/ruimtes")
    assert_accessible(axe, page)
    page.get_by_label("Datum").fill(day(9))
    page.get_by_label("Van").fill("10:00")
    page.get_by_label("Tot").fill("12:00")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("status").first).to_contain_text("gevonden")
    assert_accessible(axe, page)
    page.goto(f"{live_server}/huizen/mfa-de-snoeck")
    page.get_by_role("link", name="Lithse Huiskamer", exact=True).click()
    expect(page.get_by_role("table")).to_contain_text("Lithse Huiskamer")
    assert_accessible(axe, page)


def test_booking_form_errors_are_accessible(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, RESIDENT)
    open_booking_form(page, live_server, "de-meteoor", "Ontmoetingsruimte")
    page.get_by_role("button", name="Bereken prijs en voorrang").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(axe, page)
