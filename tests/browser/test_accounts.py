"""A resident registers by mailed link, changes the password and logs out everywhere, in
Chromium; every page on the way is free of serious axe-core violations."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from booking.extensions import db
from booking.models import OutboxMail
from tests.browser.conftest import assert_accessible


def _mailed_link(live_app, to_address: str) -> str:
    with live_app.app_context():
        mail = db.session.scalars(
            db.select(OutboxMail).filter_by(to_address=to_address).order_by(OutboxMail.id.desc())
        ).first()
        assert mail is not None
        return re.search(r"(http://\S+/registreren/\S+)", mail.body_text).group(1)


def test_register_by_link_change_password_and_log_out_everywhere(
    page: Page, browser: Browser, live_server: str, live_app, axe
) -> None:
    email = "fatma.browser@example.org"
    page.goto(f"{live_server}/registreren")
    page.get_by_label("Uw naam").fill("Fatma")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij de link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw e-mail")
    assert_accessible(axe, page)

    page.goto(_mailed_link(live_app, email))
    expect(page.get_by_role("heading", level=1)).to_have_text("Account afmaken")
    assert_accessible(axe, page)
    page.get_by_label("Wachtwoord (minstens 10 tekens)").fill("mijn-eerste-ww")
    page.get_by_label("Herhaal het wachtwoord").fill("mijn-eerste-ww")
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url(f"{live_server}/dashboard")

    other = browser.new_context(locale="nl-NL")
    elsewhere = other.new_page()
    elsewhere.goto(f"{live_server}/login")
    elsewhere.get_by_label("E-mailadres").fill(email)
    elsewhere.get_by_label("Wachtwoord").fill("mijn-eerste-ww")
    elsewhere.get_by_role("button", name="Inloggen").click()
    elsewhere.wait_for_url(f"{live_server}/dashboard")

    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    assert_accessible(axe, page)
    page.get_by_label("Huidig wachtwoord").fill("mijn-eerste-ww")
    page.get_by_label("Nieuw wachtwoord (minstens 10 tekens)").fill("mijn-tweede-ww")
    page.get_by_label("Herhaal het wachtwoord").fill("mijn-tweede-ww")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    expect(page.get_by_role("status").or_(page.locator(".flash")).first).to_contain_text(
        "Op andere apparaten bent u uitgelogd"
    )
    elsewhere.goto(f"{live_server}/dashboard")
    expect(elsewhere).to_have_url(re.compile(r".*/login.*"))
    other.close()

    page.get_by_role("button", name="Overal uitloggen").click()
    expect(page).to_have_url(re.compile(r".*/login$"))
    page.goto(f"{live_server}/dashboard")
    expect(page).to_have_url(re.compile(r".*/login.*"))
