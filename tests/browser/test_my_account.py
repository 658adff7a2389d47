"""A resident changes their e-mail, downloads their data and deletes their account; the
house's booking list then shows their past booking without their name (issue 12, 5).

In Chromium, keyboard-and-mouse as a resident would; every new page is free of serious
axe-core violations.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from booking.demo.bookings import RESIDENTS
from booking.errors import DomainError
from booking.extensions import db
from booking.models import Booking, House, OutboxMail, User
from booking.rules.permissions import Role
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import accounts, bookings
from tests.browser.conftest import assert_accessible, log_in

OLD_EMAIL = "fatma.mijnaccount@example.org"
NEW_EMAIL = "fatma.nieuw@example.org"
PASSWORD = "fatma-haar-wachtwoord"
USED_ELSEWHERE = {"de-berchplaets", "wijkhuis-de-haard"}  # other browser tests book there


def _resident_with_a_past_booking(live_app) -> tuple[str, str]:
    """Fatma and a booking of hers that lies in the past: (house slug, its local date)."""
    with live_app.app_context():
        house = db.session.scalars(
            db.select(House).where(House.slug.not_in(USED_ELSEWHERE)).order_by(House.slug)
        ).first()
        user = accounts.create_user(OLD_EMAIL, Role.initiatiefnemer, PASSWORD, name="Fatma Yılmaz")
        user.phone = "0687654321"
        db.session.commit()
        room = sorted(house.rooms, key=lambda r: r.id)[-1]
        for days_back in range(3, 40):  # the demo's history fills many evenings
            day = (datetime.now(AMSTERDAM) - timedelta(days=days_back)).date()
            start = local_to_utc(datetime.combine(day, time(21, 15)))
            try:
                booked = bookings.create_booking(
                    db.session.get(User, user.id),
                    room.id,
                    start,
                    start + timedelta(minutes=45),
                    "Naaicafé op dinsdag",
                    False,
                    RESIDENTS,
                    now=start - timedelta(days=7),
                )
            except DomainError:
                db.session.rollback()
                continue
            db.session.commit()
            assert db.session.get(Booking, booked.booking.id).end < datetime.now(UTC)
            return house.slug, day.isoformat()
    raise AssertionError("no free evening for the past booking")


def _mailed_link(live_app) -> str:
    with live_app.app_context():
        mail = db.session.scalars(
            db.select(OutboxMail).filter_by(to_address=NEW_EMAIL).order_by(OutboxMail.id.desc())
        ).first()
        assert mail is not None
        return re.search(r"(http://\S+/account/e-mailadres/\S+)", mail.body_text).group(1)


def test_change_email_download_data_delete_account_and_the_house_keeps_the_booking(
    page: Page, browser: Browser, live_server: str, live_app, axe
) -> None:
    slug, day = _resident_with_a_past_booking(live_app)
    log_in(page, live_server, OLD_EMAIL, PASSWORD)
    page.get_by_role("link", name="Mijn account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.get_by_text("dit apparaat")).to_be_visible()
    assert_accessible(axe, page)

    # a new e-mail address, confirmed by the link mailed to it
    page.get_by_label("Nieuw e-mailadres").fill(NEW_EMAIL)
    page.get_by_label("Uw wachtwoord, ter controle").fill(PASSWORD)
    page.get_by_role("button", name="Stuur de link naar het nieuwe adres").click()
    expect(page.locator(".flash").first).to_contain_text(NEW_EMAIL)
    page.goto(_mailed_link(live_app))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw e-mailadres bevestigen")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Ja, gebruik dit e-mailadres").click()
    expect(page.locator(".flash").first).to_contain_text("Uw e-mailadres is gewijzigd")
    expect(page.get_by_role("main")).to_contain_text(NEW_EMAIL)

    # download my data
    with page.expect_download() as download:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    assert download.value.suggested_filename.startswith("mijn-gegevens-buurthuis-")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == NEW_EMAIL
    assert [b["title"] for b in data["bookings"]] == ["Naaicafé op dinsdag"]

    # a second browser stays logged in until the account is gone
    other = browser.new_context(locale="nl-NL")
    elsewhere = other.new_page()
    log_in(elsewhere, live_server, NEW_EMAIL, PASSWORD)

    # delete my account
    page.get_by_role("link", name="Mijn account verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account verwijderen")
    assert_accessible(axe, page)
    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    page.get_by_label("Ik begrijp dat dit niet ongedaan kan worden gemaakt.").check()
    page.get_by_role("button", name="Ja, verwijder mijn account").click()
    expect(page.locator(".flash").first).to_contain_text("Uw account is verwijderd")
    expect(page.get_by_role("link", name="Inloggen")).to_be_visible()
    elsewhere.goto(f"{live_server}/account")
    expect(elsewhere).to_have_url(re.compile(r".*/login.*"))
    other.close()

    # the house's booking list: the booking is there, her name, address and phone are not
    staff = browser.new_context(locale="nl-NL").new_page()
    log_in(staff, live_server, f"beheer.{slug}@buurthuis.example")
    staff.goto(f"{live_server}/beheer/{slug}/boekingen?datum={day}")
    row = staff.get_by_role("row").filter(has_text="Naaicafé op dinsdag")
    expect(row).to_contain_text("verwijderd account")
    for trace in ("Fatma Yılmaz", OLD_EMAIL, NEW_EMAIL, "0687654321"):
        expect(staff.get_by_role("main")).not_to_contain_text(trace)
    assert_accessible(axe, staff)
