"""Issue 12's "Done when", tried in Chromium as new users would, by clicking.

1. The gemeente adds a wijk with its CBS code and a house in it, and invites its beheerder;
   the beheerder accepts through the mailed link, adds the huiskamer, invites a gastvrouw and
   pairs the huiskamer's tablet; a visitor taps it; the gastvrouw accepts her invitation,
   sees the visit and counts a group on the host page.
2. A resident registers, changes her e-mail address (confirmed at the new address), books,
   learns she cannot delete her account while that booking is to come, cancels it, downloads
   her data and deletes her account; the house's booking list then shows her past booking
   as "verwijderd account", without her name, address or phone.

axe-core runs on every page the stories visit. A sweep then opens every administration
page on a phone (360 px), refused links included: no horizontal scrolling, touch targets of
44 px, no serious axe violation, no English word. My account is swept once more after the
visitor chose Arabic: Arabic is a kiosk language only (config KIOSK_LANGUAGES), so the page
must come in Dutch marked ltr, and its layout must still hold when turned right to left.

The mails are read where a development install shows them: the mail viewer (/post), as the
gemeente. The one thing not done in the browser is the resident's *past* booking (nobody can
book yesterday): a service books it with a `now` a week before. The house added here would
be a fourteenth in the shared demo, so the module runs on a server of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from booking.demo.bookings import RESIDENTS
from booking.demo.loader import DEMO_PASSWORD
from booking.errors import DomainError
from booking.extensions import db
from booking.models import Area, House, OutboxMail, User
from booking.rules.permissions import Role
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import bookings
from booking.services.my_account import email_change
from booking.services.people import invitations
from tests.browser.conftest import assert_accessible, log_in, serve_demo
from tests.browser.test_responsive import MEASURE, TARGETS
from tests.conftest import scratch_database

GEMEENTE = "gemeente@buurthuis.example"
BEHEERDER = "bram.beheer@elzenburg.example"
HOST = "gerda.gastvrouw@elzenburg.example"
PASSWORD = "een-goed-wachtwoord"
RESIDENT_OLD = "yasmina.oud@example.org"
RESIDENT_NEW = "yasmina.nieuw@example.org"
RESIDENT_PASSWORD = "yasmina-haar-wachtwoord"
RESIDENT_NAME = "Yasmina El Amrani"
RESIDENT_PHONE = "0612398765"
RESIDENT_HOUSE = "de-meteoor"  # a demo house whose beheerder reads the booking list
SWEEP_HOUSE = "wijkhuis-de-haard"  # the demo house with a gastheer, for the staff pages
PHONE = {"width": 360, "height": 740}
INVITATION = re.compile(r"https?://\S+/uitnodiging/[A-Za-z0-9_-]+")
REGISTRATION = re.compile(r"https?://\S+/registreren/[A-Za-z0-9_.-]+")
EMAIL_CHANGE = re.compile(r"https?://\S+/account/e-mailadres/[A-Za-z0-9_.-]+")


@pytest.fixture(scope="module")
def story_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The Oss demo on a database and a threaded server of this module's own."""
    folder = tmp_path_factory.mktemp("administration")
    with (
        scratch_database(database_url, "buurthuis_browser_story", folder) as url,
        serve_demo(url) as app,
    ):
        yield app


@pytest.fixture(scope="module")
def base(story_app: Flask) -> str:
    return story_app.config["LIVE_URL"]


def new_page(browser: Browser, **options: Any) -> Page:
    return browser.new_context(locale="nl-NL", **options).new_page()


def mailed_link(gemeente: Page, base: str, to: str, subject: str, pattern: re.Pattern) -> str:
    """The newest mail to `to`, opened in the mail viewer by clicking; the link in it."""
    gemeente.goto(f"{base}/post")
    row = gemeente.get_by_role("row").filter(has_text=to).first
    row.get_by_role("link", name=subject).first.click()
    found = pattern.search(gemeente.locator("pre").first.inner_text())
    assert found, f"no link in the mail to {to}"
    return found.group(0)


