"""The day sheet for the door: who sees it, what is on it, bad days, and its query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event

from booking.demo.bookings import CHOIR, RESIDENTS
from booking.extensions import db
from booking.models import Booking, Closure, HostNote, Room, User
from booking.rules.slots import AMSTERDAM, local_to_utc
from booking.rules.tariff import Activity
from booking.services.quotes import judge
from tests.beheer.test_pages import client_for, make_setup


@pytest.fixture
def setup(make_house, make_user):
    return make_setup(make_house, make_user)


def today() -> date:
    return datetime.now(AMSTERDAM).date()


def place(
    app,
    organiser_id: int,
    room_id: int,
    day: date,
    start: time,
    end: time,
    title: str,
    activity: Activity = RESIDENTS,
    *,
    on_behalf: tuple[str, str] = ("", ""),
    cancelled: bool = False,
) -> int:
    """A booking on `day` as it was made a week before (today's may already have begun)."""
    with app.app_context():
        room = db.session.get(Room, room_id)
        begin = local_to_utc(datetime.combine(day, start))
        finish = local_to_utc(datetime.combine(day, end))
        made_at = begin - timedelta(days=7)
        judged = judge(room, begin, finish, activity, made_at)
        assert not judged.problems, judged.problems
        booking = Booking.from_quote(
            judged,
            organiser=db.session.get(User, organiser_id),
            title=title,
            public=True,
            activity=activity,
        )
        booking.on_behalf_name, booking.on_behalf_phone = on_behalf
        if cancelled:
            booking.cancel(now=made_at + timedelta(days=1), reason="Te weinig aanmeldingen.")
        db.session.add(booking)
        db.session.commit()
        return booking.id


def set_phone(app, user_id: int, phone: str) -> None:
    with app.app_context():
        db.session.get(User, user_id).phone = phone
        db.session.commit()


def test_the_beheerder_sees_today_with_organisers_phones_notes_hours_and_closures(app, setup):
    set_phone(app, setup.organiser.id, "06-11223344")
    room_a, room_b = setup.house.room_ids
    place(app, setup.organiser.id, room_a, today(), time(9), time(10, 30), "Koffieochtend")
    place(
        app,
        setup.beheerder.id,
        room_b,
        today(),
        time(14),
        time(16),
        "Breiclub",
        on_behalf=("Riet van den Berg", "0412-634521"),
    )
    place(
        app, setup.organiser.id, room_b, today(), time(19), time(21), "Kaartavond", cancelled=True
    )
    other_day = place(
        app, setup.organiser.id, room_a, today() + timedelta(days=1), time(9), time(10), "Morgen"
    )
    with app.app_context():
        start = local_to_utc(datetime.combine(today(), time(22)))
        db.session.add(
            Closure(
                house_id=setup.house.id,
                room_id=room_a,
                starts_at=start,
                ends_at=start + timedelta(days=2),
                reason="Schilderwerk",
            )
        )
        db.session.add(
            HostNote(
                house_id=setup.house.id,
                day=today(),
                text="Drie nieuwe bezoekers bij de koffie.",
                author_id=setup.gastheer.id,
                created_at=datetime.now(UTC),
            )
        )
        db.session.commit()
    response = client_for(app, setup.beheerder).get(f"{setup.base}/dagstaat")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'lang="nl"' in html and "Dagstaat" in html
    assert "Koffieochtend" in html and "Breiclub" in html
    assert "06-11223344" in html  # the organiser's own phone
    assert "Riet van den Berg" in html and "0412-634521" in html  # booked on her behalf
    assert "geboekt door Test beheerder" in html
    assert "08:30–23:00" in html  # today's opening hours
    assert "Schilderwerk" in html
    assert "Drie nieuwe bezoekers bij de koffie." in html
    vervallen = html[html.index('id="vervallen-kop"') :]
    assert "Kaartavond" in vervallen and "geannuleerd" in vervallen
    assert "Kaartavond" not in html[: html.index('id="vervallen-kop"')]
    assert "Morgen" not in html, other_day
    assert "day_sheet.css" in html and "<style" not in html and " style=" not in html
    assert html.index("09:00") < html.index("14:00")  # in time order


def test_another_day_is_asked_with_dag(app, setup):
    day = today() + timedelta(days=3)
    place(app, setup.organiser.id, setup.house.room_ids[0], day, time(10), time(12), "Later")
    html = (
        client_for(app, setup.beheerder)
        .get(f"{setup.base}/dagstaat?dag={day.isoformat()}")
        .get_data(as_text=True)
    )
    assert "Later" in html
    assert "Geen activiteiten op deze dag." not in html


ROLES_TODAY = {
    "organiser": 404,
    "outsider": 404,
    "gastheer": 200,
    "sociaal": 200,
    "beheerder": 200,
    "other_beheerder": 404,
    "gemeente": 200,
}


@pytest.mark.parametrize("role", sorted(ROLES_TODAY))
def test_only_the_house_staff_see_it_and_a_gastheer_only_today(app, setup, role):
    place(app, setup.organiser.id, setup.house.room_ids[0], today(), time(9), time(10), "Geheim")
    client = client_for(app, getattr(setup, role))
    response = client.get(f"{setup.base}/dagstaat")
    assert response.status_code == ROLES_TODAY[role]
    if response.status_code == 404:
        assert "Geheim" not in response.get_data(as_text=True)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    later = client.get(f"{setup.base}/dagstaat?dag={tomorrow}").status_code
    assert later == (404 if role == "gastheer" else ROLES_TODAY[role])


def test_anonymous_is_sent_to_the_login(app, setup):
    response = app.test_client().get(f"{setup.base}/dagstaat")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_unknown_house_is_404(app, setup):
    assert client_for(app, setup.gemeente).get("/beheer/bestaat-niet/dagstaat").status_code == 404


@pytest.mark.parametrize(
    ("dag", "says"),
    [
        ("morgen", "JJJJ-MM-DD"),
        ("2026-02-30", "bestaat niet"),
        ("9999-01-01", "tussen 2000 en 2100"),
        ("2026-1-5", "JJJJ-MM-DD"),
    ],
)
def test_a_bad_day_is_400_in_dutch(app, setup, dag, says):
    response = client_for(app, setup.beheerder).get(f"{setup.base}/dagstaat?dag={dag}")
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)


