"""Returning visitors on the house page, its CSV, the API, the comparison and the rendement
(issue 14 part 4), with hand-made card visits, through the Flask test client."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from tests.stats.conftest import at
from tests.stats.test_pages import check_markup, client_for, table_cells

MON = date(2026, 3, 2)
PERIOD = "van=2026-03-02&tot=2026-03-08"


@pytest.fixture
def haard(app, make_house, make_user, add_visits):
    """De Haard: one card on Monday and again on Wednesday, twelve phones once each,
    a flagged card visit on Thursday (a burst)."""
    house = make_house("de-haard", area="Ruwaard")
    add_visits(house, at(MON, 10), channel="kaart", device_hash="kaart-1")
    add_visits(house, at(MON + timedelta(days=2), 10), channel="kaart", device_hash="kaart-1")
    for n in range(12):
        add_visits(house, at(MON, 11), channel="qr", device_hash=f"telefoon-{n}")
    add_visits(
        house,
        at(MON + timedelta(days=3), 10),
        channel="kaart",
        device_hash="kaart-2",
        suspicious=True,
        suspicious_reason="piek",
    )
    return {
        "house": house,
        "beheerder": make_user("sociaal_beheerder", house),
        "gemeente": make_user("gemeente"),
    }


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))


def test_one_returning_card_visitor_on_screen_csv_and_api(app, haard):
    client = client_for(app, haard["beheerder"])
    html = client.get(f"/bereik/de-haard?{PERIOD}").get_data(as_text=True)
    check_markup(html)
    core = table_cells(html, "Kerncijfers")
    assert core["Unieke apparaten (telefoons en kaarten)"] == "13"
    assert core["Unieke bezoekers met een telefoon"] == "x"  # 13 - "<5" would tell
    assert core["Unieke bezoekers met een bezoekerskaart"] == "<5"  # the flagged card: out
    assert core["Terugkerende bezoekers met een bezoekerskaart"] == "<5"
    assert core["Terugkerende bezoekers met een telefoon"] == "0"
    assert core["Terugkerende bezoekers samen"] == "<5"
    assert core["Nieuw dit jaar met een telefoon"] == "x"  # 13 - "<5" would tell
    assert core["Nieuw dit jaar samen"] == "13"
    assert "geteld" in html and "zelf opgegeven" in html
    assert 'href="/hoe-we-tellen"' in html
    rows = _csv(client.get(f"/bereik/de-haard/export.csv?{PERIOD}"))
    figures = {(r[4], r[5]): r[6] for r in rows[1:]}
    for label in (
        "Unieke bezoekers met een telefoon",
        "Unieke bezoekers met een bezoekerskaart",
        "Terugkerende bezoekers met een bezoekerskaart",
        "Terugkerende bezoekers samen",
        "Nieuw dit jaar met een telefoon",
        "Nieuw dit jaar samen",
    ):
        assert figures[("bezoekers", label)] == core[label], label
    body = client.get("/api/v1/stats/reach?house=de-haard&from=2026-03-02&to=2026-03-08").get_json()
    assert body["distinct_devices"] == 13
    assert body["visitors"]["distinct"] == {"telefoon": "x", "kaart": "<5"}
    assert body["visitors"]["returning"] == {"telefoon": 0, "kaart": "<5", "totaal": "<5"}
    assert body["visitors"]["new_this_year"]["telefoon"] == core["Nieuw dit jaar met een telefoon"]


def test_a_flagged_card_visit_counts_only_on_request(app, haard):
    client = client_for(app, haard["beheerder"])
    plain = table_cells(
        client.get(f"/bereik/de-haard?{PERIOD}").get_data(as_text=True), "Kerncijfers"
    )
    flagged = table_cells(
        client.get(f"/bereik/de-haard?{PERIOD}&verdacht=j").get_data(as_text=True),
        "Kerncijfers",
    )
    assert plain["Unieke apparaten (telefoons en kaarten)"] == "13"
    assert flagged["Unieke apparaten (telefoons en kaarten)"] == "14"


def test_comparison_and_rendement_show_the_visitors(app, haard):
    client = client_for(app, haard["gemeente"])
    html = client.get(f"/bereik/?{PERIOD}").get_data(as_text=True)
    check_markup(html)
    assert "Unieke kaarten" in html and "Terugkerend" in html
    assert 'href="/hoe-we-tellen"' in html
    rows = _csv(client.get(f"/bereik/export.csv?{PERIOD}"))
    head = rows[0]
    haard_row = dict(zip(head, rows[1], strict=True))
    assert haard_row["Unieke telefoons"] == "x"
    assert haard_row["Unieke kaarten"] == "<5"
    assert haard_row["Terugkerend"] == "<5"
    page = client.get(f"/bereik/rendement?{PERIOD}").get_data(as_text=True)
    check_markup(page)
    assert "Unieke kaarten" in page and 'href="/hoe-we-tellen"' in page
    rendement = _csv(client.get(f"/bereik/rendement.csv?{PERIOD}"))
    line = dict(zip(rendement[0], rendement[1], strict=True))
    assert line["Unieke telefoons"] == "x" and line["Terugkerend"] == "<5"


def test_how_we_count_is_public_and_names_the_settings(client):
    response = client.get("/hoe-we-tellen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_markup(html)
    words_shown = ("Een terugkerende bezoeker", "zelf opgegeven", "13 maanden", "1 tot en met 4")
    for words in (*words_shown, "één jaar"):
        assert words in html, words