def status(page: Page) -> Any:
    """The flash message of the page (a status region)."""
    return page.get_by_role("status").first


def accept_invitation(page: Page, link: str, name: str, axe: Axe) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging aannemen")
    assert_accessible(axe, page)
    page.get_by_label("Uw naam").fill(name)
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken en inloggen").click()
    expect(status(page)).to_contain_text("Uw account is klaar en u bent ingelogd.")
    assert_accessible(axe, page)


def test_a_new_house_gets_its_beheerder_room_host_and_kiosk(
    browser: Browser, base: str, axe: Axe
) -> None:
    # the gemeente: a wijk with its CBS code, then the house in it
    gemeente = new_page(browser)
    log_in(gemeente, base, GEMEENTE)
    assert_accessible(axe, gemeente)
    menu = gemeente.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Gemeente").click()
    expect(gemeente.get_by_role("heading", level=1)).to_have_text("Gemeente")
    assert_accessible(axe, gemeente)
    gemeente.get_by_role("main").get_by_role("link", name="Wijken en kernen").first.click()
    expect(gemeente.get_by_role("heading", level=1)).to_have_text("Wijken en kernen")
    assert_accessible(axe, gemeente)
    gemeente.get_by_role("link", name="Wijk of kern toevoegen").click()
    assert_accessible(axe, gemeente)
    gemeente.get_by_label("Naam", exact=True).fill("Elzenburg")
    gemeente.get_by_label("wijk (van de stad)").check()
    gemeente.get_by_label("CBS-code", exact=True).fill("WK082815")
    gemeente.get_by_label("Jaar van de CBS-code").fill("2025")
    gemeente.get_by_role("button", name="Toevoegen").click()
    expect(status(gemeente)).to_contain_text("Elzenburg is toegevoegd.")
    expect(gemeente.get_by_role("row", name="Elzenburg")).to_contain_text("WK082815")
    assert_accessible(axe, gemeente)

    gemeente.get_by_role("main").get_by_role("link", name="Huizen").first.click()
    expect(gemeente.get_by_role("heading", level=1)).to_have_text("Huizen")
    assert_accessible(axe, gemeente)
    gemeente.get_by_role("link", name="Huis toevoegen").click()
    assert_accessible(axe, gemeente)
    gemeente.get_by_label("Naam van het huis").fill("Wijkhuis Elzenburg")
    gemeente.get_by_label("Wijk of kern").select_option(label="Elzenburg (wijk)")
    gemeente.get_by_label("Adres", exact=True).fill("Elzenburgplein 1, 5343 AA Oss")
    gemeente.get_by_role("button", name="Huis toevoegen").click()
    expect(status(gemeente)).to_contain_text("Huis Wijkhuis Elzenburg is toegevoegd.")
    expect(gemeente.get_by_role("heading", level=1)).to_have_text("Wijkhuis Elzenburg")
    assert_accessible(axe, gemeente)
    gemeente.get_by_role("main").get_by_role("link", name="Huizen").first.click()
    row = gemeente.get_by_role("row").filter(has_text="Wijkhuis Elzenburg")
    expect(row).to_contain_text("Elzenburg")

    # ... and invites its beheerder
    gemeente.get_by_role("main").get_by_role("link", name="Mensen en rollen").first.click()
    expect(gemeente.get_by_role("heading", level=1)).to_have_text("Mensen en rollen")
    assert_accessible(axe, gemeente)
    gemeente.get_by_role("link", name="Iemand uitnodigen").click()
    assert_accessible(axe, gemeente)
    gemeente.get_by_label("E-mailadres").fill(BEHEERDER)
    gemeente.get_by_label("Beheerder", exact=True).check()
    gemeente.get_by_label("Wijkhuis Elzenburg").check()
    gemeente.get_by_role("button", name="Uitnodiging versturen").click()
    expect(status(gemeente)).to_contain_text("De uitnodiging is verstuurd")
    assert_accessible(axe, gemeente)
    link = mailed_link(gemeente, base, BEHEERDER, "Uitnodiging voor Buurthuis", INVITATION)
    assert_accessible(axe, gemeente)

    # the beheerder: through the link, to the new house, the huiskamer, a gastvrouw
    beheerder = new_page(browser)
    accept_invitation(beheerder, link, "Bram Beheer", axe)
    beheerder.get_by_role("link", name="Wijkhuis Elzenburg", exact=True).click()
    expect(beheerder.get_by_role("heading", level=1)).to_contain_text("Wijkhuis Elzenburg")
    assert_accessible(axe, beheerder)
    beheerder.get_by_role("link", name="Ruimtes en tarieven").click()
    assert_accessible(axe, beheerder)
    beheerder.get_by_label("Naam", exact=True).fill("Huiskamer")
    beheerder.get_by_label("Aantal personen").fill("25")
    beheerder.get_by_label("Basistarief (T3) per uur in euro").fill("20")
    beheerder.get_by_label("Dit is de huiskamer van het huis").check()
    beheerder.get_by_role("button", name="Ruimte toevoegen").click()
    expect(status(beheerder)).to_contain_text("Ruimte Huiskamer is toegevoegd.")
    assert_accessible(axe, beheerder)
    beheerder.get_by_role("link", name="Medewerkers").first.click()
    expect(beheerder.get_by_role("heading", level=1)).to_contain_text("Medewerkers")
    assert_accessible(axe, beheerder)
    beheerder.get_by_label("E-mailadres").fill(HOST)
    beheerder.get_by_label("Naam (niet verplicht)").fill("Gerda")
    beheerder.get_by_label("Gastvrouw of gastheer").check()
    beheerder.get_by_role("button", name="Uitnodiging versturen").click()
    expect(status(beheerder)).to_contain_text("De uitnodiging is verstuurd")
    expect(beheerder.get_by_role("row", name=re.compile("Gerda"))).to_contain_text("uitgenodigd")
    assert_accessible(axe, beheerder)

    # ... and pairs the huiskamer's tablet by its code
    beheerder.get_by_role("link", name="Mijn overzicht").first.click()
    beheerder.get_by_role("link", name=re.compile("^Kiosken")).first.click()
    expect(beheerder.get_by_role("heading", level=1)).to_contain_text("Wijkhuis Elzenburg")
    warning = beheerder.locator("#geen-openingstijden")
    expect(warning).to_contain_text("telt de tablet niemand")
    assert_accessible(axe, beheerder)
    warning.get_by_role("link", name="Openingstijden instellen").click()
    expect(beheerder.get_by_role("heading", level=1)).to_contain_text("Openingstijden")
    assert_accessible(axe, beheerder)
    days = beheerder.locator("fieldset.opening-day")
    for n in range(7):
        day = days.nth(n)
        day.get_by_label("Gesloten").uncheck()
        day.get_by_label("Open van").fill("00:00")
        day.get_by_label("Open tot").fill("23:45")
    beheerder.get_by_role("button", name="Opslaan").click()
    expect(status(beheerder)).to_be_visible()
    assert_accessible(axe, beheerder)
    beheerder.get_by_role("link", name="Mijn overzicht").first.click()
    beheerder.get_by_role("link", name=re.compile("^Kiosken")).first.click()
    expect(beheerder.locator("#geen-openingstijden")).to_have_count(0)
    beheerder.get_by_label("Ruimte waar de tablet staat").select_option(label="Huiskamer")
    beheerder.get_by_role("button", name="Maak een koppelcode").click()
    code = beheerder.get_by_label("Koppelcode").inner_text().strip()
    assert_accessible(axe, beheerder)
    tablet = new_page(browser, viewport={"width": 1280, "height": 800})
    tablet.goto(f"{base}/kiosk")
    expect(tablet.get_by_role("heading", level=1)).to_have_text("Tablet koppelen")
    assert_accessible(axe, tablet)
    tablet.get_by_label("Koppelcode (8 tekens)").fill(code)
    tablet.get_by_role("button", name="Koppel deze tablet").click()
    expect(tablet.get_by_role("heading", name="Welkom!")).to_be_visible()
    expect(tablet.locator("#kiosk[data-ready='true']")).to_be_attached()
    assert_accessible(axe, tablet)
    tablet.get_by_role("button", name="Ik ben er").click()  # a visitor without a phone
    expect(tablet.locator("#bedankt")).to_be_visible()
    beheerder.get_by_role("link", name="Terug naar de kiosken").click()
    expect(beheerder.get_by_role("row", name=re.compile("Huiskamer"))).to_contain_text("gekoppeld")

    # the gastvrouw: through her link, to today's host page; she counts a group
    link = mailed_link(gemeente, base, HOST, "Uitnodiging voor Buurthuis", INVITATION)
    host = new_page(browser)
    accept_invitation(host, link, "Gerda de Gastvrouw", axe)
    host.get_by_role("link", name=re.compile("Gastheer vandaag")).first.click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Vandaag in Wijkhuis Elzenburg")
    expect(status(host)).to_contain_text("1 bezoeker vandaag")
    assert_accessible(axe, host)
    host.get_by_label("Aantal bezoekers").fill("4")
    host.get_by_role("button", name="Tellen").click()
    expect(host.get_by_role("status").last).to_contain_text("5 bezoekers vandaag")
    assert_accessible(axe, host)
    # ... and tells what happened, on today's reach page of her house
    host.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bereik").click()
    assert_accessible(axe, host)
    if not host.get_by_role("heading", level=1).filter(has_text="Wijkhuis Elzenburg").count():
        host.get_by_role("main").get_by_role("link", name=re.compile("Wijkhuis Elzenburg")).click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Vandaag in Wijkhuis Elzenburg")
    assert_accessible(axe, host)
    note = "Een groep van vier kwam koffie drinken na de markt."
    host.get_by_label("Wat gebeurde er? Wie vond de weg naar binnen?").fill(note)
    host.get_by_role("button", name="Notitie opslaan").click()
    expect(host.get_by_role("main")).to_contain_text(note)
    assert_accessible(axe, host)

    # the gemeente sees both people at work in the new house
    gemeente.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Gemeente"
    ).click()
    gemeente.get_by_role("main").get_by_role("link", name="Mensen en rollen").first.click()
    for name in ("Bram Beheer", "Gerda de Gastvrouw"):
        row = gemeente.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text("Wijkhuis Elzenburg")
        expect(row).not_to_contain_text("nog niet aangenomen")
    gemeente.get_by_role("link", name="Gerda de Gastvrouw").click()
    expect(gemeente.get_by_role("heading", level=1)).to_have_text("Gerda de Gastvrouw")
    assert_accessible(axe, gemeente)
    for page in (gemeente, beheerder, tablet, host):
        page.context.close()


