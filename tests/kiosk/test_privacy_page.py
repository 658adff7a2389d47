"""The privacy page states both retention rules with the numbers in force, next to what the
kiosk stores (DESIGN section 6, issue 12)."""

from __future__ import annotations

import html as html_lib

from booking.extensions import db
from booking.services import houses


def _page(client) -> str:
    response = client.get("/privacy")
    assert response.status_code == 200
    return html_lib.unescape(response.get_data(as_text=True))


def test_the_privacy_page_names_the_default_periods(client):
    page = _page(client)
    assert "Wat we nooit bewaren" in page  # the kiosk's part is still there
    assert "na 13 maanden samengevoegd" in page
    assert "7 jaar na het einde van het jaar waarin de boeking was" in page
    assert "het 24 maanden niet gebruikt" in page and "binnen 30 dagen niet in" in page


def test_the_privacy_page_follows_the_policy(app, client):
    with app.app_context():
        settings = houses.policy()
        settings.visit_retention_months, settings.booking_retention_years = 1, 10
        settings.account_inactivity_months = 36
        db.session.commit()
    page = _page(client)
    assert "na 1 maand samengevoegd" in page
    assert "10 jaar na het einde van het jaar" in page
    assert "het 36 maanden niet gebruikt" in page
    assert "7 jaar na het einde" not in page and "24 maanden" not in page
