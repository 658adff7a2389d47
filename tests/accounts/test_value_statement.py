"""The waardeoverzicht (issue 13 §6): a free initiative sees, and downloads as PDF and CSV,
the rent value it used this year; nobody sees another's."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from booking.extensions import db
from booking.models import Booking, Organisation
from booking.rules.permissions import Role
from tests.conftest import login


def test_a_free_initiative_downloads_its_statement(app, client, make_house, make_user, book):
    house = make_house()
    resident = make_user()
    # Booked as if a week ago, for yesterday: used, confirmed, free (T1).
    booking_id = book(
        resident,
        house.room_ids[1],
        days_ahead=-1,
        title="Lithse Huiskamer",
        now=datetime.now(UTC) - timedelta(days=7),
    )
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.status == "bevestigd" and booking.amount_cents == 0
        value = booking.list_price_cents
    assert value > 0
    year = datetime.now(UTC).year
    if booking.start.astimezone(UTC).year != year:  # the first of January
        return
    login(client, resident)
    page = client.get("/account/waardeoverzicht")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Lithse Huiskamer" in html and f"Waardeoverzicht {year}" in html
    pdf = client.get("/account/waardeoverzicht.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Lithse Huiskamer" in text and "Totaal geschonken door het buurthuis" in text
    csv = client.get("/account/waardeoverzicht.csv").get_data(as_text=True)
    assert csv.startswith("\ufeffdatum;") and "Lithse Huiskamer" in csv


def test_bad_years_and_others_organisations(app, client, make_user):
    user = make_user()
    with app.app_context():
        other = Organisation(name="Andere club", kind="vereniging")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    login(client, user)
    for year in ("1999", "3000", "twee", "20266"):
        assert client.get(f"/account/waardeoverzicht?jaar={year}").status_code == 400
    assert client.get(f"/account/waardeoverzicht?organisatie={other_id}").status_code == 404
    assert client.get("/account/waardeoverzicht?organisatie=abc").status_code == 404
    assert client.get("/account/waardeoverzicht?organisatie=999999").status_code == 404
    sociaal = make_user(Role.gemeente)
    fresh = app.test_client()
    login(fresh, sociaal)
    assert fresh.get(f"/account/waardeoverzicht?organisatie={other_id}").status_code == 200