def _past_booking(app: Flask, email: str) -> str:
    """A booking of the resident that ended days ago (nobody can book the past in the
    browser, so the service books it with `now` a week before); its local date."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.phone = RESIDENT_PHONE
        house = db.session.scalar(select(House).where(House.slug == RESIDENT_HOUSE))
        room = sorted(house.rooms, key=lambda r: r.id)[-1]
        for days_back in range(3, 40):  # the demo's history fills many evenings
            day = (datetime.now(AMSTERDAM) - timedelta(days=days_back)).date()
            start = local_to_utc(datetime.combine(day, time(21, 15)))
            try:
                bookings.create_booking(
                    user,
                    room.id,
                    start,
                    start + timedelta(minutes=45),
                    "Taalcafé op zondag",
                    False,
                    RESIDENTS,
                    now=start - timedelta(days=7),
                )
            except DomainError:
                db.session.rollback()
                user = db.session.scalar(select(User).where(User.email == email))
                continue
            db.session.commit()
            return day.isoformat()
    raise AssertionError("no free evening for the past booking")


def _book_in_the_browser(page: Page, base: str) -> None:
    """A free afternoon in three weeks, through the house's page, as a resident books."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Huizen").click()
    page.get_by_role("link", name="De Meteoor", exact=True).first.click()
    page.get_by_role("link", name="Ontmoetingsruimte", exact=True).click()
    page.get_by_role("link", name="Deze ruimte boeken").click()
    when = (datetime.now(AMSTERDAM) + timedelta(days=23)).date().isoformat()
    page.get_by_label("Datum").fill(when)
    page.get_by_label("Begintijd").fill("13:00")
    page.get_by_label("Eindtijd").fill("14:00")
    page.get_by_label("Naam van de activiteit").fill("Breiclub Yasmina")
    page.get_by_label("Wie organiseert de activiteit?").select_option("bewoners")
    for question, choice in (
        ("Mag iedere bewoner meedoen?", "Ja"),
        ("Moeten deelnemers lid zijn?", "Nee"),
        ("Wordt er winst gemaakt?", "Nee"),
        ("Krijgt u subsidie voor deze activiteit?", "Nee"),
        ("Gaat het vooral om elkaar ontmoeten en meedoen?", "Ja"),
        ("Geeft u iets terug, zoals stageplekken of een gratis inloop met koffie en thee?", "Nee"),
    ):
        page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()
    page.get_by_label("Eigen bijdrage per deelnemer (in euro, 0 als het gratis is)").fill("0")
    page.get_by_role("button", name="Bereken prijs en voorrang").click()
    page.get_by_role("button", name="Bevestig de boeking").click()
    expect(status(page)).to_contain_text("Breiclub Yasmina")


