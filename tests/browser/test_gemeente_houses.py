"""The gemeente adds a wijk with its CBS code and a new house in it, then finds the house on
the public home page; and sets its policy — all in the browser, with axe-core on every
page (issue 12, deliverables 1-3).

The house added here would be a fourteenth in the other browser tests' demo (the reach
comparison counts thirteen), so this module runs on a demo server of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, log_in, serve_demo
from tests.conftest import scratch_database

GEMEENTE = "gemeente@buurthuis.example"


@pytest.fixture(scope="module")
def live_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Oss demo on a database and a threaded server of this module's own."""
    folder = tmp_path_factory.mktemp("gemeente")
    with (
        scratch_database(database_url, "buurthuis_browser_gemeente", folder) as url,
        serve_demo(url) as app,
    ):
        yield app.config["LIVE_URL"]


def test_the_gemeente_adds_an_area_and_a_house_and_finds_it_on_the_home_page(
    page: Page, live_server: str, axe
) -> None:
    log_in(page, live_server, GEMEENTE)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gemeente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeente")
    assert_accessible(axe, page)

    page.get_by_role("main").get_by_role("link", name="Wijken en kernen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijken en kernen")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Wijk of kern toevoegen").click()
    page.get_by_label("Naam", exact=True).fill("Elzenburg")
    page.get_by_label("wijk (van de stad)").check()
    page.get_by_label("CBS-code", exact=True).fill("WK08281")  # one digit short
    page.get_by_label("Jaar van de CBS-code").fill("2025")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#cbs_code-error")).to_contain_text("Dit is geen CBS-code.")
    assert_accessible(axe, page)
    page.get_by_label("CBS-code", exact=True).fill("wk 0828 15")
    page.get_by_label("Kwetsbare wijk of kern").check()
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Elzenburg is toegevoegd.")
    expect(page.get_by_role("row", name="Elzenburg")).to_contain_text("WK082815")

    page.get_by_role("main").get_by_role("link", name="Huizen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huizen")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Huis toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huis toevoegen")
    assert_accessible(axe, page)
    page.get_by_label("Naam van het huis").fill("Wijkhuis Elzenburg")
    page.get_by_label("Webadres-naam").fill("wijkhuis-de-haard")  # taken by a demo house
    page.get_by_label("Wijk of kern").select_option(label="Elzenburg (wijk)")
    page.get_by_label("Adres", exact=True).fill("Elzenburgplein 1, 5343 AA Oss")
    page.get_by_label("E-mailadres", exact=True).fill("info@elzenburg.example")
    page.get_by_label("Telefoonnummer").fill("0412 654 321")
    page.get_by_label("Website", exact=True).fill("https://elzenburg.example")
    page.get_by_label("Naam van de stichting").fill("Stichting Wijkhuis Elzenburg")
    page.get_by_label("KvK-nummer van de stichting").fill("12345678")
    page.get_by_role("button", name="Huis toevoegen").click()
    expect(page.locator("#slug-error")).to_contain_text("is al van een ander huis")
    assert_accessible(axe, page)
    page.get_by_label("Webadres-naam").fill("")  # made from the name
    page.get_by_role("button", name="Huis toevoegen").click()
    expect(page.get_by_role("status")).to_contain_text("Huis Wijkhuis Elzenburg is toegevoegd.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkhuis Elzenburg")
    expect(page.get_by_label("Webadres-naam")).to_have_value("wijkhuis-elzenburg")
    assert_accessible(axe, page)

    page.get_by_role("link", name="Huis deactiveren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weet u het zeker?")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Nee, terug").click()

    page.goto(f"{live_server}/")
    card = page.get_by_role("listitem").filter(has_text="Wijkhuis Elzenburg")
    expect(card).to_contain_text("Elzenburg (wijk)")
    card.get_by_role("link", name="Wijkhuis Elzenburg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijkhuis Elzenburg")
    expect(page.get_by_role("main")).to_contain_text("Elzenburgplein 1, 5343 AA Oss")

    page.goto(f"{live_server}/gemeente/wijken")
    expect(page.get_by_role("row", name="Elzenburg")).to_contain_text("Wijkhuis Elzenburg")


def test_the_gemeente_sets_its_policy(page: Page, live_server: str, axe) -> None:
    log_in(page, live_server, GEMEENTE)
    page.goto(f"{live_server}/gemeente/beleid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beleid")
    assert_accessible(axe, page)
    field = page.get_by_label("T4 commercieel (procent)")
    expect(field).to_have_attribute("max", "500")  # the browser checks first ...
    page.locator("form.booking-form").evaluate("form => { form.noValidate = true; }")
    field.fill("600")  # ... and the server says it too, next to the field
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#factor_t4_percent-error")).to_contain_text(
        "Kies een getal van 0 tot 500."
    )
    assert_accessible(axe, page)
    page.get_by_label("T4 commercieel (procent)").fill("175")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het beleid is opgeslagen.")
    expect(
        page.get_by_role("table", name="Wijzigingen van het beleid, nieuwste eerst")
    ).to_contain_text("Factor T4: 150 % → 175 %")
    page.get_by_label("T4 commercieel (procent)").fill("150")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het beleid is opgeslagen.")
