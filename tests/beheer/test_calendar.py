"""The house calendar for staff: who sees it, what it draws, bad input, its query count."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import event

from booking.demo.bookings import CHOIR
from booking.extensions import db
from booking.models import Booking, Closure, PriorityBlock, Room
from booking.rules.slots import AMSTERDAM, local_to_utc
from tests.beheer.test_day_sheet import place
from tests.beheer.test_pages import client_for, make_setup


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def ahead(n: int) -> date:
    return datetime.now(AMSTERDAM).date() + timedelta(days=n)


def next_monday() -> date:
    today = ahead(0)
    return today + timedelta(days=7 - today.weekday())


def add_closure(app, house_id: int, first: date, days: int, reason: str) -> None:
    with app.app_context():
        db.session.add(
            Closure(
                house_id=house_id,
                starts_at=local_to_utc(datetime.combine(first, time(0))),
                ends_at=local_to_utc(datetime.combine(first + timedelta(days=days), time(0))),
                reason=reason,
            )
        )
        db.session.commit()


def add_block(app, room_id: int, weekday: int, starts: time, ends: time) -> None:
    with app.app_context():
        db.session.add(PriorityBlock(room_id=room_id, weekday=weekday, starts=starts, ends=ends))
        db.session.commit()


def test_who_may_see_the_calendar(app, setup):
    for path in ("/agenda", "/agenda/week"):
        url = setup.base + path
        assert app.test_client().get(url).status_code == 302
        for user in (setup.beheerder, setup.sociaal, setup.gemeente):
            assert client_for(app, user).get(url).status_code == 200, (path, user)
        for user in (setup.gastheer, setup.organiser, setup.other_beheerder):
            assert client_for(app, user).get(url).status_code == 404, (path, user)
    other = f"/beheer/{setup.other_house.slug}/agenda/week"
    assert client_for(app, setup.beheerder).get(other).status_code == 404
    assert client_for(app, setup.beheerder).get("/beheer/bestaat-niet/agenda").status_code == 404


def test_the_week_draws_the_christmas_closure_and_bookings_by_status(app, setup):
    monday = next_monday()
    add_closure(app, setup.house.id, monday + timedelta(days=3), 2, "kerstvakantie")
    booking_id = place(
        app,
        setup.organiser.id,
        setup.house.room_ids[1],
        monday,
        time(19, 30),
        time(22),
        "Koor",
        CHOIR,
    )
    client = client_for(app, setup.beheerder)
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    html = client.get(f"{setup.base}/agenda/week?week={week}").get_data(as_text=True)
    assert html.count("gesloten: kerstvakantie") == 2 * len(setup.house.room_ids)  # 2 days
    assert f"/beheer/{setup.house.slug}/boekingen/{booking_id}" in html
    assert "Koor" in html and "cal-booking cal-" in html
    assert 'href="/ruimtes/' in html and "/boeken?start=" in html
    same = client.get(f"{setup.base}/agenda/week?dag={monday + timedelta(days=2)}")
    assert same.get_data(as_text=True) == html or "gesloten: kerstvakantie" in same.get_data(
        as_text=True
    )
    assert "Agenda" in html and 'aria-current="page"' in html


def test_the_day_has_rooms_as_columns_and_free_slots_that_prefill_the_form(app, setup):
    day = next_monday()
    room = setup.house.room_ids[0]
    place(app, setup.organiser.id, room, day, time(10), time(12), "Soep")
    add_block(app, setup.house.room_ids[1], day.weekday(), time(13), time(15))
    client = client_for(app, setup.beheerder)
    html = client.get(f"{setup.base}/agenda?dag={day.isoformat()}").get_data(as_text=True)
    assert "Zaal 1" in html and "Zaal 2" in html and 'rowspan="4"' in html  # 10:00-12:00
    assert "alleen voor bewonersactiviteiten" in html
    link = f"/ruimtes/{room}/boeken?start={day.isoformat()}T12:00&amp;end={day.isoformat()}T14:00"
    assert link in html
    form = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f'value="{day.isoformat()}"' in form and 'value="12:00"' in form
    assert 'value="14:00"' in form
    assert "Vorige dag" in html and "Volgende dag" in html and "Vandaag" in html


def test_cancelled_bookings_are_not_drawn(app, setup):
    day = next_monday()
    place(
        app,
        setup.organiser.id,
        setup.house.room_ids[0],
        day,
        time(10),
        time(12),
        "Weg",
        cancelled=True,
    )
    html = (
        client_for(app, setup.beheerder)
        .get(f"{setup.base}/agenda?dag={day}")
        .get_data(as_text=True)
    )
    assert "Weg" not in html


def test_outside_opening_hours_is_drawn(app, setup):
    with app.app_context():
        room = db.session.get(Room, setup.house.room_ids[0])
        for period in room.house.opening_hours:
            period.opens = time(9)
        room.house.opening_hours[0].opens = time(8, 30)
        db.session.commit()
    day = next_monday() + timedelta(days=1)  # a Tuesday: opens at 09:00
    html = (
        client_for(app, setup.beheerder)
        .get(f"{setup.base}/agenda?dag={day}")
        .get_data(as_text=True)
    )
    assert "buiten openingstijden" in html


@pytest.mark.parametrize(
    "query",
    [
        "/agenda?dag=morgen",
        "/agenda?dag=2026-02-30",
        "/agenda?dag=9999-01-01",
        "/agenda/week?week=2026-W60",
        "/agenda/week?week=volgende",
        "/agenda/week?dag=12-12-2026",
        "/agenda/week?week=9999-W01",
    ],
)
def test_bad_days_and_weeks_are_400_in_dutch(app, setup, query):
    response = client_for(app, setup.beheerder).get(setup.base + query)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert any(word in html for word in ("JJJJ", "bestaat niet", "Kies een datum")), html


def _statements(app, client, url: str) -> int:
    count = 0

    def counter(*_args) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return count


def test_the_number_of_queries_does_not_grow_with_the_bookings(app, setup):
    client = client_for(app, setup.beheerder)
    monday = next_monday()
    url = f"{setup.base}/agenda/week?dag={monday}"
    client.get(url)
    few = _statements(app, client, url)
    for n in range(4):
        for room in setup.house.room_ids:
            place(
                app,
                setup.organiser.id,
                room,
                monday + timedelta(days=n),
                time(10),
                time(11),
                f"Activiteit {n}",
            )
    add_closure(app, setup.house.id, monday + timedelta(days=5), 1, "onderhoud")
    add_block(app, setup.house.room_ids[0], 6, time(9), time(10))
    many = _statements(app, client, url)
    assert many == few


def test_a_title_with_markup_or_controls_is_escaped_and_cleaned_in_both_views(app, setup):
    """The blocks are written in Python (beheer/calendar_html.py), so check what the
    template's autoescape and clean_output used to guarantee."""
    monday = next_monday()
    title = 'Koor <script>alert("x")</script>'
    booking_id = place(
        app, setup.organiser.id, setup.house.room_ids[1], monday, time(10), time(12), title, CHOIR
    )
    with app.app_context():  # an old row, stored before the input rule: a bidi override
        db.session.get(Booking, booking_id).title = "Koor \u202egnik"
        db.session.commit()
    client = client_for(app, setup.beheerder)
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    for path in (f"{setup.base}/agenda/week?week={week}", f"{setup.base}/agenda?dag={monday}"):
        html = client.get(path).get_data(as_text=True)
        assert "Koor gnik" in html and "\u202e" not in html, path
    with app.app_context():
        db.session.get(Booking, booking_id).title = title
        db.session.commit()
    html = client.get(f"{setup.base}/agenda?dag={monday}").get_data(as_text=True)
    assert "<script>alert" not in html and "Koor &lt;script&gt;alert(" in html
