"""The public agenda: a house's page, "wat is er te doen", and the agenda to embed."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import event

from booking.extensions import db
from booking.models import Booking, House
from booking.rules.statuses import BookingStatus
from tests.conftest import activity, local_day, login, post_form

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _events(html: str) -> list[dict]:
    return [json.loads(raw) for raw in LD.findall(html)]


def _set(app, booking_id: int, **values) -> None:
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        for name, value in values.items():
            setattr(booking, name, value)
        db.session.commit()


def _set_house(app, house_id: int, **values) -> None:
    with app.app_context():
        house = db.session.get(House, house_id)
        for name, value in values.items():
            setattr(house, name, value)
        db.session.commit()


@pytest.fixture
def organiser(make_user):
    return make_user()


def test_house_page_shows_public_activities_day_by_day(app, client, make_house, organiser, book):
    house = make_house()
    book(organiser, house.room_ids[1], days_ahead=2, title="Buurtbingo")
    book(organiser, house.room_ids[1], days_ahead=4, start="14:00", end="16:00", title="Taalcafé")
    html = client.get(f"/huizen/{house.slug}").get_data(as_text=True)
    assert "Buurtbingo" in html and "Taalcafé" in html
    assert html.index("Buurtbingo") < html.index("Taalcafé")
    assert 'datetime="' + local_day(2).isoformat() + "T10:00" in html
    names = [e["name"] for e in _events(html)]
    assert names == ["Buurtbingo", "Taalcafé"]
    first = _events(html)[0]
    assert first["@type"] == "Event" and first["startDate"].startswith(local_day(2).isoformat())
    assert first["location"]["name"].endswith("Zaal 2")


def test_private_cancelled_and_far_bookings_stay_off(app, client, make_house, organiser, book):
    house = make_house()
    private = book(organiser, house.room_ids[1], days_ahead=2, title="Verjaardag Jansen")
    _set(app, private, public=False)
    cancelled = book(organiser, house.room_ids[1], days_ahead=3, title="Afgelast concert")
    _set(app, cancelled, status=BookingStatus.geannuleerd)
    book(organiser, house.room_ids[1], days_ahead=20, title="Verre toekomst")
    book(organiser, house.room_ids[1], days_ahead=5, title="Open repetitie")
    for path in (
        f"/huizen/{house.slug}",
        "/wat-is-er-te-doen",
        f"/huizen/{house.slug}/agenda-embed",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "Open repetitie" in html, path
        for hidden in ("Verjaardag Jansen", "Afgelast concert", "Verre toekomst"):
            assert hidden not in html, (path, hidden)


def test_no_organiser_details_on_public_pages(app, client, make_house, make_user, book):
    house = make_house()
    person = make_user(email="geheim.organisator@example.org")
    booking_id = book(person, house.room_ids[1], days_ahead=2, title="Koffie")
    _set(app, booking_id, on_behalf_name="Mevrouw Verborgen", on_behalf_phone="0612345678")
    for path in (
        f"/huizen/{house.slug}",
        "/wat-is-er-te-doen",
        f"/huizen/{house.slug}/agenda-embed",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "Koffie" in html
        for secret in ("geheim.organisator", "Test initiatiefnemer", "Verborgen", "0612345678"):
            assert secret not in html, (path, secret)


def test_json_ld_cannot_break_out_of_its_script(app, client, make_house, organiser, book):
    house = make_house()
    booking_id = book(organiser, house.room_ids[1], days_ahead=2, title="Koffie")
    _set(app, booking_id, title='Bingo</script><script>alert("x")</script>')
    html = client.get(f"/huizen/{house.slug}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert _events(html)[0]["name"] == 'Bingo</script><script>alert("x")</script>'


def test_house_contact_and_huiskamer_hours_shown(app, client, make_house):
    house = make_house()
    _set_house(
        app,
        house.id,
        address="Dorpsstraat 1, Lith",
        contact_email="info@huis.example",
        contact_phone="0412 111 222",
        huiskamer_hours="ma t/m vr 10.00–12.00",
    )
    html = client.get(f"/huizen/{house.slug}").get_data(as_text=True)
    for shown in ("Dorpsstraat 1, Lith", "mailto:info@huis.example", "0412 111 222"):
        assert shown in html
    assert "ma t/m vr 10.00–12.00" in html and "De huiskamer" in html


def test_unknown_house_is_404(client):
    assert client.get("/huizen/bestaat-niet").status_code == 404
    assert client.get("/huizen/bestaat-niet/agenda-embed").status_code == 404


# Wat is er te doen ------------------------------------------------------------------------


@pytest.fixture
def town(app, make_house, organiser, book):
    """Two houses in two areas: a huiskamer activity, a residents' one, a club's one."""
    lith = make_house(area="Lith")
    ruwaard = make_house(area="Ruwaard")
    book(organiser, lith.room_ids[0], days_ahead=2, title="Koffie in de huiskamer")
    book(organiser, lith.room_ids[1], days_ahead=3, title="Buurtmaaltijd")
    club = book(
        organiser,
        ruwaard.room_ids[1],
        days_ahead=3,
        start="19:00",
        end="21:00",
        title="Open avond koor",
        what=activity("vereniging"),
    )
    with app.app_context():
        assert db.session.get(Booking, club).priority_class != 1
        areas = {h.slug: db.session.get(House, h.id).area_id for h in (lith, ruwaard)}
    return lith, ruwaard, areas


ALL = ("Koffie in de huiskamer", "Buurtmaaltijd", "Open avond koor")


def _shown(client, query: str) -> set[str]:
    response = client.get("/wat-is-er-te-doen" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    return {title for title in ALL if title in html}


def test_whats_on_lists_every_house(client, town):
    assert _shown(client, "") == set(ALL)
    html = client.get("/wat-is-er-te-doen").get_data(as_text=True)
    assert 'href="/huizen/' + town[0].slug + '"' in html


def test_whats_on_filters_by_area_day_and_kind(client, town):
    lith, ruwaard, areas = town
    assert _shown(client, f"?wijk={areas[ruwaard.slug]}") == {"Open avond koor"}
    assert _shown(client, f"?dag={local_day(2).isoformat()}") == {"Koffie in de huiskamer"}
    assert _shown(client, "?soort=huiskamer") == {"Koffie in de huiskamer"}
    assert _shown(client, "?soort=bewoners") == {"Buurtmaaltijd"}
    assert _shown(client, "?soort=overig") == {"Open avond koor"}
    assert _shown(client, f"?wijk={areas[lith.slug]}&soort=bewoners&dag=") == {"Buurtmaaltijd"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?wijk=abc", "Deze wijk of kern kennen we niet."),
        ("?wijk=999999", "Deze wijk of kern kennen we niet."),
        ("?wijk=99999999999999999999", "Deze wijk of kern kennen we niet."),
        ("?dag=morgen", "Dit is geen geldige datum"),
        ("?dag=1999-01-01", "Kies een dag tussen"),
        ("?dag=2026-02-30", "Dit is geen geldige datum"),
        ("?soort=feest", "Kies als soort: huiskamer, bewoners of overig."),
        ("?soort=FEEST", "Kies als soort"),
        ("?soort=%00", "teken dat niet mag"),  # refused at the edge, before the view
    ],
)
def test_bad_filters_are_400_in_dutch(client, town, query, message):
    response = client.get("/wat-is-er-te-doen" + query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "Buurtmaaltijd" not in html
    if "%00" not in query:
        assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_whats_on_is_linked_from_home_and_menu(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/wat-is-er-te-doen"') >= 2


def test_whats_on_uses_a_constant_number_of_queries(app, client, make_house, organiser, book):
    def count_for(houses: int) -> int:
        for _ in range(houses):
            house = make_house()
            book(organiser, house.room_ids[1], days_ahead=2, title="Koffie")
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def note(*args) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", note)
        try:
            assert client.get("/wat-is-er-te-doen").status_code == 200
            assert client.get(f"/huizen/{house.slug}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", note)
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    few = count_for(1)
    assert 0 < few == count_for(5)


# Embedding -------------------------------------------------------------------------------


def test_embed_may_be_framed_other_pages_may_not(app, client, make_house):
    house = make_house()
    embed = client.get(f"/huizen/{house.slug}/agenda-embed")
    assert embed.status_code == 200
    csp = embed.headers["Content-Security-Policy"]
    assert "frame-ancestors https:" in csp and "script-src 'self'" in csp
    assert "X-Frame-Options" not in embed.headers
    html = embed.get_data(as_text=True)
    assert "site-header" not in html and 'class="agenda-embed"' in html
    for path in (f"/huizen/{house.slug}", "/wat-is-er-te-doen", "/", "/login"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_embed_frame_ancestors_is_configurable(app, client, make_house):
    house = make_house()
    app.config["EMBED_FRAME_ANCESTORS"] = "https://www.dewijk.example; script-src *"
    csp = client.get(f"/huizen/{house.slug}/agenda-embed").headers["Content-Security-Policy"]
    assert "frame-ancestors https://www.dewijk.example script-src *" in csp
    assert csp.count(";") == CSP_DIRECTIVES - 1
    assert "script-src 'self'" in csp


CSP_DIRECTIVES = 10


def test_missing_house_embed_is_not_frameable(client):
    response = client.get("/huizen/bestaat-niet/agenda-embed")
    assert response.status_code == 404
    assert response.headers["X-Frame-Options"] == "DENY"


# The beheerder's side -----------------------------------------------------------------------


def test_beheerder_sees_embed_snippet(app, client, make_house, make_user):
    house = make_house()
    login(client, make_user("beheerder", house))
    html = client.get(f"/beheer/{house.slug}").get_data(as_text=True)
    assert f"/huizen/{house.slug}/agenda-embed" in html and "&lt;iframe" in html
    assert 'href="/agenda-links"' in html


def _settings_form(house, **changes) -> dict:
    data = {
        "request_expiry_days": "7",
        "min_duration": "30",
        "max_duration": "720",
        "booking_horizon": "18",
        "contact_email": "",
        "contact_phone": "",
        "huiskamer_hours": "",
    }
    data.update(changes)
    return data


def test_beheerder_edits_contact_details(app, client, make_house, make_user):
    house = make_house()
    login(client, make_user("beheerder", house))
    page = f"/beheer/{house.slug}/instellingen"
    response = post_form(
        client,
        page,
        _settings_form(
            house,
            contact_email="info@huis.example",
            contact_phone="0412-123456",
            huiskamer_hours="di en do 10.00–12.00",
        ),
        page=page,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(House, house.id)
        assert (stored.contact_email, stored.contact_phone, stored.huiskamer_hours) == (
            "info@huis.example",
            "0412-123456",
            "di en do 10.00–12.00",
        )
    html = client.get(f"/huizen/{house.slug}").get_data(as_text=True)
    assert "di en do 10.00–12.00" in html and "info@huis.example" in html


@pytest.mark.parametrize(
    "changes",
    [{"contact_email": "geen-adres"}, {"contact_phone": "0" * 41}, {"huiskamer_hours": "x" * 201}],
)
def test_bad_contact_details_are_refused(app, client, make_house, make_user, changes):
    house = make_house()
    login(client, make_user("beheerder", house))
    page = f"/beheer/{house.slug}/instellingen"
    response = post_form(client, page, _settings_form(house, **changes), page=page)
    assert response.status_code == 400
    with app.app_context():
        stored = db.session.get(House, house.id)
        assert (stored.contact_email, stored.contact_phone, stored.huiskamer_hours) == ("", "", "")


def test_agenda_pages_carry_no_inline_script(client, make_house, organiser, book):
    house = make_house()
    book(organiser, house.room_ids[1], days_ahead=2)
    for path in (
        f"/huizen/{house.slug}",
        "/wat-is-er-te-doen",
        f"/huizen/{house.slug}/agenda-embed",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all("src=" in s or 'type="application/ld+json"' in s for s in scripts), scripts


def test_a_long_agenda_shows_the_first_activities_and_asks_for_a_filter(
    client, make_house, organiser, book, monkeypatch
):
    from booking.services import agenda

    monkeypatch.setattr(agenda, "MAX_ITEMS", 2)
    house = make_house()
    for days, title in ((2, "Eerste"), (3, "Tweede"), (4, "Derde")):
        book(organiser, house.room_ids[1], days_ahead=days, title=title)
    for path in ("/wat-is-er-te-doen", f"/huizen/{house.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert "Eerste" in html and "Tweede" in html and "Derde" not in html, path
        assert [e["name"] for e in _events(html)] == ["Eerste", "Tweede"]
    assert "kies een wijk, dag of soort" in html
    monkeypatch.setattr(agenda, "MAX_ITEMS", 3)
    html = client.get("/wat-is-er-te-doen").get_data(as_text=True)
    assert "Derde" in html and "kies een wijk, dag of soort" not in html
