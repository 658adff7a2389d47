"""Changing a booking into a taken slot: each alternative is a link that fills the change
form with that room and time, keeping the title, the public flag and every answer (as the
new-booking page's alternatives do). For staff, a room of another house stays text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from booking.extensions import db
from booking.models import Booking, User
from booking.rules.permissions import Role
from booking.rules.recurrence import Frequency, Recurrence
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.services import series
from tests.conftest import activity, local_day, login, post_form
from tests.rooms.test_change import form

EDITED = {"title": "Nieuwe naam", "contribution": "2,50", "subsidised": "ja"}


def links_of(html: str, prefix: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'href="({re.escape(prefix)}\?[^"]+)"', html)]


def edited_form(room_id: int, **extra) -> dict:
    data = {**form(room_id), **EDITED, **extra}
    data.pop("public")  # unticked
    return data


def public_box(html: str) -> str:
    return re.search(r'<input[^>]*name="public"[^>]*>', html).group(0)


@pytest.fixture
def taken(app, make_house, make_user, book):
    """A booking (room 2, in 4 days), and room 2 taken in 5 days 14:00–16:00 by another."""
    house, elsewhere = make_house(), make_house()  # the same kern: a nearby house exists
    user, other = make_user(), make_user()
    booking_id = book(user, house.room_ids[1], days_ahead=4)
    book(other, house.room_ids[1], days_ahead=5, start="14:00", end="16:00")
    return house, elsewhere, user, booking_id


def test_the_organisers_alternatives_fill_the_form_and_keep_every_answer(app, client, taken):
    house, elsewhere, user, booking_id = taken
    login(client, user)
    url = f"/mijn-boekingen/{booking_id}/wijzigen"
    refused = post_form(
        client, url, {**edited_form(house.room_ids[1]), "action": "preview"}, page=url
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    links = links_of(html, url)
    assert len(links) == 2  # the same room later, a room of the nearby house
    args = [{k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} for link in links]
    for carried in args:
        assert carried["title"] == "Nieuwe naam" and "public" not in carried
        assert carried["contribution"] == "2,50" and carried["subsidised"] == "ja"
        assert carried["organiser_kind"] == "bewoners" and carried["scope"] == "occurrence"
    assert {int(a["room_id"]) for a in args} == {house.room_ids[1], elsewhere.room_ids[1]}
    same_room, chosen_args = next(
        (link, a)
        for link, a in zip(links, args, strict=True)
        if int(a["room_id"]) == house.room_ids[1]
    )

    page = client.get(same_room)
    assert page.status_code == 200
    filled = page.get_data(as_text=True)
    moved_to = {key: chosen_args[key][11:] for key in ("start", "end")}
    assert f'value="{moved_to["start"]}"' in filled and f'value="{moved_to["end"]}"' in filled
    assert f'value="{local_day(5).isoformat()}"' in filled
    assert 'value="Nieuwe naam"' in filled and 'value="2,50"' in filled
    assert "checked" not in public_box(filled)
    assert re.search(r'<input checked[^>]*id="subsidised-0"|id="subsidised-0"[^>]*checked', filled)

    # and the filled-in form changes the booking to exactly that
    chosen = {**edited_form(house.room_ids[1]), "start_time": moved_to["start"]}
    chosen["end_time"] = moved_to["end"]
    preview = post_form(client, url, {**chosen, "action": "preview"}, page=same_room)
    assert preview.status_code == 200 and "Bevestig de wijziging" in preview.get_data(as_text=True)
    done = post_form(client, url, {**chosen, "action": "confirm"}, page=same_room)
    assert done.status_code == 302
    with app.app_context():
        changed = db.session.get(Booking, booking_id)
        assert changed.title == "Nieuwe naam" and changed.public is False
        assert changed.subsidised is True and changed.contribution_cents == 250
        assert changed.start.astimezone(AMSTERDAM).strftime("%H:%M") == moved_to["start"]


def test_for_staff_a_room_of_another_house_stays_text(app, client, make_user, taken):
    house, _elsewhere, _user, booking_id = taken
    beheerder = make_user(Role.beheerder, house)
    login(client, beheerder)
    url = f"/beheer/{house.slug}/boekingen/{booking_id}/bewerken"
    refused = post_form(
        client, url, {**edited_form(house.room_ids[1]), "action": "preview"}, page=url
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    links = links_of(html, url)
    assert len(links) == 1 and f"room_id={house.room_ids[1]}" in links[0]
    assert "Testhuis 2" in html  # still suggested, as text
    page = client.get(links[0])
    assert page.status_code == 200 and 'value="Nieuwe naam"' in page.get_data(as_text=True)


def test_for_the_rest_of_a_series_the_link_keeps_the_date_being_changed(
    app, client, make_house, make_user, book
):
    house, user, other = make_house(), make_user(), make_user()
    first = local_day(7)
    start = local_to_utc(datetime.combine(first, time(10)))
    with app.app_context():
        made = series.create_series(
            db.session.get(User, user.id),
            house.room_ids[1],
            start,
            start + timedelta(hours=2),
            "Koffieochtend",
            True,
            activity(),
            Recurrence(Frequency.weekly, 1, first + timedelta(days=14)),
            now=datetime.now(UTC),
        )
        db.session.commit()
        booking_id = made.occurrences[0].booking.id
    book(other, house.room_ids[1], days_ahead=14, start="14:00", end="16:00")  # 2nd date
    login(client, user)
    url = f"/mijn-boekingen/{booking_id}/wijzigen"
    data = {**form(house.room_ids[1], days=7), "scope": "rest_of_series", "action": "preview"}
    refused = post_form(client, url, data, page=url)
    assert refused.status_code == 409
    links = links_of(refused.get_data(as_text=True), url)
    assert links
    for link in links:
        carried = parse_qs(urlsplit(link).query)
        assert carried["scope"] == ["rest_of_series"]
        assert carried["start"][0].startswith(f"{first.isoformat()}T")
    filled = client.get(links[0]).get_data(as_text=True)
    assert f'value="{first.isoformat()}"' in filled
    assert re.search(
        r'checked[^>]*value="rest_of_series"|value="rest_of_series"[^>]*checked', filled
    )


@pytest.mark.parametrize(
    "query",
    [
        "start=morgen&end=later",
        "start=2026-13-40T10:00&end=2026-13-40T12:00",
        "start=2030-01-01T12:00&end=2030-01-01T10:00",
        "start=2030-01-01T10:00%2B05:00&end=2030-01-01T12:00%2B05:00",
        "start=99999-01-01T10:00&end=99999-01-01T12:00",
        "room_id=999999&start=2030-01-01T10:00&end=2030-01-01T12:00&scope=alles",
        "title=%00%1b&organiser_kind=" + "x" * 500 + "&contribution=%F0%9F%92%A9",
    ],
)
def test_a_link_that_is_not_one_of_ours_is_never_a_500(client, taken, query):
    """The booking as it is (or the link's usable parts); control characters are refused
    with the site's 400 page before any view."""
    _house, _elsewhere, user, booking_id = taken
    login(client, user)
    page = client.get(f"/mijn-boekingen/{booking_id}/wijzigen?{query}")
    assert page.status_code in (200, 400)
    html = page.get_data(as_text=True)
    assert 'lang="nl"' in html
    if page.status_code == 200:
        assert "Boeking wijzigen" in html


def test_a_foreign_room_in_a_staff_link_is_ignored(app, client, make_user, taken):
    house, elsewhere, _user, booking_id = taken
    login(client, make_user(Role.beheerder, house))
    day = local_day(5).isoformat()
    url = f"/beheer/{house.slug}/boekingen/{booking_id}/bewerken"
    page = client.get(
        f"{url}?room_id={elsewhere.room_ids[0]}&start={day}T16:00&end={day}T18:00&title=X"
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'<option selected value="{elsewhere.room_ids[0]}"' not in html
    assert 'value="16:00"' in html and 'value="X"' in html


def test_someone_elses_booking_is_still_404_with_a_link(app, client, make_user, taken):
    house, elsewhere, _user, booking_id = taken
    day = local_day(5).isoformat()
    query = f"?room_id={house.room_ids[0]}&start={day}T16:00&end={day}T18:00&title=Mijn"
    login(client, make_user())
    assert client.get(f"/mijn-boekingen/{booking_id}/wijzigen{query}").status_code == 404
    other_house_staff = app.test_client()
    login(other_house_staff, make_user(Role.beheerder, elsewhere))
    foreign = f"/beheer/{house.slug}/boekingen/{booking_id}/bewerken{query}"
    assert other_house_staff.get(foreign).status_code == 404
    with app.app_context():
        assert db.session.get(Booking, booking_id).title == "Koffieochtend"
