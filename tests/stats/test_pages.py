"""The statistics pages, CSV exports and the JSON API through the test client."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import UTC, date, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from booking.extensions import db
from booking.models import HostNote
from booking.rules.slots import AMSTERDAM
from tests.conftest import login, post_form
from tests.stats.conftest import at

MON = date(2026, 3, 2)
PERIOD = "van=2026-03-02&tot=2026-03-08"


class Markup(HTMLParser):
    """Collects what the accessibility checks below need from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.styles = 0
        self.inline_scripts = 0
        self.svgs: list[dict[str, str | None]] = []
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids[a["id"]] += 1
        for name in ("aria-describedby", "aria-labelledby"):
            self.references += (a.get(name) or "").split()
        if "style" in a or tag == "style":
            self.styles += 1
        if tag == "script" and not a.get("src"):
            self.inline_scripts += 1
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.fields.append(a)
        if tag == "svg":
            self.svgs.append(a)


def check_markup(html: str) -> Markup:
    page = Markup()
    page.feed(html)
    assert page.styles == 0, "no style attributes or elements (CSP)"
    assert page.inline_scripts == 0, "no inline script (CSP)"
    assert not [i for i, n in page.ids.items() if n > 1], "ids are unique"
    for field in page.fields:
        assert field.get("id") in page.label_for, f"field without a label: {field}"
    for ref in page.references:
        assert page.ids[ref] == 1, f"aria reference to a missing id: {ref}"
    for svg in page.svgs:
        assert svg.get("role") == "img"
        for ref in (svg.get("aria-labelledby") or "").split():
            assert page.ids[ref] == 1
        assert svg.get("aria-labelledby")
    return page


@pytest.fixture
def town(app, make_house, make_user, add_visits, mark_vulnerable):
    """House A (Schadewijk, vulnerable) with a week of visits; house B (Lith) with a few."""
    a = make_house("huis-a", area="Schadewijk")
    b = make_house("huis-b", area="Lith")
    mark_vulnerable("Schadewijk")
    add_visits(
        a,
        at(MON, 10),
        30,
        channel="qr",
        area="Schadewijk",
        age_group="67+",
        device_hash="d1",
        first_time=True,
    )
    add_visits(a, at(MON, 10), 7, channel="tablet")
    add_visits(a, at(MON, 11), 3, channel="tally")
    add_visits(b, at(MON, 14), 6, channel="qr", area="Lith", device_hash="e1")
    add_visits(
        a,
        at(MON, 4),
        9,
        channel="tablet",
        suspicious=True,
        suspicious_reason="buiten_openingstijden",
    )
    people = {
        "house": a,
        "other": b,
        "initiatiefnemer": make_user(),
        "gastheer": make_user("gastheer", a),
        "sociaal_beheerder": make_user("sociaal_beheerder", a),
        "beheerder": make_user("beheerder", a),
        "beheerder_b": make_user("beheerder", b),
        "gemeente": make_user("gemeente"),
    }
    return people


def client_for(app, person):
    client = app.test_client()
    login(client, person)
    return client