def test_a_day_without_opening_hours_says_so(app, setup):
    day = today() + timedelta(days=2)
    with app.app_context():
        from booking.models import OpeningHours

        db.session.query(OpeningHours).filter_by(
            house_id=setup.house.id, weekday=day.weekday()
        ).delete()
        db.session.commit()
    html = (
        client_for(app, setup.beheerder)
        .get(f"{setup.base}/dagstaat?dag={day.isoformat()}")
        .get_data(as_text=True)
    )
    assert "Geen openingstijden op deze dag." in html


def test_a_house_wide_closure_over_the_whole_day(app, setup):
    day = today() + timedelta(days=5)
    with app.app_context():
        db.session.add(
            Closure(
                house_id=setup.house.id,
                room_id=None,
                starts_at=local_to_utc(datetime.combine(day, time(0))),
                ends_at=local_to_utc(datetime.combine(day + timedelta(days=1), time(0))),
                reason="Kerstvakantie",
            )
        )
        db.session.commit()
    html = (
        client_for(app, setup.beheerder)
        .get(f"{setup.base}/dagstaat?dag={day.isoformat()}")
        .get_data(as_text=True)
    )
    assert "Het huis is deze dag gesloten." in html and "Kerstvakantie" in html
    assert "hele huis" in html


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


def test_the_number_of_queries_does_not_grow_with_the_day(app, setup):
    client = client_for(app, setup.beheerder)
    url = f"{setup.base}/dagstaat"
    room_a, room_b = setup.house.room_ids
    place(app, setup.organiser.id, room_a, today(), time(8, 30), time(9), "Een")
    client.get(url)  # warm: the session's user and memberships
    one = _statements(app, client, url)
    organisers = [setup.organiser.id, setup.beheerder.id, setup.sociaal.id, setup.gemeente.id]
    for n, who in enumerate(organisers):
        for room in (room_a, room_b):
            start = time(10 + 2 * n)
            place(app, who, room, today(), start, time(11 + 2 * n), f"Activiteit {n}", CHOIR)
    many = _statements(app, client, url)
    assert one > 3 and many == one, (one, many)


def test_one_click_from_the_dashboard_and_the_beheer_pages(app, setup):
    beheerder = client_for(app, setup.beheerder)
    link = f'href="{setup.base}/dagstaat"'
    dashboard = beheerder.get("/dashboard").get_data(as_text=True)
    assert link in dashboard and "Dagstaat van vandaag" in dashboard
    assert link in beheerder.get(setup.base).get_data(as_text=True)  # the house overview
    gastheer = client_for(app, setup.gastheer).get("/dashboard").get_data(as_text=True)
    assert link in gastheer
    organiser = client_for(app, setup.organiser).get("/dashboard").get_data(as_text=True)
    assert "dagstaat" not in organiser