def test_a_resident_changes_her_address_downloads_her_data_and_leaves(
    browser: Browser, base: str, story_app: Flask, axe: Axe
) -> None:
    gemeente = new_page(browser)
    log_in(gemeente, base, GEMEENTE)  # reads the mail viewer

    # she registers by the mailed link
    page = new_page(browser)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Registreren").first.click()
    assert_accessible(axe, page)
    page.get_by_label("Uw naam").fill(RESIDENT_NAME)
    page.get_by_label("E-mailadres").fill(RESIDENT_OLD)
    page.get_by_role("button", name="Stuur mij de link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    link = mailed_link(
        gemeente, base, RESIDENT_OLD, "Uw account bij Buurthuis afmaken", REGISTRATION
    )
    page.goto(link)
    assert_accessible(axe, page)
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill(RESIDENT_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(RESIDENT_PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url(f"{base}/dashboard")
    day = _past_booking(story_app, RESIDENT_OLD)

    # a new e-mail address, confirmed by the link mailed to it
    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert_accessible(axe, page)
    page.get_by_label("Nieuw e-mailadres").fill(RESIDENT_NEW)
    page.get_by_label("Uw wachtwoord, ter controle").fill(RESIDENT_PASSWORD)
    page.get_by_role("button", name="Stuur de link naar het nieuwe adres").click()
    expect(page.locator(".flash").first).to_contain_text(RESIDENT_NEW)
    assert_accessible(axe, page)
    link = mailed_link(
        gemeente, base, RESIDENT_NEW, "Bevestig uw nieuwe e-mailadres voor Buurthuis", EMAIL_CHANGE
    )
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw e-mailadres bevestigen")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, gebruik dit e-mailadres").click()
    expect(page.locator(".flash").first).to_contain_text("Uw e-mailadres is gewijzigd")
    expect(page.get_by_role("main")).to_contain_text(RESIDENT_NEW)
    assert_accessible(axe, page)

    # a booking to come keeps the account: she cancels it first
    _book_in_the_browser(page, base)
    page.get_by_role("link", name="Mijn account").click()
    page.get_by_role("link", name="Mijn account verwijderen").click()
    expect(page.get_by_role("alert")).to_contain_text("Dit kan nu nog niet")
    assert_accessible(axe, page)
    page.get_by_role("alert").get_by_role("link", name="Breiclub Yasmina").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Annuleer deze boeking").click()
    expect(page.get_by_role("main")).to_contain_text("Deze boeking annuleren")
    assert_accessible(axe, page)
    page.get_by_role("button", name=re.compile("annuleer", re.IGNORECASE)).click()
    expect(status(page)).to_contain_text("geannuleerd")

    # her data, in one JSON file
    page.get_by_role("link", name="Mijn account").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    assert download.value.suggested_filename.startswith("mijn-gegevens-buurthuis-")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == RESIDENT_NEW
    assert {b["title"] for b in data["bookings"]} == {"Taalcafé op zondag", "Breiclub Yasmina"}

    # she deletes her account
    page.get_by_role("link", name="Mijn account verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account verwijderen")
    assert_accessible(axe, page)
    page.get_by_label("Uw wachtwoord").fill(RESIDENT_PASSWORD)
    page.get_by_label("Ik begrijp dat dit niet ongedaan kan worden gemaakt.").check()
    page.get_by_role("button", name="Ja, verwijder mijn account").click()
    expect(page.locator(".flash").first).to_contain_text("Uw account is verwijderd")
    assert_accessible(axe, page)
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(RESIDENT_NEW)
    page.get_by_label("Wachtwoord").fill(RESIDENT_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/login"))

    # the house's booking list: the booking stays, without her
    staff = new_page(browser)
    log_in(staff, base, f"beheer.{RESIDENT_HOUSE}@buurthuis.example")
    staff.get_by_role("main").get_by_role("link", name=re.compile(r"^Boekingen")).first.click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Boekingen")
    staff.get_by_label("Datum").first.fill(day)
    staff.get_by_role("button", name=re.compile("Toon|Tonen|Bekijk")).first.click()
    row = staff.get_by_role("row").filter(has_text="Taalcafé op zondag")
    expect(row).to_contain_text("verwijderd account")
    for trace in (RESIDENT_NAME, RESIDENT_OLD, RESIDENT_NEW, RESIDENT_PHONE, "Yasmina"):
        expect(staff.get_by_role("main")).not_to_contain_text(trace)
    assert_accessible(axe, staff)
    row.get_by_role("link").first.click()
    for trace in (RESIDENT_NAME, RESIDENT_OLD, RESIDENT_NEW, RESIDENT_PHONE):
        expect(staff.get_by_role("main")).not_to_contain_text(trace)
    expect(staff.get_by_role("main")).to_contain_text("verwijderd account")
    assert_accessible(axe, staff)
    # ... and in the invoicing export of that month
    staff.get_by_role("link", name="Overzicht", exact=True).click()
    staff.get_by_label("Maand").fill(day[:7])
    with staff.expect_download() as download:
        staff.get_by_role("button", name="Download CSV").click()
    export = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    line = next(row for row in export.splitlines() if "Taalcafé op zondag" in row)
    assert "verwijderd account" in line, line
    for trace in (RESIDENT_NAME, RESIDENT_OLD, RESIDENT_NEW, RESIDENT_PHONE, "Yasmina"):
        assert trace not in export
    for p in (gemeente, page, staff):
        p.context.close()


# ---- the sweep: every administration page on a phone, and my account in Arabic ----

LOGINS = {
    "gemeente": GEMEENTE,
    "beheerder": f"beheer.{SWEEP_HOUSE}@buurthuis.example",
    "bewoner": "bewoner@buurthuis.example",
}
G = "/gemeente"
S = f"/beheer/{SWEEP_HOUSE}"
ADMINISTRATION: list[tuple[str | None, str]] = [
    ("gemeente", f"{G}/"),
    ("gemeente", f"{G}/huizen"),
    ("gemeente", f"{G}/huizen/nieuw"),
    ("gemeente", f"{G}/huizen/{SWEEP_HOUSE}"),
    ("gemeente", f"{G}/huizen/{SWEEP_HOUSE}/deactiveren"),
    ("gemeente", f"{G}/wijken"),
    ("gemeente", f"{G}/wijken/nieuw"),
    ("gemeente", f"{G}/wijken/{{area}}"),
    ("gemeente", f"{G}/beleid"),
    ("gemeente", f"{G}/mensen"),
    ("gemeente", f"{G}/mensen?q=henk"),
    ("gemeente", f"{G}/mensen/uitnodigen"),
    ("gemeente", f"{G}/mensen/{{host}}"),
    ("gemeente", f"{G}/mensen/{{host}}/deactiveren"),
    ("gemeente", f"{G}/mensen/{{host}}/rol-weghalen?rol=gastheer&huis={{house}}"),
    ("beheerder", f"{S}/medewerkers"),
    ("beheerder", f"{S}/medewerkers/{{host}}/weghalen?rol=gastheer"),
    ("beheerder", "/account/aanvraagmail"),
    ("bewoner", "/account"),
    ("bewoner", "/account/telefoon"),
    ("bewoner", "/account/verwijderen"),
    ("bewoner", "/account/e-mailadres/{email_token}"),
    (None, "/uitnodiging/{invitation}"),
    (None, "/uitnodiging/{used_invitation}"),
    ("bewoner", "/account/e-mailadres/{used_email_token}"),
]
REFUSED = {"/uitnodiging/{used_invitation}": 410, "/account/e-mailadres/{used_email_token}": 410}
MY_ACCOUNT = [
    (who, path)
    for who, path in ADMINISTRATION
    if who == "bewoner" or path == "/account/aanvraagmail"
]


def _link_in_outbox(to: str, pattern: re.Pattern) -> str:
    mail = db.session.scalars(
        select(OutboxMail).where(OutboxMail.to_address == to).order_by(OutboxMail.id.desc())
    ).first()
    assert mail is not None, to
    found = pattern.search(mail.body_text)
    assert found, to
    return found.group(0).rsplit("/", 1)[1]


@pytest.fixture(scope="module")
def sweep_values(story_app: Flask) -> dict[str, Any]:
    """The demo objects the sweep's paths name, and a fresh invitation and e-mail link."""
    now = datetime.now(UTC)
    with story_app.app_context():
        house = db.session.scalar(select(House).where(House.slug == SWEEP_HOUSE))
        gemeente = db.session.scalar(select(User).where(User.email == GEMEENTE))
        host = db.session.scalar(select(User).where(User.email == "gastheer@buurthuis.example"))
        bewoner = db.session.scalar(select(User).where(User.email == LOGINS["bewoner"]))
        invitations.invite_to(
            gemeente, "sweep.nieuw@example.org", "", Role.gastheer, [house.id], now=now
        )
        email_change.request_email_change(bewoner, "annie.nieuw@example.org", DEMO_PASSWORD, now)
        invitations.invite_to(
            gemeente, "sweep.gebruikt@example.org", "", Role.gastheer, [house.id], now=now
        )
        used = _link_in_outbox("sweep.gebruikt@example.org", INVITATION)
        invitations.accept(used, "Al Gebruikt", PASSWORD, now)
        koor = db.session.scalar(select(User).where(User.email == "vereniging@buurthuis.example"))
        email_change.request_email_change(koor, "koor.nieuw@example.org", DEMO_PASSWORD, now)
        used_email = _link_in_outbox("koor.nieuw@example.org", EMAIL_CHANGE)
        email_change.confirm_email_change(used_email, now)
        db.session.commit()
        return {
            "house": house.id,
            "host": host.id,
            "area": db.session.scalar(select(Area.id).order_by(Area.id)),
            "invitation": _link_in_outbox("sweep.nieuw@example.org", INVITATION),
            "email_token": _link_in_outbox("annie.nieuw@example.org", EMAIL_CHANGE),
            "used_invitation": used,
            "used_email_token": used_email,
        }


def _fill(path: str, values: dict[str, Any]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, path
    return path


@pytest.fixture(scope="module")
def phones(browser: Browser, base: str) -> Iterator[Any]:
    """One phone-sized context per (who, language), logged in once."""
    made: dict[tuple[str | None, str], BrowserContext] = {}

    def get(who: str | None, lang: str) -> BrowserContext:
        if (who, lang) not in made:
            context = browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, locale="nl-NL"
            )
            page = context.new_page()
            if who is not None:
                log_in(page, base, LOGINS[who])
            if lang != "nl":
                page.goto(f"{base}/privacy")
                page.locator(f".language-buttons button[value='{lang}']").click()
                expect(page.locator("html")).to_have_attribute("lang", lang)
            page.close()
            made[(who, lang)] = context
        return made[(who, lang)]

    yield get
    for context in made.values():
        context.close()


ENGLISH = re.compile(
    r"\b(None|True|False|Submit|Save|Cancel|Delete|Search|Password|Email|Name|required|"
    r"Invalid|Not a valid|This field|Back|Next|Previous|Loading|Error|Edit|Remove|Invite)\b"
)


def _in_dutch(page: Page, path: str) -> None:
    """No English word and no Python value (None, True) on the page, menus included."""
    text = page.locator("body").inner_text()
    leaked = sorted(set(ENGLISH.findall(text)))
    assert not leaked, (path, leaked)


def _measure(page: Page, path: str, lang: str) -> None:
    menu = page.locator(".site-menu > summary")
    if (
        menu.count()
        and menu.is_visible()
        and menu.locator("xpath=..").get_attribute("open") is None
    ):
        menu.click()
    found = page.evaluate(MEASURE, TARGETS)
    assert found["scrollWidth"] <= PHONE["width"], (path, lang, found["tooWide"])
    assert not found["small"], (path, lang, "touch targets under 44 px", found["small"])


def _open(phones: Any, base: str, who: str | None, path: str, lang: str, status: int) -> Page:
    page = phones(who, lang).new_page()
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status == status, (path, response and response.status)
    return page


@pytest.mark.parametrize(("who", "path"), ADMINISTRATION)
def test_administration_page_fits_a_phone(
    phones: Any, base: str, sweep_values: dict[str, Any], axe: Axe, who: str | None, path: str
) -> None:
    expected = REFUSED.get(path, 200)
    path = _fill(path, sweep_values)
    page = _open(phones, base, who, path, "nl", expected)
    try:
        assert_accessible(axe, page)
        _in_dutch(page, path)
        _measure(page, path, "nl")
    finally:
        page.close()


@pytest.mark.parametrize(("who", "path"), MY_ACCOUNT)
def test_my_account_in_arabic(
    phones: Any, base: str, sweep_values: dict[str, Any], axe: Axe, who: str | None, path: str
) -> None:
    """Arabic is a language of the kiosk only (config KIOSK_LANGUAGES; the site speaks
    LANGUAGES, nl and en). Someone who chose Arabic at the kiosk gets my account in Dutch,
    marked as Dutch and left to right, never Dutch text marked rtl; and the page's layout
    holds right to left, for the day the site speaks Arabic."""
    expected = REFUSED.get(path, 200)
    path = _fill(path, sweep_values)
    page = _open(phones, base, who, path, "ar", expected)
    try:
        html = page.locator("html")
        expect(html).to_have_attribute("lang", "nl")
        expect(html).to_have_attribute("dir", "ltr")
        assert_accessible(axe, page)
        page.evaluate("document.documentElement.dir = 'rtl'")
        _measure(page, path, "rtl")
        assert_accessible(axe, page)
    finally:
        page.close()