def table_rows(html: str, caption: str) -> dict[str, list[str]]:
    """Row header -> the data cells of the table with this caption (text, unescaped)."""
    start = html.index(f"<caption>{caption}")
    body = html[start : html.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            text = unescape(re.sub("<[^>]+>", "", head.group(1))).strip()
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows[text] = [unescape(re.sub("<[^>]+>", " ", c)).strip() for c in cells]
    return rows


def table_cells(html: str, caption: str) -> dict[str, str]:
    """Row header -> last cell of the table with this caption."""
    return {k: v[-1] for k, v in table_rows(html, caption).items()}


# One house --------------------------------------------------------------------------------


def test_house_page_shows_figures_charts_and_suppression(app, town):
    client = client_for(app, town["sociaal_beheerder"])
    response = client.get(f"/bereik/huis-a?{PERIOD}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    page = check_markup(html)
    assert len(page.svgs) == 6
    core = table_cells(html, "Kerncijfers")
    assert core["Bezoeken"] == "40" and core["Voor het eerst hier"] == "30"
    channels = table_cells(html, "Bezoeken per kanaal (tabel)")
    assert channels == {
        "QR-code met de telefoon": "30",
        "Tablet ('Ik ben er')": "x",
        "Geteld door gastvrouw of gastheer": "<5",
        "Poster met QR-code": "0",
        "Bezoekerskaart": "0",
    }
    # the chart draws no bar for hidden cells, only their text
    chart = html[
        html.index('id="grafiek-kanaal-titel"') : html.index("</svg>", html.index("grafiek-kanaal"))
    ]
    assert chart.count("<rect") == 1 and "&lt;5</text>" in chart and ">x</text>" in chart
    areas = table_cells(html, "Bezoeken per wijk of kern (tabel)")
    assert areas["Schadewijk (kwetsbare kern)"] == "30"
    assert "Vertellen" in html and 'name="tekst"' in html


def test_suspicious_visits_only_on_request(app, town):
    client = client_for(app, town["beheerder"])
    html = client.get(f"/bereik/huis-a?{PERIOD}&verdacht=y").get_data(as_text=True)
    assert table_cells(html, "Kerncijfers")["Bezoeken"] == "49"


def test_filters_on_room_and_activity(app, town, add_booking, add_visits):
    house = town["house"]
    booking = add_booking(
        town["initiatiefnemer"].id, house.room_ids[1], at(MON, 15), at(MON, 17), title="Taalcafé"
    )
    add_visits(house, at(MON, 15, 30), 8, room_id=house.room_ids[1], booking_id=booking)
    client = client_for(app, town["beheerder"])
    html = client.get(f"/bereik/huis-a?{PERIOD}&ruimte={house.room_ids[1]}").get_data(as_text=True)
    assert table_cells(html, "Kerncijfers")["Bezoeken"] == "8"
    html = client.get(f"/bereik/huis-a?{PERIOD}&activiteit={booking}").get_data(as_text=True)
    assert table_cells(html, "Kerncijfers")["Bezoeken"] == "8" and "Taalcafé" in html


def test_house_csv_matches_the_screen(app, town):
    client = client_for(app, town["beheerder"])
    response = client.get(f"/bereik/huis-a/export.csv?{PERIOD}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["huis", "van", "tot en met", "filter", "onderdeel", "categorie", "aantal"]
    figures = {(r[4], r[5]): r[6] for r in rows[1:]}
    assert figures[("totaal", "bezoeken")] == "40"
    assert figures[("kanaal", "Geteld door gastvrouw of gastheer")] == "<5"
    assert figures[("kanaal", "Tablet ('Ik ben er')")] == "x"
    assert figures[("kanaal", "QR-code met de telefoon")] == "30"
    assert figures[("dag", "2026-03-02")] == "40"
    screen = client.get(f"/bereik/huis-a?{PERIOD}").get_data(as_text=True)
    hours = table_cells(screen, "Bezoeken per uur van de dag (tabel)")
    assert hours["11:00–12:00"] == "<5" and figures[("uur", "11:00–12:00")] == "<5"
    assert hours["10:00–11:00"] == "x" and figures[("uur", "10:00–11:00")] == "x"


def test_gastheer_sees_only_todays_totals(app, town, add_visits):
    house = town["house"]
    add_visits(house, datetime.now(UTC), 2)
    client = client_for(app, town["gastheer"])
    response = client.get("/bereik/huis-a?" + PERIOD)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_markup(html)
    assert "Vandaag in" in html and "Bezoeken per kanaal" not in html
    assert table_cells(html, "De cijfers van vandaag")["Bezoeken"] == "2"
    assert table_cells(html, "De cijfers van vandaag")["Voor het eerst hier"] == "0"
    for path in (
        "/bereik/huis-a/export.csv",
        "/bereik/huis-a/rendement",
        "/bereik/huis-a/rendement.csv",
        "/bereik/huis-b",
        "/bereik/export.csv",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/bereik/").headers["Location"].endswith("/bereik/huis-a")


@pytest.mark.parametrize("role", ["initiatiefnemer", "beheerder_b"])
def test_others_get_404_never_403(app, town, role):
    client = client_for(app, town[role])
    for path in (
        "/bereik/huis-a",
        f"/bereik/huis-a?{PERIOD}",
        "/bereik/huis-a/export.csv",
        "/bereik/huis-a/rendement",
        "/bereik/huis-a/rendement.csv",
        "/api/v1/stats/reach?house=huis-a&from=2026-03-02&to=2026-03-08",
        "/bereik/export.csv",
        "/bereik/rendement.csv",
        "/bereik/bestaat-niet",
    ):
        assert client.get(path).status_code == 404, path
    response = post_form(client, "/bereik/huis-a/notities", {"dag": "2026-03-02", "tekst": "Hoi"})
    assert response.status_code == 404


def test_only_the_gemeente_compares_houses(app, town):
    assert client_for(app, town["initiatiefnemer"]).get("/bereik/").status_code == 404
    own = client_for(app, town["beheerder_b"]).get("/bereik/")
    assert own.status_code == 302 and own.headers["Location"].endswith("/bereik/huis-b")
    own = client_for(app, town["sociaal_beheerder"]).get("/bereik/rendement")
    assert own.status_code == 302 and own.headers["Location"].endswith("/bereik/huis-a/rendement")
    assert app.test_client().get("/bereik/").status_code == 302  # to the login page


# The gemeente --------------------------------------------------------------------------------


def test_comparison_lists_every_house_and_marks_vulnerable_areas(app, town, make_house):
    make_house("huis-c", area="Megen")  # no visits at all
    client = client_for(app, town["gemeente"])
    html = client.get(f"/bereik/?{PERIOD}").get_data(as_text=True)
    check_markup(html)
    for name in ("Testhuis 1", "Testhuis 2", "Testhuis 3"):
        assert name in html
    assert "Schadewijk <strong>(kwetsbare kern)</strong>" in html
    assert "Lith <strong>" not in html
    assert "Hele gemeente" in html
    response = client.get(f"/bereik/export.csv?{PERIOD}")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    header, lines = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert header[:3] == ["huis", "wijk of kern", "kwetsbaar"]
    assert lines["Testhuis 1"]["kwetsbaar"] == "ja" and lines["Testhuis 2"]["kwetsbaar"] == "nee"
    assert lines["Testhuis 1"]["bezoeken"] == "40" and lines["Testhuis 3"]["bezoeken"] == "0"
    assert lines["Testhuis 1"]["Geteld"] == "<5" and lines["Testhuis 1"]["Tablet"] == "x"
    assert lines["hele gemeente"]["bezoeken"] == "46"
    assert lines["Testhuis 1"]["uit kwetsbare wijken en kernen"] == "30"


def test_default_period_is_the_last_full_quarter(app, town):
    from booking.rules.periods import previous_quarter

    quarter = previous_quarter(datetime.now(AMSTERDAM).date())
    html = client_for(app, town["gemeente"]).get("/bereik/").get_data(as_text=True)
    assert f'value="{quarter.first.isoformat()}"' in html  # the date inputs show it
    assert f'value="{quarter.last.isoformat()}"' in html
    for choice in ("Deze maand", "Vorige maand", "Dit kwartaal", "Vorig kwartaal"):
        assert choice in html


# Rendement ---------------------------------------------------------------------------------


def test_rendement_of_a_house_and_of_all_houses(app, town, add_booking):
    house = town["house"]
    organiser = town["initiatiefnemer"].id
    add_booking(
        organiser,
        house.room_ids[0],
        at(MON, 13),
        at(MON, 15),
        priority_class=1,
        tariff_group="T1",
        list_price_cents=6000,
    )
    add_booking(
        organiser,
        house.room_ids[1],
        at(MON, 13),
        at(MON, 14, 30),
        priority_class=3,
        tariff_group="T3",
        amount_cents=4500,
        list_price_cents=4500,
    )
    client = client_for(app, town["beheerder"])
    response = client.get(f"/bereik/huis-a/rendement?{PERIOD}")
    html = response.get_data(as_text=True).replace("\xa0", " ")
    assert response.status_code == 200
    check_markup(html)
    classes = table_cells(html, "Geboekte uren per voorrangsklasse")
    assert classes == {"Testhuis 1": "57 %"}  # 2 of 3.5 hours, door en voor bewoners
    assert "3,5" in html and "€ 60,00" in html and "€ 45,00" in html
    assert "€ 1,50" in html  # 6000 cents / 40 visits
    response = client.get(f"/bereik/huis-a/rendement.csv?{PERIOD}")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["uren totaal"] == "3,50" and line["huur kwijtgescholden"] == "60,00"
    assert line["kwijtgescholden huur per bezoek"] == "1,50"
    assert line["aandeel uren door en voor bewoners (%)"] == "57"
    gemeente = client_for(app, town["gemeente"])
    html = gemeente.get(f"/bereik/rendement?{PERIOD}").get_data(as_text=True)
    check_markup(html)
    assert "Testhuis 2" in html and "Alle huizen" in html
    response = gemeente.get(f"/bereik/rendement.csv?{PERIOD}")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    by_house = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_house["Testhuis 2"]["kwijtgescholden huur per bezoek"] == "0,00"
    assert by_house["totaal"]["bezoeken"] == "46"


def test_print_stylesheet_for_a4(app):
    css = (Path(app.static_folder) / "css" / "app.css").read_text(encoding="utf-8")
    tail = css[css.index("/* Statistics and maatschappelijk rendement on paper") :]
    assert "@media print" in tail and "size: A4 landscape" in tail


# Host notes ----------------------------------------------------------------------------------


def test_host_writes_a_note_shown_beside_the_figures(app, town, add_booking):
    today = datetime.now(AMSTERDAM).date()
    host = client_for(app, town["gastheer"])
    response = post_form(
        host,
        "/bereik/huis-a/notities",
        {"dag": today.isoformat(), "tekst": "Drie nieuwe buren aan de koffie."},
        page="/bereik/huis-a",
    )
    assert response.status_code == 302
    assert "Drie nieuwe buren" in host.get("/bereik/huis-a").get_data(as_text=True)
    booking = add_booking(
        town["initiatiefnemer"].id,
        town["house"].room_ids[0],
        at(MON, 10),
        at(MON, 12),
        title="Koffieochtend",
    )
    social = client_for(app, town["sociaal_beheerder"])
    response = post_form(
        social,
        "/bereik/huis-a/notities",
        {
            "dag": "2026-03-02",
            "activiteit": str(booking),
            "tekst": "Het taalmaatje nam haar buurvrouw mee.",
            "van": "2026-03-02",
            "tot": "2026-03-08",
        },
        page="/bereik/huis-a",
    )
    assert response.status_code == 302 and "van=2026-03-02" in response.headers["Location"]
    html = social.get(f"/bereik/huis-a?{PERIOD}").get_data(as_text=True)
    assert "Het taalmaatje" in html and "Koffieochtend" in html
    assert "Drie nieuwe buren" not in html  # another period


def test_bad_notes_answer_400_and_store_nothing(app, town):
    client = client_for(app, town["sociaal_beheerder"])
    cases = [
        {"dag": "2026-03-02", "tekst": "x" * 100_000},
        {"dag": "2026-03-02", "tekst": ""},
        {"dag": "morgen", "tekst": "Hallo"},
        {"dag": "2999-01-01", "tekst": "Hallo"},
        {"dag": "2026-03-02", "tekst": "Hallo", "activiteit": "987654"},
        {"dag": "2026-03-02", "tekst": "Hallo", "activiteit": "abc"},
    ]
    for data in cases:
        response = post_form(client, "/bereik/huis-a/notities", data, page="/bereik/huis-a")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, data
        assert 'class="error"' in html
        check_markup(html)
    assert "Hoogstens 1000 tekens." in post_form(
        client, "/bereik/huis-a/notities", cases[0], page="/bereik/huis-a"
    ).get_data(as_text=True)
    response = client.post("/bereik/huis-a/notities", data={"dag": "2026-03-02", "tekst": "Hoi"})
    assert response.status_code == 400  # no CSRF token
    with app.app_context():
        assert db.session.query(HostNote).count() == 0


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "van=2026-13-01&tot=2026-12-01",
        "van=02-03-2026&tot=2026-03-08",
        "van=2026-03-08&tot=2026-03-02",
        "van=2024-01-01&tot=2026-01-01",
        "van=9999-12-31&tot=9999-12-31",
        "van=2026-03-02",
        "van=" + "1" * 5000 + "&tot=2026-03-08",
        "ruimte=999999",
        "ruimte=zaal",
        "activiteit=999999",
    ],
)
def test_bad_filters_answer_400_in_dutch(app, town, query):
    client = client_for(app, town["gemeente"])
    response = client.get(f"/bereik/huis-a?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="error"' in html and "Controleer het formulier" in html
    check_markup(html)
    assert client.get(f"/bereik/huis-a/export.csv?{query}").status_code == 400
    if "ruimte" not in query and "activiteit" not in query:
        assert client.get(f"/bereik/?{query}").status_code == 400
        assert client.get(f"/bereik/export.csv?{query}").status_code == 400
        assert client.get(f"/bereik/rendement?{query}").status_code == 400
        assert client.get(f"/bereik/huis-a/rendement.csv?{query}").status_code == 400


def test_a_room_of_another_house_is_refused(app, town):
    client = client_for(app, town["gemeente"])
    room_b = town["other"].room_ids[0]
    response = client.get(f"/bereik/huis-a?ruimte={room_b}")
    assert response.status_code == 400
    assert "Deze ruimte hoort niet bij dit huis." in response.get_data(as_text=True)


# JSON API -------------------------------------------------------------------------------------


def test_api_reach_has_the_design_shape_with_suppression(app, town):
    client = client_for(app, town["sociaal_beheerder"])
    response = client.get("/api/v1/stats/reach?house=huis-a&from=2026-03-02&to=2026-03-08")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {
        "visits",
        "distinct_devices",
        "first_visits",
        "by_channel",
        "by_area",
        "by_age",
        "by_day",
        "visitors",
    }
    assert body["visits"] == 40 and body["distinct_devices"] == 1 and body["first_visits"] == 30
    assert body["visitors"] == {  # one phone: phone + card = the public distinct total 1
        "distinct": {"telefoon": "<5", "kaart": "x"},
        "returning": {"telefoon": 0, "kaart": 0, "totaal": 0},
        "new_this_year": {"telefoon": "<5", "kaart": 0, "totaal": "<5"},
        "exact": True,
    }
    assert body["by_channel"] == {"qr": 30, "tablet": "x", "tally": "<5", "poster": 0, "kaart": 0}
    assert body["by_area"]["Schadewijk"] == 30 and body["by_area"]["onbekend"] == 10
    assert body["by_age"]["67+"] == 30
    assert list(body["by_day"]) == [f"2026-03-0{d}" for d in range(2, 9)]
    assert body["by_day"]["2026-03-02"] == 40 and body["by_day"]["2026-03-03"] == 0


def test_api_reach_for_the_gemeente_without_a_house(app, town):
    client = client_for(app, town["gemeente"])
    body = client.get("/api/v1/stats/reach?from=2026-03-02&to=2026-03-08").get_json()
    assert body["visits"] == 46 and body["by_channel"]["qr"] == 36
    other = client_for(app, town["beheerder"])
    response = other.get("/api/v1/stats/reach?from=2026-03-02&to=2026-03-08")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query, status",
    [
        ("house=huis-a&from=2026-03-02", 400),
        ("house=huis-a&from=2026-3-2&to=2026-03-08", 400),
        ("house=huis-a&from=2026-03-08&to=2026-03-02", 400),
        ("house=huis-a&from=2020-01-01&to=2026-01-01", 400),
        ("house=bestaat-niet&from=2026-03-02&to=2026-03-08", 404),
    ],
)
def test_api_reach_errors(app, town, query, status):
    client = client_for(app, town["gemeente"])
    response = client.get(f"/api/v1/stats/reach?{query}")
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    anonymous = app.test_client().get(f"/api/v1/stats/reach?{query}")
    assert anonymous.status_code == 401


def test_api_reach_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "get" in document["paths"]["/stats/reach"]
    assert "Reach" in document["components"]["schemas"]


def test_nav_link_for_staff_only(app, town):
    assert ">Bereik</a>" in client_for(app, town["gastheer"]).get("/").get_data(as_text=True)
    assert ">Bereik</a>" in client_for(app, town["gemeente"]).get("/").get_data(as_text=True)
    assert ">Bereik</a>" not in client_for(app, town["initiatiefnemer"]).get("/").get_data(
        as_text=True
    )
