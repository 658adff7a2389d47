"""Issue 12's journey in Chromium, with axe-core on every new page: the gemeente adds a
house and invites its beheerder; the beheerder accepts through the mailed link, adds a
room and invites a host; the host accepts and counts visitors on the host page. Along the
way: an invitation link used twice, a house role without a house, and a deactivated host
whose open session stops at once.

The mails are read where a development install shows them, the mail viewer (/post), as
the gemeente (who reads all mail there). Like the gemeente's house test, this adds a house
the other browser tests' demo must not see, so it runs on a server of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, log_in, serve_demo
from tests.conftest import scratch_database

GEMEENTE = "gemeente@buurthuis.example"
BEHEERDER = "beheer@elzenburg.example"
HOST = "gastvrouw@elzenburg.example"
PASSWORD = "een-goed-wachtwoord"
LINK = re.compile(r"https?://\S+/uitnodiging/[A-Za-z0-9_-]+")


@pytest.fixture(scope="module")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Oss demo on a database and a threaded server of this module's own."""
    folder = tmp_path_factory.mktemp("invitations")
    with (
        scratch_database(database_url, "buurthuis_browser_invitations", folder) as url,
        serve_demo(url) as app,
    ):
        yield app.config["LIVE_URL"]


def read_link(gemeente: Page, base: str, to: str) -> str:
    """The newest invitation to `to`, opened in the mail viewer; its one-time link."""
    gemeente.goto(f"{base}/post")
    row = gemeente.get_by_role("row").filter(has_text=to).first
    row.get_by_role("link", name="Uitnodiging voor Buurthuis").click()
    found = LINK.search(gemeente.locator("pre").first.inner_text())
    assert found, "no invitation link in the mail"
    return found.group(0)


def accept(page: Page, link: str, name: str, axe) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging aannemen")
    assert_accessible(axe, page)
    page.get_by_label("Uw naam").fill(name)
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken en inloggen").click()
    expect(page.get_by_role("status")).to_contain_text("Uw account is klaar en u bent ingelogd.")


def test_gemeente_beheerder_and_host_all_in_the_browser(
    page: Page, browser: Browser, live_server: str, axe
) -> None:
    base = live_server
    log_in(page, base, GEMEENTE)
    page.goto(f"{base}/gemeente/huizen/nieuw")
    page.get_by_label("Naam van het huis").fill("Wijkhuis Elzenburg")
    page.get_by_label("Wijk of kern").select_option(index=1)
    page.get_by_role("button", name="Huis toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("is toegevoegd")

    page.goto(f"{base}/gemeente/")
    page.get_by_role("main").get_by_role("link", name="Mensen en rollen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mensen en rollen")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Iemand uitnodigen").click()
    assert_accessible(axe, page)
    page.get_by_label("E-mailadres").fill(BEHEERDER)
    page.get_by_label("Beheerder", exact=True).check()
    page.get_by_role("button", name="Uitnodiging versturen").click()  # no house chosen
    expect(page.locator("#houses-error")).to_contain_text("Deze rol hoort bij een huis")
    assert_accessible(axe, page)
    page.get_by_label("Wijkhuis Elzenburg").check()
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text("De uitnodiging is verstuurd")
    expect(page.get_by_role("main")).to_contain_text("uitgenodigd, nog niet aangenomen")
    assert_accessible(axe, page)
    beheerder_link = read_link(page, base, BEHEERDER)
    assert_accessible(axe, page)

    beheerder = browser.new_context(locale="nl-NL").new_page()
    accept(beheerder, beheerder_link, "Bram Beheer", axe)
    beheerder.get_by_role("link", name="Wijkhuis Elzenburg", exact=True).click()
    beheerder.get_by_role("link", name="Ruimtes en tarieven").click()
    beheerder.get_by_label("Naam", exact=True).fill("Huiskamer")
    beheerder.get_by_label("Aantal personen").fill("25")
    beheerder.get_by_label("Basistarief (T3) per uur in euro").fill("20")
    beheerder.get_by_role("button", name="Ruimte toevoegen").click()
    expect(beheerder.get_by_role("status")).to_contain_text("Ruimte Huiskamer is toegevoegd.")
    beheerder.get_by_role("link", name="Medewerkers").first.click()
    expect(beheerder.get_by_role("heading", level=1)).to_contain_text("Medewerkers")
    assert_accessible(axe, beheerder)
    expect(beheerder.get_by_label("Beheerder", exact=True)).to_have_count(0)  # not theirs
    beheerder.get_by_label("E-mailadres").fill(HOST)
    beheerder.get_by_label("Naam (niet verplicht)").fill("Gerda")
    beheerder.get_by_label("Gastvrouw of gastheer").check()
    beheerder.get_by_role("button", name="Uitnodiging versturen").click()
    expect(beheerder.get_by_role("status")).to_contain_text("De uitnodiging is verstuurd")
    expect(beheerder.get_by_role("row", name=re.compile("Gerda"))).to_contain_text("uitgenodigd")
    assert_accessible(axe, beheerder)

    host_link = read_link(page, base, HOST)
    host = browser.new_context(locale="nl-NL").new_page()
    accept(host, host_link, "Gerda de Gastvrouw", axe)
    host.get_by_role("link", name=re.compile("Gastheer vandaag")).first.click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Vandaag in Wijkhuis Elzenburg")
    host.get_by_label("Aantal bezoekers").fill("3")
    host.get_by_role("button", name="Tellen").click()
    expect(host.get_by_role("status").last).to_contain_text("3 bezoekers vandaag")

    twice = browser.new_context(locale="nl-NL").new_page()
    response = twice.goto(host_link)
    assert response.status == 410
    expect(twice.get_by_role("alert")).to_contain_text("Deze uitnodiging is al gebruikt.")
    assert_accessible(axe, twice)

    page.goto(f"{base}/gemeente/mensen?q=gerda")
    page.get_by_role("link", name="Gerda de Gastvrouw").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Account deactiveren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, deactiveer dit account").click()
    expect(page.get_by_role("status")).to_contain_text("is gedeactiveerd")
    host.reload()
    expect(host).to_have_url(re.compile(r"/login"))
