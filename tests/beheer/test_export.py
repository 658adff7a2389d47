"""The invoicing CSV: Dutch Excel conventions, the right rows and the right totals."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta

import pytest

from booking.demo.bookings import CHOIR, COMPANY, RESIDENTS
from booking.extensions import db
from booking.models import OpeningHours, User
from booking.services.invoicing import Month, decimal_comma, hours_text, parse_month
from tests.beheer.test_pages import book, client_for, days_ahead, make_setup
from tests.conftest import csrf_token


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark first"
    text = body[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def cents(text: str) -> int:
    whole, _, rest = text.partition(",")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int(rest))


def test_month_csv_has_every_invoiced_booking(app, setup):
    day = days_ahead(3)
    room_1, room_2 = setup.house.room_ids  # base rates 20,00 and 25,00 per hour
    with app.app_context():
        organiser = db.session.get(User, setup.organiser.id)
        organiser.name, organiser.organisation = "Els de Vries", "Koor Zangvreugde; Oss"
        db.session.commit()
    book(app, setup.organiser, room_1, day, time(9), time(10, 45), RESIDENTS, "Koffie")
    book(app, setup.organiser, room_2, day, time(10), time(12), CHOIR, "Repetitie")
    book(app, setup.organiser, room_2, day, time(13), time(14, 30), COMPANY, "=HYPERLINK(1)")
    cancelled = book(app, setup.organiser, room_1, day, time(14), time(16), CHOIR, "Weg")
    book(app, setup.organiser, setup.other_house.room_ids[0], day, title="Ander huis")
    client = client_for(app, setup.beheerder)
    page = f"{setup.base}/boekingen/{cancelled}"
    client.post(f"{page}/annuleren", data={"csrf_token": csrf_token(client, page)})

    month = month_of(day)
    response = client.get(f"{setup.base}/export.csv?maand={month}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="buurthuis-de-haard-{month}.csv"'
    )
    rows = parse(response.data)
    assert rows[0] == [
        "datum", "begin", "eind", "ruimte", "organisator", "e-mail", "organisatie",
        "activiteit", "tariefgroep", "voorrangsklasse", "uren", "bedrag", "lijstprijs",
        "kwijtgescholden", "status",
    ]  # fmt: skip
    body = rows[1:]
    assert [r[7] for r in body] == ["Koffie", "Repetitie", "'=HYPERLINK(1)"]
    coffee, choir, company = body
    assert coffee == [
        day.strftime("%d-%m-%Y"), "09:00", "10:45", "Zaal 1", "Els de Vries",
        setup.organiser.email, "Koor Zangvreugde; Oss", "Koffie", "T1", "1", "1,75",
        "0,00", "40,00", "40,00", "bevestigd",
    ]  # fmt: skip
    assert choir[8:] == ["T3", "3", "2,00", "50,00", "50,00", "0,00", "bevestigd"]
    assert company[8:] == ["T4", "4", "1,50", "56,25", "37,50", "-18,75", "bevestigd"]
    assert sum(cents(r[11]) for r in body) == 10625
    assert sum(cents(r[12]) for r in body) == 12750
    assert sum(cents(r[13]) for r in body) == 2125
    # the organisation with a ';' is quoted, so the row still has 15 fields
    assert b'"Koor Zangvreugde; Oss"' in response.data


def test_provisional_and_requested_bookings_are_listed_with_their_status(app, setup):
    day = days_ahead(40)  # beyond the 14-day window: a class 3 booking is provisional
    room_1, room_2 = setup.house.room_ids
    with app.app_context():
        from booking.models import Room

        db.session.get(Room, room_2).requires_approval = True
        db.session.commit()
    book(app, setup.organiser, room_1, day, activity=CHOIR, title="Voorlopig")
    book(app, setup.organiser, room_2, day, title="Aanvraag")
    rows = parse(
        client_for(app, setup.beheerder).get(f"{setup.base}/export.csv?maand={month_of(day)}").data
    )
    statuses = {r[7]: r[14] for r in rows[1:]}
    assert statuses == {"Voorlopig": "onder voorbehoud", "Aanvraag": "aangevraagd"}


def test_a_booking_belongs_to_the_month_of_its_amsterdam_start(app, setup):
    """00:15 on the first of a month is the previous evening in UTC, yet in the new month."""
    with app.app_context():
        for period in db.session.query(OpeningHours).filter_by(house_id=setup.house.id):
            period.opens = time(0)
        db.session.commit()
    today = days_ahead(0)
    first = date(today.year + (today.month + 1) // 12, (today.month + 1) % 12 + 1, 1)
    book(
        app,
        setup.organiser,
        setup.house.room_ids[0],
        first,
        time(0, 15),
        time(1, 15),
        title="Nachtcafe",
    )
    last_day = first - timedelta(days=1)
    book(
        app,
        setup.organiser,
        setup.house.room_ids[0],
        last_day,
        time(22, 30),
        time(23),
        title="Avondcafe",
    )
    client = client_for(app, setup.beheerder)
    new_month = parse(client.get(f"{setup.base}/export.csv?maand={month_of(first)}").data)
    old_month = parse(client.get(f"{setup.base}/export.csv?maand={month_of(last_day)}").data)
    assert [r[7] for r in new_month[1:]] == ["Nachtcafe"]
    assert "Avondcafe" in [r[7] for r in old_month[1:]]
    assert "Nachtcafe" not in [r[7] for r in old_month[1:]]


def test_an_empty_month_has_only_the_header(app, setup):
    response = client_for(app, setup.beheerder).get(f"{setup.base}/export.csv?maand=2031-02")
    assert response.status_code == 200
    assert parse(response.data) == [parse(response.data)[0]]


def test_without_a_month_the_previous_month_is_exported(app, setup):
    response = client_for(app, setup.beheerder).get(f"{setup.base}/export.csv")
    assert response.status_code == 200
    today = days_ahead(0)
    previous = today.replace(day=1) - timedelta(days=1)
    assert f"-{month_of(previous)}.csv" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    "month", ["2026-13", "2026-00", "2026-1", "december", "", "2026-12-01", "1899-12", "x" * 5000]
)
def test_a_malformed_month_is_400_in_dutch(app, setup, month):
    response = client_for(app, setup.beheerder).get(f"{setup.base}/export.csv?maand={month}")
    assert response.status_code == 400
    assert "Kies een maand in de vorm JJJJ-MM" in response.get_data(as_text=True)


def test_only_the_building_exports(app, setup):
    for who in (setup.sociaal, setup.gastheer, setup.organiser, setup.other_beheerder):
        response = client_for(app, who).get(f"{setup.base}/export.csv?maand=2026-12")
        assert response.status_code == 404
    assert (
        client_for(app, setup.gemeente).get(f"{setup.base}/export.csv?maand=2026-12").status_code
        == 200
    )


def test_formatting_helpers():
    assert decimal_comma(1250) == "12,50" and decimal_comma(5) == "0,05"
    assert decimal_comma(-1875) == "-18,75" and decimal_comma(123456) == "1234,56"
    assert parse_month("2026-12") == Month(2026, 12)
    assert Month(2026, 12).next_first_day == date(2027, 1, 1)
    from datetime import UTC, datetime

    start = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # the night the clocks go back
    assert hours_text(start, start + timedelta(minutes=45)) == "0,75"
    assert hours_text(start, start + timedelta(hours=3, minutes=20)) == "3,33"


def test_a_booking_namens_an_organisation_names_the_organisation(app, setup):
    day = days_ahead(3)
    booking_id = book(app, setup.organiser, setup.house.room_ids[1], day, time(10), time(12), CHOIR)
    with app.app_context():
        from booking.models import Booking, Organisation

        choir = Organisation(name="Zangkoor Vocalis", kind="vereniging")
        db.session.add(choir)
        db.session.flush()
        db.session.get(Booking, booking_id).organisation_id = choir.id
        db.session.commit()
    client = client_for(app, setup.beheerder)
    rows = parse(client.get(f"{setup.base}/export.csv?maand={month_of(day)}").data)
    assert [r[6] for r in rows[1:]] == ["Zangkoor Vocalis"]
